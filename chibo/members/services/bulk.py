"""Many new members at once (a province's roster through the import): what `member_create`
does for each, in a few queries for the lot instead of some 45 for each.

`member_create` saves the member, its official placement and its admission (and official
recognition) events one by one, each save writing its "+" history row and ending in
`member_refresh`. Here the same rows are built first, the member's derived copies and
status periods computed from them with the same pure functions (members.derive), and each
table written with a few statements per batch (executemany, or COPY on PostgreSQL), the
ids read back, and the "+" history rows written as simple-history writes them on save
(the same user, no change reason). The kept counts of the
cells are recounted once (at the end of an import: members.counts.deferred).

The caller has checked every record as `member_create` and the services it calls would
(see chibo.members.importing.bulk): these writes refuse nothing."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

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


BATCH = 2000  # rows an INSERT statement list or a COPY carries
HISTORY_STAMP = {"history_date", "history_type", "history_change_reason", "history_user_id"}
# Values the database drivers take as they are; other fields go through get_db_prep_save.
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a value of `field` goes to the driver; None: as it is."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _insert(model: type[models.Model], fields: list[models.Field], rows: Iterable[tuple]) -> None:
    """INSERT (SQLite: a prepared statement run with executemany) or COPY (PostgreSQL) of
    `rows`, values for `fields` as Python holds them. Model.objects.bulk_create spends
    some 100 µs a row building SQL; this some 10 µs. The ids are the database's."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(str(f.column)) for f in fields)
    convert = [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]
    batch = []
    for row in rows:
        values = list(row)
        for i, c in convert:
            values[i] = c(values[i])
        batch.append(values)
    # The COPY goes through psycopg's own cursor: its errors are made Django's here, so
    # that a refused batch is an IntegrityError as on SQLite (see imports.services._batch).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        for i in range(0, len(batch), BATCH):
            part = batch[i : i + BATCH]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in part:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", part)


def _write(model: type[models.Model], objs: list, now: dt.datetime) -> None:
    """Insert unsaved `objs` as `save()` would (defaults as the instances hold them,
    `auto_now_add` fields stamped `now`), leaving the ids to the database (the caller reads
    them back)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = {
        f.attname
        for f in fields
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    }
    _insert(
        model,
        fields,
        (
            tuple(now if f.attname in stamped else getattr(obj, f.attname) for f in fields)
            for obj in objs
        ),
    )


def _history(model: type[models.Model], objs: list, now: dt.datetime) -> None:
    """The "+" history row of each saved object, as simple-history writes it on `save()`:
    the tracked fields, `now`, the user of the request or the import (the same for all)."""
    history = model.history.model  # type: ignore[attr-defined]
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    user = history.get_default_history_user(objs[0])
    stamp = {
        "history_date": now,
        "history_type": "+",
        "history_change_reason": None,
        "history_user_id": getattr(user, "pk", None),
    }
    fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    _insert(
        history,
        fields,
        (
            tuple(
                stamp[f.attname] if f.attname in HISTORY_STAMP else getattr(obj, f.attname)
                for f in fields
            )
            for obj in objs
        ),
    )


def _saved(objs: list, ids: list[int]) -> None:
    """Give inserted objects their ids, as `save()` would have."""
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


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
        facts = [derive.EventFact(0, EventKind.ADMITTED, n.admitted_on)]
        if n.official_on:
            facts.append(derive.EventFact(1, EventKind.OFFICIAL, n.official_on))
        copies = derive.copies([placement], facts, _probation_months)
        for field, value in copies._asdict().items():
            setattr(n.member, field, value)
        periods.append(derive.status_periods(facts))
    now = timezone.now()
    members = [n.member for n in new]
    _write(Member, members, now)
    ids = dict(
        Member.all_objects.filter(code__in=[m.code for m in members]).values_list("code", "pk")
    )
    _saved(members, [ids[m.code] for m in members])
    _history(Member, members, now)

    placements = [Placement(member=n.member, unit=n.unit, start=n.placed_since) for n in new]
    _write(Placement, placements, now)
    placed = dict(Placement.all_objects.filter(member__in=members).values_list("member_id", "pk"))
    _saved(placements, [placed[p.member_id] for p in placements])
    _history(Placement, placements, now)

    events = []
    for n in new:
        events.append(MemberEvent(member=n.member, kind=EventKind.ADMITTED, date=n.admitted_on))
        if n.official_on:
            events.append(MemberEvent(member=n.member, kind=EventKind.OFFICIAL, date=n.official_on))
    _write(MemberEvent, events, now)
    recorded = {
        (member, kind): pk
        for member, kind, pk in MemberEvent.all_objects.filter(member__in=members).values_list(
            "member_id", "kind", "pk"
        )
    }
    _saved(events, [recorded[e.member_id, e.kind] for e in events])
    _history(MemberEvent, events, now)

    _write(
        StatusPeriod,
        [
            StatusPeriod(member=n.member, **p._asdict())
            for n, member_periods in zip(new, periods, strict=True)
            for p in member_periods
        ],
        now,
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
