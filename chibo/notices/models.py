"""Notifications to a person (in the app, and by e-mail through a background task)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailState(models.TextChoices):
    PENDING = "pending", _("to send")
    SENT = "sent", _("sent")
    NONE = "none", _("no e-mail address")
    FAILED = "failed", _("failed")


class Notice(models.Model):
    """One thing one person should know. `key` names the event (a meeting's reminder for a
    day, a document posted): the same key for the same person is never stored twice, so a
    job that runs again notifies nobody again. The text is rendered from `kind` and `params`
    when shown, in the reader's language."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)  # a key of chibo.notices.kinds.KINDS
    key = models.CharField(max_length=120)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notice_once")]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(
                fields=["email"], condition=models.Q(email="pending"), name="notice_to_mail"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}"
