"""Party badges, the writes: recording a decision's awards, and special occasions. The reads
are chibo.badges.queries (who is due on an occasion, the occasions of a year, the awards);
party age is chibo.members.age."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import F, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from chibo import rules
from chibo.core import audit, formats
from chibo.members.age import party_age
from chibo.members.models import Member
from chibo.org.models import Kind, OrgUnit

from .models import BadgeAward, BadgeOccasion
from .queries.due import DueRow, due_list
from .queries.occasions import occasion_on

DECISION_NUMBER_MAX = BadgeAward._meta.get_field("decision_number").max_length or 40
OCCASION_NAME_MAX = BadgeOccasion._meta.get_field("name").max_length or 120

AWARDED = audit.kind(
    "badges.awarded",
    gettext_lazy(
        "Awarded the %(years)s-year Party badge on %(occasion)s, by decision %(number)s of %(date)s"
    ),
)
OCCASION_ADDED = audit.kind(
    "badges.occasion_added", gettext_lazy("Special award occasion added: %(name)s, %(date)s")
)
OCCASION_DELETED = audit.kind(
    "badges.occasion_deleted", gettext_lazy("Special award occasion deleted: %(name)s, %(date)s")
)


def keep_badge_years(members: QuerySet[Member], *, repair: bool = False) -> int:
    """Write the kept copy `Member.badge_years` of `members` again: the highest badge
    recorded for each (0: none). Every write of awards calls it in its transaction (the demo
    for a province's members at once); returns the number of members written.

    Awards are never removed, so the copy only rises: it keeps the higher of what it holds and
    what this transaction sees. Two decisions for one member at once (a 40-year badge and an
    older 30-year one entered from the archive) then leave 40 whichever commits last: the
    second UPDATE waits for the first's row and compares with the row as the first left it.
    `repair`: the maximum alone, lowering a copy that is wrong (chibo rebuild-badge-years)."""
    top = (
        BadgeAward.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(top=Max("years"))
        .values("top")
    )
    recorded = Coalesce(Subquery(top), Value(0))
    kept = recorded if repair else Greatest(F("badge_years"), recorded)
    return members.order_by().update(badge_years=kept)


@audit.write
def award_record(
    *,
    unit: OrgUnit,
    occasion: dt.date,
    awards: Sequence[tuple[Member, int]],
    decision_number: str,
    decision_on: dt.date,
    actor,
    as_recorded: bool = False,
) -> list[BadgeAward]:
    """Record the badges of one decision: (member, years) pairs, each due on `occasion` in
    `unit`'s list and not held back. All or nothing: one wrong pair refuses the decision.

    `as_recorded`: a past decision entered afterwards (the import of an office's records).
    The decision was made then, so a pair the list does not offer (a badge given late, after
    a higher milestone; an older badge entered after a higher one) is taken when the member's
    party age on the occasion had reached `years`, a badge age of the rules that day."""
    number = " ".join(decision_number.split())
    errors: dict[str, str] = {}
    if not number:
        errors["decision_number"] = _("Enter the number of the decision.")
    elif len(number) > DECISION_NUMBER_MAX:
        errors["decision_number"] = _("The decision number has at most %(limit)d characters.") % {
            "limit": DECISION_NUMBER_MAX
        }
    if decision_on > timezone.localdate():
        errors["decision_on"] = _("The decision date cannot be in the future.")
    if occasion_on(occasion, rules.province_of(unit, occasion)) is None:
        errors["occasion"] = _("%(date)s is not a badge award occasion.") % {
            "date": formats.date(occasion)
        }
    if not awards:
        errors["awards"] = _("Choose at least one member.")
    if errors:
        raise ValidationError(errors)
    listing = due_list(unit, occasion)
    held = set(
        BadgeAward.objects.filter(member_id__in=[m.pk for m, _y in awards]).values_list(
            "member_id", "years"
        )
    )
    problems: list[str] = []
    chosen: dict[int, DueRow] = {}
    recorded: dict[int, int] = {}  # as_recorded: member id -> years, off the list
    for member, years in awards:
        row = listing.find(member.pk)
        values = {"name": member.full_name, "years": years, "date": formats.date(occasion)}
        if member.pk in chosen or member.pk in recorded:
            problems.append(_("%(name)s is chosen twice.") % values)
        elif (member.pk, years) in held:
            problems.append(_("%(name)s already has the %(years)s-year badge.") % values)
        elif as_recorded and (row is None or (row.held_until is None and row.years != years)):
            age = party_age(member, occasion)
            if age is None or age.years < years or years not in (listing.rules.badge_years or []):
                problems.append(_("%(name)s is not due a badge on %(date)s.") % values)
            else:
                recorded[member.pk] = years
        elif row is None:
            problems.append(_("%(name)s is not due a badge on %(date)s.") % values)
        elif row.held_until is not None:
            values["until"] = formats.date(row.held_until)
            problems.append(
                _("%(name)s is held back by a discipline decision until %(until)s.") % values
            )
        elif row.years != years:
            values["due"] = row.years
            problems.append(
                _("%(name)s is due the %(due)s-year badge, not the %(years)s-year one.") % values
            )
        else:
            chosen[member.pk] = row
    if problems:
        raise ValidationError({"awards": problems})
    objs = [
        BadgeAward(
            member_id=member_id,
            years=row.years,
            occasion_date=occasion,
            decision_number=number,
            decision_on=decision_on,
            early=row.early,
            recorded_by=actor,
        )
        for member_id, row in chosen.items()
    ] + [
        BadgeAward(
            member_id=member_id,
            years=years,
            occasion_date=occasion,
            decision_number=number,
            decision_on=decision_on,
            recorded_by=actor,
        )
        for member_id, years in recorded.items()
    ]
    try:
        made = bulk_create_with_history(objs, BadgeAward, default_user=actor)
    except IntegrityError:
        # Another office recorded one of these badges since the list was read.
        raise ValidationError(
            {"awards": _("One of these badges was recorded meanwhile: reload the list.")}
        ) from None
    keep_badge_years(Member.all_objects.filter(pk__in={a.member_id for a in made}))
    # One event per member: a decision gives each member a badge, and each member's record
    # says which badge, by which decision (a page lists the events about one member).
    members = {member.pk: member for member, _years in awards}
    for award in made:
        audit.record(
            AWARDED,
            actor=actor,
            obj=award,
            about=members[award.member_id],
            years=award.years,
            occasion=occasion,
            number=number,
            date=decision_on,
        )
    return made


@audit.write
def occasion_create(*, date: dt.date, name: str, province: OrgUnit | None, actor) -> BadgeOccasion:
    """A special occasion: nationwide (province None) or for one province's units."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Name the occasion.")})
    if len(name) > OCCASION_NAME_MAX:
        raise ValidationError(
            {"name": _("The name has at most %(limit)d characters.") % {"limit": OCCASION_NAME_MAX}}
        )
    if province is not None and province.kind != Kind.PROVINCE:
        raise ValidationError({"province": _("Choose a province.")})
    day = {"date": formats.date(date)}
    regular = occasion_on(date, province)
    if regular is not None and not regular.special:
        raise ValidationError({"date": _("%(date)s is already a regular award occasion.") % day})
    clash = BadgeOccasion.objects.filter(date=date)
    if province is not None:
        clash = clash.filter(province__isnull=True) | clash.filter(province=province)
    if clash.exists():
        raise ValidationError({"date": _("There is already a special occasion on %(date)s.") % day})
    occasion = BadgeOccasion(date=date, name=name, province=province, created_by=actor)
    occasion._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    occasion.save()
    audit.record(
        OCCASION_ADDED,
        actor=actor,
        obj=occasion,
        name=name,
        date=date,
        province=province.name if province is not None else "",
    )
    return occasion


@audit.write
def occasion_delete(*, occasion: BadgeOccasion, actor) -> None:
    awarded = BadgeAward.objects.filter(occasion_date=occasion.date)
    if occasion.province_id is not None:
        awarded = awarded.filter(
            member__home_unit__in=OrgUnit.all_objects.within(occasion.province_id)
        )
    if awarded.exists():
        raise ValidationError(
            _("Badges were awarded on this occasion; it can no longer be deleted.")
        )
    # Recorded before the row goes (it keeps the id the event names).
    audit.record(
        OCCASION_DELETED,
        actor=actor,
        obj=occasion,
        name=occasion.name,
        date=occasion.date,
        province=occasion.province.name if occasion.province is not None else "",
    )
    occasion._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    occasion.delete()
