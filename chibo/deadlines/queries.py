"""The deadline hub: a unit's deadline board and a member's timeline, put together from what
the domains register (chibo.core.deadlines: each domain's reminders.py). The hub reads, it
writes nothing; each source is a fixed number of queries whatever the size of the subtree."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chibo.core.deadlines import BOARD, DUE, HISTORY, Ask, BoardSource, DueSource, Entry, ordered
from chibo.members.age import PartyAge, age_between
from chibo.members.models import Member, StatusPeriod, period_valid_on
from chibo.org.models import OrgUnit
from chibo.rules import remembered


@dataclass
class Board:
    """The deadline lists of a unit's subtree on `on` (and the yearly ones of `year`)."""

    unit: OrgUnit | None
    on: dt.date
    year: int
    sources: list[tuple[BoardSource, dict[str, Any]]]  # each source with its values by part

    def values(self) -> dict[str, Any]:
        """Every part's value, by key (the API's fields)."""
        return {key: value for _source, values in self.sources for key, value in values.items()}


def deadline_board(unit: OrgUnit | None, on: dt.date, year: int | None = None) -> Board:
    """Every source's lists; the rules, the unit's province and the working-day calendar
    are read once for all of them (the hub writes nothing)."""
    ask = Ask(unit=unit, on=on, year=year or on.year)
    with remembered():
        return Board(unit, on, ask.year, [(s, s.compute(ask)) for s in ordered(BOARD)])


def board_contents(board: Board) -> list[dict]:
    """The board's table of contents: each part that has a line, with its counts (the board
    page, and the cell's deadlines on the home page)."""
    out = []
    for source, values in board.sources:
        for part in source.parts:
            if part.count is None:
                continue
            count = part.count(values[part.key])
            if count is None:
                continue
            out.append(
                {
                    "key": part.key,
                    "label": part.label,
                    "count": count,
                    "overdue": part.overdue(values[part.key]),
                    "alert": part.alert and count > 0,
                }
            )
    return out


@dataclass
class Timeline:
    member: Member
    on: dt.date
    entries: list[Entry]
    status: str
    exempt: bool
    party_age_from: dt.date | None
    party_age: PartyAge | None  # on `on`
    due: list[tuple[DueSource, dict[str, Any]]]  # what is due, by source

    @property
    def nothing_due(self) -> bool:
        return all(source.nothing(values) for source, values in self.due)

    def due_values(self) -> dict[str, Any]:
        return {key: value for _source, values in self.due for key, value in values.items()}


def member_timeline(member: Member, on: dt.date) -> Timeline:
    """A member's whole life in the Party in date order, with the status and party age on
    `on` and what is due then. A fixed number of queries however long the life."""
    entries: list[tuple[int, Entry]] = []
    for source in HISTORY:
        entries += [(source.rank, entry) for entry in source.entries(member)]
    entries.sort(key=lambda ranked: (ranked[1].day, ranked[0]))
    period = StatusPeriod.objects.filter(period_valid_on(on), member=member).first()
    current = Member.all_objects.with_status(on).values("status", "exempt").get(pk=member.pk)
    start = period.party_age_from if period is not None else None
    return Timeline(
        member=member,
        on=on,
        entries=[entry for _rank, entry in entries],
        status=current["status"],
        exempt=current["exempt"],
        party_age_from=start,
        party_age=age_between(start, on) if start else None,
        due=[(s, s.compute(member, on)) for s in ordered(DUE)],
    )
