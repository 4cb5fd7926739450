"""An uploaded workbook waiting between preview and commit."""

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    class State(models.TextChoices):
        PREVIEWED = "previewed"
        COMMITTED = "committed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
