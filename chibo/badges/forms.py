import datetime as dt
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.formats import date as vn_date
from chibo.core.formats import parse_date
from chibo.core.forms import BootstrapForm, DateField
from chibo.org.models import OrgUnit

from .queries.due import DueList
from .services import DECISION_NUMBER_MAX, OCCASION_NAME_MAX


class OccasionPickForm(forms.Form):
    """?occasion=dd/mm/yyyy on the list page (empty: the next occasion)."""

    occasion = DateField(label=_("Occasion"), required=False)


class AwardFilterForm(forms.Form):
    """The awards page's filter: a year and an occasion (dd/mm/yyyy), each optional. The
    select offers the years and occasions that have awards in the unit; any date typed into
    the URL is accepted (it may have none)."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    occasion = forms.CharField(label=_("Occasion"), required=False, widget=forms.Select)

    def __init__(self, *args, days: list[dt.date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = sorted({d.year for d in days}, reverse=True)
        year_field = cast(forms.TypedChoiceField, self.fields["year"])
        year_field.choices = [("", _("All years")), *((y, str(y)) for y in years)]
        asked = self.data.get("year") if self.is_bound else None
        shown = [d for d in days if not asked or str(d.year) == asked]
        choices = [vn_date(d) for d in sorted(shown, reverse=True)]
        typed = self.data.get("occasion") if self.is_bound else None
        if typed and typed not in choices:
            choices.insert(0, typed)
        self.fields["occasion"].widget.choices = [
            ("", _("All occasions")),
            *((c, c) for c in choices),
        ]

    def clean_occasion(self) -> dt.date | None:
        text = (self.cleaned_data.get("occasion") or "").strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            raise forms.ValidationError(
                _("Enter the occasion as dd/mm/yyyy, e.g. 03/02/2026."), code="invalid"
            ) from None


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
