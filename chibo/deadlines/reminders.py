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
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse

from chibo.accounts.models import Role, RoleGrant, User
from chibo.core.formats import date as vn_date
from chibo.core.formats import number
from chibo.notices.models import Kind, Notice
from chibo.notices.services import notify
from chibo.org.models import Ancestry, OrgUnit
from chibo.org.models import Kind as UnitKind
from chibo.rules.calendar import working_days_after

from .services import (
    MemberRow,
    TaskRow,
    ceremonies_due,
    chunks,
    name_cells,
    open_tasks,
    probations_ending,
    reviews_due,
)

# A ceremony is announced this many working days before its deadline (a Chibo choice).
CEREMONY_NOTICE_WORKING_DAYS = 5
# An overdue ceremony is announced if its deadline passed at most this many days ago.
CEREMONY_OVERDUE_NOTICE_DAYS = 30
CHUNK = 500


def _grants(role: str, units: Iterable[int]) -> dict[int, set[int]]:
    """unit id -> active accounts holding `role` on it."""
    out: dict[int, set[int]] = defaultdict(set)
    for part in chunks(units, CHUNK):
        for user, unit in RoleGrant.objects.filter(
            role=role, unit_id__in=part, user__is_active=True
        ).values_list("user_id", "unit_id"):
            out[unit].add(user)
    return out


def audiences(cell_ids: Iterable[int], on: dt.date) -> dict[int, set[int]]:
    """cell id -> active accounts told about its members' deadlines: the cell's secretaries
    and the offices of the nearest base committee above it."""
    cells = set(cell_ids)
    above: dict[int, tuple[int, int]] = {}  # cell -> (distance, base committee)
    for part in chunks(cells):
        for cell, base, distance in (
            Ancestry.objects.valid(on)
            .filter(descendant_id__in=part, distance__gt=0)
            .filter(ancestor__kind=UnitKind.BASE_COMMITTEE)
            .values_list("descendant_id", "ancestor_id", "distance")
        ):
            if cell not in above or distance < above[cell][0]:
                above[cell] = (distance, base)
    secretaries = _grants(Role.SECRETARY, cells)
    offices = _grants(Role.OFFICE, {base for _d, base in above.values()})
    out = {cell: set(secretaries.get(cell, set())) for cell in cells}
    for cell, (_d, base) in above.items():
        out[cell] |= offices.get(base, set())
    return out


def _told(keys: list[str]) -> dict[str, set[int]]:
    told: dict[str, set[int]] = defaultdict(set)
    for i in range(0, len(keys), CHUNK):
        for user, key in Notice.objects.filter(key__in=keys[i : i + CHUNK]).values_list(
            "user_id", "key"
        ):
            told[key].add(user)
    return told


Reminder = tuple[str, str, set[int], dict, str]  # kind, key, users, params, url


def _send(reminders: list[Reminder]) -> int:
    """Notify each reminder's users not yet told under its key; returns notices created."""
    told = _told([key for _k, key, _u, _p, _url in reminders])
    todo = [(r, r[2] - told[r[1]]) for r in reminders if r[2] - told[r[1]]]
    count = 0
    for i in range(0, len(todo), CHUNK):
        # One commit per slice, not per notice (on PostgreSQL each commit waits for the
        # disk). A failure undoes only its slice; the next run, keyed, fills it in.
        with transaction.atomic():
            for (kind, key, _users, params, url), users in todo[i : i + CHUNK]:
                count += len(notify(users, kind=kind, key=key, params=params, url=url))
    return count


def _member_reminder(kind: str, row: MemberRow, users: set[int]) -> Reminder:
    assert row.deadline is not None  # only rows with a deadline are reminded of
    params = {"member": row.full_name, "cell": row.cell_name, "deadline": vn_date(row.deadline)}
    if kind == Kind.PROBATION_ENDING:
        params["day"] = params.pop("deadline")
    url = reverse("members:timeline", args=[row.member_id])
    return kind, f"{kind}:{row.member_id}:{row.deadline:%Y%m%d}", users, params, url


def _task_reminder(row: TaskRow, users: set[int]) -> Reminder:
    params = {
        "cell": row.cell_name,
        "day": vn_date(row.given_on),
        "deadline": vn_date(row.due_on),
        "task": row.text[:200],
    }
    url = reverse("meetings:detail", args=[row.meeting_id])
    kind = Kind.TASK_OVERDUE
    return kind, f"{kind}:{row.task_id}:{row.due_on:%Y%m%d}", users, params, url


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
    audience = audiences({r.cell_id for r in everything if r.cell_id}, today)

    reminders: list[Reminder] = []
    for kind, rows in (
        (Kind.CEREMONY_SOON, [r for r in ceremonies if not r.overdue]),
        (Kind.CEREMONY_OVERDUE, [r for r in ceremonies if r.overdue]),
        (Kind.PROBATION_ENDING, probations),
        (Kind.REVIEW_OVERDUE, reviews),
    ):
        reminders += [_member_reminder(kind, r, audience.get(r.cell_id or 0, set())) for r in rows]
    holders: dict[int, int] = {}
    for part in chunks(t.member_id for t in tasks if t.member_id):
        holders |= dict(
            User.objects.filter(is_active=True, member_id__in=part).values_list("member_id", "pk")
        )
    secretaries = _grants(Role.SECRETARY, {t.cell_id for t in tasks})
    for t in tasks:
        holder = holders.get(t.member_id) if t.member_id else None
        users = {holder} if holder else secretaries.get(t.cell_id, set())
        reminders.append(_task_reminder(t, users))
    return _send(reminders)


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
                kind=Kind.BADGES_DUE,
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
