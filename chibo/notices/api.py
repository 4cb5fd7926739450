"""The caller's own notifications: /api/v1/notices."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import Page

from .kinds import text_of
from .models import EmailState, Notice

notices = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    kind: str = Field(description="What the notice is about (see docs/api.md).")
    text: str
    url: str
    params: dict
    created_at: dt.datetime
    read_at: dt.datetime | None
    email: EmailState

    @staticmethod
    def resolve_text(obj: Notice) -> str:
        return text_of(obj)


class ReadAllOut(Schema):
    marked: int


@notices.get("", response=list[NoticeOut])
@paginate(Page)
def notice_list(request: HttpRequest, unread: bool = False) -> QuerySet[Notice]:
    """Newest first; `unread=true` for those not yet read."""
    rows = Notice.objects.filter(user=user_of(request))
    return rows.filter(read_at__isnull=True) if unread else rows


@notices.post("/{notice_id}/read", response=NoticeOut)
def notice_read(request: HttpRequest, notice_id: int) -> Notice:
    notice = get_object_or_404(Notice, pk=notice_id, user=user_of(request))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@notices.post("/read-all", response=ReadAllOut)
def notice_read_all(request: HttpRequest) -> dict:
    rows = Notice.objects.filter(user=user_of(request), read_at__isnull=True)
    return {"marked": rows.update(read_at=timezone.now())}
