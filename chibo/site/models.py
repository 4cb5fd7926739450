"""The record of the daily job's runs that keeps it from running twice a day."""

from django.db import models


class JobRun(models.Model):
    """A scheduled job enqueued for a day: the worker enqueues each daily job once a day."""

    name = models.CharField(max_length=60)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="job_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
