"""Party rules as dated data: each version names its regulation and the day it takes effect.

A version holds only the values it sets; `chibo.rules.at(date, unit)` layers, for that date,
the national versions in force and then the province's own (provinces vary the scoring).
Changing a rule is adding a version: past dates keep reading the versions they had."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.org.models import OrgUnit


class RuleVersion(models.Model):
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("regulation"), max_length=200)
    province = models.ForeignKey(
        OrgUnit,
        verbose_name=_("province (empty: nationwide)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_versions",
    )
    values = models.JSONField(_("values"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["effective_from", "pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.effective_from:%d/%m/%Y})"


class DayChange(models.Model):
    """A day the `holidays` package does not know: a weekday off the Government added (nghỉ bù)
    or a weekend day worked in exchange (làm bù), as an office records it."""

    date = models.DateField(_("date"), unique=True)
    working = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a weekend day that is worked. Unticked: a weekday off."),
    )
    name = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working-day change")
        verbose_name_plural = _("working-day changes")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class CalendarDay(models.Model):
    """One row per day of the years Chibo counts deadlines in (see chibo.rules.calendar):
    whether it is a working day, and how many working days the table holds up to and
    including it, so that "n working days after D" is one indexed lookup in SQL."""

    date = models.DateField(primary_key=True)
    working = models.BooleanField()
    seq = models.IntegerField()

    class Meta:
        ordering = ["date"]
        indexes = [models.Index(fields=["seq", "working"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.seq}"
