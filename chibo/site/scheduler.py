"""The worker's clock: each daily job is enqueued once a day, after the hour set in
CHIBO_DAILY_HOUR (Vietnam time), whichever worker process gets there first."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobRun
from .tasks import daily

DAILY_JOBS = {"daily": daily}


def due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue the daily jobs not yet enqueued today; return their names."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.CHIBO_DAILY_HOUR:
        return []
    enqueued = []
    for name, job in DAILY_JOBS.items():
        try:
            with transaction.atomic():
                JobRun.objects.create(name=name, day=local.date())
                job.enqueue(local.date().isoformat())
        except IntegrityError:
            continue  # another worker enqueued it today
        enqueued.append(name)
    return enqueued
