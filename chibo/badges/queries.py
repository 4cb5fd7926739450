"""Reads of recorded awards, and a long due list's figures by unit."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from chibo.members.models import Placement, PlacementKind
from chibo.org.models import Ancestry, OrgUnit

from .due import DueList, Reason
from .models import BadgeAward


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
        for u in OrgUnit.all_objects.filter(pk__in=set(child_of.values())).order_by("name")
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
