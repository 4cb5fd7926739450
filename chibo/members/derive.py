"""What a member's placements and events imply, computed from plain values so that the
services (member_refresh) and the bulk demo writer derive exactly the same rows."""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from .models import EVENT_PRECEDENCE, STATUS_OF_EVENT, EventKind, PlacementKind


class PlacementFact(NamedTuple):
    pk: int
    unit_id: int
    kind: str
    start: dt.date


class EventFact(NamedTuple):
    pk: int
    kind: str
    date: dt.date


class Period(NamedTuple):
    status: str
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive; None: still so


def home_unit(placements: Iterable[PlacementFact]) -> int | None:
    """The cell holding the record: the official placement latest by (start, id)."""
    official = [p for p in placements if p.kind == PlacementKind.OFFICIAL]
    if not official:
        return None
    return max(official, key=lambda p: (p.start, p.pk)).unit_id


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
    return periods
