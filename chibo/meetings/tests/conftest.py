"""Fixtures of the meetings tests."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone


@pytest.fixture
def clock(monkeypatch) -> Callable[[dt.datetime], None]:
    """Set what `timezone.now()` reads from here on in the test: minutes are adopted only
    once the meeting has ended (an end time later than now is refused), and some tests hold
    their meetings on a day after the one the suite runs on."""

    def set_now(now: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: now)

    return set_now
