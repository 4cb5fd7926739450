"""The dashboard, the rows behind a figure, the summary API and `chibo report`: who may read
them, bad periods, and that each shows the figures of the unit asked for (checked against
counts made here from the rows the test created)."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from chibo.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_section")]


def test_dashboard_shows_the_units_figures_and_its_sub_units(world, cast, client_for):
    # The world: 3 members under the province (2 under the base committee X01, 1 under X02),
    # plus the secretary's own record in cell X01-CB01: 4 and 3.
    r = client_for(cast.province_officer).get(f"/reports/{world.province.pk}/?period=2026")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-figure="plain.end"><a href="/reports/' in html
    assert ">4</a>" in html
    table = html[html.index('id="subunit-table"') :]
    assert world.base.name in table and world.other_base.name in table
    assert f"/reports/{world.base.pk}/?period=2026" in table


def test_rows_behind_a_figure_list_the_members_counted(world, cast, client_for):
    r = client_for(cast.base_officer).get(f"/reports/{world.base.pk}/rows/plain/end/?period=2026")
    assert r.status_code == 200
    html = r.content.decode()
    assert world.member.full_name in html and world.member2.full_name in html
    assert world.other_member.full_name not in html


@pytest.mark.parametrize("who", ["outsider", "member"])
def test_outsiders_and_plain_members_see_no_report(world, cast, client_for, who):
    c = client_for(getattr(cast, who))
    assert c.get(f"/reports/{world.base.pk}/").status_code == 404
    assert c.get(f"/reports/{world.base.pk}/rows/plain/end/?period=2026").status_code == 404
    assert c.get(f"/api/v1/reports/summary?org={world.base.code}&year=2026").status_code == 404


def test_a_viewer_reads_the_commune_but_not_the_province(world, cast, client_for):
    c = client_for(cast.viewer)
    assert c.get(f"/reports/{world.base.pk}/").status_code == 200
    assert c.get(f"/reports/{world.province.pk}/").status_code == 404


def test_wrong_method_is_405(world, cast, client_for):
    c = client_for(cast.base_officer)
    assert c.post(f"/reports/{world.base.pk}/").status_code == 405
    assert c.post(f"/reports/{world.base.pk}/rows/plain/end/").status_code == 405


def test_a_bad_period_is_explained(world, cast, client_for):
    c = client_for(cast.base_officer)
    r = c.get(f"/reports/{world.base.pk}/?period=2026-13")
    assert r.status_code == 422
    assert "Chọn một năm" in r.content.decode()
    r = c.get(f"/reports/{world.base.pk}/?start=01/06/2026&end=01/01/2026")
    assert r.status_code == 422
    assert "trước ngày bắt đầu" in r.content.decode()


def test_an_unknown_figure_or_section_is_404(world, cast, client_for):
    c = client_for(cast.base_officer)
    assert c.get(f"/reports/{world.base.pk}/rows/nothing/end/?period=2026").status_code == 404
    assert c.get(f"/reports/{world.base.pk}/rows/plain/nothing/?period=2026").status_code == 404


def test_summary_api_gives_the_contract(world, cast, client_for):
    c = client_for(cast.province_officer)
    r = c.get(f"/api/v1/reports/summary?org={world.base.code}&year=2026")
    assert r.status_code == 200
    body = r.json()
    assert body["org"] == {"code": "X01", "name": world.base.name, "kind": "base_committee"}
    assert body["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert body["plain"]["end"] == 3  # member, member2, the secretary's record
    r = c.get(f"/api/v1/reports/summary?org={world.base.code}&from=2026-01-01&to=2026-03-31")
    assert r.json()["period"] == {"from": "2026-01-01", "to": "2026-03-31"}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "&year=2026&from=2026-01-01&to=2026-02-01",
        "&from=2026-01-01",
        "&year=2026&quarter=5",
        "&from=2026-03-01&to=2026-01-01",
        "&year=1800",
    ],
)
def test_summary_api_refuses_bad_periods(world, cast, client_for, query):
    r = client_for(cast.province_officer).get(f"/api/v1/reports/summary?org=X01{query}")
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"]


def test_cli_prints_the_same_json_as_the_api(world, cast, client_for):
    out = io.StringIO()
    call_command("report", "--org", "X01", "--year", "2026", stdout=out)
    printed = json.loads(out.getvalue())
    api = client_for(cast.province_officer).get("/api/v1/reports/summary?org=X01&year=2026")
    assert printed == api.json()
    with pytest.raises(CommandError, match="No unit"):
        call_command("report", "--org", "NOPE", "--year", "2026")
    with pytest.raises(CommandError, match="--to"):
        call_command("report", "--org", "X01", "--from", "2026-01-01")


def test_unit_page_links_to_its_figures(world, cast, client_for):
    r = client_for(cast.base_officer).get(f"/org/units/{world.base.pk}/")
    assert f'href="/reports/{world.base.pk}/"' in r.content.decode()


def test_figures_follow_the_period(world, cast, client_for):
    # A member admitted in 2026 counts at the end of 2026, not at the end of 2025.
    f.member(world.cell, admitted_on=dt.date(2026, 2, 1), official_on=None)
    c = client_for(cast.province_officer)
    end_2025 = c.get("/api/v1/reports/summary?org=X01&year=2025").json()["plain"]["end"]
    end_2026 = c.get("/api/v1/reports/summary?org=X01&year=2026").json()["plain"]["end"]
    assert (end_2025, end_2026) == (3, 4)


def test_cli_writes_the_excel_and_word_files(world, tmp_path):
    import docx
    import openpyxl

    xlsx, word = tmp_path / "r.xlsx", tmp_path / "r.docx"
    call_command(
        "report", "--org", "X01", "--year", "2026", "--format", "xlsx", "--output", str(xlsx)
    )
    book = openpyxl.load_workbook(xlsx)
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "Members at the end" in cells and 2 in cells  # member and member2 (no cast here)
    call_command(
        "report", "--org", "X01", "--year", "2026", "--format", "docx", "--output", str(word)
    )
    text = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert "BÁO CÁO" in text
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "--org", "X01", "--year", "2026", "--format", "docx")


@pytest.mark.parametrize(
    "query",
    [
        "?period=0000",
        "?period=2026-00",
        "?start=01/01/0001&end=31/12/2026",
        "?start=01/01/2026&end=31/12/9999",
        "?start=32/01/2026",
        "?period=2026&sort=nothing&dir=sideways",
        "?period=2026&sort=plain.end&dir=desc",
    ],
)
def test_odd_dashboard_input_is_answered_not_crashed(world, cast, client_for, query):
    r = client_for(cast.base_officer).get(f"/reports/{world.base.pk}/{query}")
    assert r.status_code in (200, 422), r.status_code
    if r.status_code == 422:
        assert 'role="alert"' in r.content.decode()


@pytest.mark.parametrize("query", ["?period=2026&page=zz", "?period=2026&rest=1", "?period=x"])
def test_odd_rows_input_is_answered_not_crashed(world, cast, client_for, query):
    r = client_for(cast.base_officer).get(f"/reports/{world.base.pk}/rows/plain/end/{query}")
    assert r.status_code in (200, 422), r.status_code
