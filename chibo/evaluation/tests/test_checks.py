"""The checks before publication: the cap at its edge (exactly 20% passes, one more refuses),
as the province reads it; discipline and illness; a unit rated excellent; an imported year
warns and never refuses."""

import pytest
from django.utils import translation

from chibo.evaluation import checks
from chibo.evaluation.models import Campaign, Level
from chibo.members.models import EventKind
from chibo.org.models import Kind
from chibo.testing import factories as f

from .helpers import D, campaign, event, ill, members, province_rule, set_level

G, E = Level.GOOD, Level.EXCELLENT


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rate(c, people, levels, *, proposed=False):
    for person, level in zip(people, levels, strict=True):
        set_level(c, person, level, proposed=proposed)


def by_key(c) -> dict[str, checks.Check]:
    return {x.key: x for x in checks.checks(c)}


def test_cap_at_twenty_percent_of_good_and_one_over(world):
    people = members(world.cell, 13)
    c = campaign(world.base, 2024)
    # 2 excellent for 10 good: exactly 20%.
    rate(c, people[:12], [E, E] + [G] * 10)
    assert f"cap:cell:{world.cell.pk}" not in by_key(c)
    # One more excellent: 3 for 10 good.
    rate(c, people[12:], [E])
    found = by_key(c)[f"cap:cell:{world.cell.pk}"]
    assert found.severity == checks.REFUSE and found.refuses
    assert found.message == "Chi bộ thôn Đông: 3 excellent / 10 good (30,00%) above 20%"
    excellent = {c.evaluations.get(member=p).pk for p in people[:2] + people[12:]}
    assert set(found.subjects) == excellent


def test_cap_counts_proposals_until_decided(world):
    people = members(world.cell, 6)
    c = campaign(world.base, 2024)
    rate(c, people, [E, E, G, G, G, G], proposed=True)
    assert f"cap:cell:{world.cell.pk}" in by_key(c)
    # The committee decides one of them good: the decision counts, not the proposal.
    set_level(c, people[0], G)
    assert f"cap:cell:{world.cell.pk}" not in by_key(c)


def test_cap_within_each_cell(world):
    first = members(world.cell, 5, "Đông")
    second = members(world.cell2, 5, "Trường")
    c = campaign(world.base, 2024)
    rate(c, first, [E, G, G, G, G])  # 1 for 4 good: 25%
    rate(c, second, [G, G, G, G, G])
    found = by_key(c)
    assert f"cap:cell:{world.cell.pk}" in found
    assert f"cap:cell:{world.cell2.pk}" not in found


def test_province_reads_good_or_above_and_the_campaign_as_a_whole(world):
    province_rule(world.province, evaluation_cap_base="good_or_above")
    people = members(world.cell, 11)
    c = campaign(world.base, 2024)
    # 2 excellent, 8 good: 2 of 10 good or above, exactly 20%.
    rate(c, people[:10], [E, E] + [G] * 8)
    assert not [x for x in checks.checks(c) if x.key.startswith("cap:")]
    # 3 excellent, 8 good: 3 of 11 (27,27%).
    rate(c, people[10:], [E])
    found = by_key(c)[f"cap:cell:{world.cell.pk}"]
    assert found.message == (
        "Chi bộ thôn Đông: 3 excellent / 11 good or excellent (27,27%) above 20%"
    )
    # Read over the whole campaign, the other cell's good members count too.
    province_rule(world.province, D(2019, 1, 1), evaluation_cap_group="campaign")
    others = members(world.cell2, 4)
    c2 = Campaign.objects.get(pk=c.pk)
    from chibo.evaluation import services

    services.campaign_refresh(campaign=c2, actor=None)
    rate(c2, others, [G] * 4)
    found = by_key(c2)
    assert f"cap:cell:{world.cell.pk}" not in found
    assert "cap:members" not in found  # 3 of 15: exactly 20%


def test_cap_of_units_under_their_parent(world):
    cells = [f.unit(Kind.CELL, world.base) for _ in range(4)]
    c = campaign(world.base, 2024)
    rate(c, [world.cell, world.cell2, *cells], [E, G, G, G, G, E])
    found = by_key(c)[f"cap:units:{world.base.pk}"]
    assert found.message == "Units under Đảng bộ xã An Hòa: 2 excellent / 4 good (50,00%) above 20%"


def test_member_rated_above_discipline_and_illness(world):
    scolded, sick, fine = members(world.cell, 3)
    event(scolded, EventKind.WARNING, D(2024, 5, 1))
    ill(sick, D(2024, 3, 1), D(2024, 6, 30))
    c = campaign(world.base, 2024)
    rate(c, [scolded, sick, fine], [G, G, G])
    found = by_key(c)
    assert found[f"discipline:member:{scolded.pk}"].message == (
        f"{scolded.full_name} rated Well completed duties: Disciplined: warning in the year:"
        " Completed duties at best (Quy định 124-QĐ/TW)"
    )
    assert found[f"ill:member:{sick.pk}"].refuses
    assert not [k for k in found if k.endswith(f":{fine.pk}")]
    rate(c, [scolded, sick], [Level.COMPLETE, Level.INCOMPLETE])
    assert not [k for k in by_key(c) if k.startswith(("discipline", "ill"))]


def test_not_rated_but_given_a_level(world):
    young = members(world.cell, 1)[0]
    event(young, EventKind.SUSPENDED, D(2024, 11, 1))
    c = campaign(world.base, 2024)
    set_level(c, young, G)
    assert by_key(c)[f"not_rated:member:{young.pk}"].refuses


def test_unit_excellent_needs_its_meetings_and_members(world):
    people = members(world.cell2, 3)
    c = campaign(world.base, 2024)
    set_level(c, world.cell2, E)
    rate(c, people, [G, G, Level.INCOMPLETE])
    found = by_key(c)
    # No meeting held in 2024: no rating of its year.
    assert found[f"meetings:unit:{world.cell2.pk}"].message == (
        "Chi bộ trường Tiểu học rated excellent while its year of meetings has no rating"
        " (at least Good needed)"
    )
    assert found[f"members:unit:{world.cell2.pk}"].message == (
        "Chi bộ trường Tiểu học rated excellent while 2 of its 3 rated members (66,67%)"
        " complete their duties or better (100% needed)"
    )
    set_level(c, people[2], Level.COMPLETE)
    assert f"members:unit:{world.cell2.pk}" not in by_key(c)


def test_imported_year_warns(world):
    people = members(world.cell, 4)
    c = campaign(world.base, 2024)
    c.imported = True
    c.save()
    rate(c, people, [E, E, G, G])
    found = by_key(c)[f"cap:cell:{world.cell.pk}"]
    assert found.severity == checks.WARN and not found.refuses
    assert checks.refusing(c) == []


def test_unit_excellent_by_the_rating_of_its_meetings(world, monkeypatch):
    """The year of meetings as chibo.meetings rates it: Fair is below the rule's Good."""
    from chibo.meetings.models import Rating
    from chibo.meetings.services.quality import YearRating

    ratings = {world.cell.pk: Rating.GOOD, world.cell2.pk: Rating.FAIR}
    asked = []

    def year_rating(*, cell, year):
        asked.append((cell.pk, year))
        return YearRating(rating=ratings[cell.pk], meetings=12, good=10, unscored=0)

    monkeypatch.setattr(checks, "year_rating", year_rating)
    c = campaign(world.base, 2024)
    set_level(c, world.cell, E)
    set_level(c, world.cell2, E)
    found = by_key(c)
    assert f"meetings:unit:{world.cell.pk}" not in found
    assert found[f"meetings:unit:{world.cell2.pk}"].message == (
        "Chi bộ trường Tiểu học rated excellent while its year of meetings is rated Fair"
        " (at least Good needed)"
    )
    assert sorted(asked) == sorted([(world.cell.pk, 2024), (world.cell2.pk, 2024)])
    # A province asking only "fair".
    province_rule(world.province, evaluation_unit_meetings="fair")
    assert f"meetings:unit:{world.cell2.pk}" not in by_key(c)


def test_board_and_checks_queries_do_not_grow(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.evaluation import queries

    first = members(world.cell, 3)
    c = campaign(world.base, 2024)
    rate(c, first, [E, G, G])
    with CaptureQueriesContext(connection) as small:
        queries.board(c)
    more = members(world.cell2, 12)
    for m in more[:4]:
        event(m, EventKind.REPRIMAND, D(2024, 3, 1))
    from chibo.evaluation import services

    services.campaign_refresh(campaign=c, actor=None)
    rate(c, more, [E, E] + [G] * 10)
    with CaptureQueriesContext(connection) as large:
        board = queries.board(c)
    assert len(board.rows) == 2 + 3 + 12 + 2  # the world's members, ours, the two cells
    assert len(large.captured_queries) == len(small.captured_queries)
