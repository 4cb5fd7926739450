"""The badges section of the unit reports (chibo.core.reporting, docs/reports.md).

- `awarded`: awards whose occasion falls in the period, of members (not in the trash) whose
  official placement on the occasion day lay in the root's subtree as the tree stood that day
  (a member transferred since counts where they were on the occasion).
- `occasions`: the distinct occasion dates of those awards.
- `by_years`: those awards by badge ("30": n, ...): every badge age the rules in force on the
  period's end list (for the root's province), with 0s, and any other age awarded.

Three queries whatever the roots: the closure-table rows of the roots' subtrees over the period
together with the roots' provinces on the period's end, the rule versions
(`chibo.rules.RuleBook`), and the period's awards grouped by the unit of the member's
official placement on the occasion day, badge and occasion; each group then counts for the
roots whose closure row to that unit was valid on the occasion day, in Python. (Joining the
closure table in SQL made SQLite walk every placement of the subtree to find the few awards.)
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Field, Func, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo import rules
from chibo.core.reporting import Figures, Link, Period, Rows, Section, register
from chibo.members.models import PlacementKind
from chibo.org.models import Ancestry
from chibo.org.models import Kind as UnitKind
from chibo.rules import RuleBook

from .models import BadgeAward

LINK = "member__placements__unit__ancestor_links__"
# Up to this many units the awards' query names the roots' units: the database then starts from
# their placements. A larger subtree holds more placements than the period has awards: the
# awards are read through the index on the occasion, and a long list only slows the planning.
MAX_LISTED = 1_000


class AsFetched(Func):
    """A column as the driver returns it, with no Django converter (a date is text on SQLite):
    as `chibo.meetings.compliance.expressions.AsFetched`, which this floor may not import."""

    template = "%(expressions)s"
    output_field = Field()


# (root, valid from, valid to) of a closure row, its dates as the driver gives them
Link3 = tuple[int, Any, Any]


def _awards(roots: Sequence[int], period: Period) -> QuerySet[BadgeAward]:
    """The period's awards, one row per root whose subtree held the member's official placement
    on the occasion day (the tree as it stood that day). The conditions on the placement and
    on the closure table are in one filter() call, so that they share one join each."""
    on = F("occasion_date")
    return BadgeAward.objects.filter(
        Q(member__placements__end__isnull=True) | Q(member__placements__end__gt=on),
        Q(**{f"{LINK}valid_to__isnull": True}) | Q(**{f"{LINK}valid_to__gt": on}),
        occasion_date__gte=period.start,
        occasion_date__lte=period.end,
        member__deleted_at__isnull=True,
        member__placements__deleted_at__isnull=True,
        member__placements__kind=PlacementKind.OFFICIAL,
        member__placements__start__lte=on,
        **{f"{LINK}ancestor_id__in": list(roots), f"{LINK}valid_from__lte": on},
    )


def _units(roots: Sequence[int], period: Period) -> tuple[dict[int, list[Link3]], dict[int, int]]:
    """One query: unit -> [(root, valid from, valid to)] for the closure rows linking a root to
    a unit some time in the period (the dates as the driver gives them, see `figures`); root
    -> its province on the period's end."""
    ids = list(roots)
    in_period = Q(ancestor_id__in=ids, valid_from__lte=period.end) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=period.start)
    )
    on_end = Q(
        descendant_id__in=ids, ancestor__kind=UnitKind.PROVINCE, valid_from__lte=period.end
    ) & (Q(valid_to__isnull=True) | Q(valid_to__gt=period.end))
    rows = (
        Ancestry.objects.filter(in_period | on_end)
        .annotate(
            link=ExpressionWrapper(in_period, BooleanField()),
            province=ExpressionWrapper(on_end, BooleanField()),
        )
        .values_list(
            "ancestor_id",
            "descendant_id",
            AsFetched("valid_from"),
            AsFetched("valid_to"),
            "link",
            "province",
        )
    )
    links: dict[int, list[Link3]] = {}
    provinces: dict[int, int] = {}
    for ancestor, descendant, valid_from, valid_to, link, province in rows:
        if link:
            links.setdefault(descendant, []).append((ancestor, valid_from, valid_to))
        if province:
            provinces[descendant] = ancestor
    return links, provinces


def _badge_years(
    roots: Sequence[int], on: dt.date, provinces: dict[int, int]
) -> dict[int, list[int]]:
    """The badge ages of the rules in force on `on` for each root (its province's own rules
    included)."""
    book = RuleBook()
    return {root: list(book.at(on, provinces.get(root)).badge_years or []) for root in roots}


class BadgesSection(Section):
    key = "badges"
    order = 60
    title = gettext_lazy("Party badges")
    table = ("awarded",)
    headline = ("awarded", "occasions")

    @property
    def labels(self) -> dict[str, str | Promise]:  # type: ignore[override]
        """The fixed figures, then one per badge age of the rules in force today (the keys of
        `by_years` are rule data: read when asked, one query). An age awarded off the list
        (an old decision entered afterwards) has no label of its own."""
        ages = rules.at(timezone.localdate()).badge_years or []
        return {
            "awarded": gettext_lazy("Party badges awarded"),
            "occasions": gettext_lazy("Award occasions"),
            **{f"by_years.{y}": _("%(years)s-year badges") % {"years": y} for y in ages},
        }

    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        links, provinces = _units(roots, period)
        years = _badge_years(roots, period.end, provinces)
        on = F("occasion_date")
        # In the one filter() call of the other conditions on the placement, so that all
        # apply to the same placement.
        units = (
            {"member__placements__unit__id__in": list(links)} if len(links) <= MAX_LISTED else {}
        )
        rows = (
            BadgeAward.objects.filter(
                Q(member__placements__end__isnull=True) | Q(member__placements__end__gt=on),
                occasion_date__gte=period.start,
                occasion_date__lte=period.end,
                member__deleted_at__isnull=True,
                member__placements__deleted_at__isnull=True,
                member__placements__kind=PlacementKind.OFFICIAL,
                member__placements__start__lte=on,
                **units,
            )
            # The occasion as the driver gives it (text on SQLite), compared only with the
            # closure rows' dates fetched the same way: no converter per row.
            .values_list("member__placements__unit_id", "years", AsFetched("occasion_date"))
            .annotate(n=AsFetched(Count("pk")))
            .order_by()
        )
        counts: dict[int, dict[int, int]] = {root: dict.fromkeys(years[root], 0) for root in roots}
        days: dict[int, set[Any]] = {root: set() for root in roots}
        for unit, age, day, n in rows:
            for root, valid_from, valid_to in links.get(unit, ()):
                if valid_from <= day and (valid_to is None or valid_to > day):
                    counts[root][age] = counts[root].get(age, 0) + n
                    days[root].add(day)
        return {
            root: {
                "awarded": sum(counts[root].values()),
                "occasions": len(days[root]),
                "by_years": {str(y): n for y, n in sorted(counts[root].items())},
            }
            for root in roots
        }

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        if rest:
            return None
        awards = _awards([root], period)
        if figure.startswith("by_years."):
            years = figure.removeprefix("by_years.")
            if not years.isdigit():
                return None
            awards = awards.filter(years=int(years))
        elif figure not in ("awarded", "occasions"):
            return None
        items = (
            awards.annotate(cell_id=F("member__placements__unit_id"))
            .annotate(cell_name=F("member__placements__unit__name"))
            .select_related("member")
            .order_by("occasion_date", "member__search_name", "pk")
        )
        return Rows(
            headers=[
                _("Member"),
                _("Badge (years)"),
                _("Occasion"),
                _("Decision number"),
                _("Cell"),
            ],
            items=items,
            row=_row,
        )


def _row(award: BadgeAward) -> list:
    cell_id = award.cell_id  # type: ignore[attr-defined]
    return [
        Link(award.member.full_name, reverse("members:detail", args=[award.member_id])),
        award.years,
        award.occasion_date,
        award.decision_number,
        Link(award.cell_name, reverse("org:unit", args=[cell_id])),  # type: ignore[attr-defined]
    ]


register(BadgesSection())
