import datetime as dt

import pytest
from django.urls import reverse

from chibo.accounts.models import RecordRead
from chibo.members.models import EventKind, Member, MemberEvent, Placement, Position
from chibo.testing import factories as f


def en(c):
    c.cookies["django_language"] = "en"
    return c


def test_list_finds_without_diacritics(world, cast, client_for):
    c = client_for(cast.base_officer)
    for q in ["nguyen van hung", "NGUYEN VAN HUNG", "hùng", "van h"]:
        r = c.get(reverse("members:list"), {"q": q})
        assert "Nguyễn Văn Hùng" in r.text, q
        assert "Trần Thị Đào" not in r.text
    r = c.get(reverse("members:list"), {"q": "dao"})  # "d" matches "đ"
    assert "Trần Thị Đào" in r.text
    # Out of scope members never show.
    r = c.get(reverse("members:list"), {"q": "le duc anh"})
    assert "Lê Đức Anh" not in r.text


def test_list_htmx_returns_the_results_partial(world, cast, client_for):
    r = client_for(cast.base_officer).get(
        reverse("members:list"), {"q": "hung"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    assert 'id="results"' in r.text and "<html" not in r.text


def test_list_filters(world, cast, client_for):
    c = client_for(cast.province_officer)
    f.member(
        world.cell,
        full_name="Đỗ Thị Mai",
        admitted_on=dt.date(2026, 1, 5),
        official_on=None,
        gender="female",
    )
    r = c.get(reverse("members:list"), {"status": "probationary"})
    assert "Đỗ Thị Mai" in r.text and "Nguyễn Văn Hùng" not in r.text
    r = c.get(reverse("members:list"), {"gender": "female"})
    assert "Đỗ Thị Mai" in r.text and "Trần Thị Đào" in r.text and "Nguyễn Văn Hùng" not in r.text
    r = c.get(reverse("members:list"), {"unit": "X02"})
    assert "Lê Đức Anh" in r.text and "Nguyễn Văn Hùng" not in r.text
    r = en(c).get(reverse("members:list"), {"unit": "NOPE"})
    assert "No unit with code NOPE" in r.text


def test_list_unit_outside_scope_is_unknown(world, cast, client_for):
    r = en(client_for(cast.base_officer)).get(reverse("members:list"), {"unit": "X02"})
    assert "No unit with code X02" in r.text and "Lê Đức Anh" not in r.text


def test_list_pagination_counts(world, cast, client_for):
    for i in range(30):
        f.member(world.cell2, full_name=f"Vũ Văn Phân Trang {i:02d}")
    c = client_for(cast.base_officer)
    r = c.get(reverse("members:list"), {"q": "phan trang"})
    assert "30" in r.text and r.text.count("Phân Trang") == 25
    r = c.get(reverse("members:list"), {"q": "phan trang", "page": 2})
    assert r.text.count("Phân Trang") == 5


def test_detail_shows_record_and_logs_outside_reads(world, cast, client_for):
    m = world.member
    r = client_for(cast.base_officer).get(reverse("members:detail", args=[m.pk]))
    assert r.status_code == 200 and "Nguyễn Văn Hùng" in r.text and "02/03/2015" in r.text
    assert RecordRead.objects.filter(user=cast.base_officer, member=m, channel="page").count() == 1
    # The secretary belongs to the same cell: no trace. The member reading themself: no trace.
    client_for(cast.secretary).get(reverse("members:detail", args=[m.pk]))
    client_for(cast.member).get(reverse("members:detail", args=[m.pk]))
    assert RecordRead.objects.count() == 1
    # The edit form shows the whole profile too.
    client_for(cast.base_officer).get(reverse("members:edit", args=[m.pk]))
    assert RecordRead.objects.filter(user=cast.base_officer, member=m).count() == 2


def test_member_sees_only_own_record(world, cast, client_for):
    c = client_for(cast.member)
    assert c.get(reverse("members:detail", args=[world.member.pk])).status_code == 200
    assert c.get(reverse("members:detail", args=[world.member2.pk])).status_code == 404
    assert c.get(reverse("members:list")).status_code == 403
    assert c.post(reverse("members:edit", args=[world.member.pk]), {}).status_code == 403


WRITE_URLS = [
    ("members:edit", "member"),
    ("members:delete", "member"),
    ("members:transfer", "member"),
    ("members:event_create", "member"),
    ("members:position_create", "member"),
    ("members:placement_create", "member"),
]


@pytest.mark.parametrize("name,_", WRITE_URLS)
def test_outsider_404_viewer_403(world, cast, client_for, name, _):
    url = reverse(name, args=[world.member.pk])
    assert client_for(cast.outsider).post(url, {}).status_code == 404
    assert client_for(cast.viewer).post(url, {}).status_code == 403
    assert (
        client_for(cast.outsider).get(reverse("members:detail", args=[world.member.pk])).status_code
        == 404
    )


def test_child_record_urls_are_scoped(world, cast, client_for):
    event = world.member.events.first()
    placement = world.member.placements.first()
    for name, obj in [("members:event_edit", event), ("members:placement_edit", placement)]:
        assert client_for(cast.outsider).get(reverse(name, args=[obj.pk])).status_code == 404
        assert client_for(cast.viewer).post(reverse(name, args=[obj.pk]), {}).status_code == 403
        assert client_for(cast.base_officer).get(reverse(name, args=[obj.pk])).status_code == 200


def test_wrong_method(world, cast, client_for):
    c = client_for(cast.base_officer)
    assert c.get(reverse("members:delete", args=[world.member.pk])).status_code == 405
    assert c.post(reverse("members:detail", args=[world.member.pk])).status_code == 405
    assert c.post(reverse("members:list")).status_code == 405


PROFILE = {
    "code": "DV-NEW-1",
    "full_name": "  Hoàng   Thị  Lan ",
    "gender": "female",
    "birth_date": "1990-04-30",
    "ethnicity": "Tày",
    "phone": "0912 345 678",
    "email": "",
    "national_id": "",
    "card_number": "",
}


def test_create_member(world, cast, client_for):
    c = client_for(cast.secretary)
    data = {
        **PROFILE,
        "unit": "X01-CB01",
        "placed_since": "2024-05-19",
        "admitted_on": "2024-05-19",
        "admission_decision": "123-QĐ/ĐU",
        "official_on": "",
        "official_decision": "",
    }
    r = c.post(reverse("members:create"), data)
    assert r.status_code == 302, r.text
    m = Member.objects.get(code="DV-NEW-1")
    assert m.full_name == "Hoàng Thị Lan" and m.search_name == "hoang thi lan"
    assert m.home_unit_id == world.cell.pk and m.admitted_on == dt.date(2024, 5, 19)
    assert list(m.events.values_list("kind", flat=True)) == [EventKind.ADMITTED]
    assert m.placements.get().unit_id == world.cell.pk


def test_create_member_errors_write_nothing(world, cast, client_for):
    c = en(client_for(cast.secretary))
    counts = (
        Member.all_objects.count(),
        Placement.all_objects.count(),
        MemberEvent.all_objects.count(),
    )
    base = {
        **PROFILE,
        "unit": "X01-CB01",
        "placed_since": "2024-05-19",
        "admitted_on": "2024-05-19",
    }
    cases = [
        ({"unit": "X01-CB02"}, "No unit with code X01-CB02 in your scope"),  # other cell
        ({"birth_date": "30/02/1990"}, "Date as dd/mm/yyyy, e.g."),
        ({"code": world.member.code}, "already has record code"),
        ({"admitted_on": "1980-01-01"}, "before the birth date"),
        ({"official_on": "2024-01-01"}, "cannot come before admission"),
        ({"national_id": "12345"}, "9 or 12 digits"),
        ({"full_name": "x" * 121}, "at most 120 characters"),
        ({"gender": "other"}, "Select a valid choice"),
    ]
    for change, message in cases:
        r = c.post(reverse("members:create"), {**base, **change})
        assert r.status_code == 422, change
        assert message in r.text, (change, message)
    assert counts == (
        Member.all_objects.count(),
        Placement.all_objects.count(),
        MemberEvent.all_objects.count(),
    )


def test_edit_profile_and_history(world, cast, client_for):
    c = client_for(cast.base_officer)
    m = world.member
    data = {**PROFILE, "code": m.code, "full_name": "Nguyễn Văn Hưng"}
    r = c.post(reverse("members:edit", args=[m.pk]), data)
    assert r.status_code == 302
    r = c.get(reverse("members:detail", args=[m.pk]))
    assert "Nguyễn Văn Hưng" in r.text and "<del>Nguyễn Văn Hùng</del>" in r.text
    assert "base" in r.text  # who changed it


def test_event_position_placement_transfer(world, cast, client_for):
    c = en(client_for(cast.base_officer))
    m = world.member
    r = c.post(
        reverse("members:event_create", args=[m.pk]),
        {"kind": "exempted", "date": "2026-01-01", "end_date": "2026-06-30", "note": "ốm"},
    )
    assert r.status_code == 302
    r = c.post(
        reverse("members:event_create", args=[m.pk]),
        {"kind": "reprimand", "date": "2026-01-01", "end_date": "2026-02-01"},
    )
    assert r.status_code == 422 and "Only an exemption or a suspension has an end date" in r.text
    r = c.post(
        reverse("members:position_create", args=[m.pk]),
        {"kind": "secretary", "unit": "X01-CB01", "start": "2025-01-01"},
    )
    assert r.status_code == 302
    r = c.post(
        reverse("members:position_create", args=[m.pk]),
        {"kind": "village_head", "unit": "X01-CB01", "start": "2025-01-01"},
    )
    assert r.status_code == 422 and "A village post is held in a village" in r.text
    assert Position.objects.filter(member=m).count() == 1
    r = c.post(
        reverse("members:transfer", args=[m.pk]),
        {
            "to_unit": "X01-CB02",
            "left_on": "2026-03-01",
            "arrived_on": "2026-03-05",
            "letter_number": "05-GGT",
        },
    )
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.home_unit_id == world.cell2.pk
    r = c.post(
        reverse("members:placement_create", args=[m.pk]),
        {"unit": "X01-CB01", "kind": "official", "start": "2026-04-01"},
    )
    assert r.status_code == 422 and "overlaps" in r.text


def test_delete_and_restore_member(world, cast, client_for):
    c = client_for(cast.base_officer)
    m = world.member2
    assert c.post(reverse("members:delete", args=[m.pk])).status_code == 302
    assert c.get(reverse("members:detail", args=[m.pk])).status_code == 404
    assert "Trần Thị Đào" not in c.get(reverse("members:list")).text
    # A viewer cannot restore; the office can.
    assert (
        client_for(cast.viewer).post(reverse("site:restore", args=["member", m.pk])).status_code
        == 403
    )
    assert (
        client_for(cast.outsider).post(reverse("site:restore", args=["member", m.pk])).status_code
        == 404
    )
    assert c.post(reverse("site:restore", args=["member", m.pk])).status_code == 302
    assert c.get(reverse("members:detail", args=[m.pk])).status_code == 200
    # History keeps who deleted and restored.
    assert m.history.count() == 3
