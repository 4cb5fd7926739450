"""In a real browser on a phone-sized screen: a refused form brings the eye to its first
error. A page reloaded with errors (moving a meeting, in a closed section) opens the section,
scrolls to the first invalid field and focuses it; a form swapped by HTMX (giving a task)
focuses its invalid field too. The messages say the expected format."""

import datetime as dt

import pytest
from django.utils import timezone

from chibo.accounts.models import Role
from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

pytestmark = pytest.mark.e2e

IN_VIEW = """(id) => {
  const r = document.getElementById(id).getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight;
}"""


@pytest.fixture
def meeting(transactional_db) -> Meeting:
    province = f.unit(UnitKind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(UnitKind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(UnitKind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    secretary = f.member(cell, full_name="Phạm Văn Bí Thư")
    f.user(username="bithu", member=secretary, grants=[(Role.SECRETARY, cell)])
    day = timezone.localdate() + dt.timedelta(days=5)
    planned = timezone.make_aware(dt.datetime.combine(day, dt.time(19, 30)))
    return s.meeting_create(
        cell=cell, kind=Kind.REGULAR, planned_at=planned, place="Nhà văn hóa", actor=None
    )


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", "bithu")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_a_refused_form_focuses_its_first_error(live_server, page, meeting):
    url = f"{live_server.url}/meetings/{meeting.pk}/"
    today = timezone.localdate().strftime("%d/%m/%Y")
    log_in(page, live_server.url)

    # A whole page back (no HTMX): the move form sits in a closed <details>.
    page.goto(url)
    page.click("details:has(#move-form) > summary")
    page.fill("#move_date", "31/02/2027")
    page.fill("#move_time", "1930")
    page.fill("#move_reason", "Trùng lịch họp xã")
    page.click("#move-form button[type=submit]")
    page.wait_for_selector("#move_date[aria-invalid=true]", state="attached")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'move_date'")
    assert page.evaluate("document.getElementById('move_date').closest('details').open")
    # In view once the page has settled (on a loaded machine the layout may still move).
    page.wait_for_function(IN_VIEW, arg="move_date", timeout=10_000)
    assert page.inner_text("#move_date_error") == f"Ngày dạng dd/mm/yyyy, ví dụ {today}"
    assert page.get_attribute("#move_time", "aria-invalid") is None  # 1930 was understood
    assert page.input_value("#move_time") == "1930"  # what was typed is kept

    # An HTMX swap: giving a task with a due date that does not exist (the record is a
    # folded part of the page, fetched when opened).
    page.goto(url)
    page.click("#part-record > summary")
    page.click("#tasks-h ~ details > summary")
    page.fill("#task_text", "Vận động đóng đảng phí")
    page.select_option("#task_member", index=1)
    page.fill("#task_due_on", "32/12/2026")
    page.click("#task-form button[type=submit]")
    page.wait_for_selector("#task_due_on[aria-invalid=true]")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'task_due_on'")
    page.wait_for_function(IN_VIEW, arg="task_due_on", timeout=10_000)
    assert page.inner_text("#task_due_on_error") == f"Ngày dạng dd/mm/yyyy, ví dụ {today}"
    assert page.url == url  # swapped in place, not a new page

    # Typed the phone's way, it is understood.
    due = timezone.localdate() + dt.timedelta(days=20)
    page.fill("#task_due_on", due.strftime("%d%m%Y"))
    page.click("#task-form button[type=submit]")
    page.wait_for_selector(f"#tasks li:has-text('{due:%d/%m/%Y}')")
