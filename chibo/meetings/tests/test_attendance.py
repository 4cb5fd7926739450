"""Attendance in a few taps: everyone not yet marked at once (exempt members as exempt), then
the exceptions row by row, each row saved on change and labelled with the member's name."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from chibo.core.pages import is_stale
from chibo.meetings import services as s
from chibo.meetings.models import Attendance, Kind, Meeting, Presence
from chibo.meetings.services.attendance import ALL_MARKED, EXEMPT_REASON, attendance_mark_all
from chibo.members import services as ms
from chibo.members.models import EventKind
from chibo.testing import factories as f

from .events import check, no_event, the_event

DAY = dt.date(2026, 12, 10)
HX = {"HX-Request": "true"}


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


@pytest.fixture
def meeting(world) -> Meeting:
    """A frozen roster: Hùng, the secretary's member, five more, and one exempt member."""
    others = [f.member(world.cell) for _ in range(5)]
    exempt = f.member(world.cell, full_name="Võ Văn Miễn")
    ms.event_create(actor=None, member=exempt, kind=EventKind.EXEMPTED, date=dt.date(2025, 1, 1))
    planned = timezone.make_aware(dt.datetime.combine(DAY, dt.time(19, 30)))
    m = s.meeting_create(cell=world.cell, kind=Kind.REGULAR, planned_at=planned, actor=None)
    s.roster_freeze(meeting=m, version=m.version, actor=None)
    m.refresh_from_db()
    assert m.roster.filter(exempt=True).count() == 1 and len(others) == 5
    return m


def marks(m: Meeting) -> dict[str, tuple[str, str]]:
    return {r.member.full_name: (r.presence, r.reason) for r in m.roster.select_related("member")}


def test_everyone_not_marked_is_marked_at_once(world, cast, meeting):
    m = meeting
    s.attendance_mark(
        meeting=m, version=m.version, member=world.member, presence="unexcused", actor=None
    )
    m.refresh_from_db()
    before = marks(m)
    rows, event = the_event(
        lambda: attendance_mark_all(meeting=m, version=m.version, actor=cast.secretary)
    )
    after = marks(m)
    exempt = Attendance.objects.get(meeting=m, exempt=True).member.full_name
    hung = world.member.full_name
    # Counted here from the rows as they were: the marked one kept, the exempt one exempt.
    assert after[hung] == before[hung] == (Presence.UNEXCUSED, "")
    assert after[exempt] == (Presence.EXCUSED, EXEMPT_REASON)
    present = [n for n, (p, _r) in after.items() if p == Presence.PRESENT]
    assert sorted(present) == sorted(set(before) - {hung, exempt})
    check(
        event,
        ALL_MARKED,
        actor=cast.secretary,
        obj=(Meeting, m.pk),
        about=m,
        facts={"present": len(present), "exempt": 1, "away": 0},
    )
    m.refresh_from_db()
    # The exempt absentee is not expected: the turnout counts the others.
    assert (m.present_count, m.expected_count) == (len(present), len(before) - 1)
    # Each row's history says it was marked.
    row = Attendance.objects.get(meeting=m, exempt=True)
    assert row.history.first().presence == Presence.EXCUSED


def test_marking_everyone_names_the_version_and_is_done_once(cast, meeting):
    m = meeting
    with pytest.raises(ValidationError) as refused:
        no_event(lambda: attendance_mark_all(meeting=m, version=m.version - 1, actor=None))
    assert is_stale(refused.value)
    assert not m.roster.exclude(presence="").exists()  # nothing written
    attendance_mark_all(meeting=m, version=m.version, actor=None)
    m.refresh_from_db()
    with pytest.raises(ValidationError, match="marked already"), translation.override("en"):
        attendance_mark_all(meeting=m, version=m.version, actor=None)


def test_mark_all_through_the_page(world, cast, en, meeting):
    m = meeting
    target = url("attendance_all", m.pk)
    assert en(cast.outsider).post(target, {"version": m.version}).status_code == 404
    assert en(cast.viewer).post(target, {"version": m.version}).status_code == 403
    c = en(cast.secretary)
    assert c.get(target).status_code == 405
    page = c.get(url("detail", m.pk) + "?open=roster").text
    assert 'id="mark-all"' in page
    r = c.post(target, {"version": m.version}, headers=HX)
    assert r.status_code == 200 and r.text.lstrip().startswith(
        '<section aria-labelledby="roster-h"'
    )
    assert not m.roster.filter(presence="").exists()
    assert 'id="mark-all"' not in r.text  # nothing left to mark
    assert 'id="summary-roster" hx-swap-oob="true"' in r.text  # the folded line follows
    m.refresh_from_db()
    assert r["X-Meeting-Version"] == str(m.version)
    # Twice: refused in the section, with the reason.
    again = c.post(target, {"version": m.version}, headers=HX)
    assert again.status_code == 422 and "marked already" in again.text
    stale = c.post(target, {"version": m.version - 1}, headers=HX)
    assert stale.status_code == 409


def test_each_row_is_labelled_saves_on_change_and_offers_exempt(world, cast, en, meeting):
    m = meeting
    html = en(cast.secretary).get(url("detail", m.pk) + "?open=roster").text
    rows = m.roster.select_related("member")
    for r in rows:
        assert f'aria-label="Attendance: {r.member.full_name}"' in html
    forms = re.findall(r'<form [^>]*class="[^"]*attendance-form[^>]*>', html)
    assert len(forms) == len(rows) and all('hx-trigger="change, submit"' in x for x in forms)
    # The save button is there only without JS.
    assert len(re.findall(r"<noscript><button[^>]*id=\"save-", html)) == len(rows)
    assert html.count('<option value="exempt"') == 1  # only the exempt member is offered it
    exempt = m.roster.get(exempt=True)
    r = en(cast.secretary).post(
        url("attendance", m.pk, exempt.member_id),
        {"version": m.version, "presence": "exempt"},
        headers=HX,
    )
    assert r.status_code == 200
    exempt.refresh_from_db()
    assert (exempt.presence, exempt.reason) == (Presence.EXCUSED, EXEMPT_REASON)
    assert '<option value="exempt" selected>' in r.text


def test_a_refused_row_shows_what_was_chosen_and_asks_for_the_reason(world, cast, en, meeting):
    m = meeting
    r = en(cast.secretary).post(
        url("attendance", m.pk, world.member.pk),
        {"version": m.version, "presence": "excused"},
        headers=HX,
    )
    assert r.status_code == 422
    assert '<option value="excused" selected>' in r.text
    assert re.search(r'<input [^>]*name="reason"[^>]*aria-invalid="true"', r.text)
    assert m.roster.get(member=world.member).presence == ""
