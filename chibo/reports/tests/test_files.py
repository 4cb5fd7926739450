"""The report files: the Excel workbook and the Word report, built by the worker with a
progress bar, downloaded by the person who asked.

The sections here are fakes registered for these tests (the real ones come from the domains):
their figures are fixed numbers, so every figure in the files is checked against a number
written in the test."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django_tasks_db.models import DBTaskResult
from docx import Document
from openpyxl import load_workbook

from chibo.core import reporting
from chibo.core.reporting import Period, Section, share
from chibo.documents.models import IssuedDocument
from chibo.members.models import Position, PositionKind
from chibo.notices.models import Notice
from chibo.reports.files import excel, word
from chibo.reports.files import urls as file_urls
from chibo.reports.models import FileState, ReportFile
from chibo.reports.reminders import REPORT_FILE_FAILED, REPORT_FILE_READY
from chibo.site import urls as site_urls

# The files' views under the reports namespace, as the reports' URLs include them (added here
# only while the site's URLs do not include them yet).
urlpatterns = list(site_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "reports" for p in urlpatterns):
    urlpatterns.append(path("reports/files/", include((file_urls.urlpatterns, "reports"))))
pytestmark = pytest.mark.urls(__name__)

YEAR = Period.year(2025)
HTMX = {"HTTP_HX_REQUEST": "true"}
UNEXPECTED = "An unexpected error stopped the work. Try again, or tell the administrator."


class PeopleSection(Section):
    """Fixed figures by unit: `values` maps a unit id to its figures."""

    key = "people"
    order = 1
    title = gettext_lazy("Members")  # "Đảng viên"
    labels = {
        "total": gettext_lazy("Members"),
        "heads": "Trưởng thôn là đảng viên",
        "by_kind": "Theo loại",
        "nobody": "Tỷ lệ trống",
    }
    table = ("total", "heads")

    def __init__(self, values: dict[int, dict]) -> None:
        self.values = values
        self.calls: list[list[int]] = []

    def figures(self, roots, period):
        self.calls.append(list(roots))
        return {r: self.values.get(r, {"total": 0, "heads": share(0, 0)}) for r in roots}


class MeetingsSection(Section):
    key = "meets"
    order = 2
    title = "Sinh hoạt chi bộ"
    labels = {"held": "Số buổi sinh hoạt", "monthly": "Chi bộ sinh hoạt đều hằng tháng"}
    table = ("monthly",)

    def __init__(self, values: dict[int, dict]) -> None:
        self.values = values
        self.progress_seen: list[int] = []

    def figures(self, roots, period):
        # What the page polling the file would read while this section is computed.
        self.progress_seen += list(ReportFile.objects.values_list("progress", flat=True))
        return {r: self.values.get(r, {"held": 0, "monthly": share(0, 0)}) for r in roots}


@pytest.fixture
def fake_sections(world, monkeypatch):
    """Two sections with known figures for the base committee and its two cells; the real
    registry is set aside for the test and restored after it."""
    people = PeopleSection(
        {
            world.base.pk: {
                "total": 1234,
                "heads": share(3, 13),
                "by_kind": {"official": 1200, "probationary": 34},
                "nobody": share(0, 0),
            },
            world.cell.pk: {"total": 1561, "heads": share(1561, 1565)},
            world.cell2.pk: {"total": 7, "heads": share(1, 8)},
        }
    )
    meets = MeetingsSection(
        {
            world.base.pk: {"held": 24, "monthly": share(2, 3)},
            world.cell.pk: {"held": 12, "monthly": share(12, 12)},
            world.cell2.pk: {"held": 9, "monthly": share(9, 12)},
        }
    )
    reporting.SECTIONS._ready()  # the domains' sections register first, then are set aside
    monkeypatch.setattr(reporting.SECTIONS, "_items", {"people": people, "meets": meets})
    return people, meets


# Excel -------------------------------------------------------------------------------------


def test_workbook(world, fake_sections):
    people, _meets = fake_sections
    wb = load_workbook(io.BytesIO(excel.workbook(world.base, YEAR)))
    assert wb.sheetnames == ["Đảng viên", "Sinh hoạt chi bộ", "Đơn vị trực thuộc"]
    # One query round per section for the unit and its sub-units together.
    assert len(people.calls) == 1
    assert set(people.calls[0]) == {world.base.pk, world.cell.pk, world.cell2.pk}

    ws = wb["Đảng viên"]
    cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None}
    texts = [c.value for c in cells.values() if isinstance(c.value, str)]
    assert "Đảng bộ xã An Hòa" in texts and "Năm 2025" in texts
    assert "Số liệu tính đến ngày 31/12/2025" in texts
    rows = {
        ws.cell(row=r, column=2).value: [ws.cell(row=r, column=c) for c in range(1, 6)]
        for r in range(1, ws.max_row + 1)
    }
    assert [c.value for c in rows["Chỉ tiêu"]] == [
        "TT",
        "Chỉ tiêu",
        "Số lượng",
        "Trên tổng số",
        "Tỷ lệ",
    ]
    total = rows["Đảng viên"]
    assert total[0].value == 1 and total[2].value == 1234 and isinstance(total[2].value, int)
    assert total[2].number_format == "#,##0" and total[3].value is None
    heads = rows["Trưởng thôn là đảng viên"]
    assert (heads[2].value, heads[3].value) == (3, 13)
    assert heads[2].number_format == heads[3].number_format == "#,##0"
    assert heads[4].value == pytest.approx(0.2308) and heads[4].number_format == "0.00%"
    # A figure broken down by kind: its parts under it, unnumbered.
    assert rows["Theo loại"][2].value is None
    assert rows["    – official"][2].value == 1200 and rows["    – official"][0].value is None
    assert rows["    – probationary"][2].value == 34
    # 0 of 0: no percentage, not 0%.
    nobody = rows["Tỷ lệ trống"]
    assert (nobody[2].value, nobody[3].value, nobody[4].value) == (0, 0, None)

    ws = wb["Sinh hoạt chi bộ"]
    monthly = next(r for r in ws.iter_rows() if r[1].value == "Chi bộ sinh hoạt đều hằng tháng")
    assert monthly[4].value == pytest.approx(0.6667)


def test_subunit_sheet(world, fake_sections):
    ws = load_workbook(io.BytesIO(excel.workbook(world.base, YEAR)))["Đơn vị trực thuộc"]
    grid = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(grid) if row[0] == "TT")
    # Two header rows: each figure's label, then a share's two columns.
    assert grid[header] == [
        "TT",
        "Đơn vị",
        "Đảng viên",
        "Trưởng thôn là đảng viên",
        None,
        "Chi bộ sinh hoạt đều hằng tháng",
        None,
    ]
    assert grid[header + 1][3:] == ["Số lượng", "Tỷ lệ", "Số lượng", "Tỷ lệ"]
    body = grid[header + 2 :]
    assert body == [
        [1, "Chi bộ thôn Đông", 1561, 1561, pytest.approx(0.9974), 12, 1.0],
        [2, "Chi bộ trường Tiểu học", 7, 1, 0.125, 9, 0.75],
        [None, "Toàn Đảng bộ xã An Hòa", 1234, 3, pytest.approx(0.2308), 2, pytest.approx(0.6667)],
    ]
    row = header + 3
    assert ws.cell(row=row, column=3).number_format == "#,##0"
    assert ws.cell(row=row, column=5).number_format == "0.00%"


def test_workbook_of_a_cell_has_an_empty_subunit_sheet(world, fake_sections):
    wb = load_workbook(io.BytesIO(excel.workbook(world.cell, YEAR)))
    values = [c.value for row in wb["Đơn vị trực thuộc"].iter_rows() for c in row]
    assert "(Không có đơn vị trực thuộc)" in values


# Word --------------------------------------------------------------------------------------


def _docx(data: bytes):
    doc = Document(io.BytesIO(data))
    header = doc.tables[0]
    texts = [p.text for p in doc.paragraphs]
    return doc, header, texts


def _table(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_word_report(world, cast, fake_sections):
    secretary = cast.secretary.member
    Position.objects.create(
        member=secretary, kind=PositionKind.SECRETARY, unit=world.base, start=dt.date(2020, 1, 1)
    )
    data = word.build_docx(world.base, YEAR, actor=cast.base_officer)
    doc, header, texts = _docx(data)
    left, right = (c.text for c in header.rows[0].cells)
    assert left.split("\n") == ["ĐẢNG BỘ TỈNH THỬ", "ĐẢNG BỘ XÃ AN HÒA", "*", "Số 01-BC/ĐU"]
    today = timezone.localdate()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in right and f"ngày {today.day:02d} tháng" in right
    assert "An Hòa, ngày" in right
    assert "BÁO CÁO" in texts and "Số liệu công tác xây dựng Đảng năm 2025" in texts
    assert any("(số liệu tính đến ngày 31/12/2025)" in t for t in texts)
    assert "I. ĐẢNG VIÊN" in texts and "II. SINH HOẠT CHI BỘ" in texts
    assert "III. SỐ LIỆU CÁC ĐƠN VỊ TRỰC THUỘC" in texts
    people, meets, subunits, signature = doc.tables[1:]
    assert _table(people) == [
        ["TT", "Chỉ tiêu", "Số liệu"],
        ["1", "Đảng viên", "1.234"],
        ["2", "Trưởng thôn là đảng viên", "3/13 (23,08%)"],
        ["3", "Theo loại", ""],
        ["", "– official", "1.200"],
        ["", "– probationary", "34"],
        ["4", "Tỷ lệ trống", "0/0"],
    ]
    assert _table(meets)[1:] == [
        ["1", "Số buổi sinh hoạt", "24"],
        ["2", "Chi bộ sinh hoạt đều hằng tháng", "2/3 (66,67%)"],
    ]
    assert _table(subunits) == [
        [
            "TT",
            "Đơn vị",
            "Đảng viên",
            "Trưởng thôn là đảng viên",
            "Chi bộ sinh hoạt đều hằng tháng",
        ],
        ["1", "Chi bộ thôn Đông", "1.561", "1.561/1.565 (99,74%)", "12/12 (100,00%)"],
        ["2", "Chi bộ trường Tiểu học", "7", "1/8 (12,50%)", "9/12 (75,00%)"],
        ["", "Toàn Đảng bộ xã An Hòa", "1.234", "3/13 (23,08%)", "2/3 (66,67%)"],
    ]
    left, right = (c.text for c in signature.rows[0].cells)
    assert left.startswith("Nơi nhận:\n- Đảng ủy tỉnh Thử,\n- Lưu.")
    assert right.split("\n") == ["T/M ĐẢNG ỦY", "BÍ THƯ", "", "", "", "Phạm Văn Bí Thư"]

    # The next report of the term takes the next number; the command line's takes none.
    _doc, header, _texts = _docx(word.build_docx(world.base, YEAR, actor=cast.base_officer))
    assert "Số 02-BC/ĐU" in header.rows[0].cells[0].text
    _doc, header, _texts = _docx(word.build_docx(world.base, YEAR))
    assert "Số    -BC/ĐU" in header.rows[0].cells[0].text
    assert IssuedDocument.objects.filter(issuer=world.base, type="BC").count() == 2


def test_word_report_of_a_cell(world, fake_sections):
    doc, header, texts = _docx(word.build_docx(world.cell, Period.quarter(2025, 2)))
    assert "Số    -BC/CB" in header.rows[0].cells[0].text
    assert "Số liệu công tác xây dựng Đảng quý 2/2025" in texts
    assert not any("ĐƠN VỊ TRỰC THUỘC" in t for t in texts)  # a cell has no sub-units
    signature = doc.tables[-1]
    assert signature.rows[0].cells[1].text.split("\n")[:2] == ["T/M CHI BỘ", "BÍ THƯ"]


# The worker, the panel and the download ----------------------------------------------------


def _request(client, world, fmt: str, **extra):
    return client.post(
        reverse("reports:file_request"),
        {"unit": world.base.pk, "period": "2025", "format": fmt, "next": "/org/"},
        **extra,
    )


# The worker closes the database connections between tasks, as in production: a test in one
# transaction would lose its connection (on the kept file database of `make test-fast`).
@pytest.mark.django_db(transaction=True)
def test_file_built_by_the_worker(
    world, cast, fake_sections, client_for, settings, django_capture_on_commit_callbacks
):
    settings.CHIBO_DAILY_HOUR = 24  # no daily job in this run of the worker
    _people, meets = fake_sections
    officer = client_for(cast.base_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = _request(officer, world, "xlsx", **HTMX)
    assert r.status_code == 200
    file = ReportFile.objects.get()
    assert (file.requested_by, file.unit, file.state) == (cast.base_officer, world.base, "queued")
    assert (file.start, file.end, file.format) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        "xlsx",
    )
    # The panel polls the waiting file every second, with an accessible progress bar.
    assert f'id="report-file-{file.pk}"' in r.text and 'hx-trigger="every 1s"' in r.text
    assert 'role="progressbar"' in r.text and 'aria-valuenow="0"' in r.text
    assert DBTaskResult.objects.count() == 1
    # Asking again while it waits gives the same file.
    with django_capture_on_commit_callbacks(execute=True):
        _request(officer, world, "xlsx", **HTMX)
    assert ReportFile.objects.count() == 1 and DBTaskResult.objects.count() == 1

    call_command("worker", "--once", verbosity=0)

    file.refresh_from_db()
    assert file.state == FileState.DONE and file.progress == 100 and file.finished_at
    assert file.name == "bao-cao-x01-2025.xlsx" and file.error == ""
    # The page polling it saw the first section's share of the work when the second ran.
    assert meets.progress_seen == [45]
    notice = Notice.objects.get(user=cast.base_officer)
    download = reverse("reports:file_download", args=[file.pk])
    assert notice.kind == REPORT_FILE_READY and notice.url == download
    assert notice.params["format"] == "Excel" and notice.params["start"] == "01/01/2025"
    assert not Notice.objects.exclude(user=cast.base_officer).exists()

    r = officer.get(reverse("reports:file_status", args=[file.pk]))
    assert r.status_code == 200 and "every 1s" not in r.text and download in r.text
    r = officer.get(download)
    assert r.status_code == 200
    assert r["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert r["Content-Disposition"] == 'attachment; filename="bao-cao-x01-2025.xlsx"'
    assert load_workbook(io.BytesIO(r.content)).sheetnames[0] == "Đảng viên"
    # The file is the requester's: the province's officer reads the unit, yet gets 404.
    for other in (cast.province_officer, cast.outsider, cast.member):
        c = client_for(other)
        assert c.get(download).status_code == 404
        assert c.get(reverse("reports:file_status", args=[file.pk])).status_code == 404
    # The wrong method.
    assert officer.post(download).status_code == 405
    assert officer.post(reverse("reports:file_status", args=[file.pk])).status_code == 405
    assert officer.get(reverse("reports:file_request")).status_code == 405


def test_word_file_by_the_task(world, cast, fake_sections, client_for):
    from chibo.reports.files.tasks import build_report_file

    officer = client_for(cast.base_officer)
    r = _request(officer, world, "docx")
    # Without JavaScript, back to the page the panel is on.
    assert r.status_code == 302 and r["Location"] == "/org/"
    file = ReportFile.objects.get()
    assert build_report_file.call(file.pk) == FileState.DONE
    r = officer.get(reverse("reports:file_download", args=[file.pk]))
    assert r["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert r["Content-Disposition"] == 'attachment; filename="bao-cao-x01-2025.docx"'
    _doc, header, _texts = _docx(r.content)
    assert "Số 01-BC/ĐU" in header.rows[0].cells[0].text
    assert build_report_file.call(file.pk) == FileState.DONE  # run twice: built once
    assert IssuedDocument.objects.filter(type="BC").count() == 1


def test_failure_is_said_in_vietnamese(world, cast, fake_sections, client_for, monkeypatch):
    from chibo.reports.files.tasks import build_report_file

    def broken(unit, period, *, number, day, report=None):
        # The number was taken just before the file was written.
        assert IssuedDocument.objects.filter(issuer=world.base, type="BC").count() == 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(word, "report_docx", broken)
    _request(client_for(cast.base_officer), world, "docx")
    file = ReportFile.objects.get()
    assert build_report_file.call(file.pk) == FileState.FAILED
    file.refresh_from_db()
    assert file.state == FileState.FAILED and file.content is None and file.finished_at
    with translation.override("vi"):  # the message as the catalogue says it in Vietnamese
        assert file.error == gettext(UNEXPECTED)
    notice = Notice.objects.get(user=cast.base_officer)
    assert notice.kind == REPORT_FILE_FAILED and notice.params["error"] == file.error
    # The number of the file that was not written is given back.
    assert not IssuedDocument.objects.exists()
    c = client_for(cast.base_officer)
    r = c.get(reverse("reports:file_status", args=[file.pk]))
    assert file.error in r.text and "every 1s" not in r.text
    assert c.get(reverse("reports:file_download", args=[file.pk])).status_code == 404


def test_refusal_is_the_reason(world, cast, fake_sections, client_for):
    """A refusal the person can act on (no committee term recorded for the day, so no number
    can be taken) is said as it is."""
    from chibo.documents.models import Term
    from chibo.reports.files.tasks import build_report_file

    Term.objects.all().delete()
    _request(client_for(cast.base_officer), world, "docx")
    file = ReportFile.objects.get()
    assert build_report_file.call(file.pk) == FileState.FAILED
    file.refresh_from_db()
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert file.error == f"Chưa có nhiệm kỳ cấp ủy nào được ghi nhận cho ngày {day}."


def test_request_refused(world, cast, fake_sections, client_for):
    officer = client_for(cast.base_officer)
    url = reverse("reports:file_request")
    for who in (cast.outsider, cast.member):
        assert _request(client_for(who), world, "xlsx").status_code == 404
    r = officer.post(url, {"unit": world.base.pk, "period": "2025-13", "format": "xlsx"})
    assert r.status_code == 400
    r = officer.post(url, {"unit": world.base.pk, "period": "2025", "format": "pdf"})
    assert r.status_code == 400
    assert officer.post(url, {"unit": "x", "period": "2025", "format": "xlsx"}).status_code == 404
    # Somewhere else than this site: back to the home page instead.
    r = officer.post(
        url,
        {
            "unit": world.base.pk,
            "period": "2025",
            "format": "xlsx",
            "next": "https://evil.example/",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/"
    assert ReportFile.objects.count() == 1


def test_panel(world, cast, fake_sections, rf):
    from django.template.loader import render_to_string

    from chibo.reports.files.views import panel_context

    other = ReportFile.objects.create(
        requested_by=cast.province_officer,
        unit=world.base,
        start=YEAR.start,
        end=YEAR.end,
        format="xlsx",
    )
    mine = ReportFile.objects.create(
        requested_by=cast.base_officer,
        unit=world.base,
        start=YEAR.start,
        end=YEAR.end,
        format="docx",
        state=FileState.RUNNING,
        progress=40,
    )
    request = rf.get("/reports/?org=X01&year=2025")
    request.user = cast.base_officer
    context = panel_context(request, world.base, YEAR)
    assert context["report_files"] == [mine] and other.pk
    html = render_to_string("reports/files/panel.html", context, request)
    # The bar's width comes from data-progress through chibo.js (no style attribute: CSP).
    assert 'aria-valuenow="40"' in html and 'data-progress="40"' in html
    assert html.count("<form") == 2 and 'value="2025"' in html
    assert 'name="next" value="/reports/?org=X01&amp;year=2025"' in html


def test_word_cuts_a_wide_subunit_table_between_sections():
    """At most six figures side by side on a portrait page: a section that does not fit goes
    whole to the next table; one wider than a table is cut."""
    from chibo.reports.files.report import Column

    def cols(section: str, n: int) -> list[Column]:
        owner = type(section, (), {})()
        return [Column(owner, f"{section}{i}", f"{section}{i}", False) for i in range(n)]  # type: ignore[arg-type]

    a, b, c, d = cols("a", 3), cols("b", 2), cols("c", 4), cols("d", 8)
    groups = word._column_groups([*a, *b, *c, *d])
    assert [[col.path for col in g] for g in groups] == [
        ["a0", "a1", "a2", "b0", "b1"],
        ["c0", "c1", "c2", "c3"],
        ["d0", "d1", "d2", "d3", "d4", "d5"],
        ["d6", "d7"],
    ]
    assert word._column_groups([]) == [[]]
