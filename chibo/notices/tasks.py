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
    """What is due on `day` (ISO date): reminders of tomorrow's meetings. Safe to run twice:
    notices are keyed, so nobody is told twice."""
    from .services import mail_pending, meeting_reminders

    today = dt.date.fromisoformat(day)
    reminded = meeting_reminders(today)
    return {"day": day, "reminded": reminded, "mailed": mail_pending()}
