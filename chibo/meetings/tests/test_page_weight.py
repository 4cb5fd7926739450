"""The meeting page is short on a phone: its parts fold to one line, the one in progress is
open, a closed part ships no body (it is fetched when opened), and the page stays light and
its query count flat as the cell grows."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo import rules
from chibo.meetings import services as s
from chibo.meetings.models import Meeting, State
from chibo.meetings.services import agenda, prepare
from chibo.meetings.services import quality as q
from chibo.testing import factories as f

from .test_page_sections import DAY, HX, at, held_meeting, url, v

MOST_BYTES = 60_000


def filled(cell, n: int, actor) -> Meeting:
    """A held meeting of n + 1 members with every part filled: agenda, a document, the
    roster marked, a guest, a vote by name, the record, and the score."""
    members = [f.member(cell) for _ in range(n)]
    m = held_meeting(cell, members, actor)
    agenda.agenda_item_add(meeting=m, version=v(m), title="Bầu tổ trưởng", actor=None)
    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    prepare.document_post(meeting=m, upload=upload, title="Dự thảo", actor=actor)
    s.vote_record(
        meeting=m,
        version=v(m),
        subject="Nghị quyết",
        kind="ordinary",
        method="named",
        ballots={r.member_id: "for" for r in m.roster.all()},
        on_resolution=True,
        actor=None,
    )
    parts = rules.at(m.day, m.cell).quality_max or {}
    q.quality_score_set(meeting=m, version=v(m), points=dict(parts), actor=actor)
    m.refresh_from_db()
    return m


def test_a_45_member_meeting_page_is_light_and_folded(world, cast, en):
    m = filled(world.other_cell, 44, cast.province_officer)
    assert m.roster.count() == 45 and m.state == State.HELD
    c = en(cast.province_officer)
    page = c.get(url("detail", m.pk))
    html = page.content
    assert page.status_code == 200 and len(html) < MOST_BYTES, len(html)
    text = html.decode()
    # Every part is there as a line; the ones not in progress without their body.
    parts = re.findall(r'<details class="part[^"]*" id="part-([a-z]+)"( open)?', text)
    assert [p for p, _ in parts] == [
        "prepare",
        "roster",
        "guests",
        "votes",
        "record",
        "minutes",
        "quality",
    ]
    opened = {p for p, is_open in parts if is_open}
    assert opened == {"minutes", "record"}  # scored: the minutes are adopted next
    assert 'id="roster"' not in text and 'id="vote-form"' not in text
    assert "45/45" in text  # the attendance line, from the stored turnout
    assert 'id="bar-step"' in text and 'data-part="minutes"' in text
    # Opened, a part's body comes alone; without JS, ?open= gives the page with it open.
    body = c.get(url("detail", m.pk) + "?part=roster", headers=HX)
    assert body.status_code == 200 and 'id="roster"' in body.text and "<html" not in body.text
    assert body.text.count('attendance-form"') == 45
    whole = c.get(url("detail", m.pk) + "?open=roster").text
    assert re.search(r'id="part-roster" open', whole) and 'id="roster"' in whole


def test_the_page_reads_the_same_number_of_queries_for_5_and_45_members(world, cast, en):
    counts = []
    for n, cell in ((4, world.cell2), (44, world.other_cell)):
        m = filled(cell, n, cast.province_officer)
        c = en(cast.province_officer)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url("detail", m.pk)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    ("day", "opened"),
    [
        (DAY + dt.timedelta(days=30), {"prepare"}),  # before the day: the preparation
        (dt.date(2026, 1, 5), {"roster"}),  # the day has come: attendance
    ],
)
def test_the_part_in_progress_is_open(world, cast, en, day, opened):
    m = s.meeting_create(cell=world.cell, kind="regular", planned_at=at(day), actor=None)
    text = en(cast.secretary).get(url("detail", m.pk)).text
    parts = re.findall(r'id="part-([a-z]+)"( open)?', text)
    assert {p for p, is_open in parts if is_open} == opened


def test_refused_forms_of_the_page_come_back_in_place(world, cast, en):
    """HTMX: the form's section alone with its errors (422); saved, the section again and the
    part's folded line with it; a move reloads the whole page (its date changed)."""
    m = s.meeting_create(cell=world.cell, kind="regular", planned_at=at(DAY), actor=None)
    c = en(cast.secretary)
    cases = {
        "move": (url("move", m.pk), 'id="meeting-move"'),
        "cancel": (url("cancel", m.pk), 'id="meeting-move"'),
        "guest_add": (url("guest_add", m.pk), 'id="meeting-guests"'),
        "hold": (url("hold", m.pk), 'id="held-h"'),
        "agenda_add": (url("agenda_add", m.pk), 'id="prepare"'),
    }
    for name, (target, mark) in cases.items():
        r = c.post(target, {"version": v(m)}, headers=HX)
        assert r.status_code == 422, name
        assert mark in r.text and "<html" not in r.text and 'aria-invalid="true"' in r.text, name
    r = c.post(url("guest_add", m.pk), {"version": v(m), "name": "Khách", "role": "x"}, headers=HX)
    assert r.status_code == 200 and 'id="summary-guests" hx-swap-oob="true">· 1<' in r.text
    data = {"version": v(m), "date": "11/12/2026", "time": "19:30", "reason": "Trùng lịch"}
    r = c.post(url("move", m.pk), data, headers=HX)
    assert r.status_code == 200 and r["HX-Refresh"] == "true"


WIDGETS = re.compile(r"<(?:input|select|textarea|button)\b")


def test_the_secretarys_page_is_pinned_in_queries_and_widgets(world, cast, en):
    """The page of a held 45-member meeting as the secretary opens it, with every part open,
    and its attendance part alone: what each reads and how many controls it carries. The
    widgets of a part not open are not rendered; a count that grows is a cost that came
    back (bench/meeting_page.py measures the CPU)."""
    m = filled(world.cell, 43, cast.secretary)  # with Hùng and the secretary: 45
    assert m.roster.count() == 45
    c = en(cast.secretary)
    counts = {}
    for name, query, headers in (
        ("opens", "", {}),
        ("all", "?open=all", {}),
        ("roster", "?part=roster", HX),
    ):
        with CaptureQueriesContext(connection) as ctx:
            page = c.get(url("detail", m.pk) + query, headers=headers)
        assert page.status_code == 200
        counts[name] = (len(ctx.captured_queries), len(WIDGETS.findall(page.text)))
    # (queries, widgets). Before issue 13: 24, 39 and 8 queries.
    assert counts == {"opens": (21, 54), "all": (36, 546), "roster": (7, 270)}
