"""The dashboard's period picker: a period from the list (any key typed into the URL is
accepted too), or a from/to range typed as people type dates."""

import contextlib
import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField
from chibo.core.reporting import Period

from .periods import period_from, period_of_key, recent, year_so_far


class PeriodForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False, widget=forms.Select)
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        so_far = _("%(period)s (so far)")
        choices = []
        for p in recent(today):
            label = (
                p.label() if p.kind != "range" else str(_("Year %(year)s") % {"year": p.start.year})
            )
            choices.append((p.key, so_far % {"period": label} if p.end >= today else label))
        asked = self.data.get("period") if self.is_bound else None
        if asked and asked not in dict(choices):
            with contextlib.suppress(ValidationError):
                typed = period_of_key(asked)
                choices.insert(0, (typed.key, typed.label()))
        self.fields["period"].widget.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        try:
            if start is not None or end is not None:
                period = period_from(start=start, end=end)
            elif data.get("period"):
                period = period_of_key(data["period"])
            else:
                period = year_so_far(self.today)
        except ValidationError as error:
            names = {"from": "start", "to": "end"}
            for field, messages in error.message_dict.items():
                self.add_error(names.get(field, field if field in self.fields else None), messages)
            return data
        if period.start > self.today:
            self.add_error("period", _("That period has not begun yet."))
        data["the_period"] = period
        return data

    @property
    def chosen(self) -> Period:
        return self.cleaned_data["the_period"]
