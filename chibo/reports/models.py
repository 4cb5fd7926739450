"""What the reports hub keeps: the year-end snapshots of units' figures, and the Excel and
Word files the worker builds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.org.models import OrgUnit


class Snapshot(models.Model):
    """A unit's figures for a year, frozen when an office closed the year for its subtree
    (like an annual census): a published figure never changes silently. Re-opening keeps the
    row, with who re-opened it and why; closing again freezes a new one."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The sections of the unit's report for the year, as computed when it was closed.
    figures = models.JSONField(_("figures"))
    # The unit whose office closed the year (the top of the subtree closed at once).
    closed_for = models.ForeignKey(
        OrgUnit, verbose_name=_("closed for"), on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("re-opened at"), null=True, blank=True)
    reopen_reason = models.CharField(_("reason for re-opening"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("year-end snapshot")
        verbose_name_plural = _("year-end snapshots")
        ordering = ["-year", "unit_id", "-closed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(reopened_at__isnull=True),
                name="snapshot_once_per_unit_year",
            )
        ]
        indexes = [models.Index(fields=["closed_for", "year"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.reopened_at is None


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook")
    DOCX = "docx", _("Word report")


class FileState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFile(models.Model):
    """An Excel or Word report built by the worker for the person who asked. The content is
    kept in the database (a report is some tens of kilobytes), so the web and the worker need
    no shared disk."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField()
    format = models.CharField(max_length=4, choices=FileFormat.choices)
    state = models.CharField(max_length=8, choices=FileState.choices, default=FileState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent done
    name = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "created_at"])]

    def __str__(self) -> str:
        return self.name or f"{self.unit} {self.start}..{self.end}"
