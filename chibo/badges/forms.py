from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField
from chibo.org.models import OrgUnit

from .queries.due import DueList
from .services import DECISION_NUMBER_MAX, OCCASION_NAME_MAX


class OccasionPickForm(forms.Form):
    """?occasion=dd/mm/yyyy on the list page (empty: the next occasion)."""

    occasion = DateField(label=_("Occasion"), required=False)


class AwardForm(BootstrapForm):
    """The decision for the members ticked in the list."""

    occasion = DateField(label=_("Occasion"), widget=forms.HiddenInput)
    awards = forms.MultipleChoiceField(
        label=_("Members"), widget=forms.CheckboxSelectMultiple, required=False
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=DECISION_NUMBER_MAX)
    decision_on = DateField(label=_("Decision date"))

    def __init__(self, *args, listing: DueList | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = listing.awardable if listing is not None else []
        awards = cast(forms.MultipleChoiceField, self.fields["awards"])
        awards.choices = [(r.choice, r.full_name) for r in rows]

    def chosen(self) -> list[tuple[int, int]]:
        """(member id, years) of the ticked members."""
        out = []
        for value in self.cleaned_data["awards"]:
            member_id, years = value.split(":")
            out.append((int(member_id), int(years)))
        return out


class OccasionForm(BootstrapForm):
    date = DateField(label=_("Date"))
    name = forms.CharField(label=_("Occasion"), max_length=OCCASION_NAME_MAX)
    province = forms.ModelChoiceField(
        label=_("Province (empty: nationwide)"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(self, *args, provinces=None, nationwide: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["province"])
        field.queryset = provinces if provinces is not None else OrgUnit.objects.none()
        # Only the central level adds a nationwide occasion; a province office names its own.
        field.required = not nationwide
        if not nationwide:
            field.label = _("Province")
            field.empty_label = None
