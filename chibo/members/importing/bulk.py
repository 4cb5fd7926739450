"""The members sheet in batches (Handler.batch): a province's roster of new members in a
few queries per thousand rows instead of some 45 per row.

A row is written here only when it is sure to be created exactly as `_apply_member` would
create it: a new record code, a cell in the user's scope, dates and fields that pass the
same checks, a national ID and a party card number held by no member and by no earlier row
of the file. Every other row (an update of an existing member, a row that fails a check,
one that shares a unique value with an earlier row) is left to `_apply_member`, one by
one after the batch, which writes it or says what is wrong exactly as before. So a row left
out never depends on a row written here, and the result is the same as the one-by-one
path's (chibo/imports/tests/test_bulk.py compares them)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Upper

from chibo.core.sheets import CREATE, Context, Outcome, Parsed, RowError, record
from chibo.org.importing import writable_units
from chibo.org.models import OrgUnit

from ..models import Member
from ..services import NewMember, member_build, member_create_many
from .checks import PROFILE, check_dates

UNIQUE = ("national_id", "card_number")


def _unique_values(v: dict) -> set[tuple[str, str]]:
    """The row's national ID and card number as the services store them (stripped)."""
    return {(f, value) for f in UNIQUE if (value := (v.get(f) or "").strip())}


def _units(ctx: Context, codes: set[str]) -> dict[str, OrgUnit]:
    """The writable units by code, as `writable_unit` finds them (code__iexact); a code
    with no unit, or with two that differ only in case, is left out (one by one it is)."""
    wanted = {c.upper() for c in codes if c.isascii()}
    found: dict[str, list[OrgUnit]] = {}
    for unit in (
        writable_units(ctx).annotate(upper_code=Upper("code")).filter(upper_code__in=wanted)
    ):
        found.setdefault(unit.code.upper(), []).append(unit)
    return {code: units[0] for code, units in found.items() if len(units) == 1}


def batch_members(ctx: Context, items: list[Parsed]) -> dict[int, Outcome]:
    seen: set[tuple[str, str]] = ctx.state.setdefault("members.unique", set())
    rows = [item.values for item in items]
    existing = set(
        Member.all_objects.filter(code__in=[v["code"] for v in rows]).values_list("code", flat=True)
    )
    wanted = set().union(*(_unique_values(v) for v in rows))
    taken: set[tuple[str, str]] = set()
    for field in UNIQUE:
        values = [value for f, value in wanted if f == field]
        if values:
            taken.update(
                (field, value)
                for value in Member.all_objects.filter(Q(**{f"{field}__in": values}))
                .values_list(field, flat=True)
                .distinct()
            )
    units = _units(ctx, {v["unit_code"] for v in rows})

    new: list[NewMember] = []
    done: dict[int, Outcome] = {}
    for item in items:
        v = item.values
        unique = _unique_values(v)
        shared = unique & (seen | taken)
        seen |= unique
        if shared or v["code"] in existing or " ".join(v["code"].split()) != v["code"]:
            continue
        unit = units.get(v["unit_code"].upper()) if v["unit_code"].isascii() else None
        if unit is None or not unit.holds_members:
            continue
        try:
            check_dates(v)
        except RowError:
            continue
        profile = {key: v[key] for key in PROFILE if v[key] not in ("", None)}
        member = member_build({"code": v["code"], **profile})
        try:
            member.full_clean(exclude=["search_name"], validate_unique=False)
        except ValidationError:
            continue
        new.append(
            NewMember(
                member=member,
                unit=unit,
                placed_since=v["placed_since"] or v["admission_date"],
                admitted_on=v["admission_date"],
                official_on=v["official_date"],
            )
        )
        done[item.number] = Outcome(CREATE, record(v["code"], v["full_name"]))
    member_create_many(actor=ctx.actor, new=new)
    return done
