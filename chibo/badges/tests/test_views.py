"""The badge pages: list, decision, export, history, occasions; who may do what."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chibo.badges import queries, services
from chibo.badges.models import BadgeAward, BadgeOccasion, Early
from chibo.members.models import EventKind
from chibo.org.models import Kind
from chibo.testing import factories as f

from .helpers import D, event, ill, veteran

FEB3 = "03/02/2026"


@pytest.fixture
def due(world):
    """On 3/2/2026 in the base committee: two 30-year badges (one per cell), one 40-year,
    one early (illness), one posthumous, one held back by a reprimand."""
    people = {
        "a": veteran(world.cell, D(1996, 2, 3), "Anh Ba Mươi"),
        "b": veteran(world.cell2, D(1995, 7, 1), "Bình Ba Mươi"),
        "c": veteran(world.cell, D(1986, 1, 1), "Cường Bốn Mươi"),
        "d": veteran(world.cell, D(1996, 10, 1), "Dũng Ốm"),
        "e": veteran(world.cell, D(1990, 1, 1), "Em Đã Mất"),
        "g": veteran(world.cell2, D(1996, 1, 1), "Giang Khiển Trách"),
        "x": veteran(world.other_cell, D(1990, 1, 1), "Xã Khác"),
    }
    ill(people["d"], D(2025, 1, 1))
    event(people["e"], EventKind.DECEASED, D(2025, 9, 2))
    event(people["g"], EventKind.REPRIMAND, D(2025, 11, 1))
    return people


def en(c):
    c.cookies["django_language"] = "en"
    return c


def test_list_page_groups_and_sections(world, cast, client_for, due):
    c = en(client_for(cast.base_officer))
    url = reverse("badges:unit", args=[world.base.pk])
    r = c.get(url, {"occasion": FEB3})
    assert r.status_code == 200
    page = r.text
    assert "30-year badge: 2 members" in page and "40-year badge: 1 member" in page
    assert "Early for serious illness: 1 member" in page
    assert "Posthumous: 1 member" in page
    assert "Held back by discipline: 1 member" in page
    assert 'id="award-form"' in page
    for name in ("Anh Ba Mươi", "Bình Ba Mươi", "Cường Bốn Mươi", "Dũng Ốm", "Em Đã Mất"):
        assert name in page
    assert "Xã Khác" not in page
    # Held back: listed with the day (1/5/2026), no checkbox.
    assert "Giang Khiển Trách" in page and "01/05/2026" in page
    assert f'value="{due["g"].pk}:30"' not in page
    assert f'value="{due["a"].pk}:30"' in page
    # The summary counts (hand count: 2 + 1 + 1 + 1 awardable).
    assert '<dd class="col-4 col-sm-8 mb-0 fw-semibold">5</dd>' in page
    # HTMX: only the results.
    r = c.get(url, {"occasion": FEB3}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="results">')


def test_list_page_default_occasion_and_bad_ones(world, cast, client_for, due):
    c = en(client_for(cast.viewer))
    url = reverse("badges:unit", args=[world.base.pk])
    r = c.get(url)  # the next occasion from today on
    assert r.status_code == 200
    nxt = queries.next_occasion(timezone.localdate() - dt.timedelta(days=1))
    assert nxt is not None and f'id="occasion-h">{nxt.date:%d/%m/%Y} · ' in r.text
    r = c.get(url, {"occasion": "04/02/2026"})
    assert r.status_code == 200 and "04/02/2026 is not a badge award occasion" in r.text
    r = c.get(url, {"occasion": "99/99/2026"})
    assert r.status_code == 200 and "Date as dd/mm/yyyy, e.g." in r.text
    assert 'id="award-form"' not in c.get(url, {"occasion": FEB3}).text  # a viewer reads only


def test_permissions(world, cast, client_for, due):
    url = reverse("badges:unit", args=[world.base.pk])
    cell_url = reverse("badges:unit", args=[world.cell.pk])
    post = reverse("badges:award", args=[world.cell.pk])
    data = {
        "occasion": FEB3,
        "awards": [f"{due['a'].pk}:30"],
        "decision_number": "1-QĐ/TU",
        "decision_on": "20/01/2026",
    }
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.outsider).post(post, data).status_code == 404
    assert client_for(cast.member).get(cell_url).status_code == 403  # a member, no unit role
    sec = client_for(cast.secretary)
    r = sec.get(cell_url, {"occasion": FEB3})
    assert r.status_code == 200 and 'id="award-form"' not in r.text
    assert sec.post(post, data).status_code == 403
    assert client_for(cast.viewer).post(post, data).status_code == 403
    assert client_for(cast.base_officer).put(url).status_code == 405
    assert client_for(cast.base_officer).get(post).status_code == 405
    for name in ("export", "history"):
        page = reverse(f"badges:{name}", args=[world.base.pk])
        assert client_for(cast.outsider).get(page).status_code == 404
        assert client_for(cast.member).get(page).status_code == 403
        assert client_for(cast.viewer).get(page, {"occasion": FEB3}).status_code == 200
        assert client_for(cast.viewer).post(page).status_code == 405
    assert BadgeAward.objects.count() == 0
    # The province's office records for a cell below it.
    r = client_for(cast.province_officer).post(post, data)
    assert r.status_code == 302
    assert BadgeAward.objects.get().member == due["a"]


def test_record_the_decision(world, cast, client_for, due):
    c = en(client_for(cast.base_officer))
    post = reverse("badges:award", args=[world.base.pk])
    ticked = [
        f"{due[k].pk}:{y}" for k, y in (("a", 30), ("b", 30), ("c", 40), ("d", 30), ("e", 30))
    ]
    data = {
        "occasion": FEB3,
        "awards": ticked,
        "decision_number": "215-QĐ/TU",
        "decision_on": "25/01/2026",
    }
    r = c.post(post, {**data, "decision_number": ""})
    assert r.status_code == 422 and "This field is required" in r.text
    r = c.post(post, {**data, "awards": [*ticked, f"{due['g'].pk}:30"]})
    assert r.status_code == 422  # the held-back member is not a choice
    r = c.post(post, {**data, "occasion": "04/02/2026"})
    assert r.status_code == 422 and "Choose a badge award occasion" in r.text
    assert BadgeAward.objects.count() == 0
    r = c.post(post, data)
    assert r.status_code == 302 and r["Location"].endswith("?occasion=03/02/2026")
    assert {h.history_user for h in BadgeAward.history.all()} == {cast.base_officer}
    got = {(a.member_id, a.years, a.early, a.decision_number) for a in BadgeAward.objects.all()}
    assert got == {
        (due["a"].pk, 30, "", "215-QĐ/TU"),
        (due["b"].pk, 30, "", "215-QĐ/TU"),
        (due["c"].pk, 40, "", "215-QĐ/TU"),
        (due["d"].pk, 30, Early.ILLNESS, "215-QĐ/TU"),
        (due["e"].pk, 30, Early.POSTHUMOUS, "215-QĐ/TU"),
    }
    r = c.get(r["Location"])
    assert "5 badges recorded" in r.text and "Nobody is due a badge on this occasion" in r.text
    assert "Giang Khiển Trách" in r.text  # still held back
    r = c.post(post, data)  # the same again: nobody is a choice any more
    assert r.status_code == 422 and BadgeAward.objects.count() == 5


def test_history(world, cast, client_for, due):
    services.award_record(
        unit=world.base,
        occasion=D(2026, 2, 3),
        awards=[(due["a"], 30), (due["c"], 40)],
        decision_number="9-QĐ/TU",
        decision_on=D(2026, 1, 20),
        actor=cast.base_officer,
    )
    services.award_record(
        unit=world.other_base,
        occasion=D(2026, 2, 3),
        awards=[(due["x"], 30)],
        decision_number="10-QĐ/TU",
        decision_on=D(2026, 1, 20),
        actor=cast.province_officer,
    )
    r = en(client_for(cast.base_officer)).get(reverse("badges:history", args=[world.base.pk]))
    assert r.status_code == 200 and "2 badges recorded" in r.text
    assert "Anh Ba Mươi" in r.text and "Cường Bốn Mươi" in r.text and "Xã Khác" not in r.text
    r = en(client_for(cast.viewer)).get(reverse("badges:history", args=[world.cell2.pk]))
    assert "0 badges recorded" in r.text


def test_export(world, cast, client_for, due):
    c = client_for(cast.viewer)
    r = c.get(reverse("badges:export", args=[world.base.pk]), {"occasion": FEB3})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r["Content-Disposition"] == 'attachment; filename="huy-hieu-dang-x01-2026-02-03.xlsx"'
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG, TRUY TẶNG HUY HIỆU ĐẢNG"
    assert rows[1][0] == "Đảng bộ xã An Hòa"
    assert rows[2][0].startswith("Dịp 03/02/2026: ")
    assert rows[4][:4] == ("STT", "Họ và tên", "Ngày sinh", "Chi bộ")
    numbered = [row for row in rows[5:] if isinstance(row[0], int)]
    # Due (30: Anh, Bình; 40: Cường), early (Dũng), posthumous (Em): numbered 1-5, then the
    # held-back member numbered on their own.
    assert [(row[0], row[1], row[6], row[8]) for row in numbered] == [
        (1, "Anh Ba Mươi", 30, "Đủ tuổi đảng"),
        (2, "Bình Ba Mươi", 30, "Đủ tuổi đảng"),
        (3, "Cường Bốn Mươi", 40, "Đủ tuổi đảng"),
        (4, "Dũng Ốm", 30, "Tặng sớm (ốm đau hiểm nghèo)"),
        (5, "Em Đã Mất", 30, "Truy tặng"),
        (1, "Giang Khiển Trách", 30, "Đủ tuổi đảng"),
    ]
    anh = numbered[0]
    assert anh[3] == "Chi bộ thôn Đông"
    assert anh[5].date() == D(1996, 2, 3) and anh[7].date() == D(2026, 2, 3)
    assert numbered[3][7].date() == D(2026, 10, 1)  # reaches 30 after the occasion
    assert numbered[4][9] == "Từ trần ngày 02/09/2025"
    assert numbered[5][9] == "Khiển trách: đủ điều kiện xét từ ngày 01/05/2026"
    assert "Tổng số đề nghị: 5 đồng chí" in [row[0] for row in rows]
    date_cell = next(cell for cell in ws["F"] if cell.value is not None and cell.row > 5)
    assert date_cell.number_format == "DD/MM/YYYY"
    # A date that is not an occasion: back to the page with the reason.
    r = en(c).get(reverse("badges:export", args=[world.base.pk]), {"occasion": "04/02/2026"})
    assert r.status_code == 302


def test_occasions_page(world, cast, client_for):
    url = reverse("badges:occasions")
    other = f.unit(Kind.PROVINCE, name="Tỉnh Khác", code="T02")
    far = services.occasion_create(
        date=D(2026, 12, 5), name="Ở tỉnh khác", province=other, actor=None
    )
    c = en(client_for(cast.province_officer))
    r = c.get(url, {"year": 2026})
    assert r.status_code == 200 and 'id="occasion-form"' in r.text
    assert "Ở tỉnh khác" not in r.text and "19/05/2026" in r.text
    data = {"date": "01/12/2026", "name": "Thành lập Đảng bộ tỉnh", "province": world.province.pk}
    assert c.post(url, data).status_code == 302
    occ = BadgeOccasion.objects.get(province=world.province)
    assert (occ.date, occ.name, occ.created_by) == (
        D(2026, 12, 1),
        data["name"],
        cast.province_officer,
    )
    assert occ.history.get().history_user == cast.province_officer
    r = c.post(url, data)
    assert r.status_code == 422 and "already a special occasion" in r.text
    r = c.post(url, {**data, "province": other.pk})  # not their province: not a choice
    assert r.status_code == 422 and BadgeOccasion.objects.count() == 2
    # Below the province, offices read the occasions but do not add them.
    base = en(client_for(cast.base_officer))
    r = base.get(url, {"year": 2026})
    assert r.status_code == 200 and "Thành lập Đảng bộ tỉnh" in r.text
    assert 'id="occasion-form"' not in r.text
    assert base.post(url, data).status_code == 403
    assert client_for(cast.member).get(url).status_code == 403
    assert client_for(cast.viewer).put(url).status_code == 405
    delete = reverse("badges:occasion_delete", args=[occ.pk])
    assert base.post(delete).status_code == 403
    assert (
        client_for(cast.outsider).post(reverse("badges:occasion_delete", args=[far.pk])).status_code
        == 404
    )
    assert c.get(delete).status_code == 405
    assert c.post(delete).status_code == 302
    assert list(BadgeOccasion.objects.all()) == [far]
    # The superuser adds a nationwide one.
    root = f.user(username="root", is_superuser=True)
    r = client_for(root).post(url, {"date": "02/12/2026", "name": "Toàn quốc", "province": ""})
    assert r.status_code == 302 and BadgeOccasion.objects.filter(province=None).count() == 1
    assert client_for(cast.province_officer).get(url, {"year": "x"}).status_code == 200


def test_long_list_shows_figures_by_unit(world, cast, client_for, due, monkeypatch):
    from chibo.badges import views

    monkeypatch.setattr(views, "ROWS_SHOWN", 5)  # the base committee's list has 6 rows
    c = en(client_for(cast.base_officer))
    r = c.get(reverse("badges:unit", args=[world.base.pk]), {"occasion": FEB3})
    assert r.status_code == 200 and "The list has 6 members: too many to show here" in r.text
    assert 'id="award-form"' not in r.text and "Anh Ba Mươi" not in r.text
    table = r.text.split('id="children"')[1].split("</table>")[0]
    cells = [row.split("</tr>")[0] for row in table.split("<tr>")[2:]]
    # By hand: thôn Đông: Anh, Cường due; Dũng early; Em posthumous. Trường Tiểu học: Bình
    # due, Giang held back.
    figures = [[td.split(">")[-1] for td in row.split("</td>")[1:5]] for row in cells]
    assert [row.split("</a>")[0].split(">")[-1] for row in cells] == [
        "Chi bộ thôn Đông",
        "Chi bộ trường Tiểu học",
    ]
    assert figures == [["2", "1", "1", "0"], ["1", "0", "0", "1"]]
    r = c.get(reverse("badges:unit", args=[world.cell.pk]), {"occasion": FEB3})
    assert 'id="award-form"' in r.text  # a cell's list (4 rows) is shown in full
