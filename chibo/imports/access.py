"""Who may import, and whose jobs they may see (built on chibo.org.scope)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from chibo.org.scope import is_writer_anywhere

from .models import ImportJob


def check_can_import(user) -> None:
    """Writers only: an import writes, and each row is checked against the write scope."""
    if not is_writer_anywhere(user):
        raise PermissionDenied


def jobs_for(user) -> QuerySet[ImportJob]:
    """A job is its uploader's alone, superusers included: the file holds personal data
    and there is nothing for anyone else to do with it."""
    return ImportJob.objects.filter(user_id=user.pk)


def get_job_for(user, pk) -> ImportJob:
    check_can_import(user)
    job = jobs_for(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
