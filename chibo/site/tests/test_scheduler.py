"""The worker's clock: the daily job is enqueued once a day, after the hour."""

import datetime as dt

from django.utils import timezone

from chibo.site import scheduler

TODAY = timezone.localdate()


def test_scheduler_waits_for_the_hour(db, settings):
    settings.CHIBO_DAILY_HOUR = 6
    early = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(5, 59)))
    assert scheduler.due(early) == []
    on_time = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(6, 0)))
    assert scheduler.due(on_time) == ["daily"]
    assert scheduler.due(on_time) == []
