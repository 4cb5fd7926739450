"""What every member write ends with: `member_refresh` keeps the member's derived copies
(`home_unit`, `admitted_on`, `official_on`, probation dates) and status periods in step with
the placements and events (see members.derive); and the check that a unit holds members."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chibo import rules
from chibo.org.models import OrgUnit

from .. import counts, derive
from ..models import Member, MemberEvent, Placement, StatusPeriod


def _probation_months(day: dt.date) -> int | None:
    return rules.at(day).probation_months


def member_refresh(member: Member, *, left_cells: Iterable[int] = ()) -> None:
    """Recompute what is derived from the member's placements and events: the copies on the
    member row, the status periods (see members.derive) and the kept counts of the cells
    the member was ever placed in and of `left_cells` (a cell a placement was moved out
    of), in the caller's transaction (see members.counts)."""
    placements = [
        derive.PlacementFact(*row)
        for row in Placement.objects.filter(member=member).values_list(
            "pk", "unit_id", "kind", "start", "end"
        )
    ]
    events = [
        derive.EventFact(*row)
        for row in MemberEvent.objects.filter(member=member).values_list("pk", "kind", "date")
    ]
    copies = derive.copies(placements, events, _probation_months)
    if tuple(getattr(member, f) for f in derive.Copies._fields) != copies:
        Member.all_objects.filter(pk=member.pk).update(**copies._asdict())
        for field, value in copies._asdict().items():
            setattr(member, field, value)
    periods = derive.status_periods(events)
    stored = [
        derive.Period(*row)
        for row in StatusPeriod.objects.filter(member=member)
        .order_by("valid_from")
        .values_list("status", "valid_from", "valid_to", "party_age_from")
    ]
    if stored != periods:
        StatusPeriod.objects.filter(member=member).delete()
        StatusPeriod.objects.bulk_create(
            StatusPeriod(member=member, **p._asdict()) for p in periods
        )
    counts.recount_member(member, also=left_cells)


def check_cell(unit: OrgUnit, field: str = "unit") -> None:
    if not unit.holds_members:
        raise ValidationError({field: _("Members are placed in a cell or a base cell.")})
    if unit.is_deleted:
        raise ValidationError({field: _("That unit has been deleted.")})
