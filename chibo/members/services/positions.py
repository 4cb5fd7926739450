"""Writes to positions: party posts in units, village posts in villages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.core.versions import check_version
from chibo.org.models import OrgUnit, Village

from ..models import (
    CIVIC_POSITIONS,
    PARTY_POSITIONS,
    Member,
    Position,
    PositionKind,
)
from .placements import PRESENT

POSITION_TAKEN = audit.kind(
    "members.position_taken", gettext_lazy("Position %(kind)s at %(place)s from %(start)s")
)
POSITION_CHANGED = audit.kind(
    "members.position_changed",
    gettext_lazy("Position %(kind)s at %(place)s changed: %(start)s – %(end)s"),
)
POSITION_DELETED = audit.kind(
    "members.position_deleted",
    gettext_lazy("Position %(kind)s at %(place)s from %(start)s deleted"),
)
POSITION_RESTORED = audit.kind(
    "members.position_restored",
    gettext_lazy("Position %(kind)s at %(place)s from %(start)s restored"),
)


def _facts(p: Position) -> dict:
    return {
        "kind": PositionKind(p.kind),
        "place": p.place.name if p.place is not None else None,
        "start": p.start,
        "end": p.end or PRESENT,
    }


def _check_position(p: Position) -> None:
    if p.kind in PARTY_POSITIONS:
        if p.unit_id is None or p.village_id is not None:
            raise ValidationError({"unit": _("A party post is held in a party unit.")})
    elif p.kind in CIVIC_POSITIONS and (p.village_id is None or p.unit_id is not None):
        raise ValidationError({"village": _("A village post is held in a village.")})
    if p.end is not None and p.end < p.start:
        raise ValidationError({"end": _("The end date is before the start date.")})


@audit.write
def position_create(
    *,
    actor,
    member: Member,
    kind: str,
    start: dt.date,
    unit: OrgUnit | None = None,
    village: Village | None = None,
    end: dt.date | None = None,
    decision_number: str = "",
) -> Position:
    p = Position(
        member=member,
        kind=kind,
        unit=unit,
        village=village,
        start=start,
        end=end,
        decision_number=decision_number.strip(),
    )
    _check_position(p)
    p.full_clean()
    p.save()
    audit.record(POSITION_TAKEN, actor=actor, obj=p, about=member, **_facts(p))
    return p


@audit.write
def position_update(*, actor, position: Position, version: int | None = None, **fields) -> Position:
    check_version(position, version)  # stale: refused; else the fields on the row as it is now
    for key, value in fields.items():
        setattr(position, key, value)
    _check_position(position)
    position.full_clean()
    position.save()
    audit.record(
        POSITION_CHANGED, actor=actor, obj=position, about=position.member, **_facts(position)
    )
    return position


@audit.write
def position_delete(*, position: Position, actor) -> None:
    position.mark_deleted(actor)
    audit.record(
        POSITION_DELETED, actor=actor, obj=position, about=position.member, **_facts(position)
    )


@audit.write
def position_restore(*, position: Position, actor) -> None:
    position.mark_restored(actor)
    audit.record(
        POSITION_RESTORED, actor=actor, obj=position, about=position.member, **_facts(position)
    )
