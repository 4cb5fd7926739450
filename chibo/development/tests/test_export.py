"""The candidates board as Excel: every candidate of the board's scope and filter, checked
against the database; and the board's cell dropdown in natural order."""

import datetime as dt

import pytest
from django.urls import reverse

from chibo.development.models import Candidate, Stage
from chibo.development.queries import CARDS_PER_COLUMN
from chibo.org.models import Kind
from chibo.testing import factories as f
from chibo.testing.exports import read_xlsx

from .builders import candidate

D = dt.date


@pytest.fixture
def introducers(world):
    return world.member, f.member(world.cell, full_name="Đỗ Văn Giới", admitted_on=D(2012, 6, 1))


def test_export_lists_every_candidate_of_the_scope(world, cast, client_for, introducers):
    candidate(world.cell, Stage.CLASS_DONE, name="Bùi Thị Lớp")
    candidate(world.cell2, Stage.VOTED, introducers=introducers, name="Cao Văn Phiếu")
    for i in range(3):
        candidate(world.cell2, Stage.PROPOSED, name=f"Âu Văn {i}")
    candidate(world.other_cell, Stage.PROPOSED, name="Ngoài Phạm Vi")
    c = client_for(cast.base_officer)
    r = c.get(reverse("development:board_export", args=[world.base.pk]))
    assert r.status_code == 200
    (sheet,) = read_xlsx(r.content)
    assert sheet.heading[:2] == [
        "DANH SÁCH QUẦN CHÚNG ƯU TÚ VÀ PHÁT TRIỂN ĐẢNG VIÊN",
        world.base.name,
    ]
    in_scope = Candidate.objects.filter(cell__in=[world.cell, world.cell2])
    assert sorted(sheet.column("Họ và tên")) == sorted(in_scope.values_list("full_name", flat=True))
    # Pipeline order: the proposed first, then the class, then the vote.
    assert sheet.column("Họ và tên") == [
        "Âu Văn 0",
        "Âu Văn 1",
        "Âu Văn 2",
        "Bùi Thị Lớp",
        "Cao Văn Phiếu",
    ]
    by_name = {line["Họ và tên"]: line for line in sheet.dicts()}
    voted = Candidate.objects.get(full_name="Cao Văn Phiếu")
    line = by_name["Cao Văn Phiếu"]
    assert line["Chi bộ"] == world.cell2.name
    assert line["Ngày sinh"] == voted.birth_date and line["Ngày chi bộ biểu quyết"] == voted.vote_on
    assert line["Tán thành / tổng số"] == f"{voted.votes_for}/{voted.votes_eligible}"
    assert by_name["Bùi Thị Lớp"]["Hoàn thành lớp cảm tình Đảng"] == D(2024, 11, 20)
    # One cell, as the board's filter.
    r = c.get(reverse("development:board_export", args=[world.base.pk]), {"cell": world.cell.pk})
    (sheet,) = read_xlsx(r.content)
    assert sheet.column("Họ và tên") == ["Bùi Thị Lớp"]


def test_export_holds_more_than_the_board_shows(world, cast, client_for):
    for i in range(CARDS_PER_COLUMN + 2):
        Candidate.objects.create(
            cell=world.cell,
            full_name=f"Người {i:03d}",
            search_name=f"nguoi {i:03d}",
            gender="male",
            birth_date=D(2000, 1, 1),
            proposed_on=D(2026, 1, 5),
        )
    r = client_for(cast.base_officer).get(reverse("development:board_export", args=[world.base.pk]))
    (sheet,) = read_xlsx(r.content)
    assert len(sheet.rows) == Candidate.objects.count() == CARDS_PER_COLUMN + 2


def test_export_access(world, cast, client_for):
    url = reverse("development:board_export", args=[world.base.pk])
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.member).get(url).status_code == 403
    assert client_for(cast.viewer).post(url).status_code == 405
    assert client_for(cast.viewer).get(url).status_code == 200


def test_cell_dropdown_in_natural_order(world, cast, client_for):
    base = f.unit(Kind.BASE_COMMITTEE, world.province, name="Đảng bộ phường Số")
    for n in (10, 2, 1):
        f.unit(Kind.CELL, base, name=f"Chi bộ khu phố {n}")
    html = client_for(cast.province_officer).get(reverse("development:board", args=[base.pk])).text
    select = html.split('id="id_cell"', 1)[1].split("</select>", 1)[0]
    at = [select.index(f">Chi bộ khu phố {n}</option>") for n in (1, 2, 10)]
    assert at == sorted(at)
