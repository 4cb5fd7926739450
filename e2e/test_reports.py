"""The commune office in a real browser: opens its unit's figures from the home page, changes
the year, follows the admissions figure to the members behind it, and downloads the Excel
file once the worker has built it and the progress bar has completed. The figure is checked
against admissions counted here, one by one, from the raw rows."""

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from chibo.accounts.models import RoleGrant
from chibo.members.models import ADMISSIONS, MemberEvent, PlacementKind
from chibo.org.models import Ancestry

from .conftest import log_in

pytestmark = pytest.mark.e2e


def admissions_by_hand(unit, year: int) -> int:
    """Admissions and readmissions dated in `year` of members whose official placement that
    day was in a cell under `unit` as the tree stood that day: row by row, in Python."""
    n = 0
    events = MemberEvent.objects.filter(kind__in=ADMISSIONS, date__year=year).select_related(
        "member"
    )
    for event in events:
        day = event.date
        for p in event.member.placements.all():
            if p.kind != PlacementKind.OFFICIAL or p.deleted_at is not None:
                continue
            if not (p.start <= day and (p.end is None or p.end > day)):
                continue
            under = [
                a
                for a in Ancestry.objects.filter(descendant_id=p.unit_id, ancestor=unit)
                if a.valid_from <= day and (a.valid_to is None or a.valid_to > day)
            ]
            if under:
                n += 1
                break
    return n


def settled(page) -> None:
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_the_commune_office_reads_follows_and_downloads_its_figures(
    live_server, browser, demo_site
):
    commune = RoleGrant.objects.select_related("unit").get(user__username="commune").unit
    last_year = timezone.localdate().year - 1
    admitted = admissions_by_hand(commune, last_year)
    assert admitted > 0  # the demo admits members every year: the figure means something

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server.url, "commune", "commune-demo")
    page.click(f"a[href='/reports/{commune.pk}/']")
    # The address and the load event: htmx (a deferred script) has bound the period's
    # select, so choosing a year below is heard. Waiting for the element alone could see it
    # parsed before htmx ran, and the choice was lost (seen once in CI on PostgreSQL).
    page.wait_for_url(f"{live_server.url}/reports/{commune.pk}/")
    page.wait_for_selector("#period-line")
    assert "(đến nay)" in page.inner_text("#id_period option:checked")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width  # nothing wider than the phone

    # Last year: the page changes in place (and the address with it).
    page.select_option("#id_period", str(last_year))
    page.wait_for_selector(f"#period-line:has-text('Năm {last_year}')")
    # The address follows (htmx pushes it once the swap settles), so "back" comes here.
    page.wait_for_function(f"location.search.includes('period={last_year}')")
    settled(page)
    # The card: the share large, "admitted/members at the start" under it.
    card = page.locator("#headline [data-figure='movements.admitted']")
    small = card.locator("xpath=following-sibling::div[1]").inner_text()
    assert small.split("/")[0].replace(".", "") == str(admitted), small

    # The figure leads to the members admitted.
    card.locator("a").click()
    page.wait_for_selector("#rows")
    assert page.locator("#rows tbody tr").count() == min(admitted, 100)
    assert page.inner_text("#rows-count").startswith(f"{admitted} ")

    # Back on the figures, the Excel file: queued, built by the worker, then downloaded.
    page.go_back()
    page.wait_for_selector("#report-files")
    page.click("#report-files button[data-format=xlsx]")
    page.wait_for_selector(".report-file .progress[role=progressbar]")
    settled(page)
    call_command("worker", "--once", verbosity=0)
    page.wait_for_selector(".report-file[data-state=done] a", timeout=15_000)
    with page.expect_download() as download:
        page.click(".report-file[data-state=done] a")
    with open(download.value.path(), "rb") as saved:
        book = openpyxl.load_workbook(saved)
    rows = [r for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
    admitted_rows = [
        r for r in rows if r and any(isinstance(c, str) and c.startswith("Kết nạp") for c in r)
    ]
    assert admitted_rows and admitted in admitted_rows[0], admitted_rows
    # The file is the one of last year's figures.
    assert any(isinstance(c, str) and f"Năm {last_year}" in c for r in rows for c in r if c)
    context.close()
