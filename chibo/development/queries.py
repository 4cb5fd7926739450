"""Reads behind the pages and the API: the board of candidates by stage, and the members whose
probation is ending, ended or under review. Each is a fixed number of queries whatever the
number of rows, with the deadlines computed in SQL (chibo.rules.calendar.with_deadline)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from chibo.members.models import Member, Status
from chibo.org.models import OrgUnit
from chibo.rules.calendar import with_deadline
from chibo.rules.queries import value_by_date

from .models import Candidate, OfficialReview, Stage

# The board shows candidates admitted or dropped within this many days (older ones on demand):
# they are done with, and a base committee admits some every year.
RECENT_DAYS = 365
# Cards shown per column; the count above the column is always the full one.
CARDS_PER_COLUMN = 100
# "Probation ending within 30 days" (the issue): how far ahead the review page looks. A page
# window, not a Party rule.
ENDING_WINDOW_DAYS = 30


def subtree(unit: OrgUnit) -> QuerySet:
    return OrgUnit.all_objects.within(unit).values("pk")


def annotated(qs: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Candidates with `stage_sql` and `ceremony_due` (the last day for the ceremony, with
    the rule in force on each decision date)."""
    if "stage_sql" not in qs.query.annotations:
        qs = qs.with_stage()  # type: ignore[attr-defined]
    qs = qs.select_related("cell", "member")
    n = value_by_date("ceremony_working_days", "decision_on")
    return with_deadline(qs, name="ceremony_due", start="decision_on", n=n)


def ceremony_flag(candidate: Candidate, today: dt.date) -> str:
    """ "overdue": decided, no ceremony yet, its deadline passed; "late": the ceremony was
    held after its deadline; "" otherwise. Needs `annotated`."""
    due = getattr(candidate, "ceremony_due", None)
    if due is None or candidate.decision_on is None or candidate.dropped_on:
        return ""
    held = candidate.member.ceremony_on if candidate.member else None
    if held is None:
        return "overdue" if today > due else ""
    return "late" if held > due else ""


@dataclass
class Column:
    stage: Stage
    count: int
    cards: list[Candidate] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def board(
    unit: OrgUnit, today: dt.date, *, everything: bool = False, cell: OrgUnit | None = None
) -> list[Column]:
    """The candidates of `unit`'s subtree (or of one `cell` in it) by stage, pipeline order."""
    rows = Candidate.objects.filter(cell__in=subtree(cell or unit)).with_stage()  # type: ignore[attr-defined]
    if not everything:
        since = today - dt.timedelta(days=RECENT_DAYS)
        rows = rows.filter(
            ~Q(stage_sql__in=[Stage.ADMITTED, Stage.DROPPED])
            | Q(stage_sql=Stage.ADMITTED, member__ceremony_on__gte=since)
            | Q(stage_sql=Stage.DROPPED, dropped_on__gte=since)
        )
    counts = dict(rows.order_by().values_list("stage_sql").annotate(n=Count("pk")))
    columns = []
    for stage in Stage:
        column = Column(stage, counts.get(stage.value, 0))
        if column.count:
            cards = annotated(rows.filter(stage_sql=stage))[:CARDS_PER_COLUMN]
            column.cards = list(cards)
            for c in column.cards:
                c.flag = ceremony_flag(c, today)  # type: ignore[attr-defined]
        columns.append(column)
    return columns


# Official review --------------------------------------------------------------------------------


def with_review_due(qs: QuerySet, start: str = "probation_ends_on") -> QuerySet:
    """Annotate `review_due`: the last day for the cell's vote after the probation that
    ended on `start`, by the rule in force that day."""
    n = value_by_date("review_working_days", start)
    return with_deadline(qs, name="review_due", start=start, n=n)


def _probationary(unit: OrgUnit, today: dt.date) -> QuerySet[Member]:
    qs = (
        Member.objects.filter(home_unit__in=subtree(unit))
        .with_status(today)
        .filter(status=Status.PROBATIONARY, probation_ends_on__isnull=False)
        .select_related("home_unit")
    )
    return with_review_due(qs)


def probation_ending(unit: OrgUnit, today: dt.date) -> QuerySet[Member]:
    """Probation ends within the window: the cell prepares its review."""
    last = today + dt.timedelta(days=ENDING_WINDOW_DAYS)
    return (
        _probationary(unit, today)
        .filter(probation_ends_on__gt=today, probation_ends_on__lte=last)
        .order_by("probation_ends_on", "search_name", "pk")
    )


def open_review(member_ref: str = "pk") -> Exists:
    """A vote recorded on the member's current probation, awaiting the decision."""
    return Exists(
        OfficialReview.objects.filter(
            member=OuterRef(member_ref),
            probation_ended_on=OuterRef("probation_ends_on"),
            decision_on__isnull=True,
        )
    )


def awaiting_vote(unit: OrgUnit, today: dt.date) -> QuerySet[Member]:
    """Probation ended, no vote recorded yet, with `review_due`."""
    qs = _probationary(unit, today).filter(probation_ends_on__lte=today).exclude(open_review())
    return qs.order_by("probation_ends_on", "search_name", "pk")


def reviews(qs: QuerySet[OfficialReview]) -> QuerySet[OfficialReview]:
    """Reviews with `review_due`, their member and the member's cell."""
    qs = qs.select_related("member", "member__home_unit")
    return with_review_due(qs, "probation_ended_on")


def awaiting_decision(unit: OrgUnit) -> QuerySet[OfficialReview]:
    qs = OfficialReview.objects.filter(
        decision_on__isnull=True, member__home_unit__in=subtree(unit)
    )
    return reviews(qs).order_by("vote_on", "pk")
