"""Agenda editing one content item at a time: added before the closing items, moved up or
down among the content, removed; the opening and closing items of the template stay put."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chibo.meetings import services as s
from chibo.meetings.models import AgendaItem, Kind, MeetingDocument, Section
from chibo.meetings.services import agenda, prepare
from chibo.meetings.tests.test_views import DAY, at, url

from .events import check, no_event, the_event

HX = {"HX-Request": "true"}


@pytest.fixture
def meeting(world, cast):
    return s.meeting_create(cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)


def v(m) -> int:
    m.refresh_from_db()
    return m.version


def layout(m) -> list[tuple[str, str]]:
    return [(i.section, i.title) for i in prepare.agenda_of(m)]


def test_an_item_is_added_before_the_closing_items(cast, meeting):
    before = layout(meeting)  # the national template, not yet the meeting's own
    closing = [t for sec, t in before if sec == Section.CLOSING]
    item, event = the_event(
        lambda: agenda.agenda_item_add(
            meeting=meeting, version=v(meeting), title="  Bầu  tổ trưởng ", actor=cast.secretary
        )
    )
    after = layout(meeting)
    n = len(before) - len(closing)
    assert after == [*before[:n], (Section.CONTENT, "Bầu tổ trưởng"), *before[n:]]
    assert [i.order for i in meeting.agenda.all()] == list(range(1, len(after) + 1))
    check(
        event,
        agenda.ITEM_ADDED,
        actor=cast.secretary,
        obj=(AgendaItem, item.pk),
        about=meeting,
        facts={"title": "Bầu tổ trưởng"},
    )
    with pytest.raises(ValidationError):
        no_event(
            lambda: agenda.agenda_item_add(
                meeting=meeting, version=v(meeting), title=" ", actor=None
            )
        )


def test_content_items_move_among_themselves_only(cast, meeting):
    items = prepare.agenda_of(meeting)
    content = [i for i in items if i.section == Section.CONTENT]
    first, second = content[0], content[1]
    _, event = the_event(
        lambda: agenda.agenda_item_move(
            meeting=meeting, version=v(meeting), order=second.order, up=True, actor=None
        )
    )
    titles = [t for _, t in layout(meeting)]
    assert titles.index(second.title) == first.order - 1
    assert titles.index(first.title) == second.order - 1
    assert event.kind == agenda.ITEM_MOVED_UP and event.facts == {"title": second.title}
    # The first content item cannot go up past the opening, nor the last down into the closing.
    top = [i for i in prepare.agenda_of(meeting) if i.section == Section.CONTENT]
    with translation.override("en"):
        with pytest.raises(ValidationError, match="first among the content"):
            agenda.agenda_item_move(
                meeting=meeting, version=v(meeting), order=top[0].order, up=True, actor=None
            )
        with pytest.raises(ValidationError, match="last among the content"):
            agenda.agenda_item_move(
                meeting=meeting, version=v(meeting), order=top[-1].order, up=False, actor=None
            )
        opening = prepare.agenda_of(meeting)[0]
        with pytest.raises(ValidationError, match="stay in place"):
            agenda.agenda_item_move(
                meeting=meeting, version=v(meeting), order=opening.order, up=False, actor=None
            )


def test_a_removed_item_keeps_its_documents_unlinked(world, cast, meeting):
    items = prepare._materialise(meeting)
    content = [i for i in items if i.section == Section.CONTENT]
    doc = MeetingDocument.objects.create(
        meeting=meeting,
        agenda_item=content[0],
        title="t",
        filename="t.pdf",
        size=1,
        content=b"x",
        posted_by=cast.secretary,
    )
    _, event = the_event(
        lambda: agenda.agenda_item_remove(
            meeting=meeting, version=v(meeting), order=content[0].order, actor=cast.secretary
        )
    )
    assert event.kind == agenda.ITEM_REMOVED and event.facts == {"title": content[0].title}
    assert not AgendaItem.objects.filter(pk=content[0].pk).exists()
    doc.refresh_from_db()
    assert doc.agenda_item is None
    assert [i.order for i in meeting.agenda.all()] == list(range(1, len(items)))


def test_agenda_controls_on_the_page(world, cast, en, meeting):
    c = en(cast.secretary)
    page = c.get(url("detail", meeting.pk) + "?open=prepare").text
    content = [i for i in prepare.agenda_of(meeting) if i.section == Section.CONTENT]
    # One set of controls per content item, each button named for the item it moves.
    assert len(re.findall(r'class="d-inline-flex gap-1 agenda-controls"', page)) == len(content)
    assert f'aria-label="Move up: {content[1].title}"' in page
    assert f'aria-label="Remove: {content[0].title}"' in page
    target = url("agenda_item", meeting.pk)
    data = {"version": v(meeting), "order": content[1].order, "action": "up"}
    assert en(cast.outsider).post(target, data).status_code == 404
    assert en(cast.viewer).post(target, data).status_code == 403
    assert c.get(target).status_code == 405
    r = c.post(target, data, headers=HX)
    assert r.status_code == 200 and 'id="prepare"' in r.text and "<html" not in r.text
    assert [t for _, t in layout(meeting)].index(content[1].title) == content[0].order - 1
    # Adding: in place; refused (no title): the section again, 422, the field marked.
    add = url("agenda_add", meeting.pk)
    r = c.post(add, {"version": v(meeting), "title": "Bầu tổ trưởng"}, headers=HX)
    assert r.status_code == 200 and "Bầu tổ trưởng" in r.text
    r = c.post(add, {"version": v(meeting), "title": ""}, headers=HX)
    assert r.status_code == 422 and "<html" not in r.text
    assert re.search(r'<input [^>]*name="title"[^>]*aria-invalid="true"', r.text)
    # Without JS: back to the page.
    r = c.post(add, {"version": v(meeting), "title": "Một mục nữa"})
    assert r.status_code == 302
