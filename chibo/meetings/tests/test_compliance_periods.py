"""The compliance view's periods in progress and by year, its marks in words, its downloads,
and cells in natural order (issue 10, item 13). Figures are counted here from the meetings,
independently of the report."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.meetings.compliance.forms import PeriodForm
from chibo.meetings.compliance.queries import compliance_report, parse_period
from chibo.meetings.models import Kind, Meeting, State
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f
from chibo.testing.exports import read_csv, read_xlsx

from .test_compliance import expected_row, held


def _rows(unit, key, today=None):
    return {r.pk: r for r in compliance_report(unit, parse_period(key), today=today).cells}


def test_a_month_in_progress_is_not_yet_due(world):
    f.member(world.cell2)
    held(world.cell, dt.date(2026, 3, 5))
    rows = _rows(world.base, "2026-03", today=dt.date(2026, 3, 20))
    assert rows[world.cell.pk].monthly is True
    assert rows[world.cell2.pk].monthly is None and rows[world.cell2.pk].months_pending
    assert rows[world.cell2.pk].missing == []
    # The quarter ends with March: its thematic meeting is not due on the 20th either.
    assert rows[world.cell.pk].thematic is None
    # The day after the month, it is.
    after = _rows(world.base, "2026-03", today=dt.date(2026, 4, 1))
    assert after[world.cell2.pk].monthly is False and after[world.cell2.pk].thematic is False


def test_the_year_so_far_is_judged_on_the_months_that_are_over(world):
    for month in (1, 2, 3):
        held(world.cell, dt.date(2026, month, 10))
    held(world.cell2, dt.date(2026, 2, 10))
    rows = _rows(world.base, "2026", today=dt.date(2026, 4, 10))
    assert rows[world.cell.pk].monthly is True
    assert rows[world.cell.pk].months_pending == [dt.date(2026, m, 1) for m in range(4, 13)]
    assert rows[world.cell2.pk].monthly is False
    assert rows[world.cell2.pk].months_missing == [dt.date(2026, 1, 1), dt.date(2026, 3, 1)]
    # The first quarter is over without a thematic meeting; the others are not yet due.
    assert rows[world.cell.pk].thematic is False
    assert [q.key for q in rows[world.cell.pk].quarters_missing] == ["2026-Q1"]


def test_a_year_needs_twelve_months_and_four_thematic_meetings(world):
    cell = world.cell
    for month in range(1, 13):
        kind = Kind.THEMATIC if month in (2, 5, 11) else Kind.REGULAR
        held(cell, dt.date(2025, month, 10), kind=kind, combined=kind == Kind.THEMATIC, minutes=125)
    held(world.cell2, dt.date(2025, 4, 10))
    year = parse_period("2025")
    assert (year.start, year.end, year.is_year) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        True,
    )
    rows = _rows(world.base, "2025")
    # Counted here: the third quarter had no thematic meeting.
    assert rows[cell.pk].monthly is True
    assert rows[cell.pk].thematic is False
    assert [q.key for q in rows[cell.pk].quarters_missing] == ["2025-Q3"]
    want = expected_row(world.cell2, year.start, year.end, year.start, True)
    assert rows[world.cell2.pk].present == want["present"]
    assert rows[world.cell2.pk].expected == want["expected"]
    assert len(rows[world.cell2.pk].months_missing) == 11
    held_2025 = Meeting.objects.filter(
        cell__in=[cell, world.cell2], state__in=[State.HELD, State.ADOPTED]
    )
    assert compliance_report(world.base, year).meetings_held == held_2025.count() == 13
    # The year so far: months after today are not yet due.
    so_far = _rows(world.base, "2025", today=dt.date(2025, 4, 15))
    assert so_far[world.cell2.pk].months_missing == [
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 1),
    ]
    assert so_far[world.cell2.pk].monthly is False
    assert so_far[cell.pk].monthly is True and so_far[cell.pk].months_pending == []
    assert so_far[world.cell2.pk].months_pending == [dt.date(2025, m, 1) for m in range(5, 13)]


def test_period_choices_offer_the_month_and_year_so_far():
    form = PeriodForm(today=dt.date(2026, 12, 6))
    choices = dict(form.fields["period"].widget.choices)
    assert "2026-12" in choices and "2026" in choices and "2025" in choices
    assert "2026-Q4" in choices and "2026-11" in choices


def test_not_yet_due_is_written_not_hovered(world, cast, en):
    f.member(world.cell2)
    today = timezone.localdate()
    page = en(cast.base_officer).get(
        reverse("compliance:report", args=[world.base.pk]), {"period": f"{today:%Y-%m}"}
    )
    html = page.content.decode()
    # Both cells' monthly meeting of this month is pending: said in words in the cell.
    assert html.count('<span class="mark-pending">not due yet</span>') >= 2
    assert 'title="not due yet"' not in html


@pytest.fixture
def numbered(world):
    """Cells named 10, 2 and 1 under a base committee, created in that order."""
    base = f.unit(UnitKind.BASE_COMMITTEE, world.province, name="Đảng bộ phường Số", code="P9")
    cells = [
        f.unit(UnitKind.CELL, base, name=f"Chi bộ khu phố {n}", code=f"P9-{n:02d}")
        for n in (10, 2, 1)
    ]
    for c in cells:
        f.member(c)
        f.member(c)
    held(cells[0], dt.date(2026, 3, 5), minutes=95)
    held(cells[1], dt.date(2026, 3, 6), minutes=60, absent=1)
    return base, cells


NATURAL = ["Chi bộ khu phố 1", "Chi bộ khu phố 2", "Chi bộ khu phố 10"]


def test_table_and_export_list_cells_in_natural_order(numbered, cast, client_for):
    base, cells = numbered
    c = client_for(cast.province_officer)
    query = {"period": "2026-03"}
    html = c.get(reverse("compliance:report", args=[base.pk]), query).content.decode()
    at = [html.index(f">{name}</a>") for name in NATURAL]
    assert at == sorted(at)
    (sheet,) = read_xlsx(c.get(reverse("compliance:xlsx", args=[base.pk]), query).content)
    assert sheet.column("Chi bộ") == NATURAL
    headers, rows = read_csv(c.get(reverse("compliance:csv", args=[base.pk]), query).content)
    assert [r[headers.index("Chi bộ")] for r in rows] == NATURAL


def test_export_has_the_page_figures_counted_independently(numbered, cast, client_for):
    base, cells = numbered
    by_name = {cell.name: cell for cell in cells}
    period = parse_period("2026-03")
    c = client_for(cast.province_officer)
    response = c.get(reverse("compliance:xlsx", args=[base.pk]), {"period": "2026-03"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "tuan-thu-sinh-hoat-p9-2026-03.xlsx" in response["Content-Disposition"]
    (sheet,) = read_xlsx(response.content)
    assert sheet.heading[:3] == ["TÌNH HÌNH SINH HOẠT CHI BỘ", base.name, sheet.heading[2]]
    assert sheet.heading[2].startswith("Kỳ: Tháng 03/2026")
    marks = {True: "Đạt", None: "Không có cuộc họp"}
    present = expected = 0
    for line in sheet.dicts():
        cell = by_name[line["Chi bộ"]]
        want = expected_row(cell, period.start, period.end, period.quarter_start, True)
        assert line["Mã chi bộ"] == cell.code
        assert line["Trực thuộc"] == base.name
        assert line["Sinh hoạt thường kỳ"] == ("Đạt" if want["monthly"] else "Thiếu: 03/2026"), (
            cell.name
        )
        assert line["Sinh hoạt chuyên đề"] == "Thiếu: Quý 1"  # none held a thematic meeting
        assert line["Thời lượng"] == {**marks, False: "Quá ngắn"}[want["duration"]]
        assert line["Dự họp"] == {**marks, False: "Chưa đạt"}[want["attendance"]]
        assert (line["Có mặt"], line["Phải dự"]) == (want["present"], want["expected"])
        present, expected = present + want["present"], expected + want["expected"]
        if want["expected"]:
            assert line["Tỷ lệ dự họp"] == pytest.approx(want["present"] / want["expected"])
        else:
            assert line["Tỷ lệ dự họp"] is None
    assert (present, expected) == (3, 4)  # 2/2 in khu phố 10, 1/2 in khu phố 2
    assert "Tổ chức sinh hoạt thường kỳ: 2/3 (66,67%)" in sheet.heading
    assert "Dự họp (có mặt/phải dự): 3/4 (75,00%)" in sheet.heading
    # The filter applies to the download as on the page.
    only = c.get(
        reverse("compliance:xlsx", args=[base.pk]), {"period": "2026-03", "missing": "monthly"}
    )
    (sheet,) = read_xlsx(only.content)
    assert sheet.column("Chi bộ") == ["Chi bộ khu phố 1"]
    assert sheet.column("STT") == [1]


def test_downloads_access(world, cast, client_for):
    for name in ("compliance:xlsx", "compliance:csv"):
        url = reverse(name, args=[world.base.pk])
        assert client_for(cast.outsider).get(url).status_code == 404
        assert client_for(cast.member).get(url).status_code == 403
        assert client_for(cast.base_officer).post(url).status_code == 405
        assert client_for(cast.viewer).get(url).status_code == 200
    bad = client_for(cast.base_officer).get(
        reverse("compliance:xlsx", args=[world.base.pk]), {"period": "2026-13"}
    )
    assert bad.status_code == 302 and "period=2026-13" in bad["Location"]
