"""The board's filter: the day the deadlines are read on, and the year of the removal review."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField
from chibo.rules.calendar import FIRST

FIRST_YEAR = FIRST.year  # the working-day calendar starts here


class BoardForm(forms.Form):
    on = DateField(label=_("On"), required=False)
    year = forms.IntegerField(
        label=_("Removal review for the year"), required=False, min_value=FIRST_YEAR
    )

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_on(self) -> dt.date:
        on = self.cleaned_data.get("on") or self.today
        if on.year < FIRST_YEAR:
            raise forms.ValidationError(
                _("Choose a day from %(year)s on."), params={"year": FIRST_YEAR}, code="early"
            )
        return on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on = data.get("on")
        if on is not None and data.get("year") is None and "year" not in self.errors:
            data["year"] = on.year
        if on is not None and data.get("year") and data["year"] > on.year:
            self.add_error("year", _("That year has not begun on the day chosen."))
        return data
