"""The badges section of the unit reports (chibo.core.reporting, docs/reports.md).

- `awarded`: awards whose occasion falls in the period, of members (not in the trash) whose
  official placement on the occasion day lay in the root's subtree as the tree stood that day
  (a member transferred since counts where they were on the occasion).
- `occasions`: the distinct occasion dates of those awards.
- `by_years`: those awards by badge ("30": n, ...): every badge age the rules in force on the
  period's end list (for the root's province), with 0s, and any other age awarded.

Three queries whatever the roots: the awards grouped by root, badge and occasion, the roots'
provinces on the period's end, and the rule versions (`chibo.rules.RuleBook`).
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, F, Q, QuerySet
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


def _badge_years(roots: Sequence[int], on: dt.date) -> dict[int, list[int]]:
    """The badge ages of the rules in force on `on` for each root (its province's own rules
    included)."""
    provinces = dict(
        Ancestry.objects.valid(on)
        .filter(descendant_id__in=list(roots), ancestor__kind=UnitKind.PROVINCE)
        .values_list("descendant_id", "ancestor_id")
    )
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
        rows = (
            _awards(roots, period)
            .values(f"{LINK}ancestor_id", "years", "occasion_date")
            .annotate(n=Count("pk"))
            .order_by()
        )
        years = _badge_years(roots, period.end)
        counts: dict[int, dict[int, int]] = {root: dict.fromkeys(years[root], 0) for root in roots}
        days: dict[int, set[dt.date]] = {root: set() for root in roots}
        for row in rows:
            root = row[f"{LINK}ancestor_id"]
            counts[root][row["years"]] = counts[root].get(row["years"], 0) + row["n"]
            days[root].add(row["occasion_date"])
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
