"""Background work run by `chibo worker` (Django's tasks framework, database backend)."""

import datetime as dt

from django.tasks import task


@task()
def send_emails() -> int:
    """E-mail the notices waiting for it."""
    from .services import mail_pending

    return mail_pending()


@task()
def daily(day: str) -> dict:
    """What is due on `day` (ISO date): reminders of tomorrow's meetings, of the member and
    task deadlines, and of the badge lists of the next occasion (chibo.deadlines.reminders).
    Safe to run twice: notices are keyed, so nobody is told twice."""
    from chibo.deadlines.reminders import badge_reminders, deadline_reminders

    from .services import mail_pending, meeting_reminders

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
