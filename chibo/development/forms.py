"""Forms of the pipeline pages: they only read input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField
from chibo.core.versions import VersionForm
from chibo.members.models import Gender

from .models import Outcome


class CandidateForm(BootstrapForm):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = DateField(label=_("Birth date"), past=True)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=40, initial="Kinh")
    proposed_on = DateField(label=_("Proposed by the cell on"))


class CandidateEditForm(CandidateForm, VersionForm):
    pass


class CandidateCreateForm(CandidateForm):
    cell: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Cell"), queryset=None)

    def __init__(self, *args, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
        self.order_fields(["cell"])


class ClassForm(BootstrapForm):
    completed_on = DateField(label=_("Party class completed on"))
    certificate = forms.CharField(
        label=_("Class certificate number"), max_length=40, required=False
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.code})"


class IntroducersForm(BootstrapForm):
    introduced_on = DateField(label=_("Introduced on"))
    introducer_1 = MemberChoiceField(label=_("First introducer"), queryset=None)
    introducer_1_since = DateField(label=_("Has worked with the candidate since"))
    introducer_2 = MemberChoiceField(
        label=_("Second introducer"),
        queryset=None,
        required=False,
        help_text=_("Leave empty when the Youth Union or the Trade Union introduces instead."),
    )
    introducer_2_since = DateField(label=_("Has worked with the candidate since"), required=False)
    union_introduction = forms.CharField(
        label=_("Youth Union or Trade Union introduction"),
        max_length=80,
        required=False,
        help_text=_(
            "The union's resolution, when it introduces the candidate in place of one member."
        ),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["introducer_1"].queryset = members
        self.fields["introducer_2"].queryset = members


class VoteForm(BootstrapForm):
    vote_on = DateField(label=_("Cell vote on"))
    votes_eligible = forms.IntegerField(
        label=_("Official members entitled to vote"), min_value=1, max_value=100000
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=100000)
    over_age_approval = forms.CharField(
        label=_("Approval for a candidate over the age limit"),
        max_length=80,
        required=False,
        help_text=_("Only for a candidate over the maximum age: the higher level's approval."),
    )


class DecisionForm(BootstrapForm):
    decision_number = forms.CharField(label=_("Admission decision number"), max_length=40)
    decision_on = DateField(label=_("Admission decision date"))
    code = forms.CharField(
        label=_("Record code"),
        max_length=32,
        help_text=_("The office's code for the new member's record."),
    )


class CeremonyForm(BootstrapForm):
    ceremony_on = DateField(label=_("Admission ceremony held on"))


class DropForm(BootstrapForm):
    dropped_on = DateField(label=_("No longer a candidate since"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReviewVoteForm(BootstrapForm):
    vote_on = DateField(label=_("Cell vote on"))
    votes_eligible = forms.IntegerField(
        label=_("Official members entitled to vote"), min_value=1, max_value=100000
    )
    votes_for = forms.IntegerField(label=_("Votes for recognition"), min_value=0, max_value=100000)
    outcome = forms.ChoiceField(label=_("The cell proposes"), choices=Outcome.choices)


class ReviewDecisionForm(BootstrapForm):
    decision_number = forms.CharField(label=_("Decision number"), max_length=40)
    decision_on = DateField(label=_("Decision date"))


class BoardFilterForm(forms.Form):
    cell: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Cell"), queryset=None, required=False
    )
    all = forms.BooleanField(label=_("Include those admitted or dropped long ago"), required=False)

    def __init__(self, *args, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
