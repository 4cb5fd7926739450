"""Reads behind the pages and the API: the board of candidates by stage, the members whose
probation is ending, ended or under review, and the deadline lists of the unit's deadline
board (ceremonies, probations ending, reviews, decisions awaited). Each is a fixed number of
queries whatever the number of rows, with the deadlines computed in SQL
(chibo.rules.calendar.with_deadline), each with the count in force on the row's own
starting day (chibo.rules.queries.value_by_date).

The two working-day deadlines of the pipeline, for one date, are `ceremony_deadline` (the
admission ceremony, within `ceremony_working_days` after the admission decision) and
`review_deadline` (the cell's consideration of official membership, within
`review_working_days` after the probation ends: Quy định 294-QĐ/TW, 2025); each is counted
with the rules in force on the day that starts it, so a regulation adopted later never moves
a deadline already running."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from chibo import rules
from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.core.prepared import Mark, in_list, prepared
from chibo.core.sql import InFirst
from chibo.members.models import (
    Member,
    MemberQuerySet,
    Placement,
    PlacementKind,
    Status,
    StatusPeriod,
    period_valid_on,
)
from chibo.org.models import OrgUnit
from chibo.org.subtree import Subtree, subtree_of
from chibo.rules import calendar
from chibo.rules.calendar import with_deadline, working_days_after
from chibo.rules.queries import steps, value_by_date

from .models import Candidate, OfficialReview, Stage
from .services.candidates import ADMITTED, CEREMONY

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


def board_candidates(
    unit: OrgUnit, today: dt.date, *, everything: bool = False, cell: OrgUnit | None = None
) -> QuerySet[Any]:
    """The board's candidates, every one (the board shows the first of each stage), with
    `stage_sql`."""
    rows = Candidate.objects.filter(cell__in=subtree(cell or unit)).with_stage()  # type: ignore[attr-defined]
    if not everything:
        since = today - dt.timedelta(days=RECENT_DAYS)
        rows = rows.filter(
            ~Q(stage_sql__in=[Stage.ADMITTED, Stage.DROPPED])
            | Q(stage_sql=Stage.ADMITTED, member__ceremony_on__gte=since)
            | Q(stage_sql=Stage.DROPPED, dropped_on__gte=since)
        )
    return rows


def board(
    unit: OrgUnit, today: dt.date, *, everything: bool = False, cell: OrgUnit | None = None
) -> list[Column]:
    """The candidates of `unit`'s subtree (or of one `cell` in it) by stage, pipeline order."""
    rows = board_candidates(unit, today, everything=everything, cell=cell)
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


# One deadline, for one date ------------------------------------------------------------------


def _deadline(start: dt.date | None, rule: str) -> dt.date | None:
    if start is None:
        return None
    n = getattr(rules.at(start), rule)
    return None if n is None else working_days_after(start, n)


def ceremony_deadline(decision_on: dt.date | None) -> dt.date | None:
    """The last day for the admission ceremony; None when no rule was in force that day."""
    return _deadline(decision_on, "ceremony_working_days")


def review_deadline(probation_ends_on: dt.date | None) -> dt.date | None:
    """The last day for the cell to consider official membership."""
    return _deadline(probation_ends_on, "review_working_days")


# The deadline lists of the board --------------------------------------------------------------

# How far ahead the board and the reminders look for probations ending: the cell prepares the
# review in the month before (issue 4, item 8). A working choice of Chibo, not a Party rule.
PROBATION_NOTICE_DAYS = 30


@dataclass
class MemberRow:
    """A member with something due; `start` is the day the deadline counts from."""

    member_id: int
    full_name: str
    code: str
    cell_id: int | None
    start: dt.date | None
    deadline: dt.date | None
    overdue: bool = False
    voted_on: dt.date | None = None  # a review voted, the decision awaited
    cell_name: str = ""
    url: str = ""


# The members a list starts from ---------------------------------------------------------------


def _province(unit: OrgUnit | None, on: dt.date) -> int | None:
    """Whose rules apply: the unit's province (a province may set its own counts)."""
    return rules.province_of(unit, on) if unit is not None else None


def probationary_ids(unit: OrgUnit, on: dt.date, units: Subtree | None = None) -> list[int]:
    """The ids of the members `probationary` lists for `unit` on `on` (one query). A board
    reads them first: its three lists then start from these few members (none in most
    cells, which then ask nothing more) instead of each reading the whole subtree."""
    return list(probationary(unit, on, units=units).order_by().values_list("pk", flat=True))


def probationary(
    unit: OrgUnit | None,
    on: dt.date,
    member: int | None = None,
    *,
    units: Subtree | None = None,
    among: Mark | None = None,
) -> MemberQuerySet:
    """Members probationary on `on`, officially placed in `unit`'s subtree that day (all
    members when `unit` is None), with `cell_id`: their official cell that day. `units`:
    the subtree's units on `on`, when the caller has read them already; `among`: the mark
    of the ids probationary_ids read (a prepared query's)."""
    placements = Placement.objects.active_on(on).filter(kind=PlacementKind.OFFICIAL)
    cell = placements.filter(member=OuterRef("pk")).order_by("-start", "-pk").values("unit_id")[:1]
    if among is not None:
        return Member.objects.filter(in_list("pk", among)).annotate(cell_id=Subquery(cell))
    if unit is not None:
        # Scope first: the subtree's placements matched to the periods open on probation
        # that day, then the members, read first (InFirst): a few thousand, whatever the
        # subtree. (Asked of each member with EXISTS, PostgreSQL read every member of the
        # database.) The periods come as two parts, still open (a partial index read
        # alone, statusperiod_on_probation_idx) or ending later: as one OR the database
        # read each such period's row, 15,000 pages in the 1,000,000-member demo.
        units = units if units is not None else subtree_of(unit, on)
        probation = StatusPeriod.objects.filter(valid_from__lte=on, status=Status.PROBATIONARY)
        still_open = probation.filter(valid_to__isnull=True, member=OuterRef("member_id"))
        ending_later = probation.filter(valid_to__gt=on, member=OuterRef("member_id"))
        # EXISTS, not IN: PostgreSQL then looks each placement's member up when they are
        # few (a cell), and hashes the periods only when the placements are many. As IN it
        # hashed the database's 37,452 open probationary periods for a cell's board too.
        placed = placements.filter(units.q("unit_id")).filter(
            Exists(still_open) | Exists(ending_later)
        )
        qs = Member.objects.filter(InFirst("pk", placed.values("member_id")))
    else:
        periods = StatusPeriod.objects.filter(period_valid_on(on), status=Status.PROBATIONARY)
        qs = Member.objects.filter(pk__in=periods.values("member_id"))
    if member is not None:
        qs = qs.filter(pk=member)
    return qs.annotate(cell_id=Subquery(cell))


@dataclass(frozen=True)
class Among:
    """Where a list starts from: `unit`'s subtree (`units` when read already), one `member`,
    or, for a board, the `ids` of its probationary members (probationary_ids): the list is
    then one prepared query (chibo.core.prepared), built once a day."""

    unit: OrgUnit | None = None
    member: int | None = None
    units: Subtree | None = None
    ids: list[int] | None = None


def _rows(
    among: Among,
    on: dt.date,
    key: tuple,
    build: Callable[[MemberQuerySet], QuerySet],
) -> list[dict[str, Any]]:
    """The rows of `build(probationary members)` as dicts; prepared when `among.ids`."""
    if among.ids is not None:
        # What the built query reads besides its rows: the working-day table (built when
        # empty), asked here as building the query would have.
        calendar.ensure()
        return prepared(
            Member,
            (*key, on),
            lambda marks: build(probationary(None, on, among=marks.ids("among"))),
            among=among.ids,
        )
    return list(build(probationary(among.unit, on, among.member, units=among.units)))


def _member_rows(rows: list[dict[str, Any]], start: str, on: dt.date) -> list[MemberRow]:
    return [
        MemberRow(
            member_id=x["pk"],
            full_name=x["full_name"],
            code=x["code"],
            cell_id=x["cell_id"],
            start=x[start],
            deadline=x["deadline"],
            overdue=x["deadline"] is not None and on > x["deadline"],
            voted_on=x.get("voted_on"),
        )
        for x in rows
    ]


_FIELDS = ("pk", "full_name", "code", "cell_id")
_ORDER = ("deadline", "search_name", "pk")


# 1. The admission ceremony ----------------------------------------------------------------------


def ceremonies_due(
    unit: OrgUnit | None,
    on: dt.date,
    *,
    member: int | None = None,
    rules_unit: OrgUnit | None = None,
    units: Subtree | None = None,
    among: list[int] | None = None,
) -> list[MemberRow]:
    """Probationary members whose current admission has no ceremony yet (as of `on`): the
    deadline is `ceremony_working_days` (in force on the admission day) working days after
    the admission decision; overdue from the day after it. `among`: the ids of the
    subtree's probationary members, when read already (probationary_ids)."""
    province = _province(rules_unit or unit, on)
    rule = "ceremony_working_days"

    def build(qs: MemberQuerySet) -> QuerySet:
        qs = qs.filter(last_admitted_on__lte=on).filter(
            Q(ceremony_on__isnull=True) | Q(ceremony_on__gt=on)
        )
        n = value_by_date(rule, "last_admitted_on", province)
        rows = with_deadline(qs, name="deadline", start="last_admitted_on", n=n)
        return rows.order_by(*_ORDER).values(*_FIELDS, "last_admitted_on", "deadline")

    key = ("development.ceremonies", tuple(steps(rule, province)))
    rows = _rows(Among(unit, member, units, among), on, key, build)
    return _member_rows(rows, "last_admitted_on", on)


# 2. Probation ending soon -----------------------------------------------------------------------


def probations_ending(
    unit: OrgUnit | None,
    on: dt.date,
    *,
    days: int | None = PROBATION_NOTICE_DAYS,
    member: int | None = None,
    units: Subtree | None = None,
    among: list[int] | None = None,
) -> list[MemberRow]:
    """Probationary members whose probation ends after `on` and at most `days` days later
    (None: any time later). The day it ends, the member moves to the review list."""

    def build(qs: MemberQuerySet) -> QuerySet:
        qs = qs.filter(ceremony_on__lte=on, probation_ends_on__gt=on)
        if days is not None:
            qs = qs.filter(probation_ends_on__lte=on + dt.timedelta(days=days))
        return qs.order_by("probation_ends_on", "search_name", "pk").values(
            *_FIELDS, "ceremony_on", deadline=F("probation_ends_on")
        )

    rows = _rows(Among(unit, member, units, among), on, ("development.probations", days), build)
    return [
        MemberRow(x["pk"], x["full_name"], x["code"], x["cell_id"], x["ceremony_on"], x["deadline"])
        for x in rows
    ]


# 3. The cell's review for official membership ---------------------------------------------------


def reviews_due(
    unit: OrgUnit | None,
    on: dt.date,
    *,
    member: int | None = None,
    rules_unit: OrgUnit | None = None,
    units: Subtree | None = None,
    among: list[int] | None = None,
) -> tuple[list[MemberRow], list[MemberRow]]:
    """Probationary members whose probation has ended by `on`: (not yet voted on, with the
    deadline `review_working_days` working days after the probation ended, by the rules in
    force that day; voted but the decision not yet made, as of `on`)."""
    province = _province(rules_unit or unit, on)
    rule = "review_working_days"

    def build(qs: MemberQuerySet) -> QuerySet:
        votes = OfficialReview.objects.filter(
            member=OuterRef("pk"), vote_on__gte=OuterRef("probation_ends_on"), vote_on__lte=on
        )
        decided = votes.filter(decision_on__isnull=False, decision_on__lte=on)
        qs = (
            qs.filter(probation_ends_on__lte=on)
            .exclude(Exists(decided))
            .annotate(voted_on=Subquery(votes.order_by("-vote_on", "-pk").values("vote_on")[:1]))
        )
        n = value_by_date(rule, "probation_ends_on", province)
        listed = with_deadline(qs, name="deadline", start="probation_ends_on", n=n)
        return listed.order_by(*_ORDER).values(
            *_FIELDS, "probation_ends_on", "deadline", "voted_on"
        )

    key = ("development.reviews", tuple(steps(rule, province)))
    rows = _member_rows(
        _rows(Among(unit, member, units, among), on, key, build), "probation_ends_on", on
    )
    waiting = [r for r in rows if r.voted_on is None]
    decisions = [r for r in rows if r.voted_on is not None]
    for r in decisions:
        r.overdue = False  # the cell has voted: what remains is the committee's decision
    return waiting, decisions


def candidate_history(candidate: Candidate, limit: int = 200) -> list[AuditEvent]:
    """What was done to the candidacy, newest first: its steps, then the admission decision
    and the ceremony, which are written on the member's record (and about it)."""
    events = audit.about([candidate])
    if candidate.member_id is not None:
        member = Member(pk=candidate.member_id)
        events = events | audit.about([member]).filter(kind__in=(ADMITTED, CEREMONY))
    return list(events[:limit])
