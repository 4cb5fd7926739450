"""In a real browser on a 360 px phone: each persona's home page says what to do next and fits
the screen's width; the member reads the adopted resolution and their task on their schedule;
the follower goes from their home page to the score awaiting them and confirms it."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from chibo.accounts.models import Role
from chibo.meetings import services as s
from chibo.meetings.models import Kind, Meeting, Presence, QualityScore, State
from chibo.meetings.services import quality as q
from chibo.meetings.services import record
from chibo.org.models import Kind as UnitKind
from chibo.testing import factories as f

from .test_meeting import log_in

pytestmark = pytest.mark.e2e

TODAY = timezone.localdate()


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(19, 30)))


def v(m: Meeting) -> int:
    m.refresh_from_db()
    return m.version


@pytest.fixture
def data(transactional_db):
    importlib.import_module("chibo.rules.migrations.0002_regulations").load(apps, None)
    importlib.import_module("chibo.rules.migrations.0004_member_rules").load(apps, None)
    province = f.unit(UnitKind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(UnitKind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(UnitKind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    hung = f.member(cell, full_name="Nguyễn Văn Hùng")
    f.member(cell, full_name="Trần Văn Ba")
    secretary = f.member(cell, full_name="Phạm Văn Bí Thư")
    bithu = f.user(username="bithu", member=secretary, grants=[(Role.SECRETARY, cell)])
    f.user(username="hung", member=hung, grants=[(Role.MEMBER, cell)])
    follower = f.user(
        username="theodoi", first_name="Lê Thị", last_name="Lan", grants=[(Role.VIEWER, base)]
    )
    assignment = f.follow(cell, follower)
    # Last month's meeting: held, the follower attended, scored by the secretary, adopted.
    day = TODAY - dt.timedelta(days=30)
    m = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(day), actor=None)
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for row in m.roster.all():
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence=Presence.PRESENT, actor=None
        )
    s.meeting_hold(
        meeting=m,
        version=v(m),
        started_at=at(day),
        ended_at=at(day) + dt.timedelta(hours=2),
        actor=None,
    )
    s.guest_add(meeting=m, version=v(m), follow=assignment, actor=None)
    record.task_create(
        meeting=m,
        version=v(m),
        text="Vận động hộ nghèo làm hồ sơ vay vốn",
        due_on=TODAY + dt.timedelta(days=5),
        member=hung,
        actor=None,
    )
    maximum = q._scoring_rules(day, cell).quality_max
    assert maximum is not None
    q.quality_score_set(meeting=m, version=v(m), points=dict(maximum), actor=bithu)
    m.refresh_from_db()
    # Arranged directly: how minutes are adopted is the meeting page's test.
    m.state, m.resolution = State.ADOPTED, "Nghị quyết tháng trước: giúp hộ nghèo vay vốn."
    m.save()
    # The coming meeting.
    s.meeting_create(
        cell=cell, kind=Kind.REGULAR, planned_at=at(TODAY + dt.timedelta(days=7)), actor=None
    )
    return m


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_home_pages_say_what_to_do_next(live_server, browser, page, data):
    url = live_server.url
    coming = (TODAY + dt.timedelta(days=7)).strftime("%d/%m/%Y")

    log_in(page, url, "bithu")
    card = page.locator("section[id^=led-]")
    assert coming in card.inner_text() and "Chuẩn bị chương trình sinh hoạt" in card.inner_text()
    assert "Vận động hộ nghèo" in card.inner_text() and fits(page)
    page.context.clear_cookies()

    log_in(page, url, "hung")
    mine = page.locator("#home-mine")
    assert coming in mine.inner_text() and "Vận động hộ nghèo" in mine.inner_text()
    assert fits(page)
    page.click("#home-mine a[href$='/meetings/mine/']")
    page.click("#my-past-meetings details summary")
    past = page.locator("#my-past-meetings").inner_text()
    assert "Nghị quyết tháng trước" in past and "Có mặt" in past
    assert "Vận động hộ nghèo" in page.locator("#my-tasks").inner_text()
    page.context.clear_cookies()

    log_in(page, url, "theodoi")
    followed = page.locator("#home-followed")
    assert "Chi bộ thôn Đông" in followed.inner_text() and coming in followed.inner_text()
    assert fits(page)
    page.click("#to-confirm a")
    page.locator("form[action$='/quality/confirm/'] button").click()
    page.wait_for_function("!document.querySelector(\"form[action$='/quality/confirm/']\")")
    assert QualityScore.objects.get(meeting=data).confirmed_by.username == "theodoi"
    page.goto(f"{url}/")
    assert "Không có việc nào chờ bạn xác nhận." in page.locator("#home-followed").inner_text()
