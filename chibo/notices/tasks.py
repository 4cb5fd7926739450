"""Background work run by `chibo worker` (Django's tasks framework, database backend)."""

from django.tasks import task

from .mail import mail_pending


@task()
def send_emails() -> int:
    """E-mail the notices waiting for it."""
    return mail_pending()
