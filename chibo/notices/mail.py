"""E-mailing the notices waiting for it (run by the worker, chibo.notices.tasks)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .kinds import text_of
from .models import EmailState, Notice

log = logging.getLogger(__name__)


def mail_pending(limit: int = 500) -> int:
    """Send the notices waiting for an e-mail; each is claimed before sending, so two workers
    never send the same one. Returns how many were sent."""
    sent = 0
    pending = Notice.objects.filter(email=EmailState.PENDING).select_related("user")
    for notice in pending.order_by("pk")[:limit]:
        claimed = Notice.objects.filter(pk=notice.pk, email=EmailState.PENDING).update(
            email=EmailState.SENT, emailed_at=timezone.now()
        )
        if not claimed:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = text_of(notice)
            body = "\n\n".join(
                [
                    subject,
                    _("Open it in Chibo: %(url)s") % {"url": absolute(notice.url)},
                    _(
                        "You receive this because of your role in Chibo; the Notifications "
                        "page lists everything sent to you."
                    ),
                ]
            )
        try:
            send_mail(subject[:200], body, None, [notice.user.email])
        except OSError as e:  # the mail server refused or is down: keep it visible
            log.warning("Notice %s not mailed: %s", notice.pk, e)
            Notice.objects.filter(pk=notice.pk).update(email=EmailState.FAILED)
            continue
        sent += 1
    return sent


def absolute(url: str) -> str:
    return f"{settings.CHIBO_BASE_URL.rstrip('/')}{url}" if url.startswith("/") else url
