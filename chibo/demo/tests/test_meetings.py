"""The demo's meetings: rosters, votes and counts recomputed from the raw rows with the same
code the meetings services use."""

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.utils import timezone

from chibo import rules
from chibo.demo.reset import demo_wipe
from chibo.meetings import services as s
from chibo.meetings.compliance.compliance import compliance_report, parse_period
from chibo.meetings.models import Attendance, Kind, Meeting, Presence, State, Vote
from chibo.members.models import IN_PARTY, Member, Placement, PlacementKind, Status
from chibo.org.models import CELL_KINDS, CellType, OrgUnit
from chibo.rules.models import RuleVersion

from .test_generate import run_demo

FIRST_MONTH = dt.date(2025, 6, 1)  # twelve months before AS_OF's month (June 2026)
LAST_DAY = dt.date(2026, 5, 31)


@pytest.fixture
def demo(db) -> None:
    run_demo()


def meetings_digest() -> str:
    code = dict(OrgUnit.all_objects.values_list("pk", "code"))
    member = dict(Member.all_objects.values_list("pk", "code"))
    parts = [
        sorted(
            (
                code[m.cell_id],
                m.kind,
                m.planned_at,
                m.state,
                m.started_at,
                m.ended_at,
                m.resolution,
                m.combined,
                m.topic,
                m.note,
            )
            for m in Meeting.objects.all()
        ),  # fmt: skip
        sorted(
            (code[a.meeting.cell_id], a.meeting.planned_at, member[a.member_id], a.presence)
            for a in Attendance.objects.select_related("meeting")
        ),
        sorted((v.votes_for, v.counted, v.passed) for v in Vote.objects.all()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_twelve_months_of_believable_meetings(demo):
    meetings = list(Meeting.objects.select_related("cell"))
    days = [m.day for m in meetings]
    assert min(days) >= FIRST_MONTH and max(days) <= LAST_DAY
    cells = OrgUnit.objects.filter(kind__in=CELL_KINDS)
    by_kind = Counter(m.kind for m in meetings)
    held = [m for m in meetings if m.state in (State.HELD, State.ADOPTED)]
    # Most cells hold most months; some miss some.
    monthly = {
        (m.cell_id, m.day.year, m.day.month)
        for m in held
        if m.kind == Kind.REGULAR or (m.kind == Kind.THEMATIC and m.combined)
    }
    assert 0.85 * 12 * cells.count() < len(monthly) < 12 * cells.count()
    assert by_kind[Kind.THEMATIC] >= 3 * cells.count()
    assert any(m.combined for m in meetings)
    assert all(m.topic for m in meetings if m.kind == Kind.THEMATIC)
    # Times: evenings in villages, daytime elsewhere.
    for m in held:
        start, end = timezone.localtime(m.started_at), timezone.localtime(m.ended_at)
        if m.cell.cell_type in (CellType.RURAL, CellType.URBAN):
            assert dt.time(19) <= start.time() <= dt.time(19, 40), m
            assert end.time() <= dt.time(22, 30), m
        else:
            assert dt.time(7) <= start.time() <= dt.time(16), m
        assert m.resolution.startswith("NGHỊ QUYẾT CHI BỘ") or "NGHỊ QUYẾT" in m.resolution
    # Length: mostly long enough once 42-HD/BTCTW is in force, some not.
    judged = [s.long_enough(m) for m in held if s.minimum_minutes(m) is not None]
    assert judged and 0.8 < sum(judged) / len(judged) < 1
    # Attendance 80-100 % overall.
    present = expected = 0
    for m in held:
        t = s.turnout(m)
        present, expected = present + t.present, expected + t.expected
    assert 0.8 < present / expected < 1
    absences = Counter(Attendance.objects.values_list("presence", flat=True))
    assert absences[Presence.EXCUSED] and absences[Presence.UNEXCUSED]
    assert not absences[""]


def test_every_roster_is_the_placements_of_that_day(demo):
    in_party = [st.value for st in IN_PARTY]
    meetings = Meeting.objects.exclude(state=State.CANCELLED).prefetch_related("roster")
    assert meetings.exists()
    for m in meetings:
        day = m.day
        placed = Placement.objects.active_on(day).filter(
            unit_id=m.cell_id, kind=PlacementKind.OFFICIAL
        )
        members = (
            Member.objects.filter(pk__in=placed.values("member_id"))
            .with_status(day)
            .filter(status__in=in_party)
        )
        want = {(x.pk, x.status == Status.OFFICIAL, x.exempt, False, False) for x in members}
        got = {(a.member_id, a.official, a.exempt, a.away, a.hosted) for a in m.roster.all()}
        assert got == want, m
        assert all(a.presence for a in m.roster.all())
        assert all(a.reason for a in m.roster.all() if a.presence == Presence.EXCUSED)


def test_votes_are_what_the_services_compute(demo):
    votes = Vote.objects.select_related("meeting", "meeting__cell")
    assert votes.count() == Meeting.objects.exclude(state=State.CANCELLED).count()
    for v in votes:
        m = v.meeting
        assert v.on_resolution and v.kind == "ordinary"
        assert v.counted == s.counted_for_vote(m), m
        assert v.passed == s.vote_passes(
            kind=v.kind, votes_for=v.votes_for, counted=v.counted, on=m.day, cell=m.cell
        )
        voters = m.roster.filter(official=True, presence=Presence.PRESENT, away=False).count()
        assert v.votes_for + v.votes_against + v.abstained <= voters
        if m.state == State.ADOPTED:
            assert v.passed and m.adopted_at is not None


def test_meetings_are_repeatable(demo):
    first = meetings_digest()
    national = set(RuleVersion.objects.filter(province__isnull=True).values_list("pk", flat=True))
    demo_wipe()
    # The national rules are not demo data: a reset keeps them.
    assert set(RuleVersion.objects.values_list("pk", flat=True)) == national
    run_demo()
    assert meetings_digest() == first


def test_compliance_report_runs_on_the_demo(demo):
    province = OrgUnit.objects.get(parent__isnull=True)
    report = compliance_report(province, parse_period("2026-Q1"))
    assert len(report.cells) == OrgUnit.objects.filter(kind__in=CELL_KINDS).count()
    assert report.totals["monthly"].met > report.totals["monthly"].judged / 2
    assert rules.at(dt.date(2026, 1, 1)).meeting_min_minutes == 90
