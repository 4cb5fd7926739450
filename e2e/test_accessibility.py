"""axe-core on the pages each demo persona opens most: home, a meeting of their cell (every
part unfolded), the compliance, deadline and figures pages of their unit. No serious or critical
violation, at 360 px and at desktop width."""

import pytest

from chibo.accounts.demo import PERSONAS
from chibo.accounts.models import User
from chibo.meetings.models import Meeting, State
from chibo.org.models import OrgUnit

from .axe import axe_available, violations
from .conftest import log_in

pytestmark = pytest.mark.e2e


def pages_of(user: User) -> list[str]:
    """Home, then for the persona's own cell (or the unit of their first grant) a held or
    adopted meeting, the next planned one, the compliance and the deadline pages."""
    urls = ["/"]
    grant = user.grants.select_related("unit").order_by("pk").first()
    unit = user.member.home_unit if user.member_id else (grant.unit if grant else None)
    if unit is None:
        return urls
    meetings = Meeting.objects.filter(cell__in=OrgUnit.objects.within(unit))
    for state in ([State.ADOPTED, State.HELD], [State.PLANNED]):
        m = meetings.filter(state__in=state).order_by("-planned_at").first()
        if m:
            urls.append(f"/meetings/{m.pk}/?open=all")  # every part unfolded: all its forms
    target = grant.unit if grant else unit
    urls += [
        f"/compliance/{target.pk}/",
        f"/deadlines/unit/{target.pk}/",
        f"/reports/{target.pk}/",
        f"/reports/{target.pk}/rows/members/end/?period={target.created_at.year}",
    ]
    return urls


@pytest.mark.parametrize("width", [360, 1280])
def test_no_serious_violation_on_the_personas_pages(live_server, browser, demo_site, width):
    axe_available()
    found, seen = [], 0
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            continue
        context = browser.new_context(viewport={"width": width, "height": 740}, locale="vi-VN")
        page = context.new_page()
        log_in(page, live_server.url, persona.username, persona.password)
        for url in pages_of(user):
            response = page.goto(live_server.url + url)
            if response.status in (403, 404):  # not this persona's page (a member's compliance)
                continue
            assert response.status == 200, (persona.username, url, response.status)
            seen += 1
            found += [f"{persona.username} {url}: {v}" for v in violations(page)]
        context.close()
    assert seen >= 12, seen  # every persona's home and the office and cell pages were checked
    assert not found, "\n".join(found)
