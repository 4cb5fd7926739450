"""The members API (members, events, placements, positions): figures and scope checked against
expectations computed here from raw rows, diacritic-free search, the audit of record reads,
constant query counts, bad input, and a randomized scope test. The answer of every endpoint
to anonymous, outsider and viewer is in core/tests/test_api_auth."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chibo.accounts.models import ApiToken, RecordRead, Role, RoleGrant, User
from chibo.members import services, transfers
from chibo.members.models import (
    EventKind,
    Gender,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    Position,
    PositionKind,
)
from chibo.org import services as org_services
from chibo.org.models import Kind, OrgUnit
from chibo.testing import factories as f
from chibo.testing.api import all_pages, call, fingerprint, ids


def one_error(r, field: str, msg: str) -> None:
    assert r.status_code == 422, r.content
    assert {"loc": ["body", field], "msg": msg} in [
        {"loc": e["loc"], "msg": e["msg"]} for e in r.json()["detail"]
    ], r.json()


def today() -> dt.date:
    return timezone.localdate()


# Members: lists, search and filters -----------------------------------------------------------


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("province_officer", ["member", "member2", "secretary", "other_member"]),
        ("base_officer", ["member", "member2", "secretary"]),
        ("viewer", ["member", "member2", "secretary"]),
        ("secretary", ["member", "secretary"]),
        ("member", ["member"]),
        ("outsider", ["other_member"]),
    ],
)
def test_member_list_per_persona(world, cast, client_for, persona, expected):
    secretary_member = cast.secretary.member
    people = {
        "member": world.member,
        "member2": world.member2,
        "other_member": world.other_member,
        "secretary": secretary_member,
    }
    got = ids(all_pages(client_for(getattr(cast, persona)), "/members"))
    assert got == {people[name].pk for name in expected}


@pytest.mark.parametrize(
    "q,found",
    [
        ("nguyen van hung", ["member"]),
        ("NGUYEN VAN HUNG", ["member"]),
        ("Nguyễn Văn Hùng", ["member"]),
        ("hung nguyen", ["member"]),  # every word must match, in any order
        ("dao", ["member2"]),  # "d" finds "Đ"
        ("  tran   DAO ", ["member2"]),
        ("van", ["member", "secretary"]),
        ("anh", []),  # Lê Đức Anh exists, but in another commune
        ("xyz", []),
    ],
)
def test_member_search_ignores_diacritics_and_case(world, cast, client_for, q, found):
    people = {"member": world.member, "member2": world.member2, "secretary": cast.secretary.member}
    client = client_for(cast.base_officer)
    got = ids(all_pages(client, f"/members?q={q}"))
    assert got == {people[name].pk for name in found}


def test_member_list_filters(world, cast, client_for):
    probationer = f.member(
        world.cell2,
        full_name="Võ Thị Mai",
        gender=Gender.FEMALE,
        admitted_on=dt.date(2025, 1, 10),
        official_on=None,
    )
    client = client_for(cast.base_officer)
    secretary_member = cast.secretary.member
    assert ids(all_pages(client, "/members?org=X01-CB02")) == {world.member2.pk, probationer.pk}
    assert ids(all_pages(client, "/members?org=x01")) == {
        world.member.pk,
        world.member2.pk,
        secretary_member.pk,
        probationer.pk,
    }
    assert ids(all_pages(client, "/members?org=X01-CB02&q=mai")) == {probationer.pk}
    assert call(client, "GET", "/members?org=X02").status_code == 404  # out of scope
    assert call(client, "GET", "/members?org=NOPE").status_code == 404
    assert ids(all_pages(client, "/members?status=probationary")) == {probationer.pk}
    assert probationer.pk not in ids(all_pages(client, "/members?status=official"))
    # Status on a past date: in 2012 Hùng (admitted 2015) was nobody yet.
    assert ids(all_pages(client, "/members?status=official&on=2012-01-01")) == {
        world.member2.pk,
        secretary_member.pk,
    }
    assert ids(all_pages(client, "/members?gender=female")) == {world.member2.pk, probationer.pk}
    assert ids(all_pages(client, "/members?gender=female&org=X01-CB01")) == set()
    r = call(client, "GET", "/members?status=candidate")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "status"]


def test_member_list_shows_status_and_exemption_today(world, cast, client_for):
    services.event_create(
        actor=None, member=world.member2, kind=EventKind.EXEMPTED, date=dt.date(2024, 1, 1)
    )
    gone = f.member(world.cell, full_name="Đỗ Văn Mất")
    services.event_create(
        actor=None, member=gone, kind=EventKind.DECEASED, date=dt.date(2024, 3, 1)
    )
    items = {i["id"]: i for i in all_pages(client_for(cast.base_officer), "/members")}
    assert (items[world.member2.pk]["status"], items[world.member2.pk]["exempt"]) == (
        "official",
        True,
    )
    assert (items[world.member.pk]["status"], items[world.member.pk]["exempt"]) == (
        "official",
        False,
    )
    assert items[gone.pk]["status"] == "deceased"
    # The list is a summary: contact details and identity numbers only in the audited record.
    assert items[world.member.pk] == {
        "id": world.member.pk,
        "code": world.member.code,
        "full_name": "Nguyễn Văn Hùng",
        "gender": "male",
        "birth_date": "1980-01-01",
        "home_unit": {"id": world.cell.pk, "code": "X01-CB01", "name": "Chi bộ thôn Đông"},
        "admitted_on": "2015-03-02",
        "official_on": "2016-03-02",
        "status": "official",
        "exempt": False,
    }


@pytest.mark.parametrize(
    "path", ["/members", "/events", "/placements", "/positions", "/units", "/villages"]
)
def test_list_query_count_does_not_grow_with_rows(world, cast, client_for, path):
    client = client_for(cast.province_officer)

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            r = call(client, "GET", f"{path}?limit=500")
        assert r.status_code == 200
        return len(ctx), r.json()["count"]

    queries, count = measure()
    for i in range(4):
        cell = f.unit(Kind.CELL, world.base)
        org_services.village_create(actor=None, cell=cell, name=f"Thôn {i}", kind="village")
        m = f.member(cell)
        services.event_create(
            actor=None, member=m, kind=EventKind.EXEMPTED, date=dt.date(2024, 1, 1)
        )
        services.placement_create(
            actor=None, member=m, unit=world.cell2, start=dt.date(2024, 1, 1), kind="temporary"
        )
        services.position_create(
            actor=None, member=m, kind=PositionKind.SECRETARY, unit=cell, start=dt.date(2024, 1, 1)
        )
    queries_after, count_after = measure()
    assert count_after > count
    assert queries_after == queries


# Members: the record -------------------------------------------------------------------------


def test_member_read_is_the_full_record_and_is_audited(world, cast, client_for):
    m = world.member
    services.member_update(
        actor=None, member=m, profile={"phone": "0912 345 678", "national_id": "012345678901"}
    )
    r = call(client_for(cast.base_officer), "GET", f"/members/{m.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["phone"] == "0912 345 678" and body["national_id"] == "012345678901"
    assert (body["ethnicity"], body["email"], body["card_number"]) == ("Kinh", "", None)
    assert (body["status"], body["exempt"], body["home_unit"]["id"]) == (
        "official",
        False,
        world.cell.pk,
    )
    read = RecordRead.objects.get()
    assert (read.user, read.member, read.channel) == (cast.base_officer, m, "api")
    # Reads from within the member's own cell, and of one's own record, are not audited.
    assert call(client_for(cast.secretary), "GET", f"/members/{m.pk}").status_code == 200
    assert call(client_for(cast.member), "GET", f"/members/{m.pk}").status_code == 200
    all_pages(client_for(cast.province_officer), "/members")  # lists are summaries
    assert RecordRead.objects.count() == 1


def test_a_member_reads_only_their_own_record(world, cast, client_for):
    client = client_for(cast.member)
    assert call(client, "GET", f"/members/{world.member.pk}").status_code == 200
    assert call(client, "GET", f"/members/{world.member2.pk}").status_code == 404
    assert call(client, "GET", f"/units/{world.cell.pk}").status_code == 404
    assert ids(all_pages(client, "/events")) == set(
        MemberEvent.objects.filter(member=world.member).values_list("pk", flat=True)
    )
    before = fingerprint()
    assert (
        call(client, "PATCH", f"/members/{world.member.pk}", {"phone": "0912345678"}).status_code
        == 403
    )
    r = call(
        client,
        "POST",
        "/events",
        {"member": world.member.pk, "kind": "exempted", "date": "2024-01-01"},
    )
    assert r.status_code == 403
    assert fingerprint() == before


MEMBER = {
    "code": "DV-NEW-1",
    "full_name": "Võ Thị Sáu",
    "gender": "female",
    "birth_date": "1990-01-01",
    "phone": "0912 345 678",
    "email": "sau@example.vn",
    "national_id": "012345678901",
    "admitted_on": "2020-05-19",
    "official_on": "2021-05-19",
    "admission_decision": "15-QĐ/ĐU",
}


def test_member_create(world, cast, client_for):
    r = call(client_for(cast.secretary), "POST", "/members", {**MEMBER, "unit": world.cell.pk})
    assert r.status_code == 201, r.content
    m = Member.objects.get(code="DV-NEW-1")
    assert r.json() == {
        "id": m.pk,
        "code": "DV-NEW-1",
        "full_name": "Võ Thị Sáu",
        "gender": "female",
        "birth_date": "1990-01-01",
        "home_unit": {"id": world.cell.pk, "code": "X01-CB01", "name": "Chi bộ thôn Đông"},
        "admitted_on": "2020-05-19",
        "official_on": "2021-05-19",
        "status": "official",
        "exempt": False,
        "ethnicity": "Kinh",
        "phone": "0912 345 678",
        "email": "sau@example.vn",
        "national_id": "012345678901",
        "card_number": None,
        "version": 1,
    }
    placement = Placement.objects.get(member=m)
    assert (placement.unit, placement.start, placement.kind) == (
        world.cell,
        dt.date(2020, 5, 19),
        "official",
    )
    events = list(m.events.values_list("kind", "date", "decision_number"))
    assert events == [
        ("admitted", dt.date(2020, 5, 19), "15-QĐ/ĐU"),
        ("official", dt.date(2021, 5, 19), ""),
    ]
    # Found at once by the diacritic-free search.
    assert ids(all_pages(client_for(cast.secretary), "/members?q=vo thi sau")) == {m.pk}


@pytest.mark.parametrize(
    "change,field,msg",
    [
        ({"code": "EXISTING"}, "code", "Another member already has record code EXISTING."),
        (
            {"admitted_on": "1989-12-31"},
            "admitted_on",
            "The admission date is before the birth date.",
        ),
        (
            {"official_on": "2020-05-18"},
            "official_on",
            "Official membership cannot come before admission.",
        ),
        (
            {"admitted_on": "2099-01-01", "official_on": None},
            "admitted_on",
            "The date cannot be in the future.",
        ),
        ({"official_on": "2099-01-01"}, "official_on", "The date cannot be in the future."),
        ({"phone": "abc"}, "phone", "Enter a valid phone number."),
        ({"national_id": "123"}, "national_id", "A national ID has 9 or 12 digits."),
        ({"email": "sau@"}, "email", "Enter a valid email address."),
        ({"unit": "base"}, "unit", "Members are placed in a cell or a base cell."),
        ({"full_name": ...}, "full_name", "This field is required."),
        (
            {"full_name": "x" * 121},
            "full_name",
            "Ensure this value has at most 120 characters (it has 121).",
        ),
        (
            {"gender": "m"},
            "gender",
            "Select a valid choice. m is not one of the available choices.",
        ),
        ({"birth_date": "31/12/1990"}, "birth_date", "Enter a valid date."),
        ({"unit": None}, "unit", "This field cannot be null."),
        ({"status": "official"}, "status", "This field is not accepted here."),
    ],
)
def test_member_create_rejects_bad_input(world, cast, client_for, change, field, msg):
    f.member(world.cell, code="EXISTING")
    body = {**MEMBER, "unit": world.cell.pk}
    for key, value in change.items():
        if value is ...:
            del body[key]
        else:
            body[key] = world.base.pk if value == "base" else value
    before = fingerprint()
    one_error(call(client_for(cast.base_officer), "POST", "/members", body), field, msg)
    assert fingerprint() == before


def test_member_create_needs_write_scope_on_the_cell(world, cast, client_for):
    body = {**MEMBER, "unit": world.cell2.pk}
    before = fingerprint()
    assert call(client_for(cast.secretary), "POST", "/members", body).status_code == 404
    assert call(client_for(cast.viewer), "POST", "/members", body).status_code == 403
    assert call(client_for(cast.member), "POST", "/members", body).status_code == 404
    assert fingerprint() == before


def test_member_update(world, cast, client_for):
    client = client_for(cast.secretary)
    path = f"/members/{world.member.pk}"
    r = call(client, "PATCH", path, {"full_name": "Nguyễn Văn  Hưng", "card_number": "123456"})
    assert r.status_code == 200
    assert (r.json()["full_name"], r.json()["card_number"]) == ("Nguyễn Văn Hưng", "123456")
    assert r.json()["birth_date"] == "1980-01-01"  # untouched
    assert ids(all_pages(client, "/members?q=nguyen van hung")) == {world.member.pk}
    f.member(world.cell2, code="TAKEN")
    before = fingerprint()
    one_error(
        call(client, "PATCH", path, {"code": "TAKEN"}),
        "code",
        "Another member already has record code TAKEN.",
    )
    one_error(call(client, "PATCH", path, {"gender": None}), "gender", "This field cannot be null.")
    one_error(
        call(client, "PATCH", path, {"unit": world.cell2.pk}),
        "unit",
        "This field is not accepted here.",
    )
    assert fingerprint() == before
    assert call(client, "PATCH", path, {"card_number": None}).json()["card_number"] is None


def test_member_delete(world, cast, client_for):
    client = client_for(cast.base_officer)
    assert call(client, "DELETE", f"/members/{world.member2.pk}").status_code == 204
    assert call(client, "GET", f"/members/{world.member2.pk}").status_code == 404
    assert world.member2.pk not in ids(all_pages(client, "/members"))
    assert Member.all_objects.get(pk=world.member2.pk).deleted_by == cast.base_officer


# Members: transfer ----------------------------------------------------------------------------


def test_member_transfer(world, cast, client_for):
    client = client_for(cast.base_officer)
    body = {
        "to_unit": world.cell2.pk,
        "left_on": "2025-06-01",
        "arrived_on": "2025-06-10",
        "letter_number": "7-GGT",
    }
    r = call(client, "POST", f"/members/{world.member.pk}/transfer", body)
    assert r.status_code == 201, r.content
    new = Placement.objects.get(member=world.member, unit=world.cell2)
    assert r.json() == {
        "id": new.pk,
        "member": world.member.pk,
        "unit": world.cell2.pk,
        "party_group": None,
        "kind": "official",
        "start": "2025-06-10",
        "end": None,
        "letter_number": "7-GGT",
        "note": "",
        "version": 1,
    }
    old = Placement.objects.get(member=world.member, unit=world.cell)
    assert old.end == dt.date(2025, 6, 1)
    assert (
        call(client, "GET", f"/members/{world.member.pk}").json()["home_unit"]["id"]
        == world.cell2.pk
    )
    moved = MemberEvent.objects.get(member=world.member, kind=EventKind.TRANSFERRED)
    assert (moved.date, moved.note) == (dt.date(2025, 6, 1), "X01-CB01 → X01-CB02")
    # The record is no longer the cell secretary's to read.
    assert world.member.pk not in ids(all_pages(client_for(cast.secretary), "/members"))


@pytest.mark.parametrize(
    "change,field,msg",
    [
        ({"to_unit": "cell"}, "to_unit", "The member is already placed in that cell."),
        ({"to_unit": "base"}, "to_unit", "Members are placed in a cell or a base cell."),
        (
            {"left_on": "2015-03-02"},
            "left_on",
            "The leaving date must be after the current placement began.",
        ),
        (
            {"arrived_on": "2025-05-31"},
            "arrived_on",
            "The arrival date is before the leaving date.",
        ),
        ({"left_on": "2099-01-01"}, "left_on", "The date cannot be in the future."),
        ({"left_on": ...}, "left_on", "This field is required."),
    ],
)
def test_member_transfer_rejects_bad_input(world, cast, client_for, change, field, msg):
    body = {"to_unit": world.cell2.pk, "left_on": "2025-06-01"}
    for key, value in change.items():
        if value is ...:
            del body[key]
        else:
            body[key] = getattr(world, value).pk if value in ("cell", "base") else value
    before = fingerprint()
    one_error(
        call(client_for(cast.base_officer), "POST", f"/members/{world.member.pk}/transfer", body),
        field,
        msg,
    )
    assert fingerprint() == before


def test_member_transfer_needs_write_scope_on_both_cells(world, cast, client_for):
    body = {"to_unit": world.other_cell.pk, "left_on": "2025-06-01"}
    path = f"/members/{world.member.pk}/transfer"
    before = fingerprint()
    assert call(client_for(cast.base_officer), "POST", path, body).status_code == 404
    assert (
        call(
            client_for(cast.secretary), "POST", path, {**body, "to_unit": world.cell2.pk}
        ).status_code
        == 404
    )
    assert fingerprint() == before
    assert call(client_for(cast.province_officer), "POST", path, body).status_code == 201


# Events ---------------------------------------------------------------------------------------


def test_events(world, cast, client_for):
    client = client_for(cast.base_officer)
    expected = set(MemberEvent.objects.filter(member=world.member2).values_list("pk", flat=True))
    assert ids(all_pages(client, f"/events?member={world.member2.pk}")) == expected
    admitted = ids(all_pages(client, "/events?kind=admitted"))
    in_scope = [world.member, world.member2, cast.secretary.member]
    assert admitted == set(
        MemberEvent.objects.filter(kind="admitted", member__in=in_scope).values_list(
            "pk", flat=True
        )
    )

    body = {
        "member": world.member2.pk,
        "kind": "exempted",
        "date": "2024-01-01",
        "decision_number": " 3-QĐ ",
    }
    r = call(client, "POST", "/events", body)
    assert r.status_code == 201
    event = MemberEvent.objects.get(kind="exempted")
    assert r.json() == {
        "id": event.pk,
        "member": world.member2.pk,
        "kind": "exempted",
        "date": "2024-01-01",
        "end_date": None,
        "reason": "",
        "decision_number": "3-QĐ",
        "note": "",
        "version": 1,
    }
    assert call(client, "GET", f"/members/{world.member2.pk}").json()["exempt"] is True
    r = call(client, "PATCH", f"/events/{event.pk}", {"end_date": "2024-06-30", "note": "ốm"})
    assert (r.json()["end_date"], r.json()["note"]) == ("2024-06-30", "ốm")
    assert call(client, "GET", f"/members/{world.member2.pk}").json()["exempt"] is False
    assert call(client, "DELETE", f"/events/{event.pk}").status_code == 204
    assert call(client, "GET", f"/events/{event.pk}").status_code == 404


@pytest.mark.parametrize(
    "body,field,msg",
    [
        ({"kind": "reprimand", "date": "2099-01-01"}, "date", "The date cannot be in the future."),
        (
            {"kind": "reprimand", "date": "1979-12-31"},
            "date",
            "The date is before the member's birth date.",
        ),
        (
            {"kind": "reprimand", "date": "2020-01-01", "end_date": "2020-02-01"},
            "end_date",
            "Only an exemption or a suspension has an end date.",
        ),
        (
            {"kind": "exempted", "date": "2020-01-01", "end_date": "2019-02-01"},
            "end_date",
            "The end date is before the start date.",
        ),
        (
            {"kind": "admitted", "date": "2015-03-02"},
            "date",
            "This event is already recorded on that date.",
        ),
        (
            {"kind": "official", "date": "2014-01-01"},
            "date",
            "Official recognition needs an admission on or before that date.",
        ),
        (
            {"kind": "readmitted", "date": "2014-01-01"},
            "date",
            "A readmission needs an admission on or before that date.",
        ),
        (
            {"kind": "promoted", "date": "2020-01-01"},
            "kind",
            "Select a valid choice. promoted is not one of the available choices.",
        ),
        ({"kind": "reprimand", "date": "2020-02-30"}, "date", "Enter a valid date."),
        (
            {"kind": "reprimand", "note": "x" * 301, "date": "2020-01-01"},
            "note",
            "Ensure this value has at most 300 characters (it has 301).",
        ),
    ],
)
def test_event_create_rejects_bad_input(world, cast, client_for, body, field, msg):
    before = fingerprint()
    r = call(client_for(cast.secretary), "POST", "/events", {"member": world.member.pk, **body})
    one_error(r, field, msg)
    assert fingerprint() == before


def test_event_delete_keeps_the_admission_before_the_recognition(world, cast, client_for):
    admission = MemberEvent.objects.get(member=world.member, kind="admitted")
    before = fingerprint()
    r = call(client_for(cast.secretary), "DELETE", f"/events/{admission.pk}")
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "invalid",
            "loc": ["body", "__all__"],
            "msg": "Delete the official recognition before the admission.",
        }
    ]
    assert fingerprint() == before


# Placements -----------------------------------------------------------------------------------


def test_placements(world, cast, client_for):
    client = client_for(cast.base_officer)
    group = f.unit(Kind.PARTY_GROUP, world.cell2, code="X01-CB02-T1")
    body = {
        "member": world.member.pk,
        "unit": world.cell2.pk,
        "kind": "temporary",
        "start": "2024-09-01",
        "party_group": group.pk,
        "letter_number": "12/GGT",
    }
    r = call(client, "POST", "/placements", body)
    assert r.status_code == 201, r.content
    temporary = Placement.objects.get(kind="temporary")
    assert r.json() == {**body, "id": temporary.pk, "end": None, "note": "", "version": 1}
    assert (
        call(client, "GET", f"/members/{world.member.pk}").json()["home_unit"]["id"]
        == world.cell.pk
    )

    mine = set(Placement.objects.filter(member=world.member).values_list("pk", flat=True))
    assert ids(all_pages(client, f"/placements?member={world.member.pk}")) == mine
    assert ids(all_pages(client, f"/placements?unit={world.cell2.pk}&kind=temporary")) == {
        temporary.pk
    }
    r = call(
        client, "PATCH", f"/placements/{temporary.pk}", {"end": "2024-12-01", "note": "về lại"}
    )
    assert (r.json()["end"], r.json()["note"]) == ("2024-12-01", "về lại")
    assert temporary.pk not in ids(all_pages(client, "/placements?current=true"))
    assert temporary.pk in ids(all_pages(client, "/placements?current=false"))
    before = fingerprint()
    assert (
        call(
            client, "PATCH", f"/placements/{temporary.pk}", {"unit": world.other_cell.pk}
        ).status_code
        == 404
    )
    assert fingerprint() == before
    assert call(client, "DELETE", f"/placements/{temporary.pk}").status_code == 204
    assert temporary.pk not in ids(all_pages(client, "/placements"))


@pytest.mark.parametrize(
    "change,field,msg",
    [
        (
            {"kind": "official"},
            "start",
            "This overlaps the member's official placement in Chi bộ thôn Đông from 02/03/2015;"
            " end that one first.",
        ),
        ({"unit": "base"}, "unit", "Members are placed in a cell or a base cell."),
        ({"party_group": "group"}, "party_group", "The party group must belong to that cell."),
        ({"end": "2024-08-31"}, "end", "The end date is before the start date."),
        (
            {"kind": "visiting"},
            "kind",
            "Select a valid choice. visiting is not one of the available choices.",
        ),
        ({"start": ...}, "start", "This field is required."),
    ],
)
def test_placement_create_rejects_bad_input(world, cast, client_for, change, field, msg):
    group = f.unit(Kind.PARTY_GROUP, world.cell, code="X01-CB01-T1")  # a group of the other cell
    body = {
        "member": world.member.pk,
        "unit": world.cell2.pk,
        "kind": "temporary",
        "start": "2024-09-01",
    }
    for key, value in change.items():
        if value is ...:
            del body[key]
        else:
            body[key] = {"base": world.base.pk, "group": group.pk}.get(value, value)
    before = fingerprint()
    one_error(call(client_for(cast.base_officer), "POST", "/placements", body), field, msg)
    assert fingerprint() == before


# Positions ------------------------------------------------------------------------------------


def test_positions(world, cast, client_for):
    client = client_for(cast.secretary)
    village = org_services.village_create(
        actor=None, cell=world.cell, name="Thôn Đông", kind="village"
    )
    body = {
        "member": world.member.pk,
        "kind": "deputy_secretary",
        "unit": world.cell.pk,
        "start": "2025-01-01",
    }
    r = call(client, "POST", "/positions", body)
    assert r.status_code == 201, r.content
    deputy = Position.objects.get(kind="deputy_secretary")
    assert r.json() == {
        **body,
        "id": deputy.pk,
        "village": None,
        "end": None,
        "decision_number": "",
        "version": 1,
    }
    r = call(
        client,
        "POST",
        "/positions",
        {
            "member": world.member.pk,
            "kind": "village_head",
            "village": village.pk,
            "start": "2023-01-01",
            "end": "2024-01-01",
        },
    )
    head = Position.objects.get(kind="village_head")
    assert r.status_code == 201 and r.json()["village"] == village.pk
    assert ids(all_pages(client, f"/positions?member={world.member.pk}")) == {deputy.pk, head.pk}
    assert ids(all_pages(client, f"/positions?village={village.pk}")) == {head.pk}
    assert ids(all_pages(client, "/positions?current=true")) == {deputy.pk}
    assert ids(all_pages(client, "/positions?kind=village_head")) == {head.pk}
    r = call(
        client, "PATCH", f"/positions/{deputy.pk}", {"end": "2025-12-31", "decision_number": "9-QĐ"}
    )
    assert (r.json()["end"], r.json()["decision_number"]) == ("2025-12-31", "9-QĐ")
    assert call(client, "DELETE", f"/positions/{head.pk}").status_code == 204
    assert ids(all_pages(client, "/positions")) == {deputy.pk}
    # A post in a cell of someone else's: not found, nothing written.
    before = fingerprint()
    body = {
        "member": world.member.pk,
        "kind": "secretary",
        "unit": world.cell2.pk,
        "start": "2025-01-01",
    }
    assert call(client, "POST", "/positions", body).status_code == 404
    assert fingerprint() == before


@pytest.mark.parametrize(
    "change,field,msg",
    [
        ({"unit": None, "village": "village"}, "unit", "A party post is held in a party unit."),
        ({"kind": "village_head"}, "village", "A village post is held in a village."),
        ({"end": "2024-12-31"}, "end", "The end date is before the start date."),
        (
            {"kind": "chairman"},
            "kind",
            "Select a valid choice. chairman is not one of the available choices.",
        ),
        (
            {"decision_number": "x" * 41},
            "decision_number",
            "Ensure this value has at most 40 characters (it has 41).",
        ),
    ],
)
def test_position_create_rejects_bad_input(world, cast, client_for, change, field, msg):
    village = org_services.village_create(
        actor=None, cell=world.cell, name="Thôn Đông", kind="village"
    )
    body = {
        "member": world.member.pk,
        "kind": "secretary",
        "unit": world.cell.pk,
        "start": "2025-01-01",
    }
    for key, value in change.items():
        body[key] = village.pk if value == "village" else value
    before = fingerprint()
    one_error(call(client_for(cast.secretary), "POST", "/positions", body), field, msg)
    assert fingerprint() == before


# Randomized scope: what the API lists equals what the grants say, walked by hand -------------


NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Đức Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Đức",
    "Vũ Thị Hoa",
]


def build_random_world(rng: random.Random) -> tuple[list[OrgUnit], list[Member]]:
    province = f.unit(Kind.PROVINCE)
    units, cells = [province], []
    for _ in range(3):
        base = f.unit(Kind.BASE_COMMITTEE, province)
        units.append(base)
        for _ in range(3):
            cell = f.unit(Kind.CELL, base)
            units.append(cell)
            cells.append(cell)
            if rng.random() < 0.3:
                units.append(f.unit(Kind.PARTY_GROUP, cell))
    members = []
    for cell in cells:
        for _ in range(rng.randint(0, 4)):
            admitted = dt.date(rng.randint(1990, 2020), rng.randint(1, 12), rng.randint(1, 28))
            members.append(f.member(cell, full_name=rng.choice(NAMES), admitted_on=admitted))
    for m in rng.sample(members, k=min(4, len(members))):  # temporary placements elsewhere
        host = rng.choice([c for c in cells if c.pk != m.home_unit_id])
        services.placement_create(
            actor=None, member=m, unit=host, start=dt.date(2024, 1, 1), kind=PlacementKind.TEMPORARY
        )
    for m in rng.sample(members, k=min(3, len(members))):  # official transfers
        to = rng.choice([c for c in cells if c.pk != m.home_unit_id])
        transfers.member_transfer(actor=None, member=m, to_unit=to, left_on=dt.date(2025, 3, 1))
    for m in rng.sample(members, k=min(2, len(members))):
        services.member_delete(member=m, actor=None)
    # A cell changes commune, and an empty cell is deleted.
    bases = [u for u in units if u.kind == Kind.BASE_COMMITTEE]
    moving = rng.choice(cells)
    org_services.orgunit_move(
        actor=None,
        unit=moving,
        new_parent=rng.choice([b for b in bases if b.pk != moving.parent_id]),
        on=dt.date(2025, 1, 1),
    )
    empty = f.unit(Kind.CELL, rng.choice(bases))
    org_services.orgunit_delete(unit=empty, actor=None)
    return units + [empty], members


def expected_scope(user: User) -> tuple[set[int], set[int], set[int]]:
    """From raw rows and parent links only: the units `user` may read, the members their
    lists show, and the member records they may open.

    Rules (org/scope.py): a role on a unit covers its subtree; a member is in scope where
    the record is held (the latest official placement), not where temporarily placed; an
    account that holds no unit role and is linked to a member lists only that record; any
    linked account may open its own record."""
    units = {u.pk: u for u in OrgUnit.all_objects.all()}
    tops = set(
        RoleGrant.objects.filter(
            user=user, role__in=[Role.OFFICE, Role.VIEWER, Role.SECRETARY]
        ).values_list("unit_id", flat=True)
    )

    def in_scope(unit_id: int | None) -> bool:
        if user.is_superuser:
            return True
        while unit_id is not None:
            if unit_id in tops:
                return True
            unit_id = units[unit_id].parent_id
        return False

    unit_ids = {pk for pk, u in units.items() if u.deleted_at is None and in_scope(pk)}
    live = Member.all_objects.filter(deleted_at__isnull=True).prefetch_related("placements")
    listed, own = set(), set()
    for m in live:
        placements = [
            p for p in m.placements.all() if p.deleted_at is None and p.kind == "official"
        ]
        home = max(placements, key=lambda p: (p.start, p.pk)).unit_id if placements else None
        if m.pk == user.member_id:
            own.add(m.pk)
        if in_scope(home):
            listed.add(m.pk)
    if user.member_id and not tops and not user.is_superuser:
        listed = own
    return unit_ids, listed, listed | own


@pytest.mark.slow  # six random worlds, every member fetched by every user
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("large_scope_units", [300, 0])  # both forms of the scope filter
def test_random_users_see_exactly_their_scope(db, seed, large_scope_units, monkeypatch):
    monkeypatch.setattr("chibo.org.scope.LARGE_SCOPE_UNITS", large_scope_units)
    rng = random.Random(seed)
    units, members = build_random_world(rng)
    live_members = [m for m in members if m.deleted_at is None]
    users = [f.user(is_superuser=True)]
    for _ in range(10):
        user = f.user()
        for _ in range(rng.randint(0, 3)):
            role = rng.choice([Role.OFFICE, Role.VIEWER, Role.SECRETARY, Role.MEMBER])
            RoleGrant.objects.get_or_create(user=user, unit=rng.choice(units[:-1]), role=role)
        linked = {u.member_id for u in users}
        free = [m for m in live_members if m.pk not in linked]
        if free and rng.random() < 0.4:
            user.member = rng.choice(free)
            user.save()
        users.append(user)
    # The draw gives varied scopes, so the comparison below means something.
    assert len({frozenset(expected_scope(u)[1]) for u in users}) >= 4
    for n, user in enumerate(users):
        if n % 2:  # half through a token, half through a session
            client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)[1]}"})
        else:
            client = Client()
            client.force_login(user)
        want_units, listed, readable = expected_scope(user)
        assert ids(all_pages(client, "/units", limit=7)) == want_units, user
        assert ids(all_pages(client, "/members", limit=7)) == listed, user
        for m in Member.all_objects.all():
            status = call(client, "GET", f"/members/{m.pk}").status_code
            assert status == (200 if m.pk in readable else 404), (user, m.pk)
