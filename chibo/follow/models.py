"""Superior committee members assigned to follow cells (cấp ủy viên cấp trên theo dõi chi bộ):
who follows which cell over which dates. They attend its meetings and confirm its scores."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.org.models import OrgUnit


class FollowQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> "FollowQuerySet":
        """In force on `day`: [start, end), like placements."""
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day))


class FollowAssignment(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_assignments",
        verbose_name=_("follower"),
    )
    cell = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="follow_assignments", verbose_name=_("cell")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until (not included)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = FollowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cell_id", "-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="follow_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.follower} → {self.cell}"

    @property
    def follower_name(self) -> str:
        return self.follower.display_name
