"""The preparation endpoints: agenda, officers, draft resolution, documents, templates."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.meetings import services as s
from chibo.meetings.models import AgendaTemplate, Kind, MeetingDocument
from chibo.meetings.services import prepare
from chibo.meetings.tests.test_views import DAY, at
from chibo.testing.api import EN, call

NATIONAL_ITEMS = 13


@pytest.fixture
def meeting(world, cast):
    return s.meeting_create(cell=world.cell, kind=Kind.REGULAR, planned_at=at(DAY), actor=None)


def test_agenda_read_and_save(world, cast, client_for, meeting):
    path = f"/meetings/{meeting.pk}/agenda"
    r = call(client_for(cast.member), "GET", path)  # a member reads the agenda
    assert r.status_code == 200
    body = r.json()
    assert body["template"]["source"].startswith("Hướng dẫn 12-HD/BTCTW")
    assert len(body["items"]) == NATIONAL_ITEMS and body["items"][0]["id"] is None
    assert call(client_for(cast.outsider), "GET", path).status_code == 404
    items = [
        {"section": "opening", "title": "Khai mạc"},
        {"section": "content", "title": "Quán triệt nghị quyết", "notes": "Đồng chí Bí thư"},
        {"section": "closing", "title": "Bế mạc"},
    ]
    payload = {"version": meeting.version, "items": items}
    assert call(client_for(cast.member), "PUT", path, payload).status_code == 403
    assert call(client_for(cast.viewer), "PUT", path, payload).status_code == 403
    r = call(client_for(cast.secretary), "PUT", path, payload)
    assert r.status_code == 200, r.json()
    saved = list(meeting.agenda.values_list("section", "title", "notes"))
    assert saved == [
        ("opening", "Khai mạc", ""),
        ("content", "Quán triệt nghị quyết", "Đồng chí Bí thư"),
        ("closing", "Bế mạc", ""),
    ]
    assert r.json()["template"] is None and r.json()["meeting_version"] == meeting.version + 1
    r = call(client_for(cast.secretary), "PUT", path, payload)  # the old version again
    assert r.status_code == 409
    bad = {"version": meeting.version + 1, "items": list(reversed(items))}
    r = call(client_for(cast.secretary), "PUT", path, bad)
    assert r.status_code == 422 and "in order" in r.text
    assert meeting.agenda.count() == 3


def test_officers_and_draft(world, cast, client_for, meeting):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/officers"
    r = call(c, "PUT", path, {"version": meeting.version, "chair": world.member2.pk})
    assert r.status_code == 422 and "not in the cell" in r.text
    r = call(c, "PUT", path, {"version": meeting.version, "chair": world.member.pk})
    assert r.status_code == 200 and r.json()["chair"] == world.member.pk
    meeting.refresh_from_db()
    assert meeting.chair_id == world.member.pk and meeting.minute_taker_id is None
    r = call(
        c,
        "PUT",
        f"/meetings/{meeting.pk}/resolution",
        {"version": meeting.version, "resolution": "Dự thảo"},
    )
    assert r.status_code == 200
    meeting.refresh_from_db()
    assert meeting.resolution == "Dự thảo"


def test_documents(world, cast, client_for, meeting):
    c = client_for(cast.secretary)
    path = f"/meetings/{meeting.pk}/documents"
    upload = SimpleUploadedFile("ke-hoach.docx", b"PK\x03\x04" + b"0" * 100)
    r = c.post(f"/api/v1{path}", {"file": upload, "title": "Kế hoạch", "item": 6}, headers=EN)
    assert r.status_code == 201, r.content
    doc = MeetingDocument.objects.get()
    assert (
        doc.agenda_item.order == 6
        and doc.size == 104
        and r.json()["agenda_item"] == doc.agenda_item_id
    )
    listed = call(client_for(cast.member), "GET", path).json()
    assert [d["id"] for d in listed] == [doc.pk]
    got = client_for(cast.member).get(f"/api/v1{path}/{doc.pk}")
    assert got.status_code == 200 and got.content == b"PK\x03\x04" + b"0" * 100
    bad = SimpleUploadedFile("x.bat", b"echo")
    r = c.post(f"/api/v1{path}", {"file": bad}, headers=EN)
    assert r.status_code == 422 and "Post a document as" in r.text
    assert call(client_for(cast.viewer), "DELETE", f"{path}/{doc.pk}").status_code == 403
    assert call(c, "DELETE", f"{path}/{doc.pk}").status_code == 204
    assert not MeetingDocument.objects.exists()


def test_templates(world, cast, client_for):
    payload = {
        "province": world.province.pk,
        "effective_from": "2027-01-01",
        "source": "Hướng dẫn 05-HD/TU",
        "items": [{"section": "opening", "title": "Khai mạc"}],
    }
    assert (
        call(client_for(cast.base_officer), "POST", "/agenda-templates", payload).status_code == 404
    )
    r = call(client_for(cast.province_officer), "POST", "/agenda-templates", payload)
    assert r.status_code == 201
    t = AgendaTemplate.objects.get(province=world.province)
    assert t.items == [{"section": "opening", "title": "Khai mạc"}]
    rows = call(client_for(cast.province_officer), "GET", "/agenda-templates").json()
    assert {row["province"] for row in rows} == {None, world.province.pk}
    rows = call(client_for(cast.outsider), "GET", "/agenda-templates").json()
    assert {row["province"] for row in rows} == {None}  # another base: not the province's
    later = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(dt.date(2027, 1, 5)), actor=None
    )
    assert [i.title for i in prepare.agenda_of(later)] == ["Khai mạc"]
