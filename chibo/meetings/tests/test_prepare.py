"""Preparing a meeting: the agenda from the template in force (national or the province's),
edited per meeting; documents posted to members; the draft resolution; chair and minute-taker."""

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from chibo.accounts.models import Role
from chibo.meetings import reminders as NoticeKind
from chibo.meetings import services as s
from chibo.meetings.models import AgendaItem, AgendaTemplate, Kind, MeetingDocument, Section
from chibo.meetings.services import prepare
from chibo.meetings.services.prepare import ItemChange
from chibo.meetings.tests.test_views import DAY, _all_present, at, frozen, url  # noqa: F401
from chibo.members.models import PlacementKind
from chibo.members.services import placement_create
from chibo.notices.models import Notice
from chibo.testing import factories as f

NATIONAL_ITEMS = 13  # Hướng dẫn 12-HD/BTCTW, seeded by migration meetings 0005


@pytest.fixture
def meeting(world, cast):
    return s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY), place="Nhà", actor=None
    )


def pdf(name="tai-lieu.pdf", size=2000) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * size, content_type="application/pdf")


# Templates ------------------------------------------------------------------------------------


def test_agenda_starts_from_the_national_template(world, meeting):
    items = prepare.agenda_of(meeting)
    assert len(items) == NATIONAL_ITEMS and all(i.pk is None for i in items)
    assert [i.order for i in items] == list(range(1, NATIONAL_ITEMS + 1))
    sections = [i.section for i in items]
    assert sections == sorted(sections, key=[s.value for s in Section].index)
    assert items[0].title == "Thu đảng phí"  # dues first (12-HD)
    assert not AgendaItem.objects.exists()  # nothing is written until the agenda changes


def test_province_template_applies_from_its_date_only(world, cast, meeting):
    items = [
        {"section": "opening", "title": "Chào cờ"},
        {"section": "content", "title": "Nội dung chuyên đề của tỉnh"},
        {"section": "closing", "title": "Bế mạc"},
    ]
    prepare.template_add(
        province=world.province,
        effective_from=DAY + dt.timedelta(days=1),
        source="Hướng dẫn 05-HD/TU",
        items=items,
        actor=cast.province_officer,
    )
    assert len(prepare.agenda_of(meeting)) == NATIONAL_ITEMS  # the day before: national
    later = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY + dt.timedelta(days=30)), actor=None
    )
    assert [i.title for i in prepare.agenda_of(later)] == [i["title"] for i in items]
    # Another province's cells keep the national template.
    other_province = f.unit("province", name="Tỉnh khác", code="T02")
    other_cell = f.unit("cell", f.unit("base_committee", other_province, code="Y01"), code="Y1")
    elsewhere = s.meeting_create(
        cell=other_cell, kind=Kind.REGULAR, planned_at=at(DAY + dt.timedelta(days=30)), actor=None
    )
    assert len(prepare.agenda_of(elsewhere)) == NATIONAL_ITEMS


@pytest.mark.parametrize(
    "items, message",
    [
        ([], "at least one item"),
        ([{"section": "closing", "title": "A"}, {"section": "opening", "title": "B"}], "in order"),
        ([{"section": "nope", "title": "A"}], "choose the part"),
        ([{"section": "opening", "title": "  "}], "write what the item is"),
    ],
)
def test_template_refuses_bad_items(world, cast, items, message):
    with translation.override("en"), pytest.raises(ValidationError) as e:
        prepare.template_add(
            province=world.province,
            effective_from=DAY,
            source="x",
            items=items,
            actor=cast.province_officer,
        )
    assert message in " ".join(e.value.messages)
    assert not AgendaTemplate.objects.filter(province=world.province).exists()


def test_only_a_province_sets_a_template(world, cast):
    with translation.override("en"), pytest.raises(ValidationError, match="Only a province"):
        prepare.template_add(
            province=world.base,
            effective_from=DAY,
            source="x",
            items=[{"section": "opening", "title": "A"}],
            actor=cast.base_officer,
        )


def test_templates_page(world, cast, en):  # noqa: F811
    page = url("agenda_templates", world.province.pk)
    data = {
        "effective_from": "01/01/2027",
        "source": "Hướng dẫn 05-HD/TU",
        "opening": "Chào cờ\n\nBáo cáo số đảng viên có mặt",
        "content": "Thông tin thời sự",
        "closing": "Thông qua nghị quyết",
    }
    r = en(cast.province_officer).get(page)
    assert (
        r.status_code == 200
        and "Hướng dẫn 12-HD/BTCTW" in r.text
        and 'id="template-form"' in r.text
    )
    province_viewer = f.user(username="pv", grants=[(Role.VIEWER, world.province)])
    r = en(province_viewer).get(page)
    assert r.status_code == 200 and 'id="template-form"' not in r.text
    assert en(province_viewer).post(page, data).status_code == 403
    assert en(cast.base_officer).get(page).status_code == 404  # the province is above its scope
    assert en(cast.base_officer).post(page, data).status_code == 404
    assert en(cast.province_officer).get(url("agenda_templates", world.base.pk)).status_code == 403
    r = en(cast.province_officer).post(page, data)
    assert r.status_code == 302
    t = AgendaTemplate.objects.get(province=world.province)
    assert t.effective_from == dt.date(2027, 1, 1)
    assert [(i["section"], i["title"]) for i in t.items] == [
        ("opening", "Chào cờ"),
        ("opening", "Báo cáo số đảng viên có mặt"),
        ("content", "Thông tin thời sự"),
        ("closing", "Thông qua nghị quyết"),
    ]
    r = en(cast.province_officer).post(page, data)  # same date again
    assert r.status_code == 422 and "already has a template from that date" in r.text


# A meeting's agenda ---------------------------------------------------------------------------


def test_agenda_edit_keeps_order_and_ids(world, meeting):
    items = prepare.agenda_of(meeting)
    prepare.agenda_save(meeting=meeting, version=meeting.version, changes=[], actor=None)
    saved = list(meeting.agenda.all())
    assert [i.title for i in saved] == [i.title for i in items]
    first, second = saved[0], saved[1]
    changes = [
        ItemChange(first.pk, "opening", "Thu đảng phí tháng 12", notes="Thu đủ 12/12 đồng chí"),
        ItemChange(second.pk, "opening", second.title, delete=True),
        ItemChange(None, "opening", "Chào cờ"),
    ]
    meeting.refresh_from_db()
    prepare.agenda_save(meeting=meeting, version=meeting.version, changes=changes, actor=None)
    after = list(meeting.agenda.all())
    assert len(after) == NATIONAL_ITEMS  # one removed, one added
    assert [a.order for a in after] == list(range(1, NATIONAL_ITEMS + 1))
    assert after[0].pk == first.pk and after[0].notes == "Thu đủ 12/12 đồng chí"
    assert after[1].title == "Chào cờ"
    assert second.pk not in {a.pk for a in after}
    # The rest kept their order after the rows given.
    assert [a.pk for a in after[2:]] == [i.pk for i in saved[2:]]


def test_agenda_refuses_disorder_stale_and_locked(world, meeting):
    with translation.override("en"), pytest.raises(ValidationError, match="in order"):
        prepare.agenda_save(
            meeting=meeting,
            version=meeting.version,
            changes=[
                ItemChange(None, "closing", "Bế mạc"),
                ItemChange(None, "opening", "Khai mạc"),
            ],
            actor=None,
        )
    meeting.refresh_from_db()
    assert not meeting.agenda.exists()  # atomic: nothing half-written
    with translation.override("en"), pytest.raises(ValidationError, match="Someone else"):
        prepare.agenda_save(meeting=meeting, version=meeting.version - 1, changes=[], actor=None)


def test_agenda_form_on_the_page(world, cast, en, meeting):  # noqa: F811
    page = url("detail", meeting.pk)
    r = en(cast.secretary).get(page)
    assert r.status_code == 200 and 'id="agenda-form"' in r.text and "Thu đảng phí" in r.text
    data = {"version": meeting.version}
    for n, item in enumerate(prepare.agenda_of(meeting)):
        data.update({f"pk_{n}": "", f"section_{n}": item.section, f"title_{n}": item.title})
    data.update({"section_13": "closing", "title_13": "Hát Quốc tế ca"})
    r = en(cast.secretary).post(url("agenda", meeting.pk), data)
    assert r.status_code == 302
    assert list(meeting.agenda.values_list("title", flat=True))[-1] == "Hát Quốc tế ca"
    assert meeting.agenda.count() == NATIONAL_ITEMS + 1
    assert en(cast.viewer).post(url("agenda", meeting.pk), data).status_code == 403
    assert en(cast.outsider).post(url("agenda", meeting.pk), data).status_code == 404
    data["section_0"] = "closing"
    data["version"] = meeting.version + 1  # as saved
    r = en(cast.secretary).post(url("agenda", meeting.pk), data)
    assert r.status_code in (302, 422)


# Draft resolution, chair and minute-taker -----------------------------------------------------


def test_draft_resolution_before_the_meeting_then_locked(world, cast, meeting):
    prepare.resolution_draft(
        meeting=meeting, version=meeting.version, text="Dự thảo nghị quyết", actor=None
    )
    meeting.refresh_from_db()
    assert meeting.resolution == "Dự thảo nghị quyết" and meeting.state == "planned"
    m = _all_present(frozen(meeting))
    s.meeting_hold(
        meeting=m,
        version=m.version,
        started_at=at(DAY),
        ended_at=at(DAY, 21, 30),
        resolution=m.resolution + " (sửa tại hội nghị)",
        actor=None,
    )
    m.refresh_from_db()
    assert m.resolution == "Dự thảo nghị quyết (sửa tại hội nghị)"
    m.state = "adopted"  # adoption itself: test_services
    m.save(update_fields=["state"])
    m.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError, match="locked"):
        prepare.resolution_draft(meeting=m, version=m.version, text="x", actor=None)


def test_chair_and_minute_taker_are_members_of_the_cell(world, cast, meeting):
    with translation.override("en"), pytest.raises(ValidationError) as e:
        prepare.officers_set(
            meeting=meeting,
            version=meeting.version,
            chair=world.member2,
            minute_taker=None,
            actor=None,
        )
    assert "not in the cell" in str(e.value)
    meeting.refresh_from_db()
    secretary = cast.secretary.member
    prepare.officers_set(
        meeting=meeting,
        version=meeting.version,
        chair=secretary,
        minute_taker=world.member,
        actor=None,
    )
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.minute_taker) == (secretary, world.member)


def test_minutes_name_the_chair_and_minute_taker_and_the_agenda_notes(world, cast, meeting):
    prepare.officers_set(
        meeting=meeting,
        version=meeting.version,
        chair=cast.secretary.member,
        minute_taker=world.member,
        actor=None,
    )
    meeting.refresh_from_db()
    first = prepare.agenda_of(meeting)[0]
    prepare.agenda_save(
        meeting=meeting,
        version=meeting.version,
        changes=[
            ItemChange(None, first.section, first.title, notes="Đã thu đảng phí của 2 đồng chí")
        ],
        actor=None,
    )
    m = frozen(meeting)
    s.meeting_hold(
        meeting=m, version=m.version, started_at=at(DAY), ended_at=at(DAY, 21, 30), actor=None
    )
    from django.test import Client

    client = Client()
    client.force_login(cast.secretary)
    r = client.get(reverse("documents:minutes_docx", args=[m.pk]))
    assert r.status_code == 200
    d = docx.Document(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    text = "\n".join(p.text for p in d.paragraphs)
    tables = "\n".join(cell.text for t in d.tables for row in t.rows for cell in row.cells)
    assert "Chủ trì: đồng chí Phạm Văn Bí Thư; thư ký: đồng chí Nguyễn Văn Hùng." in text
    # The agenda item, numbered, with its notes under it.
    assert "1. Thu đảng phí\nĐã thu đảng phí của 2 đồng chí\n" in text
    # The signature blocks carry the names under THƯ KÝ and CHỦ TRÌ.
    assert "Nguyễn Văn Hùng" in tables and "Phạm Văn Bí Thư" in tables


# Documents ------------------------------------------------------------------------------------


def test_document_posted_read_by_members_and_notified(world, cast, en, meeting):  # noqa: F811
    # Accounts of members placed in the cell on the day: the secretary and the member (users),
    # and a member hosted on temporary transfer. A member of the cell away elsewhere is not told.
    hosted = f.member(world.cell2, full_name="Đỗ Văn Tạm")
    placement_create(
        actor=None,
        member=hosted,
        unit=world.cell,
        kind=PlacementKind.TEMPORARY,
        start=DAY - dt.timedelta(days=40),
    )
    hosted_user = f.user(username="hosted", member=hosted)
    away = f.member(world.cell, full_name="Vũ Văn Xa")
    placement_create(
        actor=None,
        member=away,
        unit=world.other_cell,
        kind=PlacementKind.TEMPORARY,
        start=DAY - dt.timedelta(days=40),
    )
    f.user(username="away", member=away)
    other = f.user(username="other", member=world.member2)  # another cell

    c = en(cast.secretary)
    r = c.post(
        url("document_post", meeting.pk),
        {"title": "Nghị quyết Trung ương", "file": pdf(), "item": "5"},
    )
    assert r.status_code == 302, r.content[:500]
    doc = MeetingDocument.objects.get()
    assert doc.agenda_item is not None and doc.agenda_item.order == 5
    assert meeting.agenda.count() == NATIONAL_ITEMS  # saved so the document has its item
    # In a test the commit hook does not run by itself; run it as the commit would.
    from chibo.meetings.reminders import documents_posted

    documents_posted(doc.pk)
    told = set(
        Notice.objects.filter(kind=NoticeKind.DOCUMENTS_POSTED).values_list(
            "user__username", flat=True
        )
    )
    assert told == {"member", hosted_user.username}  # not the poster, not away, not other cells
    assert other.username not in told

    body = en(cast.member).get(url("document", meeting.pk, doc.pk))
    assert body.status_code == 200 and body.content == bytes(doc.content)
    assert body["Content-Type"] == "application/pdf" and "attachment" in body["Content-Disposition"]
    assert en(cast.outsider).get(url("document", meeting.pk, doc.pk)).status_code == 404
    # The member's own page lists it.
    assert "Nghị quyết Trung ương" in en(cast.member).get(url("detail", meeting.pk)).text
    # A member cannot remove it; the secretary can.
    assert en(cast.member).post(url("document_remove", meeting.pk, doc.pk)).status_code == 403
    assert en(cast.viewer).post(url("document_remove", meeting.pk, doc.pk)).status_code == 403
    assert en(cast.secretary).post(url("document_remove", meeting.pk, doc.pk)).status_code == 302
    assert not MeetingDocument.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("virus.exe", b"MZ" * 10), "Post a document as"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_document_bad_files_refused(world, cast, en, meeting, upload, message):  # noqa: F811
    r = en(cast.secretary).post(url("document_post", meeting.pk), {"file": upload})
    assert r.status_code == 422 and message in r.text
    assert not MeetingDocument.objects.exists()


def test_document_too_large(world, cast, meeting, monkeypatch):
    monkeypatch.setattr(prepare, "MAX_DOCUMENT_BYTES", 1000)
    with translation.override("en"), pytest.raises(ValidationError, match="at most"):
        prepare.document_post(meeting=meeting, upload=pdf(size=1001), actor=cast.secretary)
    assert not MeetingDocument.objects.exists()


def test_documents_timely_against_the_rule(world, cast, meeting):
    doc = prepare.document_post(meeting=meeting, upload=pdf(), actor=cast.secretary)
    # Posted 2 days before (42-HD: at least 1 day).
    doc.posted_at = at(DAY - dt.timedelta(days=2), 8)
    doc.save(update_fields=["posted_at"])
    t = prepare.documents_timely(meeting)
    assert t == {"days": 1, "ahead": 2, "ok": True}
    doc.posted_at = at(DAY, 8)
    doc.save(update_fields=["posted_at"])
    t = prepare.documents_timely(meeting)
    assert t == {"days": 1, "ahead": 0, "ok": False}
