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
            # A person's notices newest first (the notification centre, the API), read in
            # the index's order: no sort of everything they ever received.
            models.Index(fields=["user", "-created_at", "-id"], name="notice_user_new_idx"),
            # The unread count on every page, and the unread list: only unread rows.
            models.Index(
                fields=["user", "-created_at", "-id"],
                condition=models.Q(read_at__isnull=True),
                name="notice_unread_idx",
            ),
            # The daily job asks which people its keys already told (services.notify_all).
            models.Index(fields=["key", "user"], name="notice_key_idx"),
            # The purge of old read notices (services.notice_purge).
            models.Index(
                fields=["created_at"],
                condition=models.Q(read_at__isnull=False),
                name="notice_read_created_idx",
            ),
            models.Index(
                fields=["email"], condition=models.Q(email="pending"), name="notice_to_mail"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}"
