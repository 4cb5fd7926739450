"""The daily reminders of what is due (run by chibo.notices.tasks.daily): ceremonies due
within a few working days or overdue, probations ending within 30 days, official reviews
overdue, overdue meeting tasks.

Who is told about a member's deadline: the secretaries of the member's cell and the office of
the base committee above it. A task: the member holding it when they have an account, else the
cell's secretaries. Each notice is keyed by (kind, member or task, deadline), so running the
job again, the same day or the next, tells nobody twice; a deadline that moves (a new
regulation, a corrected date) is a new thing to know."""

import datetime as dt
from collections import defaultdict

from django.urls import reverse

from chibo.accounts.models import Role, RoleGrant, User
from chibo.badges.reminders import BADGES_DUE
from chibo.core.formats import date as vn_date
from chibo.core.formats import number
from chibo.core.sql import chunks
from chibo.development.reminders import (
    CEREMONY_OVERDUE,
    CEREMONY_SOON,
    PROBATION_ENDING,
    REVIEW_OVERDUE,
)
from chibo.meetings.reminders import TASK_OVERDUE
from chibo.notices.services import Reminder, notify, notify_all
from chibo.org.models import Kind as UnitKind
from chibo.org.models import OrgUnit
from chibo.org.scope import HERE, cell_officers, holder_ids
from chibo.rules.calendar import working_days_after

from .services import (
    MemberRow,
    TaskRow,
    ceremonies_due,
    name_cells,
    open_tasks,
    probations_ending,
    reviews_due,
)

# A ceremony is announced this many working days before its deadline (a Chibo choice).
CEREMONY_NOTICE_WORKING_DAYS = 5
# An overdue ceremony is announced if its deadline passed at most this many days ago.
CEREMONY_OVERDUE_NOTICE_DAYS = 30


def _member_reminder(kind: str, row: MemberRow, users: set[int]) -> Reminder:
    assert row.deadline is not None  # only rows with a deadline are reminded of
    params = {"member": row.full_name, "cell": row.cell_name, "deadline": vn_date(row.deadline)}
    if kind == PROBATION_ENDING:
        params["day"] = params.pop("deadline")
    url = reverse("deadlines:timeline", args=[row.member_id])
    return Reminder(kind, f"{kind}:{row.member_id}:{row.deadline:%Y%m%d}", users, params, url)


def _task_reminder(row: TaskRow, users: set[int]) -> Reminder:
    params = {
        "cell": row.cell_name,
        "day": vn_date(row.given_on),
        "deadline": vn_date(row.due_on),
        "task": row.text[:200],
    }
    url = reverse("meetings:detail", args=[row.meeting_id])
    kind = TASK_OVERDUE
    return Reminder(kind, f"{kind}:{row.task_id}:{row.due_on:%Y%m%d}", users, params, url)


def deadline_reminders(today: dt.date) -> int:
    """Tell who must act about what is due on `today`, in every tree (each with its own
    province's rules). Returns the notices created."""
    soon = working_days_after(today, CEREMONY_NOTICE_WORKING_DAYS)
    # A ceremony overdue for longer was most likely held but never entered (members recorded
    # before Chibo kept ceremonies): the board lists it, the daily job does not call it news.
    late_since = today - dt.timedelta(days=CEREMONY_OVERDUE_NOTICE_DAYS)
    ceremonies: list[MemberRow] = []
    probations: list[MemberRow] = []
    reviews: list[MemberRow] = []
    for root in OrgUnit.objects.filter(parent__isnull=True):
        ceremonies += [
            r
            for r in ceremonies_due(root, today)
            if r.deadline is not None and late_since <= r.deadline <= soon
        ]
        probations += probations_ending(root, today)
        reviews += [r for r in reviews_due(root, today)[0] if r.overdue]
    tasks = open_tasks(None, today)
    everything: list[MemberRow | TaskRow] = [*ceremonies, *probations, *reviews, *tasks]
    name_cells(everything)
    audience = cell_officers({r.cell_id for r in everything if r.cell_id}, on=today)

    reminders: list[Reminder] = []
    for kind, rows in (
        (CEREMONY_SOON, [r for r in ceremonies if not r.overdue]),
        (CEREMONY_OVERDUE, [r for r in ceremonies if r.overdue]),
        (PROBATION_ENDING, probations),
        (REVIEW_OVERDUE, reviews),
    ):
        reminders += [_member_reminder(kind, r, audience.get(r.cell_id or 0, set())) for r in rows]
    holders: dict[int, int] = {}
    for part in chunks(t.member_id for t in tasks if t.member_id):
        holders |= dict(
            User.objects.filter(is_active=True, member_id__in=part).values_list("member_id", "pk")
        )
    secretaries = holder_ids({t.cell_id for t in tasks}, {Role.SECRETARY}, nearest=HERE)
    for t in tasks:
        holder = holders.get(t.member_id) if t.member_id else None
        users = {holder} if holder else secretaries.get(t.cell_id, set())
        reminders.append(_task_reminder(t, users))
    return notify_all(reminders)


# The badge list of an occasion is announced this many days ahead (a Chibo choice: time to
# check the list and propose the decision).
BADGE_NOTICE_DAYS = 30


def badge_reminders(today: dt.date) -> int:
    """Tell each office (base committee or above) how many of its members are due a badge on
    the next occasion, once per unit and occasion, from BADGE_NOTICE_DAYS before it."""
    from chibo.badges.due import due_counts
    from chibo.badges.occasions import next_occasion
    from chibo.rules import province_of

    offices: dict[int, set[int]] = defaultdict(set)
    for user_id, unit_id in RoleGrant.objects.filter(
        role=Role.OFFICE, user__is_active=True, unit__deleted_at__isnull=True
    ).values_list("user_id", "unit_id"):
        offices[unit_id].add(user_id)
    created = 0
    units = OrgUnit.objects.filter(pk__in=offices).exclude(
        kind__in=[UnitKind.CELL, UnitKind.BASE_CELL, UnitKind.PARTY_GROUP]
    )
    for unit in units.order_by("pk"):
        occasion = next_occasion(today - dt.timedelta(days=1), province_of(unit, today))
        if occasion is None or (occasion.date - today).days > BADGE_NOTICE_DAYS:
            continue
        counts = due_counts(unit, occasion.date)
        due = sum(n for (_years, _reason, held), n in counts.items() if not held)
        if not due:
            continue
        created += len(
            notify(
                offices[unit.pk],
                kind=BADGES_DUE,
                key=f"badges:{unit.pk}:{occasion.date:%Y%m%d}",
                params={
                    "unit": unit.name,
                    "occasion": occasion.name,
                    "day": vn_date(occasion.date),
                    "count": number(due),
                },
                url=f"{reverse('badges:unit', args=[unit.pk])}?occasion={vn_date(occasion.date)}",
            )
        )
    return created
