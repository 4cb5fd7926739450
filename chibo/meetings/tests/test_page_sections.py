"""The meeting page built section by section: an HTMX change gets its own section back and
nothing else, builds only that section's forms and runs fewer queries than the page; the
page builds the forms it shows and no other."""

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.forms.forms import BaseForm
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chibo import rules
from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Speech
from chibo.meetings.services import record as r
from chibo.testing import factories as f

DAY = dt.date(2026, 12, 10)
HX = {"HX-Request": "true"}
# Each section of the page, by a mark only it carries.
SECTIONS = {
    "prepare": 'id="prepare"',
    "roster": 'id="roster-h"',
    "guests": 'id="guests-h"',
    "votes": 'id="votes-h"',
    "review": 'id="record-review"',
    "tasks": 'id="record-tasks"',
    "speeches": 'id="record-speeches"',
    "dues": 'id="record-dues"',
    "proposals": 'id="record-proposals"',
    "minutes": 'id="held-h"',
    "quality": 'id="record-quality"',
}


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


ALL = "?open=all"  # the page with every part open (by default most are folded)


def url(name: str, *args) -> str:
    return reverse(f"meetings:{name}", args=args)


@pytest.fixture
def built(monkeypatch) -> Counter:
    """Forms built, by class, counted where every form is built (BaseForm.__init__)."""
    counts: Counter = Counter()
    original = BaseForm.__init__

    def counting(self, *args, **kwargs):
        counts[type(self).__name__] += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(BaseForm, "__init__", counting)
    return counts


def held_meeting(cell, members, actor) -> Meeting:
    """A held meeting of the cell, everyone present, a row in every part of the record, and
    an earlier meeting's task carried to its review."""
    earlier = s.meeting_create(
        cell=cell, kind=Kind.REGULAR, planned_at=at(dt.date(2026, 11, 5)), actor=None
    )
    r.task_create(
        meeting=earlier,
        version=v(earlier),
        text="Thu quỹ",
        due_on=DAY,
        member=members[0],
        actor=None,
    )
    m = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for row in m.roster.all():
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence="present", actor=None
        )
    s.guest_add(meeting=m, version=v(m), name="Khách", role="Đảng ủy viên", actor=None)
    r.speech_add(meeting=m, version=v(m), summary="Góp ý", member=members[1], actor=None)
    r.dues_record(meeting=m, version=v(m), member=members[1], month=DAY, amount=50000, actor=None)
    r.task_create(meeting=m, version=v(m), text="x", due_on=DAY, member=members[1], actor=None)
    r.proposal_add(
        meeting=m, version=v(m), text="y", addressed_to="z", member=members[1], actor=None
    )
    r.tasks_carry_over(meeting=m, actor=None)
    s.meeting_hold(meeting=m, version=v(m), started_at=at(DAY), ended_at=at(DAY, 21), actor=None)
    m.refresh_from_db()
    return m


@pytest.fixture
def meeting(world, cast) -> Meeting:
    members = [f.member(world.cell) for _ in range(23)]  # with Hùng and the secretary: 25
    return held_meeting(world.cell, members, cast.secretary)


def _changes(m: Meeting) -> dict[str, tuple[str, Callable[[], dict]]]:
    """An HTMX change in each section that has them: its URL and its data (read late, for
    the meeting's version of the moment)."""
    speaker = m.roster.order_by("pk")[0].member_id
    task = m.task_reviews.get().task_id
    parts = rules.at(m.day, m.cell).quality_max or {}
    return {
        "review": (url("task_review", m.pk), lambda: {"task": task, "outcome": "done"}),
        "tasks": (
            url("task_create", m.pk),
            lambda: {"member": speaker, "text": "t", "due_on": "31/12/2026"},
        ),
        "speeches": (url("speech_add", m.pk), lambda: {"member": speaker, "summary": "Ý kiến"}),
        "dues": (
            url("dues_record", m.pk),
            lambda: {"member": speaker, "month": "12/2026", "amount": "50.000"},
        ),
        "proposals": (
            url("proposal_add", m.pk),
            lambda: {"source": "Dân", "text": "t", "addressed_to": "UBND"},
        ),
        "quality": (url("quality", m.pk), lambda: {f"part_{k}": 1 for k in parts}),
    }


def only_section(html: str, name: str) -> bool:
    others = [mark for other, mark in SECTIONS.items() if other != name]
    return (
        SECTIONS[name] in html
        and html.count("<section") == 1
        and "<html" not in html
        and not any(mark in html for mark in others)
    )


@pytest.mark.parametrize("section", ["review", "tasks", "speeches", "dues", "proposals", "quality"])
def test_an_htmx_change_renders_only_its_section(cast, en, meeting, section):
    c = en(cast.secretary)
    page = c.get(url("detail", meeting.pk) + ALL).text
    assert all(mark in page for mark in SECTIONS.values())  # the page has them all
    target, data = _changes(meeting)[section]
    saved = c.post(target, {"version": v(meeting), **data()}, headers=HX)
    assert saved.status_code == 200 and only_section(saved.text, section), saved.text
    assert saved["X-Meeting-Version"] == str(v(meeting))
    stale = c.post(target, {"version": 1, **data()}, headers=HX)
    assert stale.status_code == 409 and only_section(stale.text, section)
    refused = c.post(target, {"version": "x"}, headers=HX)
    assert refused.status_code == 422 and only_section(refused.text, section)
    # Without HTMX: the redirect, or the whole page with the errors, the form's part open.
    assert c.post(target, {"version": v(meeting), **data()}).status_code == 302
    page = c.post(target, {"version": "x"})
    assert page.status_code == 422 and "<html" in page.text and SECTIONS[section] in page.text


def test_carrying_tasks_and_answering_render_their_section_only(cast, en, meeting):
    c = en(cast.secretary)
    assert only_section(c.post(url("tasks_carry", meeting.pk), headers=HX).text, "review")
    proposal = meeting.proposals.get()
    answer = c.post(url("proposal_answer", meeting.pk, proposal.pk), {"answer": ""}, headers=HX)
    assert answer.status_code == 422 and only_section(answer.text, "proposals")
    follower = en(cast.follower)
    confirm = follower.post(url("quality_confirm", meeting.pk), headers=HX)
    assert confirm.status_code == 422 and only_section(confirm.text, "quality")


def _forms_shown(html: str) -> int:
    """Forms of the page's own, counted in the HTML: each has an id ending in -form."""
    return len(re.findall(r'<form [^>]*id="[a-z-]+-form"', html))


def test_the_page_builds_the_forms_it_shows_and_no_other(cast, en, meeting, built):
    page = en(cast.secretary).get(url("detail", meeting.pk) + ALL).text
    # Held: the guest, vote, hold, four record, score and five preparation forms.
    assert _forms_shown(page) == 13
    assert sum(built.values()) == 13 and set(built.values()) == {1}
    built.clear()
    page = en(cast.viewer).get(url("detail", meeting.pk) + ALL).text
    assert _forms_shown(page) == 0 and sum(built.values()) == 0


def test_a_section_builds_fewer_forms_and_queries_than_the_page(
    cast, en, meeting, built, django_assert_max_num_queries
):
    c = en(cast.secretary)
    with CaptureQueriesContext(connection) as whole:
        assert c.get(url("detail", meeting.pk) + ALL).status_code == 200
    page_forms = sum(built.values())
    speaker = meeting.roster.order_by("pk")[0].member_id
    data = {"version": v(meeting), "member": speaker, "summary": "Ý kiến"}
    built.clear()
    # Session and user, the meeting and the right to write, the people who may be named,
    # the member named, the change itself (8); then the section: the meeting again, its
    # speeches, the people for the new form, and the menu's three.
    with django_assert_max_num_queries(20) as section:
        r_ = c.post(url("speech_add", meeting.pk), data, headers=HX)
    assert r_.status_code == 200 and Speech.objects.count() == 2
    # The form sent and a new one for the next speech.
    assert built == Counter({"SpeechForm": 2}) and page_forms == 13
    assert len(section.captured_queries) < len(whole.captured_queries)
    # Refused: the section with the form sent, nothing else built.
    built.clear()
    with django_assert_max_num_queries(10):
        r_ = c.post(url("speech_add", meeting.pk), {"version": "1"}, headers=HX)
    assert r_.status_code == 422 and built == Counter({"SpeechForm": 1})


def test_a_section_does_not_grow_with_the_roster(world, cast, en):
    counts = []
    for n, cell in ((5, world.cell2), (25, world.other_cell)):
        members = [f.member(cell) for _ in range(n)]
        m = held_meeting(cell, members, cast.secretary)
        data = {"version": v(m), "member": members[2].pk, "summary": "Ý kiến"}
        with CaptureQueriesContext(connection) as ctx:
            r_ = en(cast.province_officer).post(url("speech_add", m.pk), data, headers=HX)
        assert r_.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
