"""The badges sheet of the import template (chibo.core.sheets): awards made in past years,
recorded through chibo.badges.services.award_record as one-member decisions, with the rules
and the occasions of the occasion day. As recorded history (`as_recorded`): a badge given
late, after a higher milestone, or entered after a higher one, is taken when the party age
had reached it. Who may record them is who may on the badge pages: the office of a base
committee or above."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.formats import date
from chibo.core.sheets import (
    CHOICE,
    CREATE,
    DATE,
    NUMBER,
    UNCHANGED,
    Column,
    Context,
    Handler,
    Key,
    Outcome,
    Parsed,
    Sheet,
    Values,
    day_of,
    fail,
    kept,
    labels,
    limit,
    record,
    register,
    show,
)
from chibo.members.importing import MEMBER_CODE, writable_member
from chibo.members.models import Member, Placement, PlacementKind
from chibo.org.models import OrgUnit

from .access import can_record_awards
from .models import BadgeAward, Early
from .services import award_record

# Vietnamese spellings of the early awards (data, as offices write them; the first is the
# template's).
EARLY_AWARDS = labels(
    Early,
    {
        Early.ILLNESS: ["Ốm đau", "Ốm nặng", "Bệnh nặng", "Xét sớm do ốm đau"],
        Early.POSTHUMOUS: ["Truy tặng", "Đã từ trần"],
    },
)

BADGES = Sheet(
    "badges",
    "Huy hiệu Đảng",
    gettext_lazy("Badge awards"),
    gettext_lazy("the member's record code and the badge (years)"),
    (
        MEMBER_CODE,
        Column(
            "years",
            "Huy hiệu (năm tuổi Đảng)",
            gettext_lazy("The badge, in years of party age: 30, 40, 45 …"),
            NUMBER,
            required=True,
            aliases=("Loại huy hiệu", "Số năm tuổi Đảng", "Huy hiệu"),
        ),
        Column(
            "occasion_date",
            "Đợt trao tặng",
            gettext_lazy("The award occasion, e.g. 03/02/2020 or 19/05/2020."),
            DATE,
            required=True,
            aliases=("Ngày trao tặng", "Đợt"),
        ),
        Column(
            "decision_number",
            "Số quyết định",
            gettext_lazy("Number of the award decision."),
            required=True,
            max_length=limit(BadgeAward, "decision_number"),
        ),
        Column(
            "decision_on",
            "Ngày quyết định",
            gettext_lazy("Date of the award decision."),
            DATE,
            required=True,
        ),
        Column(
            "early",
            "Xét sớm",
            gettext_lazy("Only for an early award: serious illness, or posthumous."),
            CHOICE,
            choices=EARLY_AWARDS,
            aliases=("Trường hợp đặc biệt", "Tặng sớm"),
        ),
    ),
    aliases=("Huy hiệu", "Tặng Huy hiệu Đảng"),
    # Party age reads the member's events; the cell on the occasion day, the placements
    # the transfers write.
    after=("events", "transfers"),
    order=90,
)


def badge_key(v: Values) -> Key:
    return (v["member_code"], v["years"])


def _by_occasion(items: list[Parsed]) -> list[Parsed]:
    """Older awards first: a member's 30-year badge before the 40-year one."""
    return sorted(items, key=lambda i: (day_of(i.values.get("occasion_date")), i.number))


def _cell_on(member: Member, day) -> OrgUnit | None:
    """The cell holding the member's record on `day`, or the last one before it (in transit
    on a transfer, or deceased): the unit whose list the award was on."""
    placement = (
        Placement.objects.filter(member=member, kind=PlacementKind.OFFICIAL, start__lte=day)
        .select_related("unit")
        .order_by("-start", "-pk")
        .first()
    )
    return placement.unit if placement else None


def _apply_badge(ctx: Context, v: Values) -> Outcome:
    member = writable_member(ctx, v["member_code"], "member_code")
    label = record(member.code, member.full_name, v["years"], date(v["occasion_date"]))
    existing = BadgeAward.objects.filter(member=member, years=v["years"]).first()
    if existing is not None:
        stored: dict[str, Any] = {
            "occasion_date": existing.occasion_date,
            "decision_number": existing.decision_number,
            "decision_on": existing.decision_on,
            "early": existing.early,
        }
        for key, value in stored.items():
            if v[key] not in ("", None) and v[key] != value:
                kept(BADGES, key, value)
        return Outcome(UNCHANGED, label)
    unit = _cell_on(member, v["occasion_date"])
    if unit is None:
        fail(
            _("The member was not placed in any cell on %(date)s.")
            % {"date": date(v["occasion_date"])},
            "occasion_date",
        )
    if not can_record_awards(ctx.user, unit):
        fail(
            _("Badge awards are recorded by the office of a base committee or a level above it."),
            "member_code",
        )
    (award,) = award_record(
        unit=unit,
        occasion=v["occasion_date"],
        awards=[(member, v["years"])],
        decision_number=v["decision_number"],
        decision_on=v["decision_on"],
        actor=ctx.actor,
        as_recorded=True,
    )
    if v["early"] and v["early"] != award.early:
        fail(
            _("By the rules of %(date)s this award is not “%(given)s”.")
            % {"date": date(v["occasion_date"]), "given": show(BADGES, "early", v["early"])},
            "early",
        )
    return Outcome(CREATE, label)


BADGE_HANDLER = Handler(
    sheet=BADGES,
    key=badge_key,
    apply=_apply_badge,
    order=_by_occasion,
    fields={
        "member": "member_code",
        "years": "years",
        "awards": "years",
        "occasion": "occasion_date",
        "occasion_date": "occasion_date",
        "decision_number": "decision_number",
        "decision_on": "decision_on",
        "early": "early",
    },
)


register(BADGE_HANDLER)
