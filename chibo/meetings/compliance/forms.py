"""The compliance page's filter: a month, a quarter or a year, and which cells to list."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .queries import CRITERIA, Period, last_complete_month, parse_period, recent_periods

MISSING_CHOICES = [
    ("", _("All cells")),
    ("any", _("Cells missing something")),
    ("monthly", _("No monthly meeting")),
    ("thematic", _("No thematic meeting")),
    ("duration", _("Meetings too short")),
    ("attendance", _("Attendance not good")),
]


class PeriodForm(forms.Form):
    # A select of recent periods, but any month or quarter typed into the URL is accepted.
    period = forms.CharField(label=_("Period"), required=False, widget=forms.Select)
    missing = forms.ChoiceField(label=_("Show"), required=False, choices=MISSING_CHOICES)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        so_far = _("%(period)s (so far)")
        choices = [
            (p.key, so_far % {"period": p.label()} if p.end >= today else p.label())
            for p in recent_periods(today)
        ]
        asked = self.data.get("period") if self.is_bound else None
        if asked and asked not in dict(choices):
            try:
                p = parse_period(asked)
                choices.insert(0, (p.key, p.label()))
            except ValueError:
                pass
        self.fields["period"].widget.choices = choices

    def clean_period(self) -> Period:
        text = self.cleaned_data.get("period") or ""
        if not text.strip():
            return last_complete_month(self.today)
        try:
            period = parse_period(text)
        except ValueError:
            raise forms.ValidationError(
                _(
                    "Choose a month as YYYY-MM, a quarter as YYYY-Qn or a year as YYYY, "
                    "e.g. 2026-03, 2026-Q1 or 2026."
                ),
                code="invalid",
            ) from None
        if period.start > self.today:
            raise forms.ValidationError(_("That period has not begun yet."), code="future")
        return period

    def clean_missing(self) -> str:
        value = self.cleaned_data.get("missing") or ""
        assert value in ("", "any", *CRITERIA)
        return value
