"""The board page, the timeline page and the API: what they show, and who may see them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chibo.accounts.models import RecordRead
from chibo.development.models import Candidate
from chibo.members.models import PlacementKind, Transfer
from chibo.testing.api import call
from chibo.testing.deadlines import probationary, vote

D = dt.date
ON = D(2026, 4, 14)


@pytest.fixture
def due(world):
    """In the base committee on 14/04/2026: a ceremony overdue (admitted 02/02/2026, due
    23/03), a review overdue (probation ended 02/03/2026, due 13/04) and a review voted."""
    return {
        "ceremony": probationary(world.cell, D(2026, 2, 2), full_name="Lễ Quá Hạn"),
        "review": probationary(world.cell2, D(2025, 2, 3), D(2025, 3, 2), full_name="Xét Quá Hạn"),
        "voted": vote(
            probationary(world.cell, D(2025, 2, 3), D(2025, 3, 2), full_name="Đã Biểu Quyết"),
            D(2026, 4, 10),
        ).member,
    }


def en(client):
    client.cookies["django_language"] = "en"
    return client


def board_url(unit) -> str:
    return reverse("deadlines:unit", args=[unit.pk])


def test_board_page(world, cast, client_for, due):
    c = en(client_for(cast.base_officer))
    r = c.get(board_url(world.base), {"on": "14/04/2026"})
    assert r.status_code == 200
    html = r.text
    for m in due.values():
        assert reverse("members:detail", args=[m.pk]) in html
    assert "ceremony by 23/03/2026" in html and "review by 13/04/2026" in html
    assert "the cell voted on 10/04/2026" in html
    assert html.count('list-group-item list-group-item-danger"') == 2  # the two overdue
    assert "Removal review, 2026" in html
    # The form shows the year the removal review was read for (the year of the day asked).
    assert 'name="year" id="id_year" type="number" min="1990" value="2026"' in html
    # The table of contents: each list with its count, the overdue ones said.
    assert 'Ceremonies 1 <span class="text-danger">(1 overdue)</span>' in html
    # The day before the ceremony deadline nothing is overdue yet (the review not ended).
    r = c.get(board_url(world.base), {"on": "23/03/2026"})
    assert r.status_code == 200 and 'list-group-item-danger"' not in r.text
    # Only the cell's part for the cell.
    r = c.get(board_url(world.cell2), {"on": "14/04/2026"})
    assert "Xét Quá Hạn" in r.text and "Lễ Quá Hạn" not in r.text
    # HTMX gets the board alone.
    r = c.get(board_url(world.base), {"on": "14/04/2026"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text and 'id="board"' in r.text


def test_board_form_errors(world, cast, client_for):
    c = en(client_for(cast.base_officer))
    r = c.get(board_url(world.base), {"on": "31/02/2026"})
    assert r.status_code == 422 and "Date as dd/mm/yyyy, e.g." in r.text
    r = c.get(board_url(world.base), {"on": "14/04/2026", "year": "2027"})
    assert r.status_code == 422 and "That year has not begun on the day chosen." in r.text
    r = c.get(board_url(world.base), {"on": "14/04/1989"})
    assert r.status_code == 422 and "Choose a day from 1990 on." in r.text


def test_board_permissions(world, cast, client_for):
    url = board_url(world.base)
    assert client_for(cast.province_officer).get(url).status_code == 200
    assert client_for(cast.viewer).get(url).status_code == 200
    assert client_for(cast.secretary).get(board_url(world.cell)).status_code == 200
    assert client_for(cast.secretary).get(url).status_code == 404  # above their cell
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.member).get(board_url(world.cell)).status_code == 403
    assert client_for(cast.base_officer).post(url).status_code == 405
    assert client_for(cast.viewer).post(url).status_code == 405
    r = en(client_for(cast.base_officer)).get(reverse("deadlines:unit", args=[999999]))
    assert r.status_code == 404


def test_board_queries_do_not_grow_with_rows(world, cast, client_for):
    c = client_for(cast.base_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(board_url(world.base), {"on": "14/04/2026"}).status_code == 200
        return len(ctx.captured_queries)

    probationary(world.cell, D(2026, 2, 2))
    one = count()
    for cell in (world.cell, world.cell2, world.cell2):
        probationary(cell, D(2026, 2, 2))
        probationary(cell, D(2025, 2, 3), D(2025, 3, 2))
    assert count() == one


# The cell's board, pinned: the page's own queries (the login, the unit and its path), the
# subtree once, the rules, the unit's province and the working-day calendar once for every
# source (chibo.rules.memo), then each source's lists, and the menu's.
# 35 before the rules were read once and the cell named (issue 13). The development lists
# start from the subtree's probationary members, read first: a cell with some (this one)
# asks one query more, a cell with none three fewer (test_cell_without_probation_asks_less).
CELL_BOARD_QUERIES = 26


def test_cell_board_query_count(world, cast, client_for, due):
    c = client_for(cast.secretary)
    url = board_url(world.cell)
    assert c.get(url, {"on": "14/04/2026"}).status_code == 200  # the calendar table built
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url, {"on": "14/04/2026"}).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == CELL_BOARD_QUERIES, "\n".join(sql)
    # Read once, however many sources ask.
    assert sum('FROM "rules_ruleversion" ORDER BY' in q for q in sql) == 1
    assert sum(q.startswith('SELECT 1 AS "a" FROM "rules_calendarday"') for q in sql) == 1


def test_cell_without_probation_asks_less(world, cast, client_for, due):
    """The development lists start from the subtree's probationary members: a cell with
    none (`other_cell`) asks at least three queries fewer than one with some (the three
    lists are not asked), and lists nothing."""

    def board(cell):
        c = client_for(cast.province_officer)
        url = board_url(cell)
        assert c.get(url, {"on": "14/04/2026"}).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(url, {"on": "14/04/2026"})
        return r, len(ctx.captured_queries)

    with_some, n_some = board(world.cell)
    without, n_none = board(world.other_cell)
    assert n_none <= n_some - 3
    values = without.context["board"].values()
    assert values["ceremonies"] == values["reviews"] == values["decisions"] == []
    assert with_some.context["board"].values()["ceremonies"]


# API ------------------------------------------------------------------------------------------


def test_api_board(world, cast, client_for, due):
    c = client_for(cast.base_officer)
    r = call(c, "GET", f"/deadlines?unit={world.base.pk}&on=2026-04-14")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["ceremonies"]["count"] == 1 and body["ceremonies"]["overdue"] == 1
    item = body["ceremonies"]["items"][0]
    assert (item["member"], item["deadline"], item["overdue"], item["cell_name"]) == (
        due["ceremony"].pk,
        "2026-03-23",
        True,
        "Chi bộ thôn Đông",
    )
    assert [(i["member"], i["deadline"]) for i in body["reviews"]["items"]] == [
        (due["review"].pk, "2026-04-13")
    ]
    assert [(i["member"], i["voted_on"]) for i in body["decisions"]["items"]] == [
        (due["voted"].pk, "2026-04-10")
    ]
    assert body["probations"]["count"] == 0 and body["tasks"]["count"] == 0
    assert body["removal"]["year"] == 2026 and body["removal"]["threshold"] == 3
    # Scope and roles.
    for user, unit, status in [
        (cast.viewer, world.base, 200),
        (cast.outsider, world.base, 404),
        (cast.member, world.cell, 403),
    ]:
        assert call(client_for(user), "GET", f"/deadlines?unit={unit.pk}").status_code == status
    assert call(c, "POST", f"/deadlines?unit={world.base.pk}", {}).status_code == 405
    r = call(c, "GET", f"/deadlines?unit={world.base.pk}&on=1989-12-31")
    assert r.status_code == 422 and "Choose a day from 1990 on." in r.text


def test_api_removal_review(world, cast, client_for):
    c = client_for(cast.base_officer)
    r = call(c, "GET", f"/deadlines/removal-review?unit={world.base.pk}&year=2025")
    assert r.status_code == 200
    assert r.json() == {
        "year": 2025,
        "as_of": "2025-12-31",
        "threshold": 3,
        "unpaid_threshold": 3,
        "count": 0,
        "items": [],
    }
    this_year = timezone.localdate().year
    r = call(c, "GET", f"/deadlines/removal-review?unit={world.base.pk}&year={this_year + 1}")
    assert r.status_code == 422
    assert f"Choose a year from 1990 to {this_year}." in r.text
    url = f"/deadlines/removal-review?unit={world.base.pk}"
    assert call(client_for(cast.outsider), "GET", url).status_code == 404
    assert call(client_for(cast.member), "GET", url).status_code == 403


# The timeline -----------------------------------------------------------------------------


@pytest.fixture
def life(world):
    """A member with a candidacy, admission, ceremony, a review voted and a transfer sent."""
    m = probationary(world.cell, D(2025, 2, 3), D(2025, 3, 2), full_name="Đời Đảng Viên")
    Candidate.objects.create(
        cell=world.cell,
        full_name=m.full_name,
        gender=m.gender,
        birth_date=m.birth_date,
        proposed_on=D(2024, 5, 1),
        class_completed_on=D(2024, 6, 15),
        class_certificate="CN-12",
        introducer_1=world.member,
        introducer_1_since=D(2022, 1, 1),
        union_introduction="Nghị quyết Đoàn 3",
        introduced_on=D(2024, 9, 1),
        vote_on=D(2024, 12, 20),
        votes_for=3,
        votes_eligible=3,
        decision_number="15-QĐ/ĐU",
        decision_on=D(2025, 2, 3),
        member=m,
    )
    vote(m, D(2026, 4, 20))
    Transfer.objects.create(
        member=m,
        kind=PlacementKind.OFFICIAL,
        from_unit=world.cell,
        to_unit=world.cell2,
        letter_number="05-GGT",
        sent_on=D(2026, 5, 4),
    )
    return m


def test_timeline_page(world, cast, client_for, life):
    c = en(client_for(cast.base_officer))
    r = c.get(reverse("deadlines:timeline", args=[life.pk]))
    assert r.status_code == 200
    html = r.text
    # In date order, as counted from the fixture.
    order = [
        "01/05/2024</strong> Proposed for admission by Chi bộ thôn Đông",
        "15/06/2024</strong> Completed the class on the Party",
        "01/09/2024</strong> Introduced for admission",
        "20/12/2024</strong> The cell voted on the admission",
        "03/02/2025</strong> Admitted (probationary)",
        "03/02/2025</strong> Began taking part in Chi bộ thôn Đông",
        "02/03/2025</strong> Admission ceremony held",
        "20/04/2026</strong> The cell reviewed official membership",
        "04/05/2026</strong> Transfer sent from Chi bộ thôn Đông to Chi bộ trường Tiểu học",
    ]
    places = [html.index(text) for text in order]
    assert places == sorted(places)
    assert "Nguyễn Văn Hùng, Nghị quyết Đoàn 3" in html and "Certificate CN-12" in html
    assert "3 of 3 official members in favour" in html
    assert "Official · not yet received" in html and "Decision 05-GGT" in html
    assert "The cell voted on 20/04/2026; the decision is awaited" in html
    # Party age from 03/02/2025, counted here by months: whole months to today.
    today = timezone.localdate()
    months = (today.year - 2025) * 12 + today.month - 2 - (today.day < 3)
    years, rest = divmod(months, 12)
    age = f"{years} year{'s' if years != 1 else ''}" + (
        f" {rest} month{'s' if rest != 1 else ''}" if rest else ""
    )
    assert f'id="party-age">{age} ' in html


def test_timeline_access_and_audit(world, cast, client_for, life):
    url = reverse("deadlines:timeline", args=[life.pk])
    assert client_for(cast.base_officer).get(url).status_code == 200
    assert (
        RecordRead.objects.filter(user=cast.base_officer, member=life, channel="page").count() == 1
    )
    assert client_for(cast.viewer).get(url).status_code == 200
    # The secretary reads a member of their own cell: no trace; the member reads their own.
    assert client_for(cast.secretary).get(url).status_code == 200
    own = reverse("deadlines:timeline", args=[world.member.pk])
    assert client_for(cast.member).get(own).status_code == 200
    assert set(RecordRead.objects.values_list("user__username", flat=True)) == {"base", "viewer"}
    assert client_for(cast.member).get(url).status_code == 404  # another member's
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.base_officer).post(url).status_code == 405
    # Linked from the record page.
    detail = client_for(cast.base_officer).get(reverse("members:detail", args=[life.pk]))
    assert url in detail.text


def test_timeline_party_age_on_a_day(world, cast, client_for, life):
    # Party age from 03/02/2025: 1 year 8 months the day before 03/11/2026, 1 year 9 on it.
    for on, age in (("2026-11-02", [1, 8]), ("2026-11-03", [1, 9])):
        r = call(client_for(cast.base_officer), "GET", f"/deadlines/timeline/{life.pk}?on={on}")
        assert [r.json()["party_age_years"], r.json()["party_age_months"]] == age


def test_timeline_api(world, cast, client_for, life):
    r = call(client_for(cast.base_officer), "GET", f"/deadlines/timeline/{life.pk}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "probationary" and body["party_age_from"] == "2025-02-03"
    assert [e["day"] for e in body["entries"]] == [
        "2024-05-01",
        "2024-06-15",
        "2024-09-01",
        "2024-12-20",
        "2025-02-03",
        "2025-02-03",
        "2025-03-02",
        "2026-04-20",
        "2026-05-04",
    ]
    assert [(d["member"], d["voted_on"]) for d in body["due"]["decisions"]] == [
        (life.pk, "2026-04-20")
    ]
    assert RecordRead.objects.filter(user=cast.base_officer, channel="api").count() == 1
    r = call(client_for(cast.outsider), "GET", f"/deadlines/timeline/{life.pk}")
    assert r.status_code == 404
    r = call(client_for(cast.member), "GET", f"/deadlines/timeline/{world.member.pk}")
    assert r.status_code == 200 and RecordRead.objects.count() == 1
