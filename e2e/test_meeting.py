"""In a real browser on a phone-sized screen: a secretary sets the schedule, plans, creates a
meeting, freezes the roster; a member checks in with the code; the secretary marks the others
by HTMX, records a vote, records the meeting as held and adopts the minutes."""

import datetime as dt
import importlib

import docx
import pytest
from django.apps import apps
from django.utils import timezone

from chibo.accounts.models import Role
from chibo.meetings.models import Meeting, State
from chibo.org.models import Kind
from chibo.testing import factories as f

pytestmark = pytest.mark.e2e


@pytest.fixture
def data(transactional_db):
    # Transactional tests empty the tables after each test, rules included: load them again.
    importlib.import_module("chibo.rules.migrations.0002_regulations").load(apps, None)
    importlib.import_module("chibo.rules.migrations.0004_member_rules").load(apps, None)
    # And the other national data the migrations seed: the agenda template, the terms.
    for seeded in (
        "chibo.meetings.migrations.0005_national_agenda_template",
        "chibo.documents.migrations.0002_national_terms",
    ):
        importlib.import_module(seeded).seed(apps, None)
    province = f.unit(Kind.PROVINCE, name="Đảng bộ tỉnh Thử", code="T01")
    base = f.unit(Kind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="X01")
    cell = f.unit(Kind.CELL, base, name="Chi bộ thôn Đông", code="X01-CB01")
    hung = f.member(cell, full_name="Nguyễn Văn Hùng")
    f.member(cell, full_name="Trần Văn Ba")
    secretary = f.member(cell, full_name="Phạm Văn Bí Thư")
    f.user(username="bithu", member=secretary, grants=[(Role.SECRETARY, cell)])
    f.user(username="hung", member=hung, grants=[(Role.MEMBER, cell)])
    return cell


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_secretary_runs_a_meeting_member_checks_in(live_server, browser, page, data):
    url = live_server.url
    cell = data
    log_in(page, url, "bithu")
    page.goto(f"{url}/meetings/cell/{cell.pk}/")
    page.fill("#schedule_day", "5")
    page.fill("#schedule_time", "19:30")
    page.fill("#schedule_place", "Nhà văn hóa thôn")
    page.click("#schedule-form button[type=submit]")
    page.wait_for_selector("#plan-button")
    page.click("#plan-button")
    page.wait_for_selector(".alert-success")
    assert Meeting.objects.filter(cell=cell).exists()

    today = timezone.localdate()
    page.select_option("#create_kind", "regular")
    page.fill("#create_date", today.strftime("%d/%m/%Y"))
    page.fill("#create_time", "07:30")
    page.fill("#create_place", "Hội trường")
    page.click("#create-form button[type=submit]")
    page.wait_for_selector("#freeze-button")
    meeting = Meeting.objects.get(cell=cell, planned_at__date=today, planned_at__hour=7)
    assert page.url == f"{url}/meetings/{meeting.pk}/"
    page.click("#freeze-button")
    page.wait_for_selector("#roster")
    code = page.inner_text("#checkin-code").strip()
    assert len(code) == 6

    # A document for the members, on the agenda's item "vote the resolution": the
    # preparation is folded on the day of the meeting, opened with a tap.
    page.click("#part-prepare > summary")
    page.click("#prepare details:has(#document-form) > summary")
    page.fill("#document_title", "Dự thảo nghị quyết")
    pdf = {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 du thao"}
    page.set_input_files("#document_file", files=[pdf])
    page.select_option("#document_item", "11")
    page.click("#document-form button[type=submit]")
    page.wait_for_selector("#agenda a:has-text('Dự thảo nghị quyết')")

    # The member, on their own phone, finds the meeting and checks in with the code.
    member_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    phone = member_context.new_page()
    log_in(phone, url, "hung")
    # The member was notified of the document: the menu says so, the notice leads to it.
    phone.click("#nav-unread-mobile")
    phone.click("#notices a")
    phone.wait_for_selector("#documents a:has-text('Dự thảo nghị quyết')")
    assert phone.url == f"{url}/meetings/{meeting.pk}/"
    phone.goto(f"{url}/meetings/mine/")
    phone.click(f"#my-meetings a[href='/meetings/{meeting.pk}/check-in/']")
    phone.fill("#checkin_code", code)
    phone.click("#check-in-form button[type=submit]")
    phone.wait_for_selector("#checked-in")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    member_context.close()

    # The secretary marks the others, one row at a time, each saved as it is chosen.
    page.reload()
    rows = meeting.roster.select_related("member")
    for row in rows:
        if row.present:
            assert (
                page.get_attribute(f"#row-{row.member_id} .presence", "data-presence") == "present"
            )
            continue
        page.select_option(f"#presence-{row.member_id}", "present")
        page.wait_for_selector(f"#row-{row.member_id} .presence[data-presence=present]")
    assert "3/3" in page.inner_text("#turnout")

    # A vote by show of hands on the resolution: all three official members for.
    page.click("#part-votes > summary")
    page.click("#votes-h ~ details summary")
    page.fill("#vote_subject", "Nghị quyết tháng này")
    page.check("#vote_on_resolution")
    page.select_option("#vote_method", "hands")
    page.fill("#vote_votes_for", "3")
    page.click("#vote-form button[type=submit]")
    page.wait_for_selector("#votes .vote-result .text-bg-success")

    # Held for two hours, ended a few minutes ago (minutes that end later than now are not
    # adopted), then the minutes are adopted through their confirm step and locked.
    ended = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    started = ended - dt.timedelta(hours=2)
    if started.date() != today:
        pytest.skip("two hours that ended before now do not fit in today yet")
    page.click("#part-minutes > summary")
    page.fill("#hold_started", f"{started:%H:%M}")
    page.fill("#hold_ended", f"{ended:%H:%M}")
    page.fill("#hold_resolution", "Chi bộ thống nhất nhiệm vụ tháng tới.")
    page.click("#hold-form button[type=submit]")
    page.wait_for_selector("#bar-state[data-state=held]")
    if not page.is_visible("#adopt-open"):
        page.click("#part-minutes > summary")
    page.wait_for_selector("#adopt-open")
    assert "120" in page.inner_text("#duration")
    assert not page.is_visible("#adopt-button")  # closed until the step is opened
    page.click("#adopt-open")
    assert page.is_visible("#adopt-warnings")  # no score yet: said before adopting
    page.click("#adopt-button")
    page.wait_for_selector("#locked")
    meeting.refresh_from_db()
    assert meeting.state == State.ADOPTED
    assert meeting.started_at == started
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + e.textContent.slice(0, 40))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide

    # The secretary downloads the adopted minutes and resolution as Word files.
    for link, title in (("#minutes-docx", "BIÊN BẢN"), ("#resolution-docx", "NGHỊ QUYẾT")):
        with page.expect_download() as info:
            page.click(link)
        path = info.value.path()
        document = docx.Document(str(path))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert title in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
        assert info.value.suggested_filename.endswith(".docx")
    assert "Chi bộ thống nhất nhiệm vụ tháng tới." in text  # the resolution's own text
