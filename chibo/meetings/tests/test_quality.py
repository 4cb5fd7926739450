import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from chibo import rules
from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.meetings import services as s
from chibo.meetings.models import Guest, Kind, Meeting, Presence, QualityScore, Rating
from chibo.meetings.services import quality as q
from chibo.org.models import Kind as UnitKind
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f

DAY = dt.date(2026, 3, 5)
MAX = {"preparation": 15, "attendance": 20, "conduct": 45, "closing": 20}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # messages are asserted in English
        yield


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


def points(total: int) -> dict[str, int]:
    """Spread `total` over the parts, filling each in turn."""
    out = {}
    for part, most in MAX.items():
        out[part] = min(most, total)
        total -= out[part]
    assert total == 0
    return out


def held(cell, day=DAY, absent=(), kind=Kind.REGULAR) -> Meeting:
    """A meeting held on `day`: the roster frozen, `absent` maps members to their presence,
    everyone else on the roster present."""
    topic = "Học tập và làm theo Bác" if kind == Kind.THEMATIC else ""
    m = s.meeting_create(cell=cell, kind=kind, planned_at=at(day), topic=topic, actor=None)
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for row in m.roster.all():
        presence = dict(absent).get(row.member, Presence.PRESENT)
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence=presence, reason="ốm", actor=None
        )
    s.meeting_hold(meeting=m, version=v(m), started_at=at(day), ended_at=at(day, 21), actor=None)
    return m


def scored(cell, total, day=DAY, actor=None, **kw) -> Meeting:
    m = held(cell, day, **kw)
    q.quality_score_set(meeting=m, version=v(m), points=points(total), actor=actor)
    return m


@pytest.fixture
def cell(world):
    """A fresh cell of three official members (nobody else on its roster)."""
    c = f.unit(UnitKind.CELL, world.other_base)
    for _ in range(3):
        f.member(c)
    return c


@pytest.mark.parametrize(
    "total,expected",
    [
        (90, Rating.GOOD),
        (89, Rating.FAIR),
        (70, Rating.FAIR),
        (69, Rating.AVERAGE),
        (50, Rating.AVERAGE),
        (49, Rating.POOR),
    ],
)
def test_rating_at_the_boundaries(cell, cast, total, expected):
    m = scored(cell, total, actor=cast.secretary)
    score = QualityScore.objects.get(meeting=m)
    assert score.total == total and score.points == points(total)
    assert q.rating(total, rules.at(DAY, cell)) == expected
    assert q.meeting_rating(m) == expected
    assert q.meeting_is_good(m) is (expected == Rating.GOOD)


@pytest.mark.parametrize(
    "given,message",
    [
        ({**MAX, "preparation": 16}, "preparation: give from 0 to 15 points."),
        ({**MAX, "conduct": 46}, "conduct of the meeting: give from 0 to 45 points."),
        ({**MAX, "closing": -1}, "closing: give from 0 to 20 points."),
        ({**MAX, "attendance": "20"}, "attendance: give from 0 to 20 points."),
        ({k: x for k, x in MAX.items() if k != "closing"}, "closing: give from 0 to 20"),
        ({**MAX, "bonus": 5}, "Unknown part of the score: bonus."),
    ],
)
def test_a_part_outside_its_range_is_refused(cell, cast, given, message):
    m = held(cell)
    with pytest.raises(ValidationError) as e:
        q.quality_score_set(meeting=m, version=v(m), points=given, actor=cast.secretary)
    assert message in e.value.messages[0]
    assert not QualityScore.objects.exists()


def test_scoring_needs_a_rule_in_force(cell, cast):
    m = held(cell, dt.date(2018, 7, 5))  # the day before the scoring rules took effect
    with pytest.raises(ValidationError, match="No rule for scoring meetings was in force on 05/07"):
        q.quality_score_set(meeting=m, version=v(m), points=MAX, actor=cast.secretary)
    ok = held(cell, dt.date(2018, 7, 6))
    assert q.quality_score_set(meeting=ok, version=v(ok), points=MAX, actor=cast.secretary)


def test_a_province_override_counts_from_its_effective_date(world, cell, cast):
    RuleVersion.objects.create(
        effective_from=dt.date(2026, 6, 1),
        source="Hướng dẫn của Tỉnh ủy (thử)",
        province=world.province,
        values={"quality_good": 85},
    )
    before = scored(cell, 87, dt.date(2026, 5, 31), actor=cast.secretary)
    on_the_day = scored(cell, 87, dt.date(2026, 6, 1), actor=cast.secretary)
    assert q.meeting_rating(before) == Rating.FAIR
    assert q.meeting_rating(on_the_day) == Rating.GOOD
    # Another province keeps the national threshold.
    other_province = f.unit(UnitKind.PROVINCE)
    far_cell = f.unit(UnitKind.CELL, f.unit(UnitKind.BASE_COMMITTEE, other_province))
    f.member(far_cell)
    elsewhere = scored(far_cell, 87, dt.date(2026, 6, 1), actor=cast.secretary)
    assert q.meeting_rating(elsewhere) == Rating.FAIR


def test_a_good_meeting_needs_attendance_over_the_share_and_no_unexcused_absence(world, cast):
    big = f.unit(UnitKind.CELL, world.other_base)
    people = [f.member(big) for _ in range(20)]
    # 17 of 20 present is 85%, not over it: the score is in the Tốt band, the meeting is Khá.
    at_share = scored(
        big, 95, absent=dict.fromkeys(people[:3], Presence.EXCUSED), actor=cast.secretary
    )
    assert s.turnout(at_share).share == rules.at(DAY, big).good_meeting_attendance
    assert q.meeting_rating(at_share) == Rating.FAIR and not q.meeting_is_good(at_share)
    over = scored(
        big,
        95,
        dt.date(2026, 4, 2),
        absent=dict.fromkeys(people[:2], Presence.EXCUSED),
        actor=cast.secretary,
    )
    assert q.meeting_is_good(over)
    unexcused = scored(
        big, 95, dt.date(2026, 5, 7), absent={people[0]: Presence.UNEXCUSED}, actor=cast.secretary
    )
    assert q.meeting_rating(unexcused) == Rating.FAIR


MONTHS = [dt.date(2026, month, 5) for month in range(1, 13)]


@pytest.mark.parametrize(
    "totals,expected,good",
    [
        ([95] * 7 + [75] * 5, Rating.GOOD, 7),  # exactly 7 good, all fair or better
        ([95] * 6 + [75] * 6, Rating.FAIR, 6),  # one good meeting short
        ([95] * 7 + [75] * 4 + [60], Rating.AVERAGE, 7),  # one average meeting
        ([95] * 11 + [49], Rating.POOR, 11),
    ],
)
def test_year_rating(cell, cast, totals, expected, good):
    for day, total in zip(MONTHS, totals, strict=True):
        scored(cell, total, day, actor=cast.secretary)
    # Left out: a cancelled meeting, and a thematic meeting scored poorly.
    extra = s.meeting_create(
        cell=cell, kind=Kind.REGULAR, planned_at=at(dt.date(2026, 6, 20)), actor=None
    )
    s.meeting_cancel(meeting=extra, version=v(extra), reason="Bão", actor=None)
    scored(cell, 10, dt.date(2026, 6, 25), kind=Kind.THEMATIC, actor=cast.secretary)
    year = q.year_rating(cell=cell, year=2026)
    assert (year.rating, year.meetings, year.good, year.unscored) == (expected, 12, good, 0)
    assert q.year_rating(cell=cell, year=2025).rating is None  # no meeting that year


def test_a_year_with_an_unscored_meeting_is_not_rated(cell, cast):
    for day in MONTHS[:7]:
        scored(cell, 95, day, actor=cast.secretary)
    held(cell, MONTHS[7])
    year = q.year_rating(cell=cell, year=2026)
    assert (year.rating, year.meetings, year.unscored) == (None, 8, 1)


def test_the_superior_follower_confirms_and_a_new_score_clears_it(cell, cast):
    m = scored(cell, 92, actor=cast.secretary)
    with pytest.raises(ValidationError, match="superior follower who attended"):
        q.quality_confirm(meeting=m, actor=cast.follower)
    # A follower guest typed by name is not an assignment: nobody may confirm yet.
    Guest.objects.create(meeting=m, name="Đ/c Lan", role="Đảng ủy viên", follower=True)
    with pytest.raises(ValidationError, match="someone other than who gave it"):
        q.quality_confirm(meeting=m, actor=cast.secretary)
    with pytest.raises(ValidationError, match="Only the superior follower assigned"):
        q.quality_confirm(meeting=m, actor=cast.follower)
    assignment = f.follow(m.cell, cast.follower)
    with pytest.raises(ValidationError, match="Only the superior follower assigned"):
        q.quality_confirm(meeting=m, actor=cast.follower)  # assigned but not recorded there
    s.guest_add(meeting=m, version=v(m), follow=assignment, actor=None)
    with pytest.raises(ValidationError, match="Only the superior follower assigned"):
        q.quality_confirm(meeting=m, actor=cast.viewer)  # reads the cell, not its follower
    score = q.quality_confirm(meeting=m, actor=cast.follower)
    assert score.confirmed_by == cast.follower and score.confirmed_at is not None
    with pytest.raises(ValidationError, match="already confirmed"):
        q.quality_confirm(meeting=m, actor=cast.follower)
    score = q.quality_score_set(meeting=m, version=v(m), points=points(88), actor=cast.secretary)
    assert score.confirmed_by is None and score.history.count() == 3


def test_scoring_refused_when_not_held_adopted_or_stale(cell, cast):
    planned = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)
    with pytest.raises(ValidationError, match="Only a held meeting is scored"):
        q.quality_score_set(meeting=planned, version=v(planned), points=MAX, actor=cast.secretary)
    m = held(cell, dt.date(2026, 4, 2))
    seen = v(m)
    q.quality_score_set(meeting=m, version=seen, points=points(80), actor=cast.secretary)
    with pytest.raises(ValidationError) as e:
        q.quality_score_set(meeting=m, version=seen, points=points(95), actor=cast.secretary)
    assert e.value.code == "stale"
    assert QualityScore.objects.get(meeting=m).total == 80  # the first save stands
    s.meeting_adopt(meeting=m, version=v(m), actor=cast.secretary)
    # Confirmation is not part of the minutes: it may follow the adoption.
    Guest.objects.create(
        meeting=m, name="Đ/c Lan", role="x", follower=True, follow=f.follow(m.cell, cast.follower)
    )
    assert q.quality_confirm(meeting=m, actor=cast.follower).confirmed_by == cast.follower


def test_the_score_is_changed_after_adoption_and_kept_in_the_history(cell, cast):
    m = held(cell, dt.date(2026, 4, 2))
    q.quality_score_set(meeting=m, version=v(m), points=points(80), actor=cast.secretary)
    s.meeting_adopt(meeting=m, version=v(m), actor=cast.secretary)
    Guest.objects.create(
        meeting=m, name="Đ/c Lan", role="x", follower=True, follow=f.follow(m.cell, cast.follower)
    )
    q.quality_confirm(meeting=m, actor=cast.follower)
    before_events = AuditEvent.objects.count()
    score = q.quality_score_set(meeting=m, version=v(m), points=points(93), actor=cast.secretary)
    # The change stands, clears the confirmation of the old numbers, and the minutes stay adopted.
    m.refresh_from_db()
    assert (m.state, score.total, score.confirmed_by) == ("adopted", 93, None)
    # History: given (80), confirmed, changed (93) by the secretary, marked as after adoption.
    rows = list(score.history.order_by("history_date", "history_id"))
    assert [r.total for r in rows] == [80, 80, 93]
    assert rows[-1].history_user == cast.secretary
    assert rows[-1].history_change_reason == "after adoption"
    assert rows[0].history_change_reason is None
    event = AuditEvent.objects.order_by("pk").last()
    assert AuditEvent.objects.count() == before_events + 1
    assert event.kind == q.SCORED_AFTER_ADOPTION
    assert event.facts == {"total": 93, "max": 100, "before": 80}
    assert str(audit.sentence(event)) == (
        "Quality score changed after the minutes were adopted: 93 of 100 points (before: 80)"
    )


def test_adopted_unscored_meetings_made_the_old_way_become_scorable(cell, cast):
    """Before this change adoption came first and locked the score out; such meetings (adopted
    in the app, or brought in from the paper book as adopted) are scored now."""
    in_app = held(cell, dt.date(2026, 4, 2))
    s.meeting_adopt(meeting=in_app, version=v(in_app), actor=cast.secretary)
    from_book = held(cell, dt.date(2026, 5, 7))
    s.meeting_record_adopted(meeting=from_book, version=v(from_book), actor=cast.secretary)
    for m in (in_app, from_book):
        assert m.locked and not QualityScore.objects.filter(meeting=m).exists()
        q.quality_score_set(meeting=m, version=v(m), points=points(91), actor=cast.secretary)
    assert QualityScore.objects.filter(meeting__in=[in_app, from_book], total=91).count() == 2
    # The year's rating, unrated while they had no score, now counts them.
    assert q.year_rating(cell=cell, year=2026).unscored == 0


def test_a_rated_year_closes_its_scores(cell, cast):
    """The year is rated once it is over and every regular meeting held in it has a
    confirmed score; until then scores change, after it they are refused."""
    last_year = [dt.date(2025, 10, 2), dt.date(2025, 11, 6)]
    meetings = [scored(cell, 92, day, actor=cast.secretary) for day in last_year]
    assignment = f.follow(cell, cast.follower)
    after = dt.date(2026, 1, 2)
    assert not q.year_closed(cell=cell, year=2025, today=after)  # none confirmed yet
    for m in meetings:
        s.guest_add(meeting=m, version=v(m), follow=assignment, actor=None)
        q.quality_confirm(meeting=m, actor=cast.follower)
    assert not q.year_closed(cell=cell, year=2025, today=dt.date(2025, 12, 31))  # not over
    assert q.year_closed(cell=cell, year=2025, today=after)
    assert q.year_closed(cell=cell, year=2025)  # today is after 2025
    assert not q.year_closed(cell=cell, year=2024, today=after)  # no meeting: nothing rated
    with pytest.raises(ValidationError, match="meetings of 2025 are rated") as e:
        q.quality_score_set(
            meeting=meetings[0], version=v(meetings[0]), points=points(50), actor=cast.secretary
        )
    assert e.value.code == "year_closed"
    assert QualityScore.objects.get(meeting=meetings[0]).total == 92
    # A thematic meeting does not keep the year open, but is closed with it.
    thematic = held(cell, dt.date(2025, 12, 10), kind=Kind.THEMATIC)
    assert q.year_closed(cell=cell, year=2025)
    with pytest.raises(ValidationError, match="meetings of 2025 are rated"):
        q.quality_score_set(
            meeting=thematic, version=v(thematic), points=points(50), actor=cast.secretary
        )
    # A regular meeting of the year left unscored keeps the year open for every score.
    held(cell, dt.date(2025, 12, 4))
    assert not q.year_closed(cell=cell, year=2025)
    q.quality_score_set(
        meeting=meetings[0], version=v(meetings[0]), points=points(50), actor=cast.secretary
    )


def test_the_conditions_say_why_a_good_score_is_rated_fair(world, cast):
    big = f.unit(UnitKind.CELL, world.other_base)
    people = sorted((f.member(big) for _ in range(20)), key=lambda p: p.pk)
    absent = {people[0]: Presence.UNEXCUSED, people[1]: Presence.UNEXCUSED}
    absent |= dict.fromkeys(people[2:4], Presence.EXCUSED)
    m = scored(big, 90, absent=absent, actor=cast.secretary)
    assert q.meeting_rating(m) == Rating.FAIR
    by_key = {c.key: c for c in q.good_conditions(m)}
    # 16 of 20 present (independent count: 20 members, 4 absent) is 80%, not over 85%.
    assert not by_key["attendance"].met
    assert by_key["attendance"].text == "Attendance 16/20 (80,00%): a good meeting needs over 85%."
    assert not by_key["unexcused"].met
    names = f"{people[0].full_name}, {people[1].full_name}"
    assert by_key["unexcused"].text == (
        f"2 members absent without reason ({names}): a good meeting has none."
    )
    good = scored(big, 90, dt.date(2026, 4, 2), actor=cast.secretary)
    assert [c.met for c in q.good_conditions(good)] == [True, True]
    assert q.meeting_rating(good) == Rating.GOOD
    assert q.good_conditions(good)[0].text == (
        "Attendance 20/20 (100,00%): over 85%, as a good meeting needs."
    )
    with translation.override("vi"):
        assert q.good_conditions(m)[0].text == (
            "Tỷ lệ dự họp 16/20 (80,00%): buổi sinh hoạt tốt cần trên 85%."
        )


def test_minutes_that_end_later_than_now_are_not_adopted(cell, cast):
    """In the app or recorded from the paper book: an end time that has not come is refused."""
    future = timezone.localdate() + dt.timedelta(days=3)
    for adopt in (s.meeting_adopt, s.meeting_record_adopted):
        m = held(cell, future)
        with pytest.raises(ValidationError, match="later than now") as e:
            adopt(meeting=m, version=v(m), actor=cast.secretary)
        assert e.value.code == "ends_in_future"
        m.refresh_from_db()
        assert m.state == "held" and m.adopted_at is None
