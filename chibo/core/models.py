"""Shared model pieces: soft delete."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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
