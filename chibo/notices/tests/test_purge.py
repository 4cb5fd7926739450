"""The purge of old read notices, and the daily job that runs it."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from chibo.notices.models import Notice
from chibo.notices.services import notice_purge
from chibo.site.tasks import daily

TODAY = dt.date(2026, 3, 31)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8)))


@pytest.fixture
def notices(cast):
    """Read and unread notices, either side of twelve months before TODAY (28/03/2025: the
    day of the month is capped at 28, so every month has it)."""
    made = {}
    for name, created, read in [
        ("old_read", dt.date(2025, 3, 27), True),
        ("old_unread", dt.date(2025, 3, 27), False),
        ("edge_read", dt.date(2025, 3, 28), True),
        ("new_read", dt.date(2026, 1, 1), True),
    ]:
        n = Notice.objects.create(user=cast.member, kind="test", key=name)
        Notice.objects.filter(pk=n.pk).update(
            created_at=at(created), read_at=at(created) if read else None
        )
        made[name] = n.pk
    return made


def test_purge_deletes_only_read_notices_older_than_the_setting(notices):
    assert notice_purge(today=TODAY, months=12, batch=1) == 1
    left = set(Notice.objects.values_list("key", flat=True))
    assert left == {"old_unread", "edge_read", "new_read"}
    assert notice_purge(today=TODAY, months=12) == 0


@override_settings(CHIBO_NOTICE_KEEP_MONTHS=3)
def test_daily_job_purges_with_the_setting(notices):
    # The cut-off is 28/12/2025: old_read and edge_read go.
    assert daily.call(TODAY.isoformat())["purged"] == 2
    assert set(Notice.objects.values_list("key", flat=True)) == {"old_unread", "new_read"}
