"""The unit's deadline board and the member's timeline. Each view: access helper, form,
the hub's read, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.core import export
from chibo.core.db import replica_reads
from chibo.core.pages import HtmxHttpRequest
from chibo.members import access as member_access
from chibo.members.age import party_age_text
from chibo.org import access as org_access

from .exports import board_tables
from .forms import BoardForm
from .queries import board_contents, deadline_board, member_timeline

# A province's board can list thousands of rows in a section: the page shows the first ones
# (most overdue first) with the count of all; the API gives every row.
ROWS_SHOWN = 100


@require_GET
@login_required
@replica_reads()
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
        "rows_shown": ROWS_SHOWN,
    }
    if form.is_valid():
        result = deadline_board(unit, form.cleaned_data["on"], form.cleaned_data["year"])
        for source, values in result.sources:
            if source.prepare is not None:
                source.prepare(values, ROWS_SHOWN)
        context.update(board=result, contents=board_contents(result))
    status = 200 if form.is_valid() else 422
    if request.htmx:
        return render(request, "deadlines/board.html#board", context, status=status)
    return render(request, "deadlines/board.html", context, status=status)


@require_GET
@login_required
@replica_reads()
def board_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The board as Excel: a summary sheet with each list's count, then a sheet for each
    list that has rows, every row (the page shows the first ones). The same scope and day."""
    org_access.require_staff(request.user)
    unit = org_access.get_unit_for(request.user, pk)
    form = BoardForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return redirect(f"{reverse('deadlines:unit', args=[unit.pk])}?{request.GET.urlencode()}")
    on = form.cleaned_data["on"]
    result = deadline_board(unit, on, form.cleaned_data["year"])
    table = board_tables(result)
    name = export.filename("han-viec", unit.code, f"{on:%Y-%m-%d}", ext="xlsx")
    return export.download(export.xlsx(*table), name)


@require_GET
@login_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    # The same access and audit as the member's record page (members.views.member_detail).
    member = member_access.get_member_for(request.user, pk)
    member_access.record_read(request.user, member, "page")
    result = member_timeline(member, timezone.localdate())
    home = member.home_unit
    return render(
        request,
        "deadlines/timeline.html",
        {
            "member": member,
            "timeline": result,
            "status": result.status,
            "exempt": result.exempt,
            "party_age": party_age_text(result.party_age),
            "home_path": list(home.ancestors(include_self=True)) if home else [],
        },
    )
