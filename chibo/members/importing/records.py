"""Rows of the members, events and positions sheets."""

from django.utils.translation import gettext as _

from chibo.core.sheets import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Context,
    Handler,
    Outcome,
    Values,
    changes,
    fail,
    merged,
    record,
)
from chibo.org.importing import writable_unit
from chibo.org.models import Village

from ..models import (
    PARTY_POSITIONS,
    EventKind,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    Position,
    Transfer,
)
from ..services import (
    event_create,
    event_update,
    member_create,
    member_update,
    placement_update,
    position_create,
    position_update,
)
from .bulk import batch_members
from .checks import PROFILE, check_dates
from .lookups import writable_member, writable_members
from .sheets import EVENTS, MEMBERS, POSITIONS

# Members ----------------------------------------------------------------------------------------


def _apply_member(ctx: Context, v: Values) -> Outcome:
    label = record(v["code"], v["full_name"])
    existing = Member.all_objects.filter(code=v["code"]).first()
    if existing is not None:
        return _update_member(ctx, v, existing, label)
    unit = writable_unit(ctx, v["unit_code"], "unit_code")
    check_dates(v)
    profile = {key: v[key] for key in PROFILE if v[key] not in ("", None)}
    member_create(
        actor=ctx.actor,
        profile={"code": v["code"], **profile},
        unit=unit,
        placed_since=v["placed_since"] or v["admission_date"],
        admitted_on=v["admission_date"],
        official_on=v["official_date"],
    )
    return Outcome(CREATE, label)


def _update_member(ctx: Context, v: Values, member: Member, label: str) -> Outcome:
    if not writable_members(ctx, deleted=member.is_deleted).filter(pk=member.pk).exists():
        fail(_("The record code %(code)s is already in use.") % {"code": v["code"]}, "code")
    if member.is_deleted:
        fail(
            _("This member is in the trash; restore the record before importing it again."), "code"
        )
    unit = writable_unit(ctx, v["unit_code"], "unit_code")
    official = Placement.objects.filter(member=member, kind=PlacementKind.OFFICIAL)
    placement = official.filter(end__isnull=True).first()
    # The row describes the placement the record started with in this cell: after transfers
    # (the transfers sheet of the same file, imported before), not the current one.
    first = official.filter(unit=unit, transfer__isnull=True).order_by("start", "pk").first()
    if member.home_unit_id != unit.pk:
        if first is None or not Transfer.objects.filter(member=member, from_unit=unit).exists():
            fail(
                _(
                    "This member's record is held in another cell; a move is a transfer, "
                    "made on the member's page."
                ),
                "unit_code",
            )
        placement = first
    elif first is not None and (placement is None or hasattr(placement, "transfer")):
        placement = first
    current = {key: getattr(member, key) for key in PROFILE}
    current_dates = {
        # Without an open placement there is nothing to move: the cell is ignored.
        "placed_since": placement.start if placement else v["placed_since"],
        "admission_date": member.admitted_on,
        "official_date": member.official_on,
    }
    wanted = merged(v, current)
    wanted_dates = merged(v, current_dates)
    diff = changes(current, wanted) + changes(current_dates, wanted_dates)
    if not diff:
        return Outcome(UNCHANGED, label)
    check_dates({**wanted_dates, "birth_date": wanted["birth_date"]})
    profile = {key: wanted[key] for key in PROFILE if wanted[key] != current[key]}
    if profile:
        member_update(actor=ctx.actor, member=member, profile=profile)
    _move_event(
        ctx,
        member,
        EventKind.ADMITTED,
        current_dates["admission_date"],
        wanted_dates["admission_date"],
    )
    _move_event(
        ctx,
        member,
        EventKind.OFFICIAL,
        current_dates["official_date"],
        wanted_dates["official_date"],
    )
    if placement is not None and wanted_dates["placed_since"] != placement.start:
        placement_update(actor=ctx.actor, placement=placement, start=wanted_dates["placed_since"])
    return Outcome(UPDATE, label, diff)


def _move_event(ctx: Context, member: Member, kind: str, old, new) -> None:
    """Correct the date of the member's first admission or official recognition."""
    if new is None or new == old:
        return
    event = MemberEvent.objects.filter(member=member, kind=kind).order_by("date", "pk").first()
    if event is None:
        event_create(actor=ctx.actor, member=member, kind=kind, date=new)
    else:
        event_update(actor=ctx.actor, event=event, date=new)


MEMBER_HANDLER = Handler(
    sheet=MEMBERS,
    key=lambda v: (v["code"],),
    apply=_apply_member,
    batch=batch_members,
    fields={
        **{key: key for key in ("code", *PROFILE)},
        "admitted_on": "admission_date",
        "official_on": "official_date",
        "unit": "unit_code",
        "start": "placed_since",
    },
)


# Events -----------------------------------------------------------------------------------------


def _apply_event(ctx: Context, v: Values) -> Outcome:
    member = writable_member(ctx, v["member_code"], "member_code")
    label = record(member.code, member.full_name, EVENTS.column("kind").choices[v["kind"]][0])
    existing = MemberEvent.objects.filter(member=member, kind=v["kind"], date=v["date"]).first()
    if existing is None:
        event_create(
            actor=ctx.actor,
            member=member,
            kind=v["kind"],
            date=v["date"],
            end_date=v["end_date"],
            reason=v["reason"],
            decision_number=v["decision_number"],
            note=v["note"],
        )
        return Outcome(CREATE, label)
    current = {
        "end_date": existing.end_date,
        "reason": existing.reason,
        "decision_number": existing.decision_number,
        "note": existing.note,
    }
    wanted = merged(v, current)
    diff = changes(current, wanted)
    if not diff:
        return Outcome(UNCHANGED, label)
    event_update(actor=ctx.actor, event=existing, **wanted)
    return Outcome(UPDATE, label, diff)


EVENT_HANDLER = Handler(
    sheet=EVENTS,
    key=lambda v: (v["member_code"], v["kind"], v["date"]),
    apply=_apply_event,
    fields={
        "member": "member_code",
        "kind": "kind",
        "date": "date",
        "end_date": "end_date",
        "reason": "reason",
    },
)


# Positions --------------------------------------------------------------------------------------


def _apply_position(ctx: Context, v: Values) -> Outcome:
    member = writable_member(ctx, v["member_code"], "member_code")
    unit, village = None, None
    if v["kind"] in PARTY_POSITIONS:
        if v["village"]:
            fail(_("A party post is held in a party unit; leave the village empty."), "village")
        if not v["unit_code"]:
            fail(_("A party post needs the code of its unit."), "unit_code")
        unit = writable_unit(ctx, v["unit_code"], "unit_code")
    else:
        if not v["village"]:
            fail(_("A village post needs the village's name."), "village")
        code = v["unit_code"] or (member.home_unit.code if member.home_unit else "")
        cell = writable_unit(ctx, code, "unit_code")
        village = next(
            (
                x
                for x in Village.objects.filter(cell=cell)
                if x.name.casefold() == v["village"].casefold()
            ),
            None,
        )
        if village is None:
            fail(
                _("Unknown village %(name)s in %(cell)s.")
                % {"name": v["village"], "cell": cell.code},
                "village",
            )
    place = unit.code if unit else village.name  # type: ignore[union-attr]
    label = record(
        member.code, member.full_name, POSITIONS.column("kind").choices[v["kind"]][0], place
    )
    existing = Position.objects.filter(
        member=member, kind=v["kind"], unit=unit, village=village, start=v["start"]
    ).first()
    if existing is None:
        position_create(
            actor=ctx.actor,
            member=member,
            kind=v["kind"],
            start=v["start"],
            unit=unit,
            village=village,
            end=v["end"],
            decision_number=v["decision_number"],
        )
        return Outcome(CREATE, label)
    current = {"end": existing.end, "decision_number": existing.decision_number}
    wanted = merged(v, current)
    diff = changes(current, wanted)
    if not diff:
        return Outcome(UNCHANGED, label)
    position_update(actor=ctx.actor, position=existing, **wanted)
    return Outcome(UPDATE, label, diff)


POSITION_HANDLER = Handler(
    sheet=POSITIONS,
    key=lambda v: (
        v["member_code"],
        v["kind"],
        v["unit_code"].upper(),
        v["village"].casefold(),
        v["start"],
    ),
    apply=_apply_position,
    fields={"unit": "unit_code", "village": "village", "start": "start", "end": "end"},
)
