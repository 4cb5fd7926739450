"""The record of a meeting and its quality score through the client: each form for the
secretary, outsiders 404, read-only roles 403 on writes, wrong methods 405, a locked meeting
refusing, stale versions, and the rating shown checked against the rule computed here."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chibo import rules
from chibo.meetings import services as s
from chibo.meetings.models import (
    DuesCollection,
    Guest,
    Kind,
    Meeting,
    Outcome,
    Proposal,
    QualityScore,
    Rating,
    Speech,
    Task,
    TaskStatus,
)
from chibo.meetings.services import quality as q
from chibo.meetings.services import record as r
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

DAY = dt.date(2026, 12, 10)
HX = {"HX-Request": "true"}


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


ALL = "?open=all"  # the page with every part open (by default most are folded)


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


@pytest.fixture
def meeting(world, cast) -> Meeting:
    m = s.meeting_create(cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    return m


def held(m: Meeting, present=True) -> Meeting:
    if present:
        for row in m.roster.all():
            s.attendance_mark(
                meeting=m, version=v(m), member=row.member, presence="present", actor=None
            )
    s.meeting_hold(
        meeting=m, version=v(m), started_at=at(m.day), ended_at=at(m.day, 21), actor=None
    )
    m.refresh_from_db()
    return m


def adopted(m: Meeting, actor) -> Meeting:
    if m.state == "planned":
        held(m)
    s.meeting_adopt(meeting=m, version=v(m), actor=actor)
    m.refresh_from_db()
    return m


# The record ------------------------------------------------------------------------------------


def test_record_forms_for_the_secretary(world, cast, en, meeting):
    c = en(cast.secretary)
    group = f.unit(UnitKind.PARTY_GROUP, world.cell, name="Tổ đảng số 1")
    page = c.get(url("detail", meeting.pk) + ALL).text
    for form in ("task-form", "speech-form", "dues-form", "proposal-form"):
        assert f'id="{form}"' in page
    assert "Tổ đảng số 1" in page
    data = {"version": v(meeting), "text": "Vận động hộ nghèo", "due_on": "31/12/2026"}
    r_ = c.post(url("task_create", meeting.pk), {**data, "member": world.member.pk})
    assert r_.status_code == 302
    r_ = c.post(url("task_create", meeting.pk), {**data, "version": v(meeting), "group": group.pk})
    assert r_.status_code == 302
    assert {(t.member, t.group) for t in Task.objects.all()} == {
        (world.member, None),
        (None, group),
    }
    both = {**data, "version": v(meeting), "member": world.member.pk, "group": group.pk}
    r_ = c.post(url("task_create", meeting.pk), both)
    assert r_.status_code == 422 and "exactly one member or one party group" in r_.text
    r_ = c.post(
        url("speech_add", meeting.pk),
        {"version": v(meeting), "speaker": "Ông Trưởng thôn", "summary": "Đề nghị làm đường"},
    )
    assert r_.status_code == 302 and Speech.objects.get().speaker == "Ông Trưởng thôn"
    dues = {
        "version": v(meeting),
        "member": world.member.pk,
        "month": "12/2026",
        "amount": "50.000",
    }
    assert c.post(url("dues_record", meeting.pk), dues).status_code == 302
    row = DuesCollection.objects.get()
    assert (row.month, row.amount, row.collected) == (dt.date(2026, 12, 1), 50000, True)
    proposal = {
        "version": v(meeting),
        "source": "Bà con xóm 3",
        "text": "Sửa cầu",
        "addressed_to": "UBND xã",
    }
    assert c.post(url("proposal_add", meeting.pk), proposal).status_code == 302
    page = c.get(url("detail", meeting.pk) + ALL).text
    assert "Vận động hộ nghèo" in page and "Đề nghị làm đường" in page and "Sửa cầu" in page
    dues_table = page.split('id="dues"')[1].split("</table>")[0]
    assert "50.000" in dues_table and "12/2026" in dues_table


def test_record_by_htmx_returns_the_section(world, cast, en, meeting):
    c = en(cast.secretary)
    data = {"version": v(meeting), "member": world.member.pk, "summary": "Góp ý"}
    r_ = c.post(url("speech_add", meeting.pk), data, headers=HX)
    assert r_.status_code == 200 and r_.text.lstrip().startswith("<section")
    assert 'id="record-speeches"' in r_.text and "Góp ý" in r_.text
    assert r_["X-Meeting-Version"] == str(v(meeting))
    # No speaker: 422 and the section with the message; nothing written.
    r_ = c.post(url("speech_add", meeting.pk), {"version": v(meeting), "summary": "x"}, headers=HX)
    assert r_.status_code == 422 and "Name the speaker" in r_.text
    assert Speech.objects.count() == 1
    # Stale: 409 and the message; nothing written.
    r_ = c.post(url("speech_add", meeting.pk), {**data, "version": 1}, headers=HX)
    assert r_.status_code == 409
    assert "Someone else changed this meeting since you opened it." in r_.text
    assert Speech.objects.count() == 1
    r_ = c.post(url("speech_add", meeting.pk), {**data, "version": 1}, follow=True)
    assert "Someone else changed this meeting" in r_.text and Speech.objects.count() == 1


def test_access_to_record_writes(world, cast, en, meeting):
    data = {"version": v(meeting), "member": world.member.pk, "summary": "Góp ý"}
    for name in (
        "speech_add",
        "task_create",
        "dues_record",
        "proposal_add",
        "task_review",
        "tasks_carry",
        "quality",
    ):
        target = url(name, meeting.pk)
        assert en(cast.outsider).post(target, data).status_code == 404, name
        assert en(cast.viewer).post(target, data).status_code == 403, name
        assert en(cast.member).post(target, data).status_code == 403, name
        assert en(cast.secretary).get(target).status_code == 405, name
    assert not Speech.objects.exists()
    assert en(cast.outsider).post(url("quality_confirm", meeting.pk)).status_code == 404
    assert en(cast.member).post(url("quality_confirm", meeting.pk)).status_code == 403
    assert en(cast.follower).get(url("quality_confirm", meeting.pk)).status_code == 405
    r_ = en(cast.viewer).get(url("detail", meeting.pk) + ALL)
    assert r_.status_code == 200 and 'id="speech-form"' not in r_.text


def test_review_of_last_months_tasks(world, cast, en, meeting):
    earlier = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(dt.date(2026, 11, 5)), actor=None
    )
    done = r.task_create(
        meeting=earlier,
        version=v(earlier),
        text="Thu quỹ",
        due_on=DAY,
        member=world.member,
        actor=None,
    )
    dropped = r.task_create(
        meeting=earlier,
        version=v(earlier),
        text="Sửa nhà văn hóa",
        due_on=DAY,
        member=world.member,
        actor=None,
    )
    c = en(cast.secretary)
    page = c.get(url("detail", meeting.pk) + ALL).text
    assert 'hx-trigger="toggle once"' in page and "Thu quỹ" not in page
    assert en(cast.viewer).post(url("tasks_carry", meeting.pk)).status_code == 403
    # Opening the section (HTMX) brings the open tasks, carried over until reviewed.
    r_ = c.post(url("tasks_carry", meeting.pk), headers=HX)
    assert r_.status_code == 200 and "Thu quỹ" in r_.text and "Sửa nhà văn hóa" in r_.text
    assert meeting.task_reviews.count() == 2
    assert c.post(url("tasks_carry", meeting.pk)).status_code == 302  # again: nothing added
    assert meeting.task_reviews.count() == 2
    review = {"version": v(meeting), "task": done.pk, "outcome": Outcome.DONE}
    assert c.post(url("task_review", meeting.pk), review, headers=HX).status_code == 200
    drop = {"version": v(meeting), "task": dropped.pk, "outcome": Outcome.DROPPED}
    r_ = c.post(url("task_review", meeting.pk), drop, headers=HX)
    assert r_.status_code == 422 and "Give the reason the task is dropped." in r_.text
    drop["note"] = "Không còn cần"
    assert c.post(url("task_review", meeting.pk), drop).status_code == 302
    done.refresh_from_db(), dropped.refresh_from_db()
    assert (done.status, dropped.status) == (TaskStatus.DONE, TaskStatus.DROPPED)
    # A task of another cell is refused.
    stranger = s.meeting_create(cell=world.cell2, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)
    other = r.task_create(
        meeting=stranger,
        version=v(stranger),
        text="x",
        due_on=DAY,
        member=world.member2,
        actor=None,
    )
    r_ = c.post(
        url("task_review", meeting.pk), {"version": v(meeting), "task": other.pk, "outcome": "done"}
    )
    assert r_.status_code == 422 and "another cell" in r_.text


def test_locked_meeting_refuses_record_but_takes_answers(world, cast, en, meeting, clock):
    proposal = r.proposal_add(
        meeting=meeting,
        version=v(meeting),
        text="Sửa cầu",
        addressed_to="UBND xã",
        member=world.member,
        actor=None,
    )
    clock(at(DAY + dt.timedelta(days=1)))  # the meeting is over: its minutes can be adopted
    m = adopted(meeting, cast.secretary)
    c = en(cast.secretary)
    page = c.get(url("detail", m.pk) + ALL).text
    assert 'id="speech-form"' not in page and 'id="dues-form"' not in page
    assert "answer-form" in page
    data = {"version": m.version, "member": world.member.pk, "summary": "Muộn"}
    r_ = c.post(url("speech_add", m.pk), data)
    assert r_.status_code == 422
    assert "The minutes of this meeting are adopted and locked" in r_.text
    r_ = c.post(url("speech_add", m.pk), data, headers=HX)
    assert r_.status_code == 422 and "adopted and locked" in r_.text
    assert not Speech.objects.exists()
    target = url("proposal_answer", m.pk, proposal.pk)
    assert en(cast.viewer).post(target, {"answer": "x"}).status_code == 403
    r_ = c.post(target, {"answer": ""}, headers=HX)
    assert r_.status_code == 422 and "This field is required." in r_.text
    r_ = c.post(target, {"answer": "Xã đã bố trí kinh phí"}, headers=HX)
    assert r_.status_code == 200 and "Xã đã bố trí kinh phí" in r_.text
    proposal.refresh_from_db()
    assert proposal.answered and proposal.answered_by == cast.secretary
    r_ = c.post(target, {"answer": "Lần nữa"})
    assert r_.status_code == 422 and "already answered" in r_.text
    assert Proposal.objects.get().answer == "Xã đã bố trí kinh phí"


# The quality score ---------------------------------------------------------------------------


def _points(maxima: dict[str, int], total: int) -> dict[str, int]:
    out = {}
    for part, most in maxima.items():
        out[part] = min(most, total)
        total -= out[part]
    return out


@pytest.mark.parametrize("total", [95, 75, 55, 30])
def test_score_and_its_rating(world, cast, en, meeting, total):
    m = held(meeting)
    rule = rules.at(m.day, m.cell)
    assert rule.quality_max
    c = en(cast.secretary)
    page = c.get(url("detail", m.pk) + ALL).text
    for part, most in rule.quality_max.items():
        assert f'name="part_{part}"' in page and f'max="{most}"' in page
    points = _points(rule.quality_max, total)
    data = {"version": m.version, **{f"part_{k}": n for k, n in points.items()}}
    r_ = c.post(url("quality", m.pk), data, headers=HX)
    assert r_.status_code == 200
    expected = q.rating(total, rule)  # everyone present: attendance does not lower it
    assert f'data-rating="{expected.value}"' in r_.text
    assert f">{expected.label}</strong>" in r_.text
    assert QualityScore.objects.get(meeting=m).total == total


def test_a_good_score_with_poor_attendance_shows_fair(world, cast, en, meeting):
    m = held(meeting, present=False)  # nobody marked present: attendance 0%
    rule = rules.at(m.day, m.cell)
    assert rule.quality_good is not None
    data = {
        "version": m.version,
        **{f"part_{k}": n for k, n in _points(rule.quality_max or {}, 100).items()},
    }
    r_ = en(cast.secretary).post(url("quality", m.pk), data)
    assert r_.status_code == 302
    assert q.rating(100, rule) == Rating.GOOD
    page = en(cast.secretary).get(url("detail", m.pk) + ALL).text
    assert f'data-rating="{Rating.FAIR.value}"' in page
    # The page says why: 100 points is Tốt's band, but nobody was marked present.
    expected = m.roster.filter(away=False, exempt=False).count()
    assert expected > 0
    assert "100 points is in the Good band, but the meeting is rated Fair" in page
    assert 'data-condition="attendance" data-met="no"' in page
    assert f"Attendance 0/{expected} (0,00%): a good meeting needs over 85%." in page
    assert 'data-condition="unexcused" data-met="yes"' in page


def test_an_adopted_unscored_meeting_is_scored_on_its_page(world, cast, en, meeting, clock):
    """Adopted the old way (before any score): the page offers the score form, says the
    change is kept in the history, and the score is saved."""
    m = held(meeting)
    clock(at(DAY + dt.timedelta(days=1)))
    m = adopted(m, cast.secretary)
    c = en(cast.secretary)
    page = c.get(url("detail", m.pk) + ALL).text
    assert 'id="quality-form"' in page and 'id="score-after-adoption"' in page
    assert "Not scored yet." in page
    maxima = rules.at(m.day, m.cell).quality_max or {}
    data = {"version": v(m), **{f"part_{k}": n for k, n in _points(maxima, 75).items()}}
    r_ = c.post(url("quality", m.pk), data, headers=HX)
    assert r_.status_code == 200 and 'id="score-total">75' in r_.text
    assert QualityScore.objects.get(meeting=m).total == 75
    # A reader sees the score but is offered no form; a reader cannot post one.
    assert 'id="quality-form"' not in en(cast.viewer).get(url("detail", m.pk) + ALL).text
    assert en(cast.viewer).post(url("quality", m.pk), data).status_code == 403


def test_the_adoption_asks_for_confirmation_with_its_warnings(world, cast, en, meeting, clock):
    m = held(meeting)
    clock(at(DAY + dt.timedelta(days=1)))
    page = en(cast.secretary).get(url("detail", m.pk) + ALL).text
    # The confirm step is on the page, closed: its button is inside <details id="adopt-step">.
    step = page[
        page.index('<details class="mt-2 border border-danger rounded p-2" id="adopt-step">') :
    ]
    step = step[: step.index("</details>")]
    assert 'id="adopt-button"' in step and "Adopt the minutes?" in step
    assert "No vote is recorded at this meeting." in step
    assert "The meeting has no quality score yet" in step
    assert "later than now" not in step
    assert 'id="adopt-step"' not in en(cast.viewer).get(url("detail", m.pk) + ALL).text


def test_score_refused_out_of_range_stale_and_locked(world, cast, en, meeting, clock):
    c = en(cast.secretary)
    rule = rules.at(DAY, world.cell)
    maxima = rule.quality_max or {}
    first = next(iter(maxima))
    data = {"version": v(meeting), **{f"part_{k}": 0 for k in maxima}}
    # Planned: not scored yet.
    r_ = c.post(url("quality", meeting.pk), data)
    assert r_.status_code == 422 and "Only a held meeting is scored." in r_.text
    m = held(meeting)
    data = {"version": m.version, **{f"part_{k}": 0 for k in maxima}, f"part_{first}": 999}
    r_ = c.post(url("quality", m.pk), data, headers=HX)
    assert r_.status_code == 422 and "less than or equal to" in r_.text
    data[f"part_{first}"] = 1
    r_ = c.post(url("quality", m.pk), {**data, "version": m.version - 1}, headers=HX)
    assert r_.status_code == 409 and "Someone else changed this meeting" in r_.text
    assert not QualityScore.objects.exists()
    assert c.post(url("quality", m.pk), data).status_code == 302
    clock(at(DAY + dt.timedelta(days=1)))  # the meeting is over: its minutes can be adopted
    m = adopted(m, cast.secretary)
    # Adopted: the score is still given and changed (until the year is rated).
    r_ = c.post(url("quality", m.pk), {**data, "version": m.version, f"part_{first}": 2})
    assert r_.status_code == 302
    assert QualityScore.objects.get().total == 2


def test_the_follower_confirms_after_adoption(world, cast, en, meeting, clock):
    m = held(meeting)
    maxima = rules.at(m.day, m.cell).quality_max or {}
    data = {"version": m.version, **{f"part_{k}": n for k, n in _points(maxima, 80).items()}}
    assert en(cast.secretary).post(url("quality", m.pk), data).status_code == 302
    clock(at(DAY + dt.timedelta(days=1)))  # the meeting is over: its minutes can be adopted
    m = adopted(m, cast.secretary)
    follower = en(cast.follower)
    assert 'id="confirm-button"' not in follower.get(url("detail", m.pk) + ALL).text
    r_ = follower.post(url("quality_confirm", m.pk), headers=HX)
    assert r_.status_code == 422 and "superior follower who attended" in r_.text
    Guest.objects.create(
        meeting=m, name="Đ/c Lan", role="x", follower=True, follow=f.follow(m.cell, cast.follower)
    )
    assert 'id="confirm-button"' in follower.get(url("detail", m.pk) + ALL).text
    assert 'id="confirm-button"' not in en(cast.secretary).get(url("detail", m.pk) + ALL).text
    assert 'id="confirm-button"' not in en(cast.viewer).get(url("detail", m.pk) + ALL).text
    r_ = follower.post(url("quality_confirm", m.pk), follow=True)
    assert "Quality score confirmed." in r_.text
    assert QualityScore.objects.get().confirmed_by == cast.follower
    r_ = follower.post(url("quality_confirm", m.pk))
    assert r_.status_code == 422 and "already confirmed" in r_.text


# The cell's year -------------------------------------------------------------------------------


def test_year_rating_on_the_cell_page(world, cast, en):
    this = timezone.localdate().year
    m = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(dt.date(this - 1, 3, 5)), actor=None
    )
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    m = held(m)
    page = en(cast.viewer).get(url("cell", world.cell.pk)).text
    assert 'id="year-ratings"' in page and f'id="year-{this}"' in page
    assert "1 meeting not scored yet" in page.split(f'id="year-{this - 1}"')[1]
    rule = rules.at(m.day, m.cell)
    q.quality_score_set(
        meeting=m, version=v(m), points=_points(rule.quality_max or {}, 60), actor=cast.secretary
    )
    expected = q.year_rating(cell=world.cell, year=this - 1).rating
    assert expected == q.rating(60, rule) == Rating.AVERAGE
    page = en(cast.viewer).get(url("cell", world.cell.pk)).text
    assert f'data-rating="{expected}"' in page.split(f'id="year-{this - 1}"')[1]


# Queries ----------------------------------------------------------------------------------------


def _queries(client, m: Meeting) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("detail", m.pk) + ALL).status_code == 200
    return len(ctx.captured_queries)


def test_record_page_queries_do_not_grow_with_the_roster(world, cast, en):
    counts = []
    for n, cell in ((5, world.cell2), (25, world.other_cell)):
        members = [f.member(cell) for _ in range(n)]
        m = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)
        s.roster_freeze(meeting=m, version=v(m), actor=None)
        for member in members:
            r.speech_add(meeting=m, version=v(m), summary="Góp ý", member=member, actor=None)
            r.dues_record(
                meeting=m, version=v(m), member=member, month=DAY, amount=50000, actor=None
            )
            r.task_create(meeting=m, version=v(m), text="x", due_on=DAY, member=member, actor=None)
            r.proposal_add(
                meeting=m, version=v(m), text="y", addressed_to="z", member=member, actor=None
            )
        m = held(m)
        rule = rules.at(m.day, m.cell)
        q.quality_score_set(
            meeting=m,
            version=v(m),
            points=_points(rule.quality_max or {}, 90),
            actor=cast.secretary,
        )
        counts.append(_queries(en(cast.province_officer), m))
    assert counts[0] == counts[1]


def test_records_name_people_not_logins(world, cast, en, meeting, clock):
    """Adopted by, amended by, confirmed by: the person's name, never their login."""
    # The secretary's account is linked to their member record (not on this meeting's roster).
    cast.secretary.member = f.member(world.cell, full_name="Phạm Thu Hà")
    cast.secretary.save(update_fields=["member"])
    cast.follower.first_name, cast.follower.last_name = "Văn Bình", "Lê"
    cast.follower.save(update_fields=["first_name", "last_name"])
    m = held(meeting)
    maxima = rules.at(m.day, m.cell).quality_max or {}
    q.quality_score_set(meeting=m, version=v(m), points=_points(maxima, 80), actor=cast.secretary)
    clock(at(DAY + dt.timedelta(days=1)))
    m = adopted(m, cast.secretary)
    s.meeting_amend(
        meeting=m,
        version=v(m),
        field="resolution",
        value="Mới",
        reason="Sai chính tả",
        actor=cast.secretary,
    )
    Guest.objects.create(
        meeting=m, name="Đ/c Bình", role="x", follower=True, follow=f.follow(m.cell, cast.follower)
    )
    q.quality_confirm(meeting=m, actor=cast.follower)
    page = en(cast.viewer).get(url("detail", m.pk) + ALL).text
    locked = page[page.index('id="locked"') :][:400]
    assert "(Phạm Thu Hà)" in locked and "(secretary)" not in locked
    amendments = page[page.index('id="amendments"') :][:600]
    assert "Phạm Thu Hà: Sai chính tả" in amendments
    confirmed = page[page.index('id="score-confirmed"') :][:300]
    assert "Confirmed by Văn Bình Lê on" in confirmed and "follower" not in confirmed
