"""Party development (phát triển đảng viên): candidates on their way to admission, and the
review that ends a probation (xét công nhận đảng viên chính thức).

A candidate (quần chúng ưu tú) is kept only as far as the admission needs: name, birth date,
gender, ethnicity, the proposing cell and the steps with their dates and decisions. Once the
admission decision is recorded the candidate becomes a `Member` and the record links to it."""

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.core.versions import Versioned
from chibo.members.models import Gender, Member, MemberEvent
from chibo.org.models import OrgUnit


class Stage(models.TextChoices):
    """Where a candidate stands, in pipeline order (computed from the dates, never stored)."""

    PROPOSED = "proposed", _("Proposed by the cell")
    CLASS_DONE = "class_done", _("Party class completed")
    INTRODUCED = "introduced", _("Introducers named")
    VOTED = "voted", _("Cell vote passed")
    DECIDED = "decided", _("Admission decided")
    ADMITTED = "admitted", _("Ceremony held")
    DROPPED = "dropped", _("No longer a candidate")


# The stage in SQL, in the same order as Candidate.stage below (lists filter and count on it).
STAGE_SQL = Case(
    When(dropped_on__isnull=False, then=Value(Stage.DROPPED.value)),
    When(member__ceremony_on__isnull=False, then=Value(Stage.ADMITTED.value)),
    When(decision_on__isnull=False, then=Value(Stage.DECIDED.value)),
    When(vote_on__isnull=False, then=Value(Stage.VOTED.value)),
    When(introduced_on__isnull=False, then=Value(Stage.INTRODUCED.value)),
    When(class_completed_on__isnull=False, then=Value(Stage.CLASS_DONE.value)),
    default=Value(Stage.PROPOSED.value),
    output_field=CharField(),
)


class CandidateQuerySet(QuerySet):
    def with_stage(self) -> "CandidateQuerySet":
        """Annotate `stage_sql`, the stage computed by the database."""
        return self.annotate(stage_sql=STAGE_SQL)


class Candidate(Versioned):
    """A candidate for admission (quần chúng ưu tú)."""

    cell = models.ForeignKey(
        OrgUnit, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="candidates"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=40, default="Kinh")
    proposed_on = models.DateField(_("proposed on"))
    class_completed_on = models.DateField(_("party class completed on"), null=True, blank=True)
    class_certificate = models.CharField(_("class certificate number"), max_length=40, blank=True)
    introducer_1 = models.ForeignKey(
        Member,
        verbose_name=_("first introducer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    introducer_1_since = models.DateField(
        _("first introducer has worked with the candidate since"), null=True, blank=True
    )
    introducer_2 = models.ForeignKey(
        Member,
        verbose_name=_("second introducer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    introducer_2_since = models.DateField(
        _("second introducer has worked with the candidate since"), null=True, blank=True
    )
    union_introduction = models.CharField(
        _("Youth Union or Trade Union introduction"),
        max_length=80,
        blank=True,
        help_text=_(
            "The union's resolution, when it introduces the candidate in place of one member."
        ),
    )
    introduced_on = models.DateField(_("introduced on"), null=True, blank=True)
    over_age_approval = models.CharField(
        _("approval for a candidate over the age limit"), max_length=80, blank=True
    )
    vote_on = models.DateField(_("cell vote on"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_eligible = models.PositiveIntegerField(
        _("official members entitled to vote"), null=True, blank=True
    )
    decision_number = models.CharField(_("admission decision number"), max_length=40, blank=True)
    decision_on = models.DateField(_("admission decision date"), null=True, blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidacy",
    )
    dropped_on = models.DateField(_("no longer a candidate since"), null=True, blank=True)
    drop_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_name", "created_at", "version"])

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["search_name", "pk"]
        indexes = [models.Index(fields=["cell", "decision_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(votes_eligible__isnull=True)
                | Q(votes_for__lte=models.F("votes_eligible")),
                name="candidate_votes_within_eligible",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def stage(self) -> str:
        if self.dropped_on:
            return Stage.DROPPED
        if self.member_id and self.member and self.member.ceremony_on:
            return Stage.ADMITTED
        if self.decision_on:
            return Stage.DECIDED
        if self.vote_on:
            return Stage.VOTED
        if self.introduced_on:
            return Stage.INTRODUCED
        if self.class_completed_on:
            return Stage.CLASS_DONE
        return Stage.PROPOSED


class Outcome(models.TextChoices):
    RECOGNISE = "recognise", _("Recognise as official member")
    REMOVE = "remove", _("Not recognised: propose removal")


class OfficialReview(models.Model):
    """The cell's consideration of a probationary member once probation ends, and the
    decision that follows (recognition, or removal from the rolls)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="reviews"
    )
    probation_ended_on = models.DateField(_("probation ended on"))
    vote_on = models.DateField(_("cell vote on"))
    votes_for = models.PositiveIntegerField(_("votes for recognition"))
    votes_eligible = models.PositiveIntegerField(_("official members entitled to vote"))
    outcome = models.CharField(_("the cell proposes"), max_length=10, choices=Outcome.choices)
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    event = models.OneToOneField(
        MemberEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="review"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("official membership review")
        verbose_name_plural = _("official membership reviews")
        ordering = ["-vote_on", "pk"]
        indexes = [models.Index(fields=["member", "vote_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__lte=models.F("votes_eligible")),
                name="review_votes_within_eligible",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.vote_on:%d/%m/%Y}"
