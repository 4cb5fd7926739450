"""The cell's dues on a 360 px phone: the secretary records who paid the month, one tap per
member, and the page stays within the screen."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from chibo.accounts.models import Role
from chibo.dues import services
from chibo.dues.models import Area, Category, DuesPayment, Source
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

from .test_meeting import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def cell(transactional_db):
    for module, function in (
        ("chibo.rules.migrations.0002_regulations", "load"),
        ("chibo.rules.migrations.0004_member_rules", "load"),
        ("chibo.dues.migrations.0002_regulations", "load"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)
    province = f.unit(UnitKind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(UnitKind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(UnitKind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    secretary = f.member(cell, full_name="Phạm Văn Bí Thư")
    f.user(username="bithu", member=secretary, grants=[(Role.SECRETARY, cell)])
    for n in range(12):
        m = f.member(cell, full_name=f"Đảng Viên Có Tên Khá Dài Số {n + 1:02d}")
        services.basis_set(
            member=m,
            valid_from=dt.date(2025, 1, 1),
            category=Category.SALARIED if n % 2 else Category.OTHER,
            base_amount=5_234_000 if n % 2 else None,
            area="" if n % 2 else Area.AREA1,
            actor=None,
        )
    return cell


def test_the_secretary_records_the_months_dues_in_one_tap_each(live_server, page, cell):
    log_in(page, live_server.url, "bithu")
    page.goto(f"{live_server.url}/dues/cell/{cell.pk}/")
    page.wait_for_selector("#dues")
    buttons = page.locator("#dues .pay-tap")
    assert buttons.count() == 12
    for box in buttons.all()[:3]:
        assert box.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    paid = []
    for _ in range(3):
        page.wait_for_function("!document.querySelector('.htmx-request, .htmx-settling')")
        first = page.locator("#dues .pay-tap").first
        member_id = int(first.get_attribute("id").removeprefix("pay-"))
        first.click()
        page.wait_for_selector(f"#member-{member_id}[data-status=paid]")
        paid.append(member_id)
    assert page.locator("#saved").count() == 1
    assert page.locator("#dues .pay-tap").count() == 9
    rows = DuesPayment.objects.filter(member_id__in=paid)
    assert {(p.source, p.paid_on) for p in rows} == {(Source.TREASURER, timezone.localdate())}
    # The first three by name: area 1 (10.000 đ), 1% of 5.234.000 đ (52.000 đ), area 1.
    assert sorted(p.amount for p in rows) == [10_000, 10_000, 52_000]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    import os

    if os.environ.get("SHOT"):
        page.screenshot(path="/tmp/dues-cell.png", full_page=True)
