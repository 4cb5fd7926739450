"""The unit's deadline board and the member's timeline. Each view: access helper, form,
service, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.badges.formats import party_age_text
from chibo.core.pages import HtmxHttpRequest
from chibo.members import access as member_access
from chibo.org import access as org_access

from .forms import BoardForm
from .removal import removal_review
from .services import PROBATION_NOTICE_DAYS, deadline_board
from .timeline import member_timeline

# A province's board can list thousands of rows in a section: the page shows the first ones
# (most overdue first) with the count of all; the API gives every row.
ROWS_SHOWN = 100


def _link(rows, name: str, attr: str) -> None:
    """Set `url` on each row from one reversed pattern (no {% url %} per row)."""
    pattern = reverse(name, args=[0])
    for row in rows:
        row.url = pattern.replace("/0/", f"/{getattr(row, attr)}/")


@require_GET
@login_required
def board(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    org_access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    today = timezone.localdate()
    form = BoardForm(request.GET, today=today)
    context: dict = {
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "form": form,
        "today": today,
        "board": None,
    }
    if form.is_valid():
        on, year = form.cleaned_data["on"], form.cleaned_data["year"]
        result = deadline_board(unit, on)
        removal = removal_review(unit, year, on)
        sections: dict[str, list] = {
            "ceremonies": result.ceremonies,
            "probations": result.probations,
            "reviews": result.reviews,
            "decisions": result.decisions,
            "removal": removal.rows,
        }
        shown = {key: rows[:ROWS_SHOWN] for key, rows in sections.items()}
        for rows in shown.values():
            _link(rows, "members:detail", "member_id")
        tasks = result.tasks[:ROWS_SHOWN]
        _link(tasks, "meetings:detail", "meeting_id")
        _link([m for r in shown["removal"] for m in r.missed], "meetings:detail", "meeting_id")
        context.update(
            board=result,
            removal=removal,
            shown=shown,
            tasks=tasks,
            overdue={
                "ceremonies": result.overdue(result.ceremonies),
                "reviews": result.overdue(result.reviews),
            },
            rows_shown=ROWS_SHOWN,
            probation_days=PROBATION_NOTICE_DAYS,
        )
    status = 200 if form.is_valid() else 422
    if request.htmx:
        return render(request, "deadlines/board.html#board", context, status=status)
    return render(request, "deadlines/board.html", context, status=status)


@require_GET
@login_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    # The same access and audit as the member's record page (members.views.member_detail).
    member = member_access.get_member_for(request.user, pk)
    member_access.record_read(request.user, member, "page")
    result = member_timeline(member, timezone.localdate())
    home = member.home_unit
    _link(result.due.tasks, "meetings:detail", "meeting_id")
    return render(
        request,
        "deadlines/timeline.html",
        {
            "member": member,
            "timeline": result,
            "due": result.due,
            "status": result.status,
            "exempt": result.exempt,
            "party_age": party_age_text(result.party_age),
            "home_path": list(home.ancestors(include_self=True)) if home else [],
        },
    )
