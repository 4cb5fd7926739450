"""Telling people: notices are stored at once (one insert, idempotent by key) and e-mailed by
the background worker (`chibo worker`), so a page never waits for a mail server. Who is told
what is decided by the app that sends it (its `reminders.py`)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chibo.accounts.models import User

from .models import EmailState, Notice
from .tasks import send_emails


def notify(
    users: Iterable[int], *, kind: str, key: str, params: dict, url: str = ""
) -> list[Notice]:
    """Store a notice for each user not yet told under `key`; e-mail them in the background.
    Returns the notices created by this call."""
    ids = sorted(set(users))
    if not ids:
        return []
    told = set(Notice.objects.filter(key=key, user_id__in=ids).values_list("user_id", flat=True))
    with_email = set(User.objects.filter(pk__in=ids).exclude(email="").values_list("pk", flat=True))
    rows = [
        Notice(
            user_id=uid,
            kind=kind,
            key=key,
            params=params,
            url=url,
            email=EmailState.PENDING if uid in with_email else EmailState.NONE,
        )
        for uid in ids
        if uid not in told
    ]
    # Two jobs racing: the unique (user, key) constraint keeps one notice; the loser skips.
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    if any(r.email == EmailState.PENDING for r in rows):
        transaction.on_commit(lambda: send_emails.enqueue())
    return rows


@dataclass
class Reminder:
    """One thing to tell some people, for `notify_all`."""

    kind: str
    key: str
    users: set[int]
    params: dict = field(default_factory=dict)
    url: str = ""


def notify_all(reminders: list[Reminder]) -> int:
    """Notify each reminder's users not yet told under its key (the daily job's thousands at
    once); returns the notices created."""
    told: dict[str, set[int]] = defaultdict(set)
    keys = [r.key for r in reminders]
    for i in range(0, len(keys), CHUNK):
        for user, key in Notice.objects.filter(key__in=keys[i : i + CHUNK]).values_list(
            "user_id", "key"
        ):
            told[key].add(user)
    todo = [(r, r.users - told[r.key]) for r in reminders if r.users - told[r.key]]
    count = 0
    for i in range(0, len(todo), CHUNK):
        # One commit per slice, not per notice (on PostgreSQL each commit waits for the
        # disk). A failure undoes only its slice; the next run, keyed, fills it in.
        with transaction.atomic():
            for r, users in todo[i : i + CHUNK]:
                count += len(notify(users, kind=r.kind, key=r.key, params=r.params, url=r.url))
    return count


CHUNK = 500


def unread_count(user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def notice_purge(*, today: dt.date, months: int | None = None, batch: int = 5000) -> int:
    """Delete the notices read and created more than `months` months before `today`
    (CHIBO_NOTICE_KEEP_MONTHS): a person's list keeps its recent past, and the table stops
    growing with the years. Unread notices stay. In batches, each its own transaction (the
    daily job runs it; nothing else waits for it). Returns how many were deleted."""
    months = settings.CHIBO_NOTICE_KEEP_MONTHS if months is None else months
    back = today.year * 12 + today.month - 1 - months
    start = dt.date(back // 12, back % 12 + 1, min(today.day, 28))
    cutoff = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    old = Notice.objects.filter(created_at__lt=cutoff, read_at__isnull=False)
    deleted = 0
    while ids := list(old.order_by().values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            deleted += Notice.objects.filter(pk__in=ids).delete()[0]
    return deleted
