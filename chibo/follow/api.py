"""/api/v1/follow-assignments: the superior followers of the cells in the caller's scope."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.accounts.models import User
from chibo.core.api import Day, InSchema, Page
from chibo.org import access as org_access

from . import access, services
from .models import FollowAssignment

follow = Router(tags=["follow"])


class AssignmentOut(Schema):
    id: int
    cell: int = Field(validation_alias="cell_id")
    follower: int = Field(validation_alias="follower_id")
    follower_name: str
    start: dt.date
    end: dt.date | None
    note: str
    assigned_by: int = Field(validation_alias="assigned_by_id")


class AssignIn(InSchema):
    cell: int
    follower: int = Field(description="A user holding a reading role on a unit above the cell.")
    start: dt.date
    end: dt.date | None = None
    note: str = Field("", max_length=200)


class FinishIn(InSchema):
    end: dt.date = Field(description="The first day no longer followed.")


@follow.get("", response=list[AssignmentOut])
@paginate(Page)
def assignment_list(
    request: HttpRequest, cell: int | None = None, on: Day | None = None
) -> QuerySet[FollowAssignment]:
    """Assignments of cells in scope; `on` keeps those in force that day."""
    rows = FollowAssignment.objects.filter(
        cell__in=org_access.units_for(user_of(request))
    ).select_related("follower")
    if cell is not None:
        rows = rows.filter(cell_id=cell)
    return rows.active_on(on) if on else rows


@follow.post("", response={201: AssignmentOut})
def assignment_create(request: HttpRequest, payload: AssignIn) -> tuple[int, FollowAssignment]:
    user = user_of(request)
    cell = org_access.get_unit_for(user, payload.cell)
    if not access.can_assign_followers(user, cell):
        raise PermissionDenied
    follower = get_object_or_404(User, pk=payload.follower)
    return 201, services.assign(
        cell=cell,
        follower=follower,
        start=payload.start,
        end=payload.end,
        note=payload.note,
        actor=user,
    )


@follow.post("/{assignment_id}/finish", response=AssignmentOut)
def assignment_finish(
    request: HttpRequest, assignment_id: int, payload: FinishIn
) -> FollowAssignment:
    user = user_of(request)
    assignment = get_object_or_404(
        FollowAssignment.objects.filter(cell__in=org_access.units_for(user)), pk=assignment_id
    )
    if not access.can_assign_followers(user, assignment.cell):
        raise PermissionDenied
    return services.finish(assignment=assignment, end=payload.end, actor=user)
