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

from chibo.deadlines.queries import board_contents, deadline_board
from chibo.evaluation.models import SelfAssessment
from chibo.evaluation.views.reads import current_campaign, self_stage_open
from chibo.follow import queries as follow_queries
from chibo.meetings import access as meeting_access
from chibo.meetings import queries
from chibo.meetings.models import Meeting, State
from chibo.members import access as member_access
from chibo.members import services as member_services
from chibo.members.queries import unit_counts
from chibo.org import access as org_access
from chibo.org import services as org_services
from chibo.org.models import OrgUnit

# What each kind of reader sees on the home page, at most this many rows a list: the page says
# what to do next and links to the whole list, and stays short on a phone.
HOME_ROWS = 3
HOME_CELLS = 3  # cells a secretary leads, or a follower follows, shown with their next meeting


def _next_meetings(cell_ids: list[int], today) -> dict[int, Meeting]:
    """The next planned meeting of each cell (from today on), in one query."""
    out: dict[int, Meeting] = {}
    rows = (
        Meeting.objects.filter(
            cell_id__in=cell_ids, state=State.PLANNED, planned_at__gte=queries.day_start(today)
        )
        .select_related("cell")
        .order_by("planned_at", "pk")
    )
    for m in rows:
        out.setdefault(m.cell_id, m)
    return out


def _led_cells(user, roots: list[OrgUnit], today) -> list[dict]:
    """The cells the user leads (a cell at the top of their scope that they write: the
    secretary's), each with what to do next: the next meeting and its next step, the
    meetings held and not finished (minutes to adopt, scores to give), the open tasks and
    the cell's deadline board."""
    cells = [u for u in roots if u.holds_members]
    if not cells:
        return []
    writable = set(
        org_access.units_for(user, write=True)
        .filter(pk__in=[c.pk for c in cells])
        .values_list("pk", flat=True)
    )
    cells = [c for c in cells if c.pk in writable][:HOME_CELLS]
    upcoming = _next_meetings([c.pk for c in cells], today)
    out = []
    for cell in cells:
        following = upcoming.get(cell.pk)
        to_adopt = list(
            Meeting.objects.filter(cell=cell, state=State.HELD)
            .select_related("quality")
            .order_by("planned_at")[:HOME_ROWS]
        )
        unscored = list(queries.unscored_meetings(cell.pk, today.year))  # two years at most
        tasks = queries.open_tasks(cell, today, overdue_only=False)
        board = deadline_board(cell, today)
        out.append(
            {
                "cell": cell,
                "next": following,
                "next_step": queries.next_step(following, today) if following else "",
                "to_adopt": [(m, queries.next_step(m, today)) for m in to_adopt],
                "unscored": unscored[:HOME_ROWS],
                "unscored_count": len(unscored),
                "tasks": tasks[:HOME_ROWS],
                "tasks_count": len(tasks),
                "tasks_overdue": sum(1 for t in tasks if t.due_on < today),
                "deadlines": [c for c in board_contents(board) if c["count"]],
            }
        )
    return out


def _followed_cells(user, today) -> dict | None:
    """A superior follower's cells with their next meeting, and the scores awaiting their
    confirmation; None for whoever follows no cell."""
    assignments = list(follow_queries.assignments_of(user, today))
    if not assignments:
        return None
    cells = [a.cell for a in assignments]
    upcoming = _next_meetings([c.pk for c in cells[:HOME_CELLS]], today)
    to_confirm = list(queries.scores_to_confirm(user)[: HOME_ROWS + 1])
    return {
        "cells": [(c, upcoming.get(c.pk)) for c in cells[:HOME_CELLS]],
        "more_cells": len(cells) - HOME_CELLS if len(cells) > HOME_CELLS else 0,
        "to_confirm": to_confirm[:HOME_ROWS],
        "more_to_confirm": len(to_confirm) > HOME_ROWS,
    }


def _own(user, today) -> dict | None:
    """A member's next meeting (with check-in on the day) and open tasks."""
    following = (
        meeting_access.own_meetings_for(user)
        .filter(state=State.PLANNED, planned_at__gte=queries.day_start(today))
        .select_related("cell")
        .order_by("planned_at", "pk")
        .first()
    )
    tasks = []
    if user.member_id:
        tasks = [t for t in queries.member_tasks(user.member_id, today) if t.status == "open"]
    if following is None and not tasks and not user.member_id:
        return None
    return {
        "next": following,
        "check_in": following is not None and following.day == today and following.checkin_code,
        "tasks": tasks[:HOME_ROWS],
        "tasks_count": len(tasks),
    }


def _evaluation(user, today) -> dict | None:
    """A member's self-assessment of the year, while the campaign that rates them takes it:
    what is due and by when, or that it is submitted (with the Word file)."""
    if not user.member_id:
        return None
    campaign = current_campaign(user.member, today)
    if campaign is None or not self_stage_open(campaign, today):
        return None
    own = SelfAssessment.objects.filter(member_id=user.member_id, year=campaign.year).first()
    return {"campaign": campaign, "assessment": own, "overdue": today > campaign.self_due}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What to do next, by who reads: the secretary's cell, the member's next meeting and
    tasks, the follower's cells and scores to confirm, the office's units."""
    user = request.user
    today = timezone.localdate()
    roots = list(org_access.root_units_for(user).order_by("sort_name", "pk")[:50])
    own = user.member  # type: ignore[union-attr]  # login_required: never anonymous
    led = _led_cells(user, roots, today)
    led_ids = {row["cell"].pk for row in led}
    mine = _own(user, today)
    if mine and mine["next"] and any(row["next"] == mine["next"] for row in led):
        mine["next"] = None  # the secretary's own cell: its card shows the meeting
    units = [u for u in roots if u.pk not in led_ids]
    return render(
        request,
        "site/home.html",
        {
            "roots": units,
            "counts": unit_counts(units, today) if units else {},
            "own": own,
            "own_cell": own.home_unit if own else None,
            "mine": mine,
            "led": led,
            "followed": _followed_cells(user, today),
            "evaluation": _evaluation(user, today),
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
