"""The worker's daily job (Django's tasks framework, database backend)."""

import datetime as dt

from django.tasks import task

from chibo.deadlines.reminders import badge_reminders, deadline_reminders
from chibo.meetings.reminders import meeting_reminders
from chibo.notices.mail import mail_pending


@task()
def daily(day: str) -> dict:
    """What is due on `day` (ISO date): reminders of tomorrow's meetings, of the member and
    task deadlines, and of the badge lists of the next occasion (chibo.deadlines.reminders).
    Safe to run twice: notices are keyed, so nobody is told twice."""
    today = dt.date.fromisoformat(day)
    reminded = meeting_reminders(today)
    deadlines = deadline_reminders(today)
    badges = badge_reminders(today)
    return {
        "day": day,
        "reminded": reminded,
        "deadlines": deadlines,
        "badges": badges,
        "mailed": mail_pending(),
    }
