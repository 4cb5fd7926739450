"""Year-end snapshots: closing a year freezes the figures of a subtree; a later change to a
record of that year shows beside the frozen figure; re-opening records who and why. Figures
come from a small section registered for the test (members in the subtree on the end date),
checked against counts done by hand."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from chibo.core import reporting
from chibo.core.reporting import Period, Section, share
from chibo.members.queries import unit_counts
from chibo.org.models import Kind, OrgUnit
from chibo.reports.models import Snapshot
from chibo.reports.snapshots import queries, services
from chibo.reports.snapshots.views import panel_context
from chibo.testing import factories as f
from chibo.testing.api import all_pages, call
from chibo.testing.audited import check, no_event, one_event

YEAR = timezone.localdate().year - 1  # the last year that has ended
END = dt.date(YEAR, 12, 31)


class MembersOnEnd(Section):
    key = "members"
    order = 20
    title = "Members"
    labels = {
        "end": "Members at the end",
        "official_end": "Official members at the end",
        "official_share": "Official share",
    }

    def figures(self, roots, period):
        counts = unit_counts([OrgUnit(pk=r) for r in roots], period.end)
        return {
            r: {
                "end": c["in_party"],
                "official_end": c["official"],
                "official_share": share(c["official"], c["in_party"]),
            }
            for r, c in counts.items()
        }


@pytest.fixture(autouse=True)
def in_english(settings):
    """The messages are checked in English (the pages' default is Vietnamese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def only_fake_section(monkeypatch):
    list(reporting.SECTIONS)  # discover the real ones first, so none registers in ours
    monkeypatch.setattr(reporting.SECTIONS, "_items", {"members": MembersOnEnd()})


def members(end, official):
    return {
        "members": {"end": end, "official_end": official, "official_share": share(official, end)}
    }


def snap(unit) -> Snapshot:
    return Snapshot.objects.get(unit=unit, year=YEAR, reopened_at__isnull=True)


def panel_html(user, unit) -> str:
    request = RequestFactory().get("/")
    request.user = user
    period = Period.year(YEAR)
    from chibo.reports.queries import figures

    context = panel_context(request, unit, period, figures([unit.pk], period)[unit.pk])
    with translation.override("en"):
        return render_to_string("reports/snapshots/panel.html", {"panel": context}, request=request)


def test_close_change_reopen_close_again(world, cast):
    officer = cast.base_officer
    # By hand: the world's members, all admitted long before the year, plus the secretary
    # `cast` adds to `cell`: base 3 (cell 2, cell2 1), nobody probationary.
    with one_event() as got:
        assert services.year_close(unit=world.base, year=YEAR, actor=officer) == 3
    frozen = snap(world.base)
    check(got.event, services.CLOSED, actor=officer, obj=frozen, about=world.base, units="3")
    assert frozen.figures == members(3, 3)
    assert snap(world.cell).figures == members(2, 2)
    assert snap(world.cell2).figures == members(1, 1)
    assert {s.closed_for_id for s in Snapshot.objects.all()} == {world.base.pk}
    assert (frozen.closed_by, frozen.history.count()) == (officer, 1)
    assert "Closed on" in panel_html(officer, world.base)
    assert 'id="year-differences"' not in panel_html(officer, world.base)

    # A member admitted during the closed year, recorded afterwards: probationary on 31/12.
    f.member(world.cell2, full_name="Võ Thị Muộn", admitted_on=dt.date(YEAR, 6, 1))
    assert snap(world.base).figures == members(3, 3)  # the published figure stays
    differences = queries.compare(snap(world.base), members(4, 3))
    assert [(d.path, d.frozen, d.recomputed, d.difference) for d in differences] == [
        ("members.end", 3, 4, 1),
        ("members.official_share", share(3, 3), share(3, 4), 0),
    ]
    html = panel_html(officer, world.base)
    assert 'id="year-differences"' in html
    assert "<td>Members at the end</td>" in html
    assert ">3</td>" in html and ">4</td>" in html and ">+1</td>" in html
    assert "3/3 (100,00%)" in html and "3/4 (75,00%)" in html
    assert "Official members at the end" not in html  # unchanged: not listed
    assert 'id="year-reopen"' in html and 'id="year-close"' not in html
    viewer_html = panel_html(cast.viewer, world.base)  # reads the figures, has no form
    assert 'id="year-differences"' in viewer_html and "<form" not in viewer_html
    # The cell's own panel: closed with the base committee, re-opened there.
    cell_html = panel_html(officer, world.cell2)
    assert "It was closed with the whole of:" in cell_html and 'id="year-reopen"' not in cell_html

    with no_event(), pytest.raises(ValidationError) as e:
        services.year_reopen(unit=world.base, year=YEAR, reason="  ", actor=officer)
    assert e.value.message_dict == {"reason": ["Say why the year is re-opened."]}
    assert snap(world.base).is_closed

    reason = "Kết nạp ngày 01/6 ghi muộn"
    with one_event() as got:
        assert services.year_reopen(unit=world.base, year=YEAR, reason=reason, actor=officer) == 3
    reopened = Snapshot.objects.get(pk=frozen.pk)
    check(
        got.event, services.REOPENED, actor=officer, obj=reopened, about=world.base, reason=reason
    )
    assert (reopened.reopened_by, reopened.reopen_reason) == (officer, reason)
    assert not Snapshot.objects.filter(reopened_at__isnull=True).exists()
    history = list(reopened.history.order_by("history_id"))
    assert [(h.history_type, h.reopen_reason, h.history_user) for h in history] == [
        ("+", "", officer),
        ("~", reason, officer),
    ]
    assert queries.snapshot_of(world.base, YEAR) is None
    html = panel_html(officer, world.base)
    assert "Re-opened on" in html and reason in html and 'id="year-close"' in html

    assert services.year_close(unit=world.base, year=YEAR, actor=officer) == 3
    assert snap(world.base).figures == members(4, 3)
    assert snap(world.cell2).figures == members(2, 1)
    assert Snapshot.objects.filter(unit=world.base, year=YEAR).count() == 2


def test_a_subtree_already_closed_keeps_its_figures(world, cast):
    services.year_close(unit=world.base, year=YEAR, actor=cast.base_officer)
    f.member(world.cell, admitted_on=dt.date(YEAR, 3, 1))
    with one_event() as got:
        n = services.year_close(unit=world.province, year=YEAR, actor=cast.province_officer)
    # By hand: province, other_base, other_cell frozen now; base, cell, cell2 kept.
    assert n == 3
    assert got.event.facts["kept"] == "3"
    assert queries.kept_by_others(world.province, YEAR) == 3
    assert snap(world.base).closed_for == world.base
    assert snap(world.base).figures == members(3, 3)
    assert snap(world.province).figures == members(5, 4)  # 3 + the new one + other_member
    assert snap(world.other_base).figures == members(1, 1)

    with pytest.raises(ValidationError) as e:
        services.year_close(unit=world.base, year=YEAR, actor=cast.province_officer)
    assert e.value.messages == [
        f"The year {YEAR} is already closed for Đảng bộ xã An Hòa"
        f" (on {timezone.localdate():%d/%m/%Y})."
    ]
    with pytest.raises(ValidationError) as e:
        services.year_reopen(
            unit=world.other_base, year=YEAR, reason="x", actor=cast.province_officer
        )
    assert e.value.messages == [
        f"The year {YEAR} was closed for Đảng bộ tỉnh Thử: it can only be re-opened there."
    ]


def test_refusals(world, cast):
    this_year = timezone.localdate().year
    with no_event(), pytest.raises(ValidationError) as e:
        services.year_close(unit=world.base, year=this_year, actor=cast.base_officer)
    assert e.value.message_dict == {
        "year": [
            f"The year {this_year} has not ended yet: it can be closed from 01/01/{this_year + 1}."
        ]
    }
    for user in (cast.viewer, cast.secretary, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.year_close(unit=world.base, year=YEAR, actor=user)
    with pytest.raises(PermissionDenied):  # an office on the base, not on the province
        services.year_close(unit=world.province, year=YEAR, actor=cast.base_officer)
    with pytest.raises(ValidationError) as e:
        services.year_reopen(unit=world.base, year=YEAR, reason="x", actor=cast.base_officer)
    assert e.value.messages == [f"The year {YEAR} is not closed for Đảng bộ xã An Hòa."]
    late = f.unit(Kind.CELL, world.base, founded_on=dt.date(YEAR + 1, 1, 5))
    with pytest.raises(ValidationError) as e:
        services.year_close(unit=late, year=YEAR, actor=cast.base_officer)
    assert e.value.messages == [
        f"{late.name} did not exist on 31/12/{YEAR}: there is no figure to close."
    ]
    assert not Snapshot.objects.exists()


def _tree(cells: int) -> OrgUnit:
    province = f.unit(Kind.PROVINCE)
    base = f.unit(Kind.BASE_COMMITTEE, province)
    for i in range(cells):
        cell = f.unit(Kind.CELL, base)
        if i % 2 == 0:
            f.member(cell)
    return province


def test_queries_of_closing_do_not_grow_with_the_subtree(db):
    small, large = _tree(1), _tree(8)  # 3 and 10 units
    admin = f.user(is_superuser=True)
    services.year_close(unit=small, year=YEAR - 1, actor=admin)  # warm the caches
    counted = []
    for top, units in ((small, 3), (large, 10)):
        with CaptureQueriesContext(connection) as queries_run:
            assert services.year_close(unit=top, year=YEAR, actor=admin) == units
        counted.append(len(queries_run))
    assert counted[0] == counted[1], counted


# Pages -----------------------------------------------------------------------------------------


def _urls(unit, year=YEAR):
    return (
        reverse("reports:snapshot_close", args=[unit.pk, year]),
        reverse("reports:snapshot_reopen", args=[unit.pk, year]),
    )


def test_pages_close_and_reopen(world, cast, en):
    close, reopen = _urls(world.base)
    back = f"{reverse('reports:dashboard', args=[world.base.pk])}?period={YEAR}"
    assert en(cast.base_officer).get(close).status_code == 405
    assert en(cast.viewer).post(close, {"confirm": "on"}).status_code == 403
    assert en(cast.follower).post(reopen, {"reason": "x"}).status_code == 403
    for user in (cast.outsider, cast.member):
        assert en(user).post(close, {"confirm": "on"}).status_code == 404
    assert not Snapshot.objects.exists()

    client = en(cast.base_officer)
    r = client.post(close, {})
    assert r.status_code == 422
    assert "Tick the box to confirm that the figures are final." in r.content.decode()
    this_year = timezone.localdate().year
    r = client.post(_urls(world.base, this_year)[0], {"confirm": "on"})
    assert r.status_code == 422
    assert f"The year {this_year} has not ended yet" in r.content.decode()
    assert not Snapshot.objects.exists()

    r = client.post(close, {"confirm": "on"})
    assert (r.status_code, r["Location"]) == (302, back)
    assert Snapshot.objects.filter(closed_for=world.base, reopened_at__isnull=True).count() == 3
    r = client.post(close, {"confirm": "on"})
    assert r.status_code == 422 and "is already closed for" in r.content.decode()

    r = client.post(reopen, {"reason": ""})
    assert r.status_code == 422 and "Say why the year is re-opened." in r.content.decode()
    assert snap(world.base).is_closed
    r = client.post(reopen, {"reason": "Số liệu sai"})
    assert (r.status_code, r["Location"]) == (302, back)
    assert set(Snapshot.objects.values_list("reopen_reason", flat=True)) == {"Số liệu sai"}


# API -------------------------------------------------------------------------------------------


def test_api(world, cast, client_for):
    officer = client_for(cast.base_officer)
    detail = f"/reports/snapshots?org=X01&year={YEAR}"
    assert call(officer, "GET", detail).status_code == 404  # not closed yet
    body = {"org": "X01", "year": YEAR}
    assert (
        call(client_for(cast.viewer), "POST", "/reports/snapshots/close", body).status_code == 403
    )
    for user in (cast.outsider, cast.member):
        assert call(client_for(user), "POST", "/reports/snapshots/close", body).status_code == 404
    assert call(officer, "GET", "/reports/snapshots/close").status_code == 405
    this_year = timezone.localdate().year
    r = call(officer, "POST", "/reports/snapshots/close", {**body, "year": this_year})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"].startswith(f"The year {this_year} has not ended yet")

    r = call(officer, "POST", "/reports/snapshots/close", body)
    assert r.status_code == 201, r.content
    assert r.json() == {
        "org": {"code": "X01", "name": "Đảng bộ xã An Hòa", "kind": "base_committee"},
        "year": YEAR,
        "frozen": 3,
        "kept": 0,
    }
    f.member(world.cell, admitted_on=dt.date(YEAR, 12, 31), official_on=None)  # the last day

    r = call(client_for(cast.viewer), "GET", detail)
    assert r.status_code == 200, r.content
    got = r.json()
    assert (got["state"], got["closed_by"], got["year"]) == ("closed", "base", YEAR)
    assert got["closed_for"]["code"] == "X01"
    assert got["figures"] == members(3, 3)
    assert got["differences"] == [
        {
            "path": "members.end",
            "label": "Members at the end",
            "frozen": 3,
            "recomputed": 4,
            "difference": 1,
        },
        {
            "path": "members.official_share",
            "label": "Official share",
            "frozen": share(3, 3),
            "recomputed": share(3, 4),
            "difference": 0,
        },
    ]
    for user in (cast.outsider, cast.member):
        assert call(client_for(user), "GET", detail).status_code == 404
    assert (
        call(
            client_for(cast.outsider), "GET", f"/reports/snapshots/list?org=X01&year={YEAR}"
        ).status_code
        == 404
    )

    items = all_pages(client_for(cast.viewer), f"/reports/snapshots/list?org=X01&year={YEAR}")
    assert sorted((i["org"]["code"], i["figures"]["members"]["end"]) for i in items) == [
        ("X01", 3),
        ("X01-CB01", 2),
        ("X01-CB02", 1),
    ]

    reopen = "/reports/snapshots/reopen"
    assert call(client_for(cast.viewer), "POST", reopen, {**body, "reason": "x"}).status_code == 403
    r = call(officer, "POST", reopen, {**body, "reason": " "})
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"type": "invalid", "loc": ["body", "reason"], "msg": "Say why the year is re-opened."}
    ]
    r = call(officer, "POST", reopen, {**body, "reason": "Ghi muộn"})
    assert r.status_code == 200 and r.json()["reopened"] == 3
    got = call(officer, "GET", detail).json()
    assert (got["state"], got["reopened_by"], got["reopen_reason"]) == (
        "reopened",
        "base",
        "Ghi muộn",
    )
    list_path = f"/reports/snapshots/list?org=X01&year={YEAR}"
    assert all_pages(officer, list_path) == []
    assert len(all_pages(officer, list_path + "&state=reopened")) == 3
