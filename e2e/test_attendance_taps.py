"""Attendance in a few taps, on a 360 px phone: a 45-member meeting where 40 attend, 3 are
exempt and 2 excused. "Mark everyone present", then the two exceptions, each saved as it is
chosen; the test counts every tap (clicks and choices in a select) and reads back the rows."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from chibo.accounts.models import Role
from chibo.meetings import services as s
from chibo.meetings.models import Attendance, Kind, Presence
from chibo.meetings.services.attendance import EXEMPT_REASON
from chibo.members import services as ms
from chibo.members.models import EventKind
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

from .test_meeting import log_in

pytestmark = pytest.mark.e2e

MOST_TAPS = 12


@pytest.fixture
def meeting(transactional_db):
    importlib.import_module("chibo.rules.migrations.0002_regulations").load(apps, None)
    importlib.import_module("chibo.rules.migrations.0004_member_rules").load(apps, None)
    importlib.import_module("chibo.meetings.migrations.0005_national_agenda_template").seed(
        apps, None
    )
    province = f.unit(UnitKind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(UnitKind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(UnitKind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    secretary = f.member(cell, full_name="Phạm Văn Bí Thư")
    f.user(username="bithu", member=secretary, grants=[(Role.SECRETARY, cell)])
    for n in range(44):
        member = f.member(cell, full_name=f"Đảng Viên Số {n + 1:02d}")
        if n < 3:
            ms.event_create(
                actor=None, member=member, kind=EventKind.EXEMPTED, date=dt.date(2025, 1, 1)
            )
    # Today, two hours ago: the meeting is under way, attendance is the step in progress.
    start = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    m = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=start, actor=None)
    s.roster_freeze(meeting=m, version=m.version, actor=None)
    m.refresh_from_db()
    assert m.roster.count() == 45 and m.roster.filter(exempt=True).count() == 3
    return m


def test_attendance_of_45_members_in_a_few_taps(live_server, page, meeting):
    m = meeting
    log_in(page, live_server.url, "bithu")
    page.goto(f"{live_server.url}/meetings/{m.pk}/")
    taps = 0

    def idle() -> None:
        """As a person would: the next tap once the page has settled (HTMX done)."""
        page.wait_for_function(
            "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )

    def tap(selector: str) -> None:
        nonlocal taps
        idle()
        taps += 1
        page.click(selector)

    def choose(selector: str, value: str) -> None:
        nonlocal taps
        idle()
        taps += 1
        page.select_option(selector, value)

    # The part in progress is open; every row's select is named for screen readers.
    page.wait_for_selector("#part-roster[open] #mark-all")
    rows = list(m.roster.select_related("member").order_by("member__full_name"))
    for r in rows:
        label = page.get_attribute(f"#presence-{r.member_id}", "aria-label")
        assert label == f"Điểm danh: {r.member.full_name}"
    # Tap targets of 44 px at least: the button, the selects, the check boxes' labels.
    for selector in ("#mark-all", "#roster select", "#roster .tap-check"):
        for box in page.locator(selector).all()[:5]:
            assert box.bounding_box()["height"] >= 44, selector

    tap("#mark-all")
    page.wait_for_selector("#mark-all", state="detached")
    excused = [r for r in rows if not r.exempt][-2:]
    for r in excused:
        choose(f"#presence-{r.member_id}", "excused")
        # Refused without a reason: the reason field has the focus, ready to type into.
        page.wait_for_selector(f"#reason-{r.member_id}[aria-invalid=true]")
        page.wait_for_function(f"document.activeElement.id === 'reason-{r.member_id}'")
        page.keyboard.type("Ốm")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#row-{r.member_id}:not(:has(.errorlist)) [value='Ốm']")
    # Exempt absentees are not expected: 40 present of 42.
    page.wait_for_function("document.querySelector('#turnout').textContent.includes('40/42')")
    assert "40/42" in page.inner_text("#summary-roster")

    assert taps <= MOST_TAPS, taps
    print(f"attendance of {len(rows)} members in {taps} taps")
    # The rows as saved, against the marks intended.
    saved = {a.member_id: (a.presence, a.reason) for a in Attendance.objects.filter(meeting=m)}
    intended = {
        r.member_id: (Presence.EXCUSED, EXEMPT_REASON)
        if r.exempt
        else (Presence.EXCUSED, "Ốm")
        if r in excused
        else (Presence.PRESENT, "")
        for r in rows
    }
    assert saved == intended
    assert sum(1 for p, _ in saved.values() if p == Presence.PRESENT) == 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
