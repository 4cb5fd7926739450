"""A member's whole life in the Party, in date order: the steps to admission, the events and
their decisions, where they took part, transfers, reviews, badges; with the status and party
age today and what is due next. A fixed number of queries however long the life."""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from chibo import rules
from chibo.badges.age import PartyAge, age_between
from chibo.badges.models import BadgeAward
from chibo.core.formats import date as vn_date
from chibo.development.models import Candidate, OfficialReview
from chibo.members.models import (
    EventKind,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    StatusPeriod,
    Transfer,
    TransferState,
    period_valid_on,
)

from .removal import unexcused_absences
from .services import (
    MemberRow,
    TaskRow,
    ceremonies_due,
    name_cells,
    open_tasks,
    probations_ending,
    reviews_due,
)


@dataclass
class Entry:
    day: dt.date
    what: str  # candidacy, event, placement, transfer, review, badge
    title: str
    detail: str = ""
    decision: str = ""


@dataclass
class Due:
    """What is due next for the member, as of the day asked."""

    ceremonies: list[MemberRow] = field(default_factory=list)
    probations: list[MemberRow] = field(default_factory=list)
    reviews: list[MemberRow] = field(default_factory=list)
    decisions: list[MemberRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    year: int = 0
    absences: int = 0  # unexcused absences from monthly meetings this year
    removal_threshold: int | None = None

    @property
    def nothing(self) -> bool:
        return not (
            self.ceremonies or self.probations or self.reviews or self.decisions or self.tasks
        )


@dataclass
class Timeline:
    member: Member
    on: dt.date
    entries: list[Entry]
    status: str
    exempt: bool
    party_age_from: dt.date | None
    party_age: PartyAge | None  # on `on`
    due: Due


def _candidacy(member: Member) -> list[Entry]:
    candidate = (
        Candidate.objects.filter(member=member)
        .select_related("cell", "introducer_1", "introducer_2")
        .first()
    )
    if candidate is None:
        return []
    c = candidate
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


def _events(member: Member) -> list[Entry]:
    out = []
    for e in MemberEvent.objects.filter(member=member).order_by("date", "pk"):
        parts = []
        if e.kind == EventKind.EXEMPTED and e.reason:
            parts.append(str(e.get_reason_display()))
        if e.end_date:
            parts.append(_("until %(day)s") % {"day": vn_date(e.end_date)})
        if e.note:
            parts.append(e.note)
        out.append(
            Entry(e.date, "event", str(e.get_kind_display()), "; ".join(parts), e.decision_number)
        )
    return out


def _placements(member: Member) -> list[Entry]:
    out = []
    moved = set(
        Transfer.objects.filter(member=member, placement__isnull=False).values_list(
            "placement_id", flat=True
        )
    )
    for p in Placement.objects.filter(member=member).select_related("unit").order_by("start"):
        official = p.kind == PlacementKind.OFFICIAL
        kind = _("Official placement") if official else _("Temporary placement")
        if p.pk not in moved:  # a received transfer says it already
            title = _("Began taking part in %(cell)s") % {"cell": p.unit.name}
            out.append(Entry(p.start, "placement", title, kind, p.letter_number))
        if p.end:
            title = _("Left %(cell)s") % {"cell": p.unit.name}
            out.append(Entry(p.end, "placement", title, kind))
    return out


def _transfers(member: Member) -> list[Entry]:
    out = []
    for t in (
        Transfer.objects.filter(member=member)
        .select_related("from_unit", "to_unit")
        .order_by("sent_on", "pk")
    ):
        names = {"from": t.from_unit.name, "to": t.to_unit.name}
        detail = str(t.get_kind_display())
        if t.state == TransferState.PENDING:
            detail += " · " + _("not yet received")
        elif t.state == TransferState.CANCELLED:
            detail += " · " + _("cancelled")
        title = _("Transfer sent from %(from)s to %(to)s") % names
        out.append(Entry(t.sent_on, "transfer", title, detail, t.letter_number))
        if t.received_on and t.state == TransferState.ACCEPTED:
            title = _("Transfer received by %(to)s") % names
            out.append(Entry(t.received_on, "transfer", title, str(t.get_kind_display())))
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


def _badges(member: Member) -> list[Entry]:
    out = []
    for b in BadgeAward.objects.filter(member=member).order_by("occasion_date", "pk"):
        title = _("Party badge for %(years)s years of party age") % {"years": b.years}
        detail = str(b.get_early_display()) if b.early else ""
        out.append(Entry(b.occasion_date, "badge", title, detail, b.decision_number))
    return out


def member_due(member: Member, on: dt.date) -> Due:
    """The member's own deadlines on `on`, from the same lists as the unit's board."""
    # Wherever the member is placed (or in transit), by the rules of their record's province.
    home = member.home_unit
    reviews, decisions = reviews_due(None, on, member=member.pk, rules_unit=home)
    due = Due(
        ceremonies=ceremonies_due(None, on, member=member.pk, rules_unit=home),
        probations=probations_ending(None, on, days=None, member=member.pk),
        reviews=reviews,
        decisions=decisions,
        tasks=open_tasks(None, on, member=member.pk, overdue_only=False),
        year=on.year,
        absences=unexcused_absences(on.year, on).filter(member=member).count(),
        removal_threshold=rules.at(on, home).removal_missed_meetings,
    )
    name_cells(due.tasks)
    return due


def member_timeline(member: Member, on: dt.date) -> Timeline:
    # Order within a day: how a life reads (a candidate is admitted, then placed, ...).
    order = {"candidacy": 0, "event": 1, "placement": 2, "transfer": 3, "review": 4, "badge": 5}
    entries = [
        *_candidacy(member),
        *_events(member),
        *_placements(member),
        *_transfers(member),
        *_reviews(member),
        *_badges(member),
    ]
    entries.sort(key=lambda e: (e.day, order[e.what]))
    period = StatusPeriod.objects.filter(period_valid_on(on), member=member).first()
    current = Member.all_objects.with_status(on).values("status", "exempt").get(pk=member.pk)
    start = period.party_age_from if period is not None else None
    return Timeline(
        member=member,
        on=on,
        entries=entries,
        status=current["status"],
        exempt=current["exempt"],
        party_age_from=start,
        party_age=age_between(start, on) if start else None,
        due=member_due(member, on),
    )


def timeline_url(member_id: int) -> str:
    return reverse("deadlines:timeline", args=[member_id])
