"""The meeting page being built: what its sections share, each read at most once; and what the
views bind their forms with (the people who may be named, the party groups, the followers)."""

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.db import connections, router
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.forms import BaseForm
from django.http import HttpRequest

from chibo import rules
from chibo.follow.models import FollowAssignment
from chibo.meetings import access
from chibo.members.models import Placement
from chibo.org.models import Kind as UnitKind
from chibo.org.models import OrgUnit

from ..forms import QualityForm
from ..models import (
    AgendaItem,
    Attendance,
    DuesCollection,
    Guest,
    Meeting,
    MeetingDocument,
    Proposal,
    QualityScore,
    Speech,
    State,
    Task,
    TaskReview,
    Vote,
)
from ..services import quality as scoring

PAGE = "meetings/meeting_detail.html"

People = list[tuple[int, str]]


def people_of(meeting: Meeting, roster: list[Attendance] | None = None) -> People:
    """Who may be named in the record: the roster, or before it is frozen, those placed in the
    cell on the meeting day (as the services check)."""
    if roster is None:
        named = list(meeting.roster.values_list("member_id", "member__full_name"))
    else:
        named = [(r.member_id, r.member.full_name) for r in roster]
    if named:
        return named
    rows = (
        Placement.objects.active_on(meeting.day)
        .filter(unit_id=meeting.cell_id)
        .select_related("member")
        .order_by("member__search_name", "member_id")
    )
    return list(dict.fromkeys((p.member_id, p.member.full_name) for p in rows))


def groups_of(meeting: Meeting) -> People:
    rows = OrgUnit.objects.filter(parent_id=meeting.cell_id, kind=UnitKind.PARTY_GROUP)
    return [(g.pk, g.name) for g in rows.order_by("sort_name", "pk")]


def follows_of(meeting: Meeting) -> list[FollowAssignment]:
    """The followers assigned to the cell on the meeting day, for the guest list."""
    rows = FollowAssignment.objects.active_on(meeting.day).filter(cell_id=meeting.cell_id)
    return list(rows.select_related("follower"))


def scoring_rules(meeting: Meeting) -> rules.Rules | None:
    """The rules of the meeting day, only for a meeting that is or was scored (held)."""
    if meeting.state not in (State.HELD, State.ADOPTED):
        return None
    return rules.at(meeting.day, meeting.cell)


def part_labels() -> dict[str, str]:
    return {k: str(v) for k, v in scoring.PART_LABELS.items()}


def quality_form(r: rules.Rules | None, data=None, **kw: Any) -> QualityForm:
    parts = (r.quality_max if r else None) or {}
    return QualityForm(data, parts=parts, labels=part_labels(), **kw)


# The meeting id in the counts' SQL as compiled once: no meeting has it.
_MARK = -731_053_117
_COUNTS: dict[str, tuple[str, tuple[Any, ...], int]] = {}


def _counts_sql(alias: str) -> tuple[str, tuple[Any, ...], int]:
    """The SQL of Page.counts, compiled once per database (a dozen subqueries took the ORM
    about 7 ms to build and compile on every page), and where the meeting's id goes in its
    parameters."""
    vendor = connections[alias].vendor
    if vendor not in _COUNTS:

        def rows(model, **where: Any) -> Coalesce:
            found = (
                model.objects.filter(meeting=OuterRef("pk"), **where)
                .order_by()
                .values("meeting")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(found), 0)

        groups = OrgUnit.objects.filter(parent_id=OuterRef("cell_id"), kind=UnitKind.PARTY_GROUP)
        total = QualityScore.objects.filter(meeting=OuterRef("pk")).values("total")
        counted = {
            "agenda": rows(AgendaItem),
            "documents": rows(MeetingDocument),
            "roster": rows(Attendance),
            "unmarked": rows(Attendance, presence=""),
            "guests": rows(Guest),
            "votes": rows(Vote),
            "votes_passed": rows(Vote, passed=True),
            "reviews": rows(TaskReview),
            "tasks": rows(Task),
            "speeches": rows(Speech),
            "dues": rows(DuesCollection),
            "proposals": rows(Proposal),
        }
        flags = {f"n_{name}": value for name, value in counted.items()}
        query = (
            Meeting.all_objects.filter(pk=_MARK)
            .annotate(**flags, has_groups=Exists(groups), score_total=Subquery(total))
            .values(*flags, "has_groups", "score_total")
            .query
        )
        sql, params = query.get_compiler(using=alias).as_sql()
        assert list(params).count(_MARK) == 1, params
        _COUNTS[vendor] = (sql, tuple(params), list(params).index(_MARK))
    return _COUNTS[vendor]


class Page:
    """One meeting page being built: what its sections share, each read at most once.

    `forms`: forms sent back with their errors, by their name in the context. `whole`: the
    whole page is built; one query then says which parts of the record have rows, and the
    page reads only those (its query count stays small and flat)."""

    def __init__(
        self,
        request: HttpRequest,
        pk: int,
        *,
        whole: bool,
        forms: dict[str, BaseForm] | None = None,
        can_write: bool | None = None,
    ) -> None:
        self.request = request
        self.whole = whole
        self.forms = forms or {}
        if can_write is not None:
            self.can_write = can_write
        # Read again, not taken from the view: a change just saved moved the version.
        self.meeting = Meeting.objects.select_related(
            "cell", "prepares", "adopted_by", "chair", "minute_taker"
        ).get(pk=pk)

    @cached_property
    def can_write(self) -> bool:
        return access.can_write_meeting(self.request.user, self.meeting)

    @cached_property
    def roster(self) -> list[Attendance]:
        # Onto the meeting itself: turnout, counts and the rating read meeting.roster.
        rows = Attendance.objects.select_related("member")
        prefetch_related_objects([self.meeting], Prefetch("roster", queryset=rows))
        return list(self.meeting.roster.all())

    @cached_property
    def ancestors(self) -> list[OrgUnit]:
        return list(self.meeting.cell.ancestors())

    @cached_property
    def province_id(self) -> int | None:
        return next((u.pk for u in self.ancestors if u.kind == UnitKind.PROVINCE), None)

    @cached_property
    def people(self) -> People:
        # The roster's rows when a section has read them, else only the names (a lighter read).
        return people_of(self.meeting, self.__dict__.get("roster"))

    @cached_property
    def groups(self) -> People:
        return groups_of(self.meeting) if self.has("groups") else []

    @cached_property
    def record_open(self) -> bool:
        return self.meeting.state != State.CANCELLED and not self.meeting.locked

    @cached_property
    def counts(self) -> dict[str, Any]:
        """How many rows each part of the meeting has (and whether the cell has party groups,
        and the score's total), in one query: the summaries of the folded parts, and which
        parts are worth reading (most meetings have few parts filled)."""
        alias = router.db_for_read(Meeting)
        sql, compiled, where = _counts_sql(alias)
        params = [*compiled[:where], self.meeting.pk, *compiled[where + 1 :]]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            row = dict(zip(names, cursor.fetchone(), strict=True))
        return {key.removeprefix("n_"): value for key, value in row.items()}

    @property
    def score_total(self) -> int | None:
        return self.counts["score_total"]

    def has(self, part: str) -> bool:
        """Worth reading? One section alone just reads its rows."""
        if not self.whole:
            return True
        return bool(self.counts["has_groups" if part == "groups" else part])

    def form(self, name: str, shown: bool, make: Callable[[], BaseForm]) -> BaseForm | None:
        """The form a section offers: the one sent back with its errors, else a new one; None
        when the section does not offer it (a form not on the page is not built)."""
        if not shown:
            return None
        return self.forms.get(name) or make()

    @property
    def version(self) -> dict[str, int]:
        return {"version": self.meeting.version}
