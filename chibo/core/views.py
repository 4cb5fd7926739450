from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core import access
from chibo.members import services as member_services
from chibo.org import services as org_services
from chibo.org.stats import unit_counts


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    roots = list(access.root_units_for(request.user).order_by("name")[:50])
    own = request.user.member
    return render(
        request,
        "core/home.html",
        {
            "roots": roots,
            "counts": unit_counts(roots, today),
            "own": own,
            "own_cell": own.home_unit if own else None,
            "today": today,
        },
    )


# The trash: soft-deleted records in the user's write scope, and the way back -----------------

TRASH_KINDS = {
    "unit": (access.units_for, org_services.orgunit_restore, "unit"),
    "village": (access.villages_for, None, "village"),
    "member": (access.members_for, member_services.member_restore, "member"),
    "event": (access.events_for, member_services.event_restore, "event"),
    "placement": (access.placements_for, member_services.placement_restore, "placement"),
    "position": (access.positions_for, member_services.position_restore, "position"),
}


def _trash_queryset(user, kind: str):
    finder = TRASH_KINDS[kind][0]
    if kind in ("unit", "village", "member"):
        return finder(user, write=True, deleted=True)
    # Records hanging off a member: the member must be writable and not itself deleted.
    writable = access.members_for(user, write=True)
    return finder(user, deleted=True).filter(member__in=writable).select_related("member")


@require_GET
@login_required
def trash(request: HttpRequest) -> HttpResponse:
    sections = []
    for kind in TRASH_KINDS:
        rows = list(_trash_queryset(request.user, kind).order_by("-deleted_at")[:100])
        sections.append((kind, rows))
    return render(request, "core/trash.html", {"sections": sections})


@require_POST
@login_required
def restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in TRASH_KINDS:
        return HttpResponse(status=404)
    readable = TRASH_KINDS[kind][0](request.user, deleted=True)
    obj = readable.filter(pk=pk).first()
    if obj is None:
        return HttpResponse(status=404)
    if not _trash_queryset(request.user, kind).filter(pk=pk).exists():
        return HttpResponse(status=403)
    restorer = TRASH_KINDS[kind][1]
    try:
        if restorer is None:
            obj.mark_restored(request.user)
        else:
            restorer(**{TRASH_KINDS[kind][2]: obj, "actor": request.user})
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Restored: %(item)s") % {"item": obj})
    return redirect("core:trash")
