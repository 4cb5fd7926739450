"""Party badges' deadlines: the next occasion's count on the unit's deadline board, the
awards in the member's history, and the daily notice to each office of how many are due
(chibo.core.deadlines, chibo.notices)."""

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from chibo import rules
from chibo.accounts.models import Role
from chibo.core.deadlines import (
    BOARD,
    HISTORY,
    REMINDERS,
    Ask,
    BoardSource,
    Entry,
    HistorySource,
    Part,
)
from chibo.core.formats import date as vn_date
from chibo.core.formats import number
from chibo.members.models import Member
from chibo.notices.kinds import notice_kind
from chibo.notices.services import Reminder, notify_all
from chibo.org.models import Kind, OrgUnit
from chibo.org.scope import HERE, holder_ids

from .models import BadgeAward
from .queries import badges_due
from .queries.due import due_counts
from .queries.occasions import next_occasion

BADGES_DUE = notice_kind(
    "badges_due",
    gettext_lazy("Party badges due on the next occasion"),
    gettext_lazy(
        "Party badges, %(occasion)s (%(day)s): members of %(unit)s due: %(count)s. Check the "
        "list and propose the decision."
    ),
)


# The deadline board and the member's history (chibo.core.deadlines) -----------------------------


class BadgesOut(Schema):
    occasion: dt.date
    name: str
    due: int = Field(description="Due, early (illness) or posthumous, not held back.")
    held: int = Field(description="Held back by a discipline.")


def _board(ask: Ask) -> dict[str, Any]:
    return {"badges": badges_due(ask.unit, ask.on) if ask.unit is not None else None}


BOARD.register(
    "badges",
    BoardSource(
        parts=(
            Part(
                "badges",
                BadgesOut | None,
                "Counts for the next award occasion.",
                label=gettext_lazy("Party badges"),
                count=lambda value: value.due if value else None,
                title="Huy hiệu Đảng dịp tới",
            ),
        ),
        compute=_board,
        template="badges/deadlines/board.html",
        order=30,
    ),
)


def _awards(member: Member) -> list[Entry]:
    out = []
    for b in BadgeAward.objects.filter(member=member).order_by("occasion_date", "pk"):
        title = _("Party badge for %(years)s years of party age") % {"years": b.years}
        detail = str(b.get_early_display()) if b.early else ""
        out.append(Entry(b.occasion_date, "badge", title, detail, b.decision_number))
    return out


HISTORY.register("badges", HistorySource(_awards, rank=50))


# The daily reminder --------------------------------------------------------------------------

# The badge list of an occasion is announced this many days ahead (a Chibo choice: time to
# check the list and propose the decision).
BADGE_NOTICE_DAYS = 30


def badge_reminders(today: dt.date) -> int:
    """Tell each office (base committee or above) how many of its members are due a badge on
    the next occasion, once per unit and occasion, from BADGE_NOTICE_DAYS before it."""
    units = (
        OrgUnit.objects.filter(grants__role=Role.OFFICE, grants__user__is_active=True)
        .exclude(kind__in=[Kind.CELL, Kind.BASE_CELL, Kind.PARTY_GROUP])
        .distinct()
        .order_by("pk")
    )
    offices = holder_ids([u.pk for u in units], {Role.OFFICE}, nearest=HERE)
    reminders = []
    for unit in units:
        occasion = next_occasion(today - dt.timedelta(days=1), rules.province_of(unit, today))
        if occasion is None or (occasion.date - today).days > BADGE_NOTICE_DAYS:
            continue
        counts = due_counts(unit, occasion.date)
        due = sum(n for (_years, _reason, held), n in counts.items() if not held)
        if not due:
            continue
        reminders.append(
            Reminder(
                BADGES_DUE,
                f"badges:{unit.pk}:{occasion.date:%Y%m%d}",
                offices[unit.pk],
                params={
                    "unit": unit.name,
                    "occasion": occasion.name,
                    "day": vn_date(occasion.date),
                    "count": number(due),
                },
                url=f"{reverse('badges:unit', args=[unit.pk])}?occasion={vn_date(occasion.date)}",
            )
        )
    return notify_all(reminders)


REMINDERS.register("badges", badge_reminders)
