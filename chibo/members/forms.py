from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField
from chibo.org.forms import UnitCodeField

from .models import EventKind, ExemptionReason, Gender, Member, PlacementKind, PositionKind, Status

STATUS_FILTERS = [
    ("", _("In the Party")),
    (Status.OFFICIAL, _("Official")),
    (Status.PROBATIONARY, _("Probationary")),
    ("exempt", _("Exempt from activities")),
    ("left", _("No longer in the Party")),
    ("all", _("All records")),
]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=32)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("All")), *Gender.choices], required=False
    )


class ProfileForm(BootstrapForm):
    code = forms.CharField(label=_("Record code"), max_length=32)
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = DateField(label=_("Birth date"))
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=40, initial="Kinh")
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    national_id = forms.CharField(label=_("National ID"), max_length=12, required=False)
    card_number = forms.CharField(label=_("Party card number"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"


class MemberCreateForm(ProfileForm):
    unit = UnitCodeField(label=_("Cell (code)"))
    placed_since = DateField(label=_("Active in this cell since"))
    admitted_on = DateField(label=_("Admission decision date"))
    admission_decision = forms.CharField(
        label=_("Admission decision number"), max_length=40, required=False
    )
    official_on = DateField(label=_("Official member date"), required=False)
    official_decision = forms.CharField(
        label=_("Official recognition decision number"), max_length=40, required=False
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope


def profile_initial(member: Member) -> dict:
    return {f: getattr(member, f) for f in ProfileForm.base_fields}


class EventForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices)
    date = DateField(label=_("Date"))
    end_date = DateField(label=_("Until (exemption only)"), required=False)
    reason = forms.ChoiceField(
        label=_("Reason (exemption only)"),
        choices=[("", "—"), *ExemptionReason.choices],
        required=False,
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PositionForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Position"), choices=PositionKind.choices)
    unit = UnitCodeField(label=_("Party unit (code), for party posts"), required=False)
    village: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Village, for village posts"), queryset=None, required=False
    )
    start = DateField(label=_("From"))
    end = DateField(label=_("Until"), required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=40, required=False)

    def __init__(self, *args, units=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["village"].queryset = villages


class PlacementForm(BootstrapForm):
    unit = UnitCodeField(label=_("Cell (code)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PlacementKind.choices)
    start = DateField(label=_("From"))
    end = DateField(label=_("Left on"), required=False)
    letter_number = forms.CharField(label=_("Letter number"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope


class TransferForm(BootstrapForm):
    to_unit = UnitCodeField(label=_("Receiving cell (code)"))
    left_on = DateField(label=_("Left the current cell on"))
    arrived_on = DateField(label=_("Arrived on"), required=False)
    letter_number = forms.CharField(
        label=_("Transfer letter number"), max_length=40, required=False
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = scope
