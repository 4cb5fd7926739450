"""What the evaluation's pages show, put together for one reader from the domain's reads
(chibo.evaluation.queries) and the access helpers: the board grouped by cell (members) and by
rating parent (party organisations), with who may propose or decide in each group and the
checks this reader sees; the campaign a member self-assesses in now."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from chibo.org.models import OrgUnit

from .. import access, criteria, queries, ratable
from ..checks import Check
from ..models import Campaign, Level, Stage

# What a row waits for (queries.waits_for), as the board says it; "" is published.
WAITING = {
    Stage.SELF: gettext_lazy("Awaiting the self-assessment"),
    Stage.CELL: gettext_lazy("Awaiting the cell's proposal"),
    Stage.DECISION: gettext_lazy("Awaiting the committee's decision"),
    Stage.PUBLISHED: gettext_lazy("Decided, awaiting publication"),
    "done": gettext_lazy("Published"),
    "not_rated": gettext_lazy("Not rated"),
}


@dataclass
class Row:
    """A board row (queries.BoardRow) as this reader sees it."""

    row: queries.BoardRow
    flagged: bool = False  # a check names this row

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)

    @property
    def stage(self) -> str:
        if self.row.not_rated:
            return "not_rated"
        return self.row.waits_for or "done"

    @property
    def waiting(self) -> str:
        return str(WAITING[self.stage])


@dataclass
class Group:
    """The rows of one cell (members), or the party organisations one parent rates; with
    the forms of the page (set by the view)."""

    unit: OrgUnit
    rows: list[Row]
    can_propose: bool = False
    can_decide: bool = False
    unit_row: Row | None = None  # the cell's own rating, which its secretary proposes
    forms: dict[str, Any] = field(default_factory=dict)

    @property
    def not_submitted(self) -> list[Row]:
        return [r for r in self.rows if r.stage == Stage.SELF]

    @property
    def by_id(self) -> dict[int, Row]:
        found = {r.id: r for r in self.rows}
        if self.unit_row is not None:
            found[self.unit_row.id] = self.unit_row
        return found

    @property
    def listed(self) -> list[Row]:
        """The rows of the cell's form: its members, then the cell's own rating."""
        return [*self.rows, self.unit_row] if self.unit_row is not None else self.rows

    def rated(self) -> list[Any]:
        return [r.row for r in self.rows if not r.not_rated]

    def to_decide(self) -> list[Any]:
        """The rows a decision is recorded for: rated, and proposed by the cell."""
        return [r.row for r in self.rows if not r.not_rated and (r.proposed_level or r.level)]


@dataclass
class Board:
    campaign: Campaign
    scored: bool
    cells: list[Group]
    units: list[Group]
    counts: list[tuple[str, str, int]]  # (stage, label, rows)
    checks: list[Check]
    can_manage: bool
    rated: int = 0  # members rated (decided or proposed)
    levels: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def refusing(self) -> list[Check]:
        return [c for c in self.checks if c.refuses]


def board(campaign: Campaign, user) -> Board:
    """The campaign as this reader sees it: the rows they read, by cell (members) and by
    parent (party organisations); the counts of those rows; the checks that name a row they
    read (every check, for the campaign's managers)."""
    manage = access.can_manage(user, campaign)
    data = queries.board(campaign, access.evaluations_for(user, campaign))
    proposable = set(
        access.proposals_for(user).filter(campaign=campaign).values_list("pk", flat=True)
    )
    decidable = set(
        access.decisions_for(user).filter(campaign=campaign).values_list("pk", flat=True)
    )
    seen = {r.id for r in data.rows}
    shown_checks = [c for c in data.checks if manage or seen.intersection(c.subjects)]
    flagged = {pk for c in shown_checks for pk in c.subjects}
    rows = [Row(r, flagged=r.id in flagged) for r in data.rows]

    by_cell: dict[int, list[Row]] = {}
    by_parent: dict[int, list[Row]] = {}
    own_rows: dict[int, Row] = {}
    for row in rows:
        if row.kind == "member":
            by_cell.setdefault(row.cell_id or 0, []).append(row)
        else:
            by_parent.setdefault(row.cell_id or campaign.unit_id, []).append(row)
            own_rows[row.unit_id] = row
    units_shown = OrgUnit.all_objects.in_bulk([pk for pk in {*by_cell, *by_parent} if pk])

    cells = []
    for cell_id, cell_rows in by_cell.items():
        unit = units_shown.get(cell_id)
        if unit is None:
            continue
        own = own_rows.get(cell_id)
        ids = {r.id for r in cell_rows}
        cells.append(
            Group(
                unit=unit,
                rows=cell_rows,
                can_propose=bool(ids & proposable),
                can_decide=bool(ids & decidable),
                unit_row=own if own is not None and own.id in proposable else None,
            )
        )
    cells.sort(key=lambda g: (g.unit.sort_name, g.unit.pk))
    units = [
        Group(
            unit=units_shown.get(parent_id) or campaign.unit,
            rows=parent_rows,
            can_decide=any(r.id in decidable for r in parent_rows),
        )
        for parent_id, parent_rows in by_parent.items()
    ]
    units.sort(key=lambda g: (g.unit.sort_name, g.unit.pk))

    counts = [(key, str(WAITING[key]), n) for key, n in data.counts.items()]
    members = [r for r in rows if r.kind == "member" and not r.not_rated]
    levels = Counter(r.level or r.proposed_level for r in members if r.level or r.proposed_level)
    r = ratable.year_rules(campaign.year, campaign.unit)
    return Board(
        campaign=campaign,
        scored=criteria.scored(r),
        cells=cells,
        units=units,
        counts=counts,
        checks=shown_checks,
        can_manage=manage,
        rated=sum(levels.values()),
        levels=[(lv.value, str(lv.label), levels.get(lv.value, 0)) for lv in Level],
    )


# The member's side ----------------------------------------------------------------------------


def current_campaign(member, today: dt.date) -> Campaign | None:
    """The campaign a member self-assesses in now: this year's, or last year's while it is
    not published (a campaign runs into January)."""
    found = queries.campaign_covering(member, today.year)
    if found is not None:
        return found
    last = queries.campaign_covering(member, today.year - 1)
    if last is not None and not last.published:
        return last
    return None


def self_stage_open(campaign: Campaign, today: dt.date) -> bool:
    """Members still write their self-assessment: the campaign is not published and the
    cell's proposals are not yet due (a late self-assessment still reaches the meeting)."""
    return not campaign.published and today <= campaign.cell_due
