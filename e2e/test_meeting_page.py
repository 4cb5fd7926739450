"""The meeting page on a 360 px phone: short with its parts folded, an agenda item added and
moved with its own buttons, and a refused form answered in place with the focus on the field
to fix."""

import pytest

from chibo.meetings.models import Section
from chibo.meetings.services import prepare

from .test_attendance_taps import meeting  # noqa: F401  (45 members, under way today)
from .test_meeting import log_in

pytestmark = pytest.mark.e2e

SCREEN = 740


def test_the_page_is_short_and_the_agenda_edited_in_place(live_server, page, meeting):  # noqa: F811
    m = meeting
    log_in(page, live_server.url, "bithu")
    page.goto(f"{live_server.url}/meetings/{m.pk}/")
    page.wait_for_selector("#part-roster[open] #roster")
    page.evaluate("window.stayed = true")  # gone if the page reloads
    # Every part folded: under four screens.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = false; })")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4 * SCREEN, height
    assert page.is_visible("#meeting-bar #bar-step")

    # The preparation opens with a tap, its body fetched then.
    page.click("#part-prepare > summary")
    page.wait_for_selector("#agenda-add-form")
    page.fill("#agenda_add_title", "Bầu tổ trưởng tổ đảng")
    page.click("#agenda-add")
    page.wait_for_selector("#agenda li:has-text('Bầu tổ trưởng tổ đảng')")
    page.click("button[aria-label='Chuyển lên: Bầu tổ trưởng tổ đảng']")
    page.wait_for_selector("#prepare .alert-success")
    # The server done (no request under way) before the test reads the database: SQLite's
    # shared test database is locked while the live server writes.
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    items = prepare.agenda_of(m)
    titles = [i.title for i in items if i.section == Section.CONTENT]
    assert titles[-2] == "Bầu tổ trưởng tổ đảng"  # one place up, still among the content
    assert items[-1].section == Section.CLOSING  # the closing items stay last
    # Measured once the swap has settled (mid-swap the button may be detached: no box).
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    up = page.locator("button[aria-label='Chuyển lên: Bầu tổ trưởng tổ đảng']")
    up.wait_for(state="visible")
    box = up.bounding_box()
    assert box is not None
    assert box["height"] >= 44 and box["width"] >= 44

    # Refused (no title): the section again, in place, the focus on the field to fix.
    page.click("#agenda-add")
    page.wait_for_selector("#agenda_add_title[aria-invalid=true]")
    assert page.evaluate("document.activeElement.id") == "agenda_add_title"
    assert page.evaluate("window.stayed") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
