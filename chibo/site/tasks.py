"""The worker's daily job (Django's tasks framework, database backend)."""

import datetime as dt

from django.tasks import task

from chibo.core.deadlines import REMINDERS
from chibo.notices.mail import mail_pending
from chibo.notices.services import notice_purge


@task()
def daily(day: str) -> dict:
    """What is due on `day` (ISO date): every reminder the apps register in their
    reminders.py (tomorrow's meetings, member and task deadlines, the badge lists of the
    next occasion...), then the e-mails, then the purge of old read notices. Safe to run
    twice: notices are keyed, so nobody is told twice. Returns how many notices each reminder
    created, the e-mails sent and the notices purged."""
    today = dt.date.fromisoformat(day)
    told = {name: remind(today) for name, remind in REMINDERS.items()}
    return {"day": day, **told, "mailed": mail_pending(), "purged": notice_purge(today=today)}
