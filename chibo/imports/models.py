"""An uploaded workbook waiting between preview and commit, and each import committed."""

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued"  # waiting for the worker's preview (a large file)
        PREVIEWED = "previewed"
        COMMITTING = "committing"  # the worker is importing it
        COMMITTED = "committed"
        FAILED = "failed"  # the worker stopped on an unexpected error: nothing was written

    # Who uploaded; none for an import run by the server's operator (`chibo import` without
    # --user), whose commit is kept as a committed job like any other.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent done of the worker's run
    error = models.CharField(max_length=500, blank=True)

    @property
    def running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.COMMITTING)

    @property
    def committable(self) -> bool:
        """Previewed and not imported: waiting for its commit, or its commit failed (nothing
        was written) and may be tried again."""
        previewed = bool(self.summary.get("sheets")) if isinstance(self.summary, dict) else False
        return self.state == self.State.PREVIEWED or (self.state == self.State.FAILED and previewed)
