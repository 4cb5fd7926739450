"""The demo's meetings: rosters, votes and counts recomputed from the raw rows with the same
code the meetings services use."""

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.utils import timezone

from chibo import rules
from chibo.accounts.demo import SECRETARY
from chibo.demo.reset import demo_wipe
from chibo.meetings import services as s
from chibo.meetings.compliance.queries import compliance_report, parse_period
from chibo.meetings.models import (
    Attendance,
    Kind,
    Meeting,
    Outcome,
    Presence,
    QualityScore,
    State,
    Task,
    TaskReview,
    TaskStatus,
    Vote,
)
from chibo.meetings.services import quality
from chibo.members.models import IN_PARTY, Member, Placement, PlacementKind, Status
from chibo.org.models import CELL_KINDS, CellType, OrgUnit
from chibo.rules.models import RuleVersion
from chibo.testing.demo import AS_OF, run_demo

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
        sorted(
            (
                code[t.cell_id],
                t.meeting.planned_at,
                member[t.member_id],
                t.text,
                t.due_on,
                t.status,
                [(r.meeting.planned_at, r.outcome, r.note) for r in t.reviews.all()],
            )
            for t in Task.objects.select_related("meeting").prefetch_related("reviews__meeting")
        ),  # fmt: skip
        sorted(
            (code[q.meeting.cell_id], q.meeting.planned_at, sorted(q.points.items()), q.total)
            for q in QualityScore.objects.select_related("meeting")
        ),
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
    flags = Counter()
    for m in meetings:
        day = m.day
        on_day = Placement.objects.active_on(day)
        home = set(
            on_day.filter(unit_id=m.cell_id, kind=PlacementKind.OFFICIAL).values_list(
                "member_id", flat=True
            )
        )
        hosted = set(
            on_day.filter(unit_id=m.cell_id, kind=PlacementKind.TEMPORARY).values_list(
                "member_id", flat=True
            )
        )
        away = set(
            on_day.filter(kind=PlacementKind.TEMPORARY, member_id__in=home)
            .exclude(unit_id=m.cell_id)
            .values_list("member_id", flat=True)
        )
        members = (
            Member.objects.filter(pk__in=home | hosted).with_status(day).filter(status__in=in_party)
        )
        want = {
            (x.pk, x.status == Status.OFFICIAL, x.exempt, x.pk in away, x.pk not in home)
            for x in members
        }
        got = {(a.member_id, a.official, a.exempt, a.away, a.hosted) for a in m.roster.all()}
        assert got == want, m
        flags.update((a.away, a.hosted) for a in m.roster.all())
        assert all(a.presence for a in m.roster.all())
        assert all(a.reason for a in m.roster.all() if a.presence == Presence.EXCUSED)
        assert all(a.presence == Presence.EXCUSED for a in m.roster.all() if a.away)
    # Members on temporary transfer show on both sides: away at home, hosted where they went.
    assert flags[(True, False)] and flags[(False, True)]


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


def test_tasks_are_reviewed_at_the_next_meetings_of_their_cell(demo):
    held = [State.HELD, State.ADOPTED]
    meetings = {m.pk: m for m in Meeting.objects.filter(state__in=held).prefetch_related("roster")}
    by_cell: dict[int, list[Meeting]] = {}
    for m in sorted(meetings.values(), key=lambda m: m.planned_at):
        by_cell.setdefault(m.cell_id, []).append(m)
    tasks = list(Task.objects.prefetch_related("reviews"))
    assert tasks
    statuses = Counter(t.status for t in tasks)
    assert statuses[TaskStatus.DONE] > len(tasks) / 2
    assert statuses[TaskStatus.LATE] and statuses[TaskStatus.DROPPED] and statuses[TaskStatus.OPEN]
    outcomes = Counter(TaskReview.objects.values_list("outcome", flat=True))
    assert outcomes[Outcome.CARRIED]
    for t in tasks:
        given = meetings[t.meeting_id]
        assert t.cell_id == given.cell_id and t.member_id is not None and t.group_id is None
        assert given.kind == Kind.REGULAR or given.combined
        assert t.member_id in {a.member_id for a in given.roster.all()}, t
        assert given.day + dt.timedelta(days=21) <= t.due_on <= given.day + dt.timedelta(days=28)
        cell = by_cell[t.cell_id]
        after = cell[cell.index(given) + 1 :]
        reviews = sorted(t.reviews.all(), key=lambda r: meetings[r.meeting_id].planned_at)
        # Reviewed at the next held meetings of its own cell, one after the other, carried
        # over at all but the last; without a later meeting the task stays open.
        assert [r.meeting_id for r in reviews] == [m.pk for m in after[: len(reviews)]], t
        assert all(r.outcome == Outcome.CARRIED for r in reviews[:-1])
        if not reviews or reviews[-1].outcome == Outcome.CARRIED:
            assert t.status == TaskStatus.OPEN
            assert len(after) == len(reviews), t  # nobody has reviewed it since
        else:
            assert t.status == reviews[-1].outcome
    # Every monthly meeting with members gives 1-3 tasks.
    given = Counter(t.meeting_id for t in tasks)
    assert set(given.values()) <= {1, 2, 3}


def test_quality_scores_follow_the_rules_of_the_day(demo):
    held = Meeting.objects.filter(state__in=[State.HELD, State.ADOPTED])
    scores = list(QualityScore.objects.select_related("meeting", "meeting__cell", "filled_by"))
    assert 0.7 * held.count() < len(scores) < held.count()
    ratings = Counter()
    for q in scores:
        m = q.meeting
        assert m.state in (State.HELD, State.ADOPTED)
        r = rules.at(m.day, m.cell)
        assert r.quality_max is not None
        assert set(q.points) == set(r.quality_max)
        assert all(0 <= q.points[p] <= most for p, most in r.quality_max.items()), q
        assert q.total == sum(q.points.values())
        assert q.filled_by.username == SECRETARY.username
        # Confirmed only by the follower who attended (the personas' cell, see below).
        assert (
            q.confirmed_by_id is None
            or q.meeting.guests.filter(follow__follower=q.confirmed_by).exists()
        )
        expected = quality.rating(q.total, r)
        ratings[expected] += 1
        # meeting_rating reads the same rule; only poor attendance takes Tốt down to Khá.
        got = quality.meeting_rating(m)
        assert got == expected or (expected == "good" and got == "fair"), q
    totals = sorted(q.total for q in scores)
    in_band = sum(1 for x in totals if 75 <= x <= 95)
    assert in_band > 0.6 * len(totals) and totals[0] < 75
    assert ratings["good"] and ratings["fair"] and ratings["average"]


def test_the_follower_persona_follows_the_personas_cell(demo):
    from chibo.accounts.models import User
    from chibo.follow.models import FollowAssignment
    from chibo.meetings.models import Guest, QualityScore
    from chibo.meetings.queries import member_tasks, scores_to_confirm

    follower = User.objects.get(username="follower")
    secretary = User.objects.get(username="secretary")
    cell_id = secretary.grants.get().unit_id
    assignments = FollowAssignment.objects.filter(follower=follower)
    # The secretary's cell and two other cells of the same commune.
    cells = OrgUnit.objects.filter(pk__in=assignments.values("cell_id"))
    assert cell_id in {c.pk for c in cells} and len(cells) == 3
    assert len({c.parent_id for c in cells}) == 1
    assignment = assignments.get(cell_id=cell_id)
    attended = set(Guest.objects.filter(follow=assignment).values_list("meeting_id", flat=True))
    confirmed = set(
        QualityScore.objects.filter(confirmed_by=follower).values_list("meeting_id", flat=True)
    )
    scored = QualityScore.objects.filter(meeting__cell_id=assignment.cell_id).count()
    # Attends two meetings in three of those scored; confirmed all but the last, which waits.
    assert len(attended) == scored - scored // 3
    waiting = [m.pk for m in scores_to_confirm(follower)]
    assert confirmed | set(waiting) == attended and len(waiting) == 1
    last = Meeting.objects.filter(pk__in=attended).order_by("-planned_at").first()
    assert last is not None and waiting == [last.pk]
    # The member persona has an open task to see on their home page.
    member = User.objects.get(username="member")
    tasks = [t for t in member_tasks(member.member_id, AS_OF) if t.status == TaskStatus.OPEN]
    assert len(tasks) == 1 and tasks[0].cell_id == cell_id
