"""The member list and the unit's transfers as Excel files: the rows checked against the
database and against counts made by hand, the filters and scope of the pages."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from chibo.members import services as ms
from chibo.members.models import EventKind, Member
from chibo.testing import factories as f
from chibo.testing.exports import read_xlsx

from .test_transfers import moves  # noqa: F401  (the fixture)

D = dt.date


def test_member_list_export_has_every_row_of_the_scope(world, cast, client_for):
    for i in range(30):  # more than a page (25)
        f.member(world.cell2, full_name=f"Đinh Văn Số {i}", birth_date=D(1970, 1, 1 + i % 28))
    ms.event_create(actor=None, member=world.member2, kind=EventKind.DECEASED, date=D(2025, 1, 1))
    r = client_for(cast.base_officer).get(reverse("members:export"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    (sheet,) = read_xlsx(r.content)
    assert sheet.heading[0] == "DANH SÁCH ĐẢNG VIÊN"
    assert sheet.headers[:4] == ["STT", "Mã đảng viên", "Họ và tên", "Ngày sinh"]
    # In the base committee, in the Party today (the page's default): counted from the rows.
    in_scope = [
        m
        for m in Member.objects.all()
        if m.home_unit_id in (world.cell.pk, world.cell2.pk) and m.pk != world.member2.pk
    ]
    assert sorted(sheet.column("Mã đảng viên")) == sorted(m.code for m in in_scope)
    assert sheet.column("STT") == list(range(1, len(in_scope) + 1))
    by_code = {m.code: m for m in in_scope}
    for line in sheet.dicts():
        m = by_code[line["Mã đảng viên"]]
        assert line["Họ và tên"] == m.full_name
        assert line["Ngày sinh"] == m.birth_date
        assert line["Chi bộ"] == m.home_unit.name
        assert line["Ngày vào Đảng"] == m.admitted_on
        assert line["Giới tính"] in ("Nam", "Nữ")
        assert line["Trạng thái"] == "Chính thức"
    # The page's filters: one cell, by code, and everyone with "all" (the deceased too).
    r = client_for(cast.base_officer).get(
        reverse("members:export"), {"unit": world.cell.code, "status": "all"}
    )
    (sheet,) = read_xlsx(r.content)
    assert sorted(sheet.column("Mã đảng viên")) == sorted(
        Member.objects.filter(home_unit=world.cell).values_list("code", flat=True)
    )
    r = client_for(cast.base_officer).get(reverse("members:export"), {"status": "all"})
    (sheet,) = read_xlsx(r.content)
    assert (
        dict(zip(sheet.column("Họ và tên"), sheet.column("Trạng thái"), strict=True))[
            world.member2.full_name
        ]
        == "Từ trần"
    )


def test_member_list_export_scope(world, cast, client_for):
    r = client_for(cast.outsider).get(reverse("members:export"))
    (sheet,) = read_xlsx(r.content)
    assert sheet.column("Mã đảng viên") == [world.other_member.code]
    assert client_for(cast.member).get(reverse("members:export")).status_code == 403
    assert client_for(cast.base_officer).post(reverse("members:export")).status_code == 405
    page = client_for(cast.base_officer).get(reverse("members:list"), {"q": "Hùng"})
    assert reverse("members:export") + "?q=H%C3%B9ng" in page.content.decode()


def test_transfers_export_matches_the_hand_counts(world, cast, client_for, moves):  # noqa: F811
    url = reverse("members:transfers_export", args=[world.base.pk])
    r = client_for(cast.viewer).get(url, {"from": "01/01/2025", "to": "30/06/2025"})
    assert r.status_code == 200
    assert "chuyen-sinh-hoat-x01-20250101-20250630.xlsx" in r["Content-Disposition"]
    (sheet,) = read_xlsx(r.content)
    # The page's order, counted by hand in test_transfers: c 46 days so far, b 29, a 10, d 35.
    want = [
        ("c", "Chuyển đến", "Đang chuyển", None, 46),
        ("b", "Nội bộ", "Đang chuyển", None, 29),
        ("a", "Chuyển đi", "Đã tiếp nhận", D(2025, 3, 20), 10),
        ("d", "Nội bộ", "Đã tiếp nhận", D(2025, 1, 5), 35),
        ("f", "Chuyển đi", "Đã hủy", None, None),
    ]
    got = [
        (
            line["Mã đảng viên"],
            line["Chiều"],
            line["Tình trạng"],
            line["Ngày tiếp nhận"],
            line["Số ngày trên đường"],
        )
        for line in sheet.dicts()
    ]
    assert got == [(moves[k].member.code, d, p, rec, n) for k, d, p, rec, n in want]
    for line, (k, *_rest) in zip(sheet.dicts(), want, strict=True):
        t = moves[k]
        assert line["Ngày chuyển đi"] == t.sent_on
        assert line["Từ chi bộ"] == t.from_unit.name and line["Đến chi bộ"] == t.to_unit.name
        assert line["Số giấy giới thiệu"] == t.letter_number
    assert "Chuyển đến: đang chuyển 1, đã tiếp nhận 0, đã hủy 0" in sheet.heading


def test_transfers_export_access(world, cast, client_for):
    url = reverse("members:transfers_export", args=[world.base.pk])
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.member).get(url).status_code == 403
    assert client_for(cast.viewer).post(url).status_code == 405
    bad = client_for(cast.viewer).get(url, {"from": "01/07/2025", "to": "30/06/2025"})
    assert bad.status_code == 302
    today = timezone.localdate()
    (sheet,) = read_xlsx(client_for(cast.viewer).get(url).content)
    assert sheet.rows == [] and f"đến ngày {today:%d/%m/%Y}" in sheet.heading[2]
