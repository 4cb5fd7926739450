"""The annual evaluation and rating (kiểm điểm, đánh giá, xếp loại) of members and of party
organisations: the campaign a committee opens for a year, each member's self-assessment, the
cell's proposal, the committee's decision, and the overrides of a check recorded with their
reason.

The regulation of the year (132-QĐ/TW, 124-QĐ/TW, 366-QĐ/TW with 43-HD/BTCTW) is read from
the rules in force on 31/12 of the rated year (`rules.at(...)`, chibo.evaluation.rules); the
campaign keeps the regulation's name so that a past year says what it was rated by."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.core.versions import Versioned
from chibo.members.models import Member
from chibo.org.models import OrgUnit


class Level(models.TextChoices):
    """The four levels, for members and for party organisations alike."""

    EXCELLENT = "excellent", _("Excellently completed duties")
    GOOD = "good", _("Well completed duties")
    COMPLETE = "complete", _("Completed duties")
    INCOMPLETE = "incomplete", _("Did not complete duties")


# Best first: a level "above" another has a lower index.
LEVELS = [Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.INCOMPLETE]


def rank(level: str) -> int:
    return LEVELS.index(Level(level))


class Stage(models.TextChoices):
    """Where a campaign, or one rating in it, stands."""

    SELF = "self", _("Self-assessment")
    CELL = "cell", _("Cell discussion and proposal")
    DECISION = "decision", _("Committee decision")
    PUBLISHED = "published", _("Published")


STAGES = [Stage.SELF, Stage.CELL, Stage.DECISION, Stage.PUBLISHED]


class Campaign(models.Model):
    """A year's evaluation (đợt kiểm điểm, đánh giá, xếp loại) opened by a base committee for
    its members and cells, or by a higher office for its subtree. `imported`: history loaded
    from Excel (what was decided and published); its checks warn, they never refuse."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    regulation = models.CharField(_("regulation"), max_length=200)
    # The deadline of each stage (on the deadline board).
    self_due = models.DateField(_("self-assessments due"))
    cell_due = models.DateField(_("cell proposals due"))
    decision_due = models.DateField(_("committee decisions due"))
    publish_due = models.DateField(_("publication due"))
    imported = models.BooleanField(_("imported history"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("evaluation campaign")
        verbose_name_plural = _("evaluation campaigns")
        ordering = ["-year", "unit__sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="campaign_once_per_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def published(self) -> bool:
        return self.published_at is not None


class Evaluation(Versioned):
    """The rating of one member, or of one party organisation, for a year, as it moves through
    the stages: the cell's proposal (with its vote), then the committee's decision. A member or
    unit the rules leave out is kept with `not_rated` (the rule's code) so that the board says
    why. The self-assessment is its own record (SelfAssessment)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    # The cell a member was rated in (their official placement on 31/12, or on the day the
    # campaign listed them): the comparable group of the cap and the report's cell type.
    cell = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    not_rated = models.CharField(_("not rated because"), max_length=40, blank=True)
    proposed_level = models.CharField(
        _("proposed level"), max_length=12, choices=Level.choices, blank=True
    )
    proposed_votes = models.PositiveSmallIntegerField(_("votes for the proposal"), null=True)
    proposed_voters = models.PositiveSmallIntegerField(_("members voting"), null=True)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True, unit__isnull=False)
                | Q(member__isnull=False, unit__isnull=True),
                name="evaluation_of_member_or_unit",
            ),
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(member__isnull=False),
                name="evaluation_member_once_a_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(unit__isnull=False),
                name="evaluation_unit_once_a_year",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "cell"]),
            models.Index(fields=["campaign", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.member or self.unit} {self.year}: {self.level or '-'}"


class SelfAssessment(Versioned):
    """A member's own review of the year (bản kiểm điểm cá nhân), filled in on the phone:
    the criteria of the year's form, the score under 366-QĐ/TW, strengths, shortcomings and
    the level the member proposes. A draft until submitted; the Word file is built from it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="selves"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    form = models.CharField(_("form"), max_length=10)  # the rule `evaluation_form` of the year
    # The member's own account under each criterion of the form: {criterion key: text}.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    general_score = models.PositiveSmallIntegerField(_("general criteria score"), null=True)
    results_score = models.PositiveSmallIntegerField(_("results score"), null=True)
    tasks_all_done = models.BooleanField(_("all tasks completed"), null=True)
    exceeded_share = models.PositiveSmallIntegerField(
        _("share of tasks exceeded (%)"), null=True, blank=True
    )
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    remedies = models.TextField(_("remedies"), blank=True)
    proposed_level = models.CharField(
        _("level I propose"), max_length=12, choices=Level.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="self_assessment_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"

    @property
    def score(self) -> int | None:
        if self.general_score is None or self.results_score is None:
            return None
        return self.general_score + self.results_score


class Override(models.Model):
    """A check that refused publication, overridden: which check and on what (the check's
    key), the reason, who decided. Publication then goes ahead with the override on record."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="overrides"
    )
    check_key = models.CharField(_("check"), max_length=80)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(_("decided by"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("override of a check")
        verbose_name_plural = _("overrides of checks")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "check_key"], name="override_once_per_check"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.check_key}"
