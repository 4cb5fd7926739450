"""No input makes a 500 (issue 14, item 8): paging past 2^63, dates and years far outside
the calendar, on the API and on the pages that read the same parameters."""

import pytest

from chibo.testing.api import call

HUGE = 2**63


@pytest.mark.parametrize(
    "path",
    ["/units", "/villages", "/members", "/events", "/placements", "/positions", "/meetings"],
)
def test_an_offset_past_the_database_integer_is_refused(client_for, cast, path):
    r = call(client_for(cast.province_officer), "GET", f"{path}?offset={HUGE}")
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["loc"] == ["query", "offset"]


def test_the_largest_offset_allowed_answers_an_empty_page(client_for, cast):
    r = call(client_for(cast.province_officer), "GET", "/units?offset=1000000000")
    assert r.status_code == 200
    assert r.json()["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/badges/occasions?year=10000",
        "/badges/occasions?year=1899",
        "/deadlines?unit={cell}&on=9999-12-31",
        "/deadlines?unit={cell}&on=0001-01-01",
        "/deadlines/timeline/{member}?on=9999-12-31",
        "/rules/working-days/after?start=9999-12-31&days=5",
        "/rules/working-days?year=10000",
        "/badges/due?unit={cell}&occasion=9999-12-31",
    ],
)
def test_a_date_or_year_outside_1900_2100_is_refused(client_for, cast, world, path):
    path = path.format(cell=world.cell.pk, member=world.member.pk)
    r = call(client_for(cast.province_officer), "GET", path)
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["loc"][0] == "query"


def test_a_body_date_outside_1900_2100_is_refused(client_for, cast, world):
    body = {"parent": world.base.pk, "kind": "cell", "code": "X01-CB09", "name": "Chi bộ mới"}
    r = call(
        client_for(cast.province_officer), "POST", "/units", {**body, "founded_on": "9999-01-01"}
    )
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["loc"] == ["body", "founded_on"]
    assert "1900" in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "url",
    [
        "/deadlines/unit/{cell}/?on=9999-12-31",
        "/deadlines/unit/{cell}/?on=31/12/9999",
        "/deadlines/members/{member}/timeline/?on=9999-12-31",
        "/badges/occasions/?year=10000",
        "/badges/occasions/?year=abc",
    ],
)
def test_pages_answer_a_date_far_away_without_a_server_error(en, cast, world, url):
    r = en(cast.province_officer).get(url.format(cell=world.cell.pk, member=world.member.pk))
    assert r.status_code in (200, 404, 422), r.status_code
