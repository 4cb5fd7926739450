"""Reads of recorded awards, a long due list's figures by unit, and the count of members
due on the next occasion (the deadline board)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from chibo import rules
from chibo.members.models import Placement, PlacementKind
from chibo.org.models import Ancestry, OrgUnit

from ..models import BadgeAward
from .due import DueList, DueRow, Reason, due_counts, due_list
from .occasions import Occasion, next_occasion, occasion_on, occasions

__all__ = [
    "DueList",
    "DueRow",
    "Occasion",
    "Reason",
    "AwardTotals",
    "award_totals",
    "awards_under",
    "counts_by_child",
    "due_counts",
    "due_list",
    "next_occasion",
    "occasion_on",
    "occasions",
]


def awards_under(unit: OrgUnit, awards: QuerySet[BadgeAward] | None = None) -> QuerySet[BadgeAward]:
    """Awards of members who were placed in the unit's subtree on the occasion, or whose
    record it holds now (a member who moved since keeps the awards of both places)."""
    awards = BadgeAward.objects.all() if awards is None else awards
    units = OrgUnit.all_objects.within(unit).values("pk")
    there = Placement.objects.filter(
        member=OuterRef("member_id"),
        kind=PlacementKind.OFFICIAL,
        unit__in=units,
        start__lte=OuterRef("occasion_date"),
    ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef("occasion_date")))
    return awards.filter(Q(member__home_unit__in=units) | Q(Exists(there)))


@dataclass
class AwardTotals:
    """Counts of a list of awards: by occasion (newest first) and by badge (party age)."""

    by_occasion: list[tuple[dt.date, int]]
    by_badge: list[tuple[int, int]]
    total: int


def award_totals(awards: QuerySet[BadgeAward]) -> AwardTotals:
    """Counted in SQL (two grouped queries), whatever the number of awards."""
    plain = awards.order_by()
    by_occasion = [
        (row["occasion_date"], row["n"])
        for row in plain.values("occasion_date").annotate(n=Count("pk")).order_by("-occasion_date")
    ]
    by_badge = [
        (row["years"], row["n"])
        for row in plain.values("years").annotate(n=Count("pk")).order_by("years")
    ]
    return AwardTotals(by_occasion, by_badge, sum(n for _y, n in by_badge))


@dataclass
class ChildCounts:
    """One unit directly under the listed unit, and its share of the list."""

    unit: OrgUnit
    due: int = 0
    early: int = 0
    posthumous: int = 0
    held: int = 0

    @property
    def awardable(self) -> int:
        return self.due + self.early + self.posthumous


def counts_by_child(listing: DueList) -> list[ChildCounts]:
    """The list's figures for each unit directly under its unit (the tree of the occasion
    day), for a list too long to show member by member. Two queries."""
    on = listing.on
    children = Ancestry.objects.valid(on).filter(ancestor=listing.unit, distance=1)
    links = Ancestry.objects.valid(on).filter(
        ancestor_id__in=children.values("descendant_id"),
        descendant_id__in={r.cell_id for r in listing.rows if r.cell_id is not None},
    )
    child_of = dict(links.values_list("descendant_id", "ancestor_id"))
    counts = {
        u.pk: ChildCounts(u)
        for u in OrgUnit.all_objects.filter(pk__in=set(child_of.values())).order_by(
            "sort_name", "pk"
        )
    }
    for row in listing.rows:
        child = counts.get(child_of.get(row.cell_id, 0))
        if child is None:
            continue
        if row.held_until is not None:
            child.held += 1
        elif row.reason == Reason.ILLNESS:
            child.early += 1
        elif row.reason == Reason.POSTHUMOUS:
            child.posthumous += 1
        else:
            child.due += 1
    return list(counts.values())


@dataclass
class BadgesDue:
    """How many are due a Party badge on the next award occasion."""

    occasion: dt.date
    name: str
    due: int  # due, early for illness, or posthumous, and not held back
    held: int  # held back by a discipline


def badges_due(unit: OrgUnit, on: dt.date) -> BadgesDue | None:
    """The count for the first award occasion on or after `on` (the list itself is the
    badges page's), or None when no occasion lies ahead."""
    occasion = next_occasion(on - dt.timedelta(days=1), rules.province_of(unit, on))
    if occasion is None:
        return None
    counts = due_counts(unit, occasion.date)
    return BadgesDue(
        occasion=occasion.date,
        name=occasion.name,
        due=sum(n for (_years, _reason, held), n in counts.items() if not held),
        held=sum(n for (_years, _reason, held), n in counts.items() if held),
    )
