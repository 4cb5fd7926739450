"""Many new members at once (a province's roster through the import): what `member_create`
does for each, in a few queries for the lot instead of some 45 for each.

`member_create` saves the member, its official placement and its admission (and official
recognition) events one by one, each save writing its "+" history row and ending in
`member_refresh`. Here the same rows are built first, the member's derived copies and
status periods computed from them with the same pure functions (members.derive), and each
table written with one `bulk_create` per batch, history rows included, as
simple-history writes them on save (same user, no change reason). The kept counts of the
cells are recounted once (at the end of an import: members.counts.deferred).

The caller has checked every record as `member_create` and the services it calls would
(see chibo.members.importing.bulk): these writes refuse nothing."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models

from chibo.core import audit
from chibo.org.models import OrgUnit

from .. import counts, derive
from ..models import EventKind, Member, MemberEvent, Placement, PlacementKind, StatusPeriod
from .records import CREATED
from .refresh import _probation_months


@dataclass
class NewMember:
    """A record for `member_create_many`: the member built by `member_build` (unsaved,
    checked with `full_clean`), and what `member_create` takes besides its profile."""

    member: Member
    unit: OrgUnit
    placed_since: dt.date
    admitted_on: dt.date
    official_on: dt.date | None = None


def _with_history[M: models.Model](model: type[M], objs: list[M]) -> list[M]:
    """Insert `objs` (their ids set, on SQLite and PostgreSQL alike), and their "+" history
    rows as `save()` would write them."""
    model._base_manager.bulk_create(objs)
    model.history.bulk_history_create(objs, default_change_reason=None)  # type: ignore[attr-defined]
    return objs


@audit.write
def member_create_many(*, actor, new: Sequence[NewMember]) -> list[Member]:
    """Create these members as `member_create` would, one by one: the same rows, derived
    copies, status periods, history rows, kept counts and events. Inside an import (a
    write that records its own event) no event per member, as with `member_create`."""
    if not new:
        return []
    periods: list[list[derive.Period]] = []
    for n in new:
        # The facts as member_refresh reads them once all is saved: the placement, then the
        # admission before the official recognition (ids only order them).
        placement = derive.PlacementFact(0, n.unit.pk, PlacementKind.OFFICIAL, n.placed_since)
        events = [derive.EventFact(0, EventKind.ADMITTED, n.admitted_on)]
        if n.official_on:
            events.append(derive.EventFact(1, EventKind.OFFICIAL, n.official_on))
        copies = derive.copies([placement], events, _probation_months)
        for field, value in copies._asdict().items():
            setattr(n.member, field, value)
        periods.append(derive.status_periods(events))
    members = _with_history(Member, [n.member for n in new])
    _with_history(
        Placement,
        [Placement(member=n.member, unit=n.unit, start=n.placed_since) for n in new],
    )
    events_ = []
    for n in new:
        events_.append(MemberEvent(member=n.member, kind=EventKind.ADMITTED, date=n.admitted_on))
        if n.official_on:
            events_.append(
                MemberEvent(member=n.member, kind=EventKind.OFFICIAL, date=n.official_on)
            )
    _with_history(MemberEvent, events_)
    StatusPeriod.objects.bulk_create(
        StatusPeriod(member=n.member, **p._asdict())
        for n, member_periods in zip(new, periods, strict=True)
        for p in member_periods
    )
    counts.recount({n.unit.pk for n in new})
    for n in new:
        audit.record(
            CREATED,
            actor=actor,
            obj=n.member,
            unit=n.unit.name,
            start=n.placed_since,
            admitted=n.admitted_on,
            official=n.official_on,
        )
    return members
