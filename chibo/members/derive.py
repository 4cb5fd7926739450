"""What a member's placements and events imply, computed from plain values so that the
services (member_refresh) and the bulk demo writer derive exactly the same rows."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import NamedTuple

from chibo.rules.calendar import add_months

from .models import (
    ADMISSIONS,
    EVENT_PRECEDENCE,
    IN_PARTY,
    STATUS_OF_EVENT,
    EventKind,
    PlacementKind,
)


class PlacementFact(NamedTuple):
    pk: int
    unit_id: int
    kind: str
    start: dt.date
    end: dt.date | None = None


class EventFact(NamedTuple):
    pk: int
    kind: str
    date: dt.date


class Period(NamedTuple):
    status: str
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive; None: still so
    party_age_from: dt.date | None = None  # in the Party: party age counts from this day


class Copies(NamedTuple):
    """The values kept on the member row (see Member)."""

    home_unit_id: int | None
    admitted_on: dt.date | None
    official_on: dt.date | None
    last_admitted_on: dt.date | None
    ceremony_on: dt.date | None
    probation_ends_on: dt.date | None


def copies(
    placements: Iterable[PlacementFact],
    events: Iterable[EventFact],
    probation_months: Callable[[dt.date], int | None],
) -> Copies:
    """`probation_months(day)`: the rule in force on the ceremony day."""
    events = list(events)
    admissions = [e.date for e in events if e.kind in ADMISSIONS]
    last = max(admissions) if admissions else None
    ceremonies = [e.date for e in events if e.kind == EventKind.CEREMONY]
    ceremony = min((d for d in ceremonies if last and d >= last), default=None)
    months = probation_months(ceremony) if ceremony else None
    return Copies(
        home_unit(placements),
        first_date(events, EventKind.ADMITTED),
        first_date(events, EventKind.OFFICIAL),
        last,
        ceremony,
        add_months(ceremony, months) if ceremony and months else None,
    )


def home_unit(placements: Iterable[PlacementFact]) -> int | None:
    """The cell holding the record: the official placement latest by (start, id), one that
    holds a day before one that ends the day it starts. So the placement a member is in
    today, an open one, is always the record's: official placements never overlap
    (members.services.placements), and only one ending on its first day can start with
    it. The badge lists find a subtree's members by it (chibo.badges.queries.due)."""
    official = [p for p in placements if p.kind == PlacementKind.OFFICIAL]
    if not official:
        return None
    return max(official, key=lambda p: (p.start, p.end != p.start, p.pk)).unit_id


def first_date(events: Iterable[EventFact], kind: str) -> dt.date | None:
    dates = [e.date for e in events if e.kind == kind]
    return min(dates) if dates else None


def status_periods(events: Iterable[EventFact]) -> list[Period]:
    """Consecutive periods of one status each, from the status events in order of
    (date, precedence on the same day, id). The last period is open."""
    ordered = sorted(
        (e for e in events if e.kind in STATUS_OF_EVENT),
        key=lambda e: (e.date, EVENT_PRECEDENCE[EventKind(e.kind)], e.pk),
    )
    periods: list[Period] = []
    for e in ordered:
        status = STATUS_OF_EVENT[EventKind(e.kind)].value
        if periods and periods[-1].valid_from == e.date:
            # Two status events on one day: the later one (by precedence) holds from that day.
            periods[-1] = Period(status, e.date, None)
            if len(periods) > 1 and periods[-2].status == status:
                periods.pop()
                periods[-1] = periods[-1]._replace(valid_to=None)
            continue
        if periods and periods[-1].status == status:
            continue
        if periods:
            periods[-1] = periods[-1]._replace(valid_to=e.date)
        periods.append(Period(status, e.date, None))
    return _with_party_age(periods)


def _with_party_age(periods: list[Period]) -> list[Period]:
    """Party age counts from the first admission, less the days out of the Party since."""
    out: list[Period] = []
    start: dt.date | None = None
    gap = dt.timedelta(0)
    left: dt.date | None = None  # the day the member last left the Party
    for p in periods:
        in_party = p.status in IN_PARTY
        if in_party and start is None:
            start = p.valid_from
        elif in_party and left is not None:
            gap += p.valid_from - left
            left = None
        elif not in_party and start is not None and left is None:
            left = p.valid_from
        out.append(p._replace(party_age_from=start + gap if in_party and start else None))
    return out
