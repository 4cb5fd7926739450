"""Party badges (Huy hiệu Đảng): the occasions they are awarded on and the awards made.

The regular occasions (3/2, 19/5, 2/9, 7/11) and the party ages that earn a badge are rules
(`rules.at(day).badge_occasions`, `.badge_years`); an office adds special occasions here.
Who is due on an occasion is computed (chibo.badges.services), never stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.members.models import Member
from chibo.org.models import Kind, OrgUnit


class BadgeOccasion(models.Model):
    """A special award occasion (an anniversary, a congress): nationwide when the central
    level adds it, or one province's own (its founding anniversary), added by that province's
    office. A province's occasion applies to the units of that province only."""

    date = models.DateField(_("date"))
    name = models.CharField(_("occasion"), max_length=120)
    province = models.ForeignKey(
        OrgUnit,
        verbose_name=_("province (empty: nationwide)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Kind.PROVINCE},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("special badge occasion")
        verbose_name_plural = _("special badge occasions")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(province__isnull=True),
                name="badge_occasion_once_nationwide",
            ),
            models.UniqueConstraint(
                fields=["province", "date"], name="badge_occasion_once_per_province"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"


class Early(models.TextChoices):
    ILLNESS = "illness", _("Early: serious illness")
    POSTHUMOUS = "posthumous", _("Posthumous")


class BadgeAward(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="badges"
    )
    years = models.PositiveSmallIntegerField(_("badge (years of party age)"))
    occasion_date = models.DateField(_("occasion"))
    decision_number = models.CharField(_("decision number"), max_length=40)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    early = models.CharField(_("early award"), max_length=12, choices=Early.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        ordering = ["-occasion_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "years"], name="badge_once_per_milestone")
        ]
        indexes = [models.Index(fields=["occasion_date"])]

    def __str__(self) -> str:
        return f"{self.member}: {self.years}"
