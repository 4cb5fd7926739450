"""Shared model pieces: soft delete, and the audit of writes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActiveQuerySet(models.QuerySet):
    def active(self) -> "ActiveQuerySet":
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> "ActiveQuerySet":
        return self.filter(deleted_at__isnull=False)


class SoftDeletable(models.Model):
    """Rows are never removed by people: deleting sets `deleted_at`, and an office can undo it.

    `objects` hides deleted rows; `all_objects` sees everything (trash, history, imports).
    """

    deleted_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def mark_deleted(self, actor) -> None:
        self.deleted_at = timezone.now()
        self.deleted_by = actor
        self._change_reason = "deleted"
        self.save(update_fields=["deleted_at", "deleted_by"])

    def mark_restored(self, actor) -> None:
        self.deleted_at = None
        self.deleted_by = None
        self._change_reason = "restored"
        self.save(update_fields=["deleted_at", "deleted_by"])


class ActiveManager(models.Manager):
    """The default manager of soft-deletable models: deleted rows are not there.
    Combine with a QuerySet class as `ActiveManager.from_queryset(MyQuerySet)`."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class AuditEvent(models.Model):
    """One write, in words: who did it, what kind of write, on which record, and a few facts
    ("from A to B"), recorded in the write's own transaction by `chibo.core.audit.record`.
    Beside the field-level history, which says what each field was before.

    `object` is the row the write made or changed; `about` is whose record it belongs to
    (the member a transfer moves, the meeting an attendance belongs to), so a record's page
    lists what was done to it and to its parts in one indexed query."""

    at = models.DateTimeField(default=timezone.now, editable=False)
    kind = models.CharField(max_length=60, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", editable=False
    )
    object_id = models.PositiveBigIntegerField(editable=False)
    about_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", editable=False
    )
    about_id = models.PositiveBigIntegerField(editable=False)
    facts = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["about_type", "about_id", "at"], name="audit_about"),
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object"),
            models.Index(fields=["at"], name="audit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type_id}:{self.object_id}"
