"""The remittance page's forms: the year (and month) shown, and a remittance recorded."""

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField

from .queries import FIRST_YEAR
from .services import RECEIPT_NUMBER_MAX, month_text

# 1250000, 1.250.000, 1 250 000, 1,250,000 (thousands grouped by three), with đ or đồng.
AMOUNT = re.compile(r"(\d+|\d{1,3}(?:([.,\s])\d{3})(?:\2\d{3})*)\s*(?:đ|đồng|d|vnd|vnđ)?", re.I)


class AmountField(forms.IntegerField):
    """A whole number of đồng as people type it, thousands grouped or not (a text input: a
    number input refuses 1.250.000 before the server reads it)."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if not AMOUNT.fullmatch(text):
            raise ValidationError(
                _("Enter the amount in đồng as a whole number, e.g. 1.250.000."), code="invalid"
            )
        return int(re.sub(r"\D", "", text))


def month_choices(months: Sequence[dt.date]) -> list[tuple[str, str]]:
    return [(month_text(m), month_text(m)) for m in months]


def parse_month(text: str) -> dt.date:
    """'03/2026' -> 1 March 2026."""
    month, _sep, year = text.partition("/")
    return dt.date(int(year), int(month), 1)


class PeriodForm(forms.Form):
    """?year=2026&month=03/2026 on the report page (empty: this year, its latest month)."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR)
    month = forms.RegexField(label=_("Month"), required=False, regex=r"^(0?[1-9]|1[0-2])/\d{4}$")

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._today = today

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and year > self._today.year:
            raise ValidationError(
                _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": self._today.year}
            )
        return year

    def clean_month(self) -> dt.date | None:
        text = self.cleaned_data.get("month")
        return parse_month(text) if text else None


class RemittanceForm(BootstrapForm):
    month = forms.ChoiceField(label=_("Month"))
    amount = AmountField(label=_("Amount handed up (đồng)"), min_value=1)
    paid_on = DateField(label=_("Handed over on"))
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        max_length=RECEIPT_NUMBER_MAX,
        required=False,
        help_text=_("The number of the receipt (phiếu thu) the level above gave."),
    )

    def __init__(self, *args: Any, months: Sequence[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["month"])
        field.choices = month_choices(months)
        self.fields["amount"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_month(self) -> dt.date:
        return parse_month(self.cleaned_data["month"])
