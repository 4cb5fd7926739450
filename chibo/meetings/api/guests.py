"""Guests of a meeting: the superior follower assigned to the cell who attended (named through
their assignment, so that they may confirm the score), invited guests by name and role. Read
with the record; added and removed by a writer of the meeting, each change naming its version.
As on the page, the followers to choose from are those assigned to the cell on the meeting day."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import Filters, InSchema, Page
from chibo.follow.models import FollowAssignment

from .. import services
from ..models import Guest
from .common import MeetingVersion, get_record_for, versioned, with_version, writable


class GuestIn(InSchema):
    version: int
    follow: int | None = Field(
        None,
        description="The assignment of a superior follower of the cell (GET .../followers); "
        "their name and role are filled in unless given.",
    )
    name: str = Field("", max_length=120, description="Needed for any other guest.")
    role: str = Field("", max_length=200, description="Needed for any other guest.")


class GuestOut(Schema):
    id: int
    name: str
    role: str
    follower: bool = Field(description="The superior follower assigned to the cell.")
    follow: int | None = Field(validation_alias="follow_id", description="Their assignment.")


class GuestAdded(GuestOut):
    meeting_version: int


class FollowerOut(Schema):
    id: int = Field(description="The assignment: send it as `follow` to add them as a guest.")
    follower: int = Field(validation_alias="follower_id", description="Their user account.")
    name: str = Field(validation_alias="follower_name")
    start: dt.date
    end: dt.date | None = Field(description="Not included; null: open-ended.")


class VersionQuery(Filters):
    version: int


def _follow(pk: int | None) -> FollowAssignment | None:
    if pk is None:
        return None
    follow = FollowAssignment.objects.select_related("follower").filter(pk=pk).first()
    if follow is None:  # the same answer as for an assignment to another cell
        raise ValidationError(
            {"follow": _("This follower is not assigned to the cell on the meeting day.")}
        )
    return follow


def add_guest_routes(router: Router) -> None:
    @router.get("/{meeting_id}/guests", response=list[GuestOut])
    @paginate(Page)
    def guest_list(request: HttpRequest, meeting_id: int) -> QuerySet[Guest]:
        meeting = get_record_for(request, meeting_id)
        return meeting.guests.order_by("pk")

    @router.get("/{meeting_id}/followers", response=list[FollowerOut])
    def follower_list(request: HttpRequest, meeting_id: int) -> list[FollowAssignment]:
        """The superior followers assigned to the cell on the meeting day: those who may be
        added as the follower guest (and then confirm the score)."""
        meeting = get_record_for(request, meeting_id)
        rows = FollowAssignment.objects.active_on(meeting.day).filter(cell_id=meeting.cell_id)
        return list(rows.select_related("follower").order_by("start", "pk"))

    @router.post("/{meeting_id}/guests", response={201: GuestAdded})
    def guest_add(request: HttpRequest, meeting_id: int, payload: GuestIn) -> tuple[int, Guest]:
        meeting = writable(request, meeting_id)
        with versioned():
            guest = services.guest_add(
                meeting=meeting,
                version=payload.version,
                name=payload.name,
                role=payload.role,
                follow=_follow(payload.follow),
                actor=user_of(request),
            )
        return 201, with_version(guest, meeting)

    @router.delete("/{meeting_id}/guests/{guest_id}", response=MeetingVersion)
    def guest_remove(
        request: HttpRequest, meeting_id: int, guest_id: int, query: Query[VersionQuery]
    ) -> dict:
        """Remove a guest (`?version=`); answers the meeting's new version. The history keeps
        who was removed."""
        meeting = writable(request, meeting_id)
        if not meeting.guests.filter(pk=guest_id).exists():
            raise Http404
        with versioned():
            services.guest_remove(
                meeting=meeting, version=query.version, guest_id=guest_id, actor=user_of(request)
            )
        meeting.refresh_from_db(fields=["version"])
        return {"meeting_version": meeting.version}
