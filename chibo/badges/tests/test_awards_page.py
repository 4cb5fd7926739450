"""The badge awards page: filtered by year and occasion, with totals by occasion and by
badge, each checked against a count made here from the awards the test wrote."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .helpers import D, awarded, veteran

# (cell, years, occasion) for each award; "other" is outside the base committee.
PLAN = [
    ("cell", 30, D(2025, 2, 3)),
    ("cell", 40, D(2025, 2, 3)),
    ("cell2", 30, D(2025, 9, 2)),
    ("cell", 30, D(2026, 2, 3)),
    ("cell2", 30, D(2026, 2, 3)),
    ("cell2", 50, D(2026, 2, 3)),
    ("cell", 45, D(2026, 5, 19)),
    ("other_cell", 30, D(2026, 2, 3)),
]


@pytest.fixture
def awards(world):
    made = []
    for i, (cell, years, on) in enumerate(PLAN):
        member = veteran(getattr(world, cell), D(1960, 1, 1), f"Người Thứ {i}")
        made.append((cell, awarded(member, years, on)))
    return [a for cell, a in made if cell != "other_cell"]


def _tables(html: str, table_id: str) -> dict[str, str]:
    """The rows of one totals table as {first cell: count}, read from the HTML."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>(.*?)</td><td class=\"num\">(.*?)</td></tr>", body)
    return dict(cells)


@pytest.mark.parametrize(
    "query",
    [{}, {"year": "2026"}, {"year": "2025"}, {"year": "2026", "occasion": "03/02/2026"}],
)
def test_totals_by_occasion_and_badge_match_a_count(world, cast, en, awards, query):
    kept = [
        a
        for a in awards
        if (not query.get("year") or a.occasion_date.year == int(query["year"]))
        and (not query.get("occasion") or f"{a.occasion_date:%d/%m/%Y}" == query["occasion"])
    ]
    r = en(cast.base_officer).get(reverse("badges:history", args=[world.base.pk]), query)
    assert r.status_code == 200
    by_occasion = Counter(f"{a.occasion_date:%d/%m/%Y}" for a in kept)
    by_badge = Counter(f"{a.years} years" for a in kept)
    assert _tables(r.text, "by-occasion") == {k: str(n) for k, n in by_occasion.items()}
    assert _tables(r.text, "by-badge") == {k: str(n) for k, n in by_badge.items()}
    assert f"{len(kept)} badges recorded" in r.text
    # The list holds the same awards.
    assert r.context["page"].paginator.count == len(kept)
    assert {a.pk for a in r.context["page"].object_list} == {a.pk for a in kept}


def test_filter_choices_are_the_years_and_occasions_with_awards(world, cast, en, awards):
    r = en(cast.base_officer).get(reverse("badges:history", args=[world.base.pk]), {"year": "2025"})
    form = r.context["form"]
    assert [v for v, _l in form.fields["year"].choices] == ["", 2026, 2025]
    assert [v for v, _l in form.fields["occasion"].widget.choices] == [
        "",
        "02/09/2025",
        "03/02/2025",
    ]
    # The page partial for HTMX.
    partial = en(cast.base_officer).get(
        reverse("badges:history", args=[world.base.pk]),
        {"year": "2025"},
        headers={"HX-Request": "true"},
    )
    assert b'id="results"' in partial.content and b"<html" not in partial.content


def test_an_occasion_without_awards_lists_none_and_a_bad_date_is_refused(world, cast, en, awards):
    url = reverse("badges:history", args=[world.base.pk])
    r = en(cast.base_officer).get(url, {"occasion": "04/02/2026"})
    assert r.status_code == 200 and "0 badges recorded" in r.text
    r = en(cast.base_officer).get(url, {"occasion": "31/02/2026"})
    assert r.status_code == 422 and "Enter the occasion as dd/mm/yyyy" in r.text
    assert "0 badges recorded" in r.text


def test_totals_take_two_queries_whatever_the_awards(world, cast, en, awards):
    # The totals are grouped in SQL: the page's query count does not grow with the awards.
    c = en(cast.base_officer)
    url = reverse("badges:history", args=[world.base.pk])
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for i in range(5):
        awarded(veteran(world.cell, D(1960, 1, 1), f"Thêm {i}"), 30, dt.date(2024, 11, 7))
    with CaptureQueriesContext(connection) as more:
        c.get(url)
    assert len(more.captured_queries) == len(few.captured_queries)
