from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.members import access as member_access
from chibo.members import services as member_services
from chibo.members.queries import unit_counts
from chibo.org import access as org_access
from chibo.org import services as org_services


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    roots = list(org_access.root_units_for(request.user).order_by("sort_name", "pk")[:50])
    own = request.user.member  # type: ignore[union-attr]  # login_required: never anonymous
    return render(
        request,
        "site/home.html",
        {
            "roots": roots,
            "counts": unit_counts(roots, today),
            "own": own,
            "own_cell": own.home_unit if own else None,
            "today": today,
        },
    )


# The trash: soft-deleted records in the user's write scope, and the way back -----------------


@dataclass(frozen=True)
class TrashKind:
    finder: Callable[..., QuerySet]  # an access helper: (user, *, deleted=...) -> queryset
    restore: Callable[..., None]  # a service: (*, <arg>=obj, actor=user)
    arg: str
    of_member: bool  # a record hanging off a member: writable when the member is


TRASH_KINDS = {
    "unit": TrashKind(org_access.units_for, org_services.orgunit_restore, "unit", False),
    "village": TrashKind(org_access.villages_for, org_services.village_restore, "village", False),
    "member": TrashKind(member_access.members_for, member_services.member_restore, "member", False),
    "event": TrashKind(member_access.events_for, member_services.event_restore, "event", True),
    "placement": TrashKind(
        member_access.placements_for, member_services.placement_restore, "placement", True
    ),
    "position": TrashKind(
        member_access.positions_for, member_services.position_restore, "position", True
    ),
}


def _trash_queryset(user, kind: TrashKind) -> QuerySet:
    if not kind.of_member:
        return kind.finder(user, write=True, deleted=True)
    # The member must be writable and not itself deleted.
    writable = member_access.members_for(user, write=True)
    return kind.finder(user, deleted=True).filter(member__in=writable).select_related("member")


@require_GET
@login_required
def trash(request: HttpRequest) -> HttpResponse:
    sections = [
        (name, list(_trash_queryset(request.user, kind).order_by("-deleted_at")[:100]))
        for name, kind in TRASH_KINDS.items()
    ]
    return render(request, "site/trash.html", {"sections": sections})


@require_POST
@login_required
def restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    trash_kind = TRASH_KINDS.get(kind)
    if trash_kind is None:
        raise Http404
    obj = trash_kind.finder(request.user, deleted=True).filter(pk=pk).first()
    if obj is None:
        raise Http404
    if not _trash_queryset(request.user, trash_kind).filter(pk=pk).exists():
        raise PermissionDenied
    try:
        trash_kind.restore(**{trash_kind.arg: obj, "actor": request.user})
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Restored: %(item)s") % {"item": obj})
    return redirect("site:trash")
