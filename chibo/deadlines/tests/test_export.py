"""The deadline board as Excel: the summary's counts and each list's rows, checked against
the members the test made (counted here) and the board's own day and scope."""

import datetime as dt

from django.urls import reverse

from chibo.development.models import Candidate
from chibo.meetings.models import Task
from chibo.testing.exports import read_xlsx

from .test_pages import due  # noqa: F401  (the fixture)

D = dt.date


def test_board_export_lists_every_row(world, cast, client_for, due):  # noqa: F811
    c = client_for(cast.base_officer)
    r = c.get(reverse("deadlines:export", args=[world.base.pk]), {"on": "14/04/2026"})
    assert r.status_code == 200
    assert "han-viec-x01-2026-04-14.xlsx" in r["Content-Disposition"]
    sheets = {s.title: s for s in read_xlsx(r.content)}
    summary = sheets["Tổng hợp"]
    assert summary.heading[1] == world.base.name
    assert summary.heading[2].startswith("Tính đến ngày 14/04/2026")
    counts = dict(zip(summary.column("Danh mục"), summary.column("Số lượng"), strict=True))
    overdue = dict(zip(summary.column("Danh mục"), summary.column("Quá hạn"), strict=True))
    # The fixture: one ceremony overdue, one review overdue, one review voted (decision
    # awaited); no probation ending, no meeting task.
    assert counts["Lễ kết nạp chưa tổ chức"] == 1 and overdue["Lễ kết nạp chưa tổ chức"] == 1
    assert counts["Đến hạn xét chính thức"] == 1 and overdue["Đến hạn xét chính thức"] == 1
    assert counts["Chờ quyết định chính thức"] == 1
    assert counts["Sắp hết thời gian dự bị"] == 0
    assert counts["Nhiệm vụ quá hạn"] == Task.objects.count() == 0
    ceremonies = sheets["Lễ kết nạp chưa tổ chức"]
    assert ceremonies.dicts() == [
        {
            "STT": 1,
            "Mã đảng viên": due["ceremony"].code,
            "Họ và tên": "Lễ Quá Hạn",
            "Chi bộ": world.cell.name,
            "Ngày quyết định kết nạp": D(2026, 2, 2),
            "Hạn tổ chức lễ": D(2026, 3, 23),  # counted by hand in test_pages
            "Quá hạn": "Có",
        }
    ]
    decisions = sheets["Chờ quyết định chính thức"]
    assert decisions.column("Họ và tên") == ["Đã Biểu Quyết"]
    assert decisions.column("Ngày chi bộ biểu quyết") == [D(2026, 4, 10)]
    assert sheets["Đến hạn xét chính thức"].column("Hạn chi bộ xét") == [D(2026, 4, 13)]
    assert "Xem xét xóa tên" in sheets
    assert Candidate.objects.count() == 0  # no candidate: the lists come from the members


def test_board_export_scope_and_access(world, cast, client_for, due):  # noqa: F811
    url = reverse("deadlines:export", args=[world.cell2.pk])
    r = client_for(cast.base_officer).get(url, {"on": "14/04/2026"})
    sheets = {s.title: s for s in read_xlsx(r.content)}
    assert sheets["Đến hạn xét chính thức"].column("Họ và tên") == ["Xét Quá Hạn"]
    assert "Lễ kết nạp chưa tổ chức" in sheets
    assert sheets["Lễ kết nạp chưa tổ chức"].rows == []
    base = reverse("deadlines:export", args=[world.base.pk])
    assert client_for(cast.outsider).get(base).status_code == 404
    assert client_for(cast.member).get(base).status_code == 403
    assert client_for(cast.viewer).post(base).status_code == 405
    assert client_for(cast.viewer).get(base, {"on": "31/12/1989"}).status_code == 302
