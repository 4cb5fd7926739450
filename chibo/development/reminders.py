"""Party development's deadlines: the notices it sends (chibo.notices), its lists on the
unit's deadline board and the member's timeline, the candidacy and reviews in the member's
history, and the daily reminders of ceremonies, probations ending and reviews overdue
(chibo.core.deadlines)."""

import dataclasses
import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from chibo.core.deadlines import (
    BOARD,
    DUE,
    HISTORY,
    REMINDERS,
    Ask,
    BoardSource,
    DueSource,
    Entry,
    HistorySource,
    Part,
    link,
)
from chibo.core.export import Column, Table
from chibo.core.formats import date as vn_date
from chibo.members.models import Member
from chibo.notices.kinds import notice_kind
from chibo.notices.services import Reminder, notify_all
from chibo.org.models import OrgUnit
from chibo.org.queries import name_cells
from chibo.org.scope import cell_officers
from chibo.org.subtree import board_units, subtree_of
from chibo.rules.calendar import working_days_after

from .models import Candidate, OfficialReview
from .queries import (
    PROBATION_NOTICE_DAYS,
    MemberRow,
    ceremonies_due,
    probationary_ids,
    probations_ending,
    reviews_due,
)

CEREMONY_SOON = notice_kind(
    "ceremony_soon",
    gettext_lazy("Admission ceremony due soon"),
    gettext_lazy("The admission ceremony of %(member)s (%(cell)s) must be held by %(deadline)s."),
)
CEREMONY_OVERDUE = notice_kind(
    "ceremony_overdue",
    gettext_lazy("Admission ceremony overdue"),
    gettext_lazy(
        "Overdue: the admission ceremony of %(member)s (%(cell)s) was due by %(deadline)s."
    ),
)
PROBATION_ENDING = notice_kind(
    "probation_ending",
    gettext_lazy("Probation ending"),
    gettext_lazy(
        "The probation of %(member)s (%(cell)s) ends on %(day)s: prepare the cell's review "
        "for official membership."
    ),
)
REVIEW_OVERDUE = notice_kind(
    "review_overdue",
    gettext_lazy("Official membership review overdue"),
    gettext_lazy(
        "Overdue: the cell's review of %(member)s (%(cell)s) for official membership was due "
        "by %(deadline)s."
    ),
)


# The deadline board and the member's timeline (chibo.core.deadlines) ----------------------------


class MemberDueOut(Schema):
    member: int = Field(validation_alias="member_id")
    full_name: str
    code: str
    cell: int | None = Field(validation_alias="cell_id")
    cell_name: str
    start: dt.date | None = Field(description="The day the deadline counts from.")
    deadline: dt.date | None = Field(description="Null when no rule was in force on `start`.")
    overdue: bool
    voted_on: dt.date | None = Field(description="Reviews: the day the cell voted.")


class MemberListOut(Schema):
    count: int
    overdue: int
    items: list[MemberDueOut]


def _overdue(rows: list[MemberRow]) -> int:
    return sum(r.overdue for r in rows)


def _listed(rows: list[MemberRow]) -> dict:
    return {"count": len(rows), "overdue": _overdue(rows), "items": rows}


def _board(ask: Ask) -> dict[str, Any]:
    units = board_units(ask)
    # The subtree's probationary members first (one query): the three lists start from
    # them, and a cell with none (most cells) asks nothing more.
    among = probationary_ids(ask.unit, ask.on, units) if ask.unit is not None else None
    if among == []:
        values: dict[str, list[MemberRow]] = dict.fromkeys(
            ("ceremonies", "probations", "reviews", "decisions"), []
        )
        return {**values, "notice_days": PROBATION_NOTICE_DAYS}
    reviews, decisions = reviews_due(ask.unit, ask.on, units=units, among=among)
    values = {
        "ceremonies": ceremonies_due(ask.unit, ask.on, units=units, among=among),
        "probations": probations_ending(ask.unit, ask.on, units=units, among=among),
        "reviews": reviews,
        "decisions": decisions,
    }
    listed = [r for rows in values.values() for r in rows]
    if not ask.name_own(listed):
        name_cells(listed)
    return {**values, "notice_days": PROBATION_NOTICE_DAYS}


def _links(values: dict[str, Any], shown: int) -> None:
    for key in ("ceremonies", "probations", "reviews", "decisions"):
        link(values[key][:shown], "members:detail", "member_id")


# The lists as sheets of the board's Excel file: the title and the names of `start` and
# `deadline` in each, in the document's Vietnamese.
SHEETS = {
    "ceremonies": ("Lễ kết nạp chưa tổ chức", "Ngày quyết định kết nạp", "Hạn tổ chức lễ"),
    "probations": ("Sắp hết thời gian dự bị", "Ngày lễ kết nạp", "Ngày hết dự bị"),
    "reviews": ("Đến hạn xét chính thức", "Ngày hết dự bị", "Hạn chi bộ xét"),
    "decisions": ("Chờ quyết định chính thức", "Ngày hết dự bị", "Hạn chi bộ xét"),
}


def _sheet(key: str):
    title, start, deadline = SHEETS[key]
    columns = [
        Column("STT", 6),
        Column("Mã đảng viên", 14),
        Column("Họ và tên", 28),
        Column("Chi bộ", 30),
        Column(start, 14),
        Column(deadline, 14),
        Column("Quá hạn", 9),
    ]
    if key == "decisions":
        columns.append(Column("Ngày chi bộ biểu quyết", 14))

    def table(rows: list[MemberRow]) -> Table:
        lines = []
        for i, r in enumerate(rows, start=1):
            line = [
                i,
                r.code,
                r.full_name,
                r.cell_name,
                r.start,
                r.deadline,
                "Có" if r.overdue else "",
            ]
            if key == "decisions":
                line.append(r.voted_on)
            lines.append(line)
        return Table(title, columns, lines)

    return table


def _part(key: str, description: str, label: Any, overdue: bool = False) -> Part:
    part = Part(
        key,
        MemberListOut,
        description,
        label=label,
        count=len,
        api=_listed,
        sheet=_sheet(key),
        title=SHEETS[key][0],
    )
    return dataclasses.replace(part, overdue=_overdue) if overdue else part


BOARD.register(
    "development",
    BoardSource(
        parts=(
            _part(
                "ceremonies", "Admission ceremonies not yet held.", gettext_lazy("Ceremonies"), True
            ),
            _part(
                "probations", "Probations ending within 30 days.", gettext_lazy("Probations ending")
            ),
            _part(
                "reviews",
                "Probation ended, the cell has not voted.",
                gettext_lazy("Reviews due"),
                True,
            ),
            _part(
                "decisions",
                "The cell has voted, the decision awaited.",
                gettext_lazy("Decisions awaited"),
            ),
        ),
        compute=_board,
        template="development/deadlines/board.html",
        order=10,
        prepare=_links,
    ),
)


def _due(member: Member, on: dt.date) -> dict[str, Any]:
    """The member's own deadlines on `on`, from the same lists as the unit's board: wherever
    the member is placed (or in transit), by the rules of their record's province."""
    home = member.home_unit
    reviews, decisions = reviews_due(None, on, member=member.pk, rules_unit=home)
    return {
        "ceremonies": ceremonies_due(None, on, member=member.pk, rules_unit=home),
        "probations": probations_ending(None, on, days=None, member=member.pk),
        "reviews": reviews,
        "decisions": decisions,
    }


DUE.register(
    "development",
    DueSource(
        parts=(
            Part("ceremonies", list[MemberDueOut]),
            Part("probations", list[MemberDueOut]),
            Part("reviews", list[MemberDueOut]),
            Part("decisions", list[MemberDueOut]),
        ),
        compute=_due,
        template="development/deadlines/due.html",
        order=10,
    ),
)


def _candidacy(member: Member) -> list[Entry]:
    c = (
        Candidate.objects.filter(member=member)
        .select_related("cell", "introducer_1", "introducer_2")
        .first()
    )
    if c is None:
        return []
    title = _("Proposed for admission by %(cell)s") % {"cell": c.cell.name}
    out = [Entry(c.proposed_on, "candidacy", title)]
    if c.class_completed_on:
        detail = ""
        if c.class_certificate:
            detail = _("Certificate %(number)s") % {"number": c.class_certificate}
        title = _("Completed the class on the Party")
        out.append(Entry(c.class_completed_on, "candidacy", title, detail))
    if c.introduced_on:
        names = [m.full_name for m in (c.introducer_1, c.introducer_2) if m is not None]
        if c.union_introduction:
            names.append(c.union_introduction)
        title = _("Introduced for admission")
        out.append(Entry(c.introduced_on, "candidacy", title, ", ".join(names)))
    if c.vote_on:
        detail = ""
        if c.votes_for is not None and c.votes_eligible is not None:
            detail = _("%(for)s of %(eligible)s official members in favour") % {
                "for": c.votes_for,
                "eligible": c.votes_eligible,
            }
        out.append(Entry(c.vote_on, "candidacy", _("The cell voted on the admission"), detail))
    return out


def _reviews(member: Member) -> list[Entry]:
    out = []
    for r in OfficialReview.objects.filter(member=member).order_by("vote_on", "pk"):
        detail = _(
            "%(for)s of %(eligible)s official members in favour; the cell proposes: %(outcome)s"
        ) % {"for": r.votes_for, "eligible": r.votes_eligible, "outcome": r.get_outcome_display()}
        title = _("The cell reviewed official membership")
        out.append(Entry(r.vote_on, "review", title, detail))
        if r.decision_on:
            title = _("Decision on official membership")
            outcome = str(r.get_outcome_display())
            out.append(Entry(r.decision_on, "review", title, outcome, r.decision_number))
    return out


# Within a day, a life reads: proposed and admitted first, reviewed after placements and
# transfers (members' entries rank 10-30, badges 50).
HISTORY.register("development.candidacy", HistorySource(_candidacy, rank=0))
HISTORY.register("development.reviews", HistorySource(_reviews, rank=40))


# The daily reminders -------------------------------------------------------------------------

# A ceremony is announced this many working days before its deadline (a Chibo choice).
CEREMONY_NOTICE_WORKING_DAYS = 5
# An overdue ceremony is announced if its deadline passed at most this many days ago.
CEREMONY_OVERDUE_NOTICE_DAYS = 30


def _reminder(kind: str, row: MemberRow, users: set[int]) -> Reminder:
    assert row.deadline is not None  # only rows with a deadline are reminded of
    params = {"member": row.full_name, "cell": row.cell_name, "deadline": vn_date(row.deadline)}
    if kind == PROBATION_ENDING:
        params["day"] = params.pop("deadline")
    url = reverse("deadlines:timeline", args=[row.member_id])
    return Reminder(kind, f"{kind}:{row.member_id}:{row.deadline:%Y%m%d}", users, params, url)


def deadline_reminders(today: dt.date) -> int:
    """Tell the cell's secretaries and the base committee's office about ceremonies due
    within a few working days or overdue, probations ending within 30 days and official
    reviews overdue, in every tree (each with its own province's rules). Each notice is
    keyed by (kind, member, deadline): a deadline that moves (a new regulation, a corrected
    date) is a new thing to know. Returns the notices created."""
    soon = working_days_after(today, CEREMONY_NOTICE_WORKING_DAYS)
    # A ceremony overdue for longer was most likely held but never entered (members recorded
    # before Chibo kept ceremonies): the board lists it, the daily job does not call it news.
    late_since = today - dt.timedelta(days=CEREMONY_OVERDUE_NOTICE_DAYS)
    ceremonies: list[MemberRow] = []
    probations: list[MemberRow] = []
    reviews: list[MemberRow] = []
    # One pass per tree (its own rules), each starting from the tree's units: the job reads
    # every placement once, whatever the number of trees.
    for root in OrgUnit.objects.filter(parent__isnull=True):
        units = subtree_of(root, today)
        ceremonies += [
            r
            for r in ceremonies_due(root, today, units=units)
            if r.deadline is not None and late_since <= r.deadline <= soon
        ]
        probations += probations_ending(root, today, units=units)
        reviews += [r for r in reviews_due(root, today, units=units)[0] if r.overdue]
    everything = [*ceremonies, *probations, *reviews]
    name_cells(everything)
    audience = cell_officers({r.cell_id for r in everything if r.cell_id}, on=today)
    reminders: list[Reminder] = []
    for kind, rows in (
        (CEREMONY_SOON, [r for r in ceremonies if not r.overdue]),
        (CEREMONY_OVERDUE, [r for r in ceremonies if r.overdue]),
        (PROBATION_ENDING, probations),
        (REVIEW_OVERDUE, reviews),
    ):
        reminders += [_reminder(kind, r, audience.get(r.cell_id or 0, set())) for r in rows]
    return notify_all(reminders)


REMINDERS.register("development", deadline_reminders)
