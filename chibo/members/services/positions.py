"""Writes to positions: party posts in units, village posts in villages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chibo.org.models import OrgUnit, Village

from ..models import (
    CIVIC_POSITIONS,
    PARTY_POSITIONS,
    Member,
    Position,
)


def _check_position(p: Position) -> None:
    if p.kind in PARTY_POSITIONS:
        if p.unit_id is None or p.village_id is not None:
            raise ValidationError({"unit": _("A party post is held in a party unit.")})
    elif p.kind in CIVIC_POSITIONS and (p.village_id is None or p.unit_id is not None):
        raise ValidationError({"village": _("A village post is held in a village.")})
    if p.end is not None and p.end < p.start:
        raise ValidationError({"end": _("The end date is before the start date.")})


@transaction.atomic
def position_create(
    *,
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
    return p


@transaction.atomic
def position_update(*, position: Position, **fields) -> Position:
    for key, value in fields.items():
        setattr(position, key, value)
    _check_position(position)
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def position_delete(*, position: Position, actor) -> None:
    position.mark_deleted(actor)


@transaction.atomic
def position_restore(*, position: Position, actor) -> None:
    position.mark_restored(actor)
