"""In a real browser on a phone-sized screen: the commune office finds an overdue official
membership review on its deadline board, records the cell's vote and the decision, and the
member's timeline shows the recognition."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from chibo.accounts.models import Role
from chibo.members import services
from chibo.members.models import EventKind, Member
from chibo.org.models import Kind
from chibo.rules.calendar import add_months
from chibo.testing import factories as f

from .test_meeting import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def data(transactional_db):
    # Transactional tests empty the tables, the seeded rules included: load them again.
    importlib.import_module("chibo.rules.migrations.0002_regulations").load(apps, None)
    importlib.import_module("chibo.rules.migrations.0004_member_rules").load(apps, None)
    province = f.unit(Kind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(Kind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    for name in ("Trần Văn Ba", "Lê Thị Tư", "Phạm Văn Năm"):
        f.member(cell, full_name=name)
    today = timezone.localdate()
    # Admitted 16 months ago, ceremony a week later: probation ended about 4 months ago, so
    # the review (30 working days) is overdue.
    admitted = add_months(today, -16)
    new = f.member(cell, full_name="Nguyễn Thị Mới", admitted_on=admitted, official_on=None)
    services.event_create(
        actor=None, member=new, kind=EventKind.CEREMONY, date=admitted + dt.timedelta(7)
    )
    f.user(username="xa", grants=[(Role.OFFICE, base)])
    return base, new


def test_office_records_an_overdue_review_from_the_board(live_server, page, data):
    url = live_server.url
    base, new = data
    new.refresh_from_db()
    log_in(page, url, "xa")
    page.goto(f"{url}/deadlines/unit/{base.pk}/")
    page.wait_for_selector("#reviews .list-group-item-danger")
    assert "Nguyễn Thị Mới" in page.inner_text("#reviews")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("#reviews a:has-text('Nguyễn Thị Mới')")
    page.click(f"a[href='/development/reviews/member/{new.pk}/']")
    page.wait_for_selector("#vote-form")
    vote_day = timezone.localdate() - dt.timedelta(days=2)
    page.fill("#vote-form [name=vote_on]", vote_day.strftime("%d/%m/%Y"))
    page.fill("#vote-form [name=votes_eligible]", "3")
    page.fill("#vote-form [name=votes_for]", "3")
    page.select_option("#vote-form [name=outcome]", "recognise")
    page.click("#vote-form button[type=submit]")
    page.wait_for_selector("#decision-form")
    page.fill("#decision-form [name=decision_number]", "45-QĐ/ĐU")
    page.fill("#decision-form [name=decision_on]", timezone.localdate().strftime("%d/%m/%Y"))
    page.click("#decision-form button[type=submit]")
    page.wait_for_load_state()
    ended = new.probation_ends_on
    official = Member.objects.with_status(ended).get(pk=new.pk)
    assert official.status == "official"
    page.goto(f"{url}/deadlines/members/{new.pk}/timeline/")
    assert "45-QĐ/ĐU" in page.inner_text("#timeline")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
