"""The evaluation section of the unit reports (chibo.core.reporting, docs/reports.md).

Which ratings count: the ratings (`Evaluation`) of each year the period touches (a year's
report counts that year's ratings; a quarter's or a month's, the ratings of its year; a range
over two years, the ratings of both, a member once per year), that are published (their
campaign published, or imported from Excel: history records what was published), with a
level decided and not left out by a rule (`not_rated` empty), of members and organisations
not in the trash.

- `members`: a member's rating counts for the root whose subtree held the rating's cell
  (`Evaluation.cell`: the cell the member was rated in) on 31/12 of the rated year, the tree
  as it stood that day; a member moved since counts where they were rated. A rating with no
  cell recorded is in no subtree.
- `units`: the ratings of the party organisations strictly inside the root's subtree on
  31/12 of the rated year. The root's own rating is not in its report: the level above rates
  it, and counts it in its own.
- each is `{"rated": n, "excellent": share, "good": share, "complete": share, "incomplete":
  share}`, every level a share (`chibo.core.reporting.share`) of those rated.

Two queries whatever the roots: the closure rows under the roots valid some time between the
first and the last 31/12 of those years, with the descendant's cell type; and the ratings of
those years grouped by year, cell (members) or rated organisation, and level. Each group then
counts for the roots whose closure row to its cell (organisation) held on 31/12 of its year,
in Python: a few thousand groups for a province, where joining the closure table in SQL would
multiply every rating by the depth of the tree.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chibo.core import formats
from chibo.core.reporting import (
    Breakdown,
    Cell,
    Chart,
    Figures,
    Link,
    Period,
    Rows,
    Section,
    register,
    share,
    shared,
)
from chibo.members.models import Member
from chibo.org.models import Ancestry, CellType, OrgUnit

from .models import LEVELS, Evaluation, Level

LEVEL_KEYS: list[str] = [str(level) for level in LEVELS]  # best first
MAX_LISTED = 1_000
MEMBERS, UNITS = "members", "units"
NO_TYPE = "none"  # the part of the ratings whose cell (organisation) has no cell type

# A closure row: root, valid from, valid until (excluded), distance, the descendant's type.
LinkRow = tuple[int, dt.date, dt.date | None, int, str]


def year_end(year: int) -> dt.date:
    """The day a year's ratings are placed in the tree: its 31 December."""
    return dt.date(year, 12, 31)


def _published() -> Q:
    return Q(campaign__published_at__isnull=False) | Q(campaign__imported=True)


def counted() -> QuerySet[Evaluation]:
    """The ratings any report counts, of any year: published (or imported), a level decided,
    not left out by a rule, of a member or an organisation not in the trash (the few in the
    trash are left out by a list, rather than joining every rating to its member)."""
    return (
        Evaluation.objects.filter(_published(), level__in=LEVEL_KEYS, not_rated="")
        .exclude(member_id__in=Member.all_objects.filter(deleted_at__isnull=False).values("pk"))
        .exclude(unit_id__in=OrgUnit.all_objects.filter(deleted_at__isnull=False).values("pk"))
    )


def _window(roots: Sequence[int], years: Sequence[int]) -> QuerySet[Ancestry]:
    """The closure rows under `roots` valid some time between the first and the last 31/12
    of `years` (each is checked against its own year afterwards)."""
    first, last = year_end(min(years)), year_end(max(years))
    return Ancestry.objects.filter(ancestor_id__in=list(roots), valid_from__lte=last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=first)
    )


def _links(roots: Sequence[int], years: Sequence[int]) -> dict[int, list[LinkRow]]:
    """descendant -> its closure rows under the roots (one query)."""
    out: dict[int, list[LinkRow]] = {}
    rows = _window(roots, years).values_list(
        "descendant_id",
        "ancestor_id",
        "valid_from",
        "valid_to",
        "distance",
        "descendant__cell_type",
    )
    for descendant, root, valid_from, valid_to, distance, cell_type in rows:
        out.setdefault(descendant, []).append((root, valid_from, valid_to, distance, cell_type))
    return out


def _valid(link: LinkRow, on: dt.date) -> bool:
    return link[1] <= on and (link[2] is None or link[2] > on)


def _zeros() -> dict[str, int]:
    return dict.fromkeys(LEVEL_KEYS, 0)


@dataclass
class Tally:
    """One root's ratings by level, in all and by cell type."""

    members: dict[str, int] = field(default_factory=_zeros)
    units: dict[str, int] = field(default_factory=_zeros)
    members_by_type: dict[str, dict[str, int]] = field(default_factory=dict)
    units_by_type: dict[str, dict[str, int]] = field(default_factory=dict)

    def itself(self) -> "Tally":
        """The tally already made, as `shared` asks for it (a function giving the value)."""
        return self

    def add(self, who: str, cell_type: str, level: str, n: int) -> None:
        total, by_type = (
            (self.members, self.members_by_type)
            if who == MEMBERS
            else (self.units, self.units_by_type)
        )
        total[level] += n
        by_type.setdefault(cell_type or NO_TYPE, _zeros())[level] += n


def tally(roots: Sequence[int], period: Period) -> dict[int, Tally]:
    """Two queries whatever the roots (see the module's docstring)."""
    out = {root: Tally() for root in roots}
    if not roots:
        return out
    years = period.years
    links = _links(roots, years)
    # A small subtree's units by name, so that the database starts from their ratings (the
    # index on year and cell); a large one's through the closure table: it holds most of the
    # year's ratings anyway, read in one pass.
    below: Any = (
        list(links) if len(links) <= MAX_LISTED else _window(roots, years).values("descendant_id")
    )
    rows = (
        counted()
        .filter(Q(cell_id__in=below) | Q(unit_id__in=below), year__in=years)
        .values_list("year", "cell_id", "unit_id", "level")
        .annotate(n=Count("*"))
        .order_by()
    )
    for year, cell, unit, level, n in rows:
        on = year_end(year)
        if unit is not None:
            for link in links.get(unit, ()):
                # Strictly inside: the root's own rating is its parent's to count.
                if link[3] >= 1 and _valid(link, on):
                    out[link[0]].add(UNITS, link[4], level, n)
        elif cell is not None:
            for link in links.get(cell, ()):
                if _valid(link, on):
                    out[link[0]].add(MEMBERS, link[4], level, n)
    return out


def block(levels: dict[str, int]) -> Figures:
    """{"rated": n, "excellent": share of n, ...}."""
    rated = sum(levels.values())
    return {"rated": rated, **{level: share(levels[level], rated) for level in LEVEL_KEYS}}


def _level_label(level: str) -> str:
    return str(Level(level).label)


def _percent_text(value: Figures) -> str:
    return f"{formats.number(value['percent'], 2)}%"


LEVEL_COLUMNS: dict[str, str | Promise] = {
    "rated": gettext_lazy("Rated"),
    "excellent": gettext_lazy("Excellently completed duties"),
    "good": gettext_lazy("Well completed duties"),
    "complete": gettext_lazy("Completed duties"),
    "incomplete": gettext_lazy("Did not complete duties"),
}


def tallies(roots: Sequence[int], period: Period) -> dict[int, Tally]:
    """`tally`, each root's kept for the rest of the report (`chibo.core.reporting.shared`):
    the dashboard's chart and tables of the unit then count nothing again."""
    found = tally(roots, period)
    for root, t in found.items():
        shared(("evaluation.tally", root, period), t.itself)
    return found


def tally_of(root: int, period: Period) -> Tally:
    return shared(("evaluation.tally", root, period), lambda: tally([root], period)[root])


class EvaluationSection(Section):
    key = "evaluation"
    order = 70
    title = gettext_lazy("Annual evaluation and rating")
    labels = {
        "members.rated": gettext_lazy("Members rated"),
        "members.excellent": gettext_lazy("Members rated: excellently completed duties"),
        "members.good": gettext_lazy("Members rated: well completed duties"),
        "members.complete": gettext_lazy("Members rated: completed duties"),
        "members.incomplete": gettext_lazy("Members rated: did not complete duties"),
        "units.rated": gettext_lazy("Party organisations rated"),
        "units.excellent": gettext_lazy("Party organisations rated: excellently completed duties"),
        "units.good": gettext_lazy("Party organisations rated: well completed duties"),
        "units.complete": gettext_lazy("Party organisations rated: completed duties"),
        "units.incomplete": gettext_lazy("Party organisations rated: did not complete duties"),
    }
    table = ("members.excellent", "units.excellent")
    headline = ("units.excellent", "members.excellent")
    rests = tuple(f"{who}.{level}" for who in (MEMBERS, UNITS) for level in LEVEL_KEYS)

    def figures(self, roots: Sequence[int], period: Period) -> dict[int, Figures]:
        return {
            root: {MEMBERS: block(t.members), UNITS: block(t.units)}
            for root, t in tallies(roots, period).items()
        }

    def sentence(self, figures: Figures) -> str:
        parts = []
        units, members = figures.get(UNITS) or {}, figures.get(MEMBERS) or {}
        if units.get("rated"):
            n = units["excellent"]["count"]
            parts.append(
                ngettext(
                    "%(n)s party organisation excellently completed its duties (%(percent)s)",
                    "%(n)s party organisations excellently completed their duties (%(percent)s)",
                    n,
                )
                % {"n": formats.number(n), "percent": _percent_text(units["excellent"])}
            )
        if members.get("rated"):
            n = members["excellent"]["count"]
            parts.append(
                ngettext(
                    "%(n)s member excellently completed their duties (%(percent)s of those rated)",
                    "%(n)s members excellently completed their duties (%(percent)s of those rated)",
                    n,
                )
                % {"n": formats.number(n), "percent": _percent_text(members["excellent"])}
            )
        return "; ".join(parts)

    def series(self, root: int, period: Period) -> list[Chart]:
        t = tally_of(root, period)
        found = {MEMBERS: block(t.members), UNITS: block(t.units)}
        series = [
            {
                "label": label,
                "data": [found[who][level]["percent"] for level in LEVEL_KEYS],
                "decimals": 2,
            }
            for who, label in ((MEMBERS, _("Members")), (UNITS, _("Party organisations")))
            if found[who]["rated"]
        ]
        if not series:
            return []
        return [
            Chart(
                key="evaluation_levels",
                title=_("Ratings by level (percentage of those rated)"),
                kind="bar",
                labels=[_level_label(level) for level in LEVEL_KEYS],
                series=series,
            )
        ]

    def breakdowns(self, root: int, period: Period) -> list[Breakdown]:
        t = tally_of(root, period)
        return [
            _by_type(
                "members_by_cell_type",
                _("Members rated, by the type of their cell"),
                t.members_by_type,
            ),
            _by_type(
                "units_by_cell_type",
                _("Party organisations rated, by cell type"),
                t.units_by_type,
            ),
        ]

    def rows(self, figure: str, *, root: int, period: Period, rest: bool = False) -> Rows | None:
        who, cell_type, column = _parse(figure)
        if who is None or column is None or (rest and column == "rated"):
            return None
        items = _ratings([root], period, who)
        if cell_type is not None:
            items = items.filter(
                **{f"{_placed(who)}__cell_type": "" if cell_type == NO_TYPE else cell_type}
            )
        if column != "rated":
            items = items.exclude(level=column) if rest else items.filter(level=column)
        if who == MEMBERS:
            return Rows(
                headers=[_("Member"), _("Year"), _("Cell"), _("Level"), _("Score")],
                items=items.select_related("member", "cell").order_by(
                    "year", "member__search_name", "pk"
                ),
                row=_member_row,
            )
        return Rows(
            headers=[_("Party organisation"), _("Year"), _("Level"), _("Score")],
            items=items.select_related("unit").order_by("year", "unit__sort_name", "pk"),
            row=_unit_row,
        )


def _by_type(key: str, title: str, by_type: dict[str, dict[str, int]]) -> Breakdown:
    """The table of one block by cell type: every type in order, then the ratings whose
    cell has no type; a type with no rating is left out."""
    labels: dict[str, str | Promise] = {t.value: t.label for t in CellType}
    labels[NO_TYPE] = _("No cell type recorded")
    return Breakdown(
        key=key,
        title=title,
        heading=_("Cell type"),
        columns=LEVEL_COLUMNS,
        parts={
            part: (labels[part], block(by_type[part]))
            for part in [*CellType.values, NO_TYPE]
            if part in by_type
        },
    )


def _parse(figure: str) -> tuple[str | None, str | None, str | None]:
    """(members or units, the cell type or None, the column) of a figure's path, Nones when
    it is not one of this section's."""
    parts = figure.split(".")
    if len(parts) == 2 and parts[0] in (MEMBERS, UNITS):
        who, cell_type, column = parts[0], None, parts[1]
    elif len(parts) == 3 and parts[0] in ("members_by_cell_type", "units_by_cell_type"):
        who, cell_type, column = parts[0].removesuffix("_by_cell_type"), parts[1], parts[2]
        if cell_type not in [*CellType.values, NO_TYPE]:
            return None, None, None
    else:
        return None, None, None
    if column not in LEVEL_COLUMNS:
        return None, None, None
    return who, cell_type, column


def _placed(who: str) -> str:
    """The field placing a rating in the tree: the member's cell, or the rated unit."""
    return "cell" if who == MEMBERS else "unit"


def _ratings(roots: Sequence[int], period: Period, who: str) -> QuerySet[Evaluation]:
    """The ratings `figures` counts for `roots`, one by one: of each year, those whose cell
    (or rated organisation, strictly below) lay under a root on its 31/12."""
    by_year = []
    for year in period.years:
        below = Ancestry.objects.valid(year_end(year)).filter(ancestor_id__in=list(roots))
        if who == UNITS:
            below = below.filter(distance__gte=1)
        by_year.append(Q(year=year, **{f"{_placed(who)}_id__in": below.values("descendant_id")}))
    kind = Q(member__isnull=False) if who == MEMBERS else Q(unit__isnull=False)
    return counted().filter(kind, reduce(or_, by_year))


def _member_row(rating: Evaluation) -> list[Cell]:
    member, cell = rating.member, rating.cell
    assert member is not None
    return [
        Link(member.full_name, reverse("members:detail", args=[member.pk])),
        rating.year,
        Link(cell.name, reverse("org:unit", args=[cell.pk])) if cell is not None else None,
        _level_label(rating.level),
        rating.score,
    ]


def _unit_row(rating: Evaluation) -> list[Cell]:
    unit = rating.unit
    assert unit is not None
    return [
        Link(unit.name, reverse("org:unit", args=[unit.pk])),
        rating.year,
        _level_label(rating.level),
        rating.score,
    ]


register(EvaluationSection())
