"""Member pages. Each view: access helper, form, service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core import audit, export
from chibo.core.pages import HtmxHttpRequest, form_page
from chibo.core.paginator import BoundedPaginator
from chibo.org import access as org_access

from .. import access, hooks, queries, services, transfers
from ..exports import member_table
from ..forms import (
    EventEditForm,
    EventForm,
    MemberCreateForm,
    MemberFilterForm,
    PlacementEditForm,
    PlacementForm,
    PositionEditForm,
    PositionForm,
    ProfileEditForm,
    ProfileForm,
    TransferForm,
    profile_initial,
)
from ..history import member_history
from ..models import Member

PAGE_SIZE = 25


def _member_query(request: HttpRequest):
    """The list's filter form, its rows (every page), the unit asked for and the day."""
    org_access.require_staff(request.user)
    today = timezone.localdate()
    form = MemberFilterForm(request.GET)
    unit = None
    filters: dict = {"status": queries.IN_PARTY_FILTER}
    if form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            unit = (
                org_access.units_for(request.user).filter(code__iexact=data["unit"].strip()).first()
            )
            if unit is None:
                form.add_error(
                    "unit", _("No unit with code %(code)s in your scope.") % {"code": data["unit"]}
                )
        status = data["status"] or queries.IN_PARTY_FILTER
        filters = {
            "q": data["q"],
            "gender": data["gender"],
            "status": None if status == "all" else status,
        }
    qs = queries.member_list(request.user, on=today, unit=unit, **filters)
    if form.errors:
        qs = qs.none()
    return form, qs, unit, today


@require_GET
@login_required
def member_list(request: HtmxHttpRequest) -> HttpResponse:
    form, qs, unit, today = _member_query(request)
    listed = queries.searched(form.cleaned_data.get("q") if form.is_valid() else None)
    page = BoundedPaginator(qs, PAGE_SIZE, listed=listed).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "unit": unit,
        "today": today,
        "query": query.urlencode(),
        "can_create": org_access.units_for(request.user, write=True).cells().exists(),
    }
    if request.htmx:
        return render(request, "members/member_list.html#results", context)
    return render(request, "members/member_list.html", context)


@require_GET
@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    """The list as Excel: the same filters and scope, every row."""
    form, qs, unit, today = _member_query(request)
    shown = []
    if form.is_valid():
        with translation.override("vi"):
            for name in ("q", "gender", "status"):
                value = form.cleaned_data.get(name)
                if value:
                    choices = dict(getattr(form.fields[name], "choices", []))
                    shown.append(f"{form.fields[name].label}: {choices.get(value, value)}")
    table = member_table(qs, on=today, unit=unit, filters="; ".join(shown))
    name = export.filename("dang-vien", unit.code if unit else "", f"{today:%Y-%m-%d}", ext="xlsx")
    return export.download(export.xlsx(table), name)


@require_GET
@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk)
    access.record_read(request.user, member, "page")
    today = timezone.localdate()
    # Access was checked just above; this only reads the status columns.
    current = Member.all_objects.with_status(today).get(pk=member.pk)
    home = member.home_unit
    context = {
        "member": member,
        "status": current.status,
        "exempt": current.exempt,
        "today": today,
        "home": home,
        "home_path": list(home.ancestors(include_self=True)) if home else [],
        "placements": member.placements.select_related("unit", "party_group").order_by("-start"),
        "positions": member.positions.select_related("unit", "village").order_by("-start"),
        "events": member.events.order_by("-date", "-pk"),
        "transfers": member.transfers.select_related("from_unit", "to_unit"),
        "audit": audit.about([member])[:200],
        "history": member_history(member),
        "can_write": access.can_write_member(request.user, member),
        "links": hooks.links(request, member),
    }
    return render(request, "members/member_detail.html", context)


def _detail(member_or_child) -> str:
    member_id = getattr(member_or_child, "member_id", None) or member_or_child.pk
    return reverse("members:detail", args=[member_id])


@require_http_methods(["GET", "POST"])
@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    cells = org_access.units_for(request.user, write=True).cells()
    if not cells.exists():
        raise PermissionDenied
    initial = {"unit": request.GET.get("unit", "")}
    if not initial["unit"] and cells.count() == 1:
        initial["unit"] = cells.get().code
    form = MemberCreateForm(request.POST or None, scope=cells, initial=initial)

    def save(data):
        return services.member_create(
            actor=request.user,
            profile={k: data[k] for k in ProfileForm.base_fields},
            unit=data["unit"],
            placed_since=data["placed_since"],
            admitted_on=data["admitted_on"],
            official_on=data["official_on"],
            admission_decision=data["admission_decision"],
            official_decision=data["official_decision"],
        )

    return form_page(
        request,
        form,
        save=save,
        template="members/member_form.html",
        success=_detail,
        message=_("Member record created."),
        context={"member": None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk, write=True)
    if request.method == "GET":  # the form shows the whole profile: a read like the page
        access.record_read(request.user, member, "page")
    # The initial values are the record's as it is now: a save refused as stale (someone else
    # saved since the form was opened) shows the ones that differ from the person's input.
    initial = {**profile_initial(member), "version": member.version}
    form = ProfileEditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.member_update(
            actor=request.user,
            member=member,
            profile={k: data[k] for k in ProfileForm.base_fields},
            version=data["version"],
        ),
        template="members/member_form.html",
        success=_detail,
        message=_("Changes saved."),
        context={"member": member},
    )


@require_POST
@login_required
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk, write=True)
    services.member_delete(member=member, actor=request.user)
    messages.success(request, _("Member record deleted. An office can restore it from the trash."))
    return redirect("members:list")


# Events, positions, placements, transfer -----------------------------------------------------


def _child_page(request, form, *, member, save, title: str, message: str) -> HttpResponse:
    return form_page(
        request,
        form,
        save=save,
        template="members/child_form.html",
        success=_detail,
        message=message,
        context={"member": member, "title": title},
    )


def _event_save(request, member, data: dict, event=None):
    kinds = [data["kind"]] + ([event.kind] if event else [])
    access.check_event_kind(request.user, member, *kinds)
    if event is None:
        return services.event_create(actor=request.user, member=member, **data)
    return services.event_update(actor=request.user, event=event, **data)


def _delete_child(request, obj, deleter) -> HttpResponse:
    try:
        deleter(obj, request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Deleted. An office can restore it from the trash."))
    return redirect("members:detail", obj.member_id)


@require_http_methods(["GET", "POST"])
@login_required
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk, write=True)
    form = EventForm(request.POST or None)
    return _child_page(
        request,
        form,
        member=member,
        title=_("Record an event"),
        message=_("Event recorded."),
        save=lambda d: _event_save(request, member, d),
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk, write=True)
    initial = {f: getattr(event, f) for f in EventForm.base_fields}
    form = EventEditForm(request.POST or None, initial={**initial, "version": event.version})
    return _child_page(
        request,
        form,
        member=event.member,
        title=_("Edit event"),
        message=_("Changes saved."),
        save=lambda d: _event_save(request, event.member, d, event),
    )


@require_POST
@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk, write=True)
    access.check_event_kind(request.user, event.member, event.kind)
    return _delete_child(request, event, lambda o, u: services.event_delete(event=o, actor=u))


def _position_form(request, initial=None, form_class=PositionForm):
    return form_class(
        request.POST or None,
        initial=initial,
        units=org_access.units_for(request.user, write=True),
        villages=org_access.villages_for(request.user, write=True).select_related("cell"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def position_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk, write=True)
    initial = {"unit": member.home_unit.code if member.home_unit else ""}
    return _child_page(
        request,
        _position_form(request, initial),
        member=member,
        title=_("Add a position"),
        message=_("Position recorded."),
        save=lambda d: services.position_create(actor=request.user, member=member, **d),
    )


@require_http_methods(["GET", "POST"])
@login_required
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = access.get_position_for(request.user, pk, write=True)
    initial = {f: getattr(position, f) for f in PositionForm.base_fields}
    initial["unit"] = position.unit.code if position.unit else ""
    initial["version"] = position.version
    return _child_page(
        request,
        _position_form(request, initial, PositionEditForm),
        member=position.member,
        title=_("Edit position"),
        message=_("Changes saved."),
        save=lambda d: services.position_update(actor=request.user, position=position, **d),
    )


@require_POST
@login_required
def position_delete(request: HttpRequest, pk: int) -> HttpResponse:
    position = access.get_position_for(request.user, pk, write=True)
    return _delete_child(
        request, position, lambda o, u: services.position_delete(position=o, actor=u)
    )


def _cells(request):
    return org_access.units_for(request.user, write=True).cells()


@require_http_methods(["GET", "POST"])
@login_required
def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk, write=True)
    form = PlacementForm(request.POST or None, scope=_cells(request))
    return _child_page(
        request,
        form,
        member=member,
        title=_("Add a placement"),
        message=_("Placement recorded."),
        save=lambda d: services.placement_create(actor=request.user, member=member, **d),
    )


@require_http_methods(["GET", "POST"])
@login_required
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    placement = access.get_placement_for(request.user, pk, write=True)
    initial = {f: getattr(placement, f) for f in PlacementForm.base_fields}
    initial["unit"] = placement.unit.code
    initial["version"] = placement.version
    form = PlacementEditForm(request.POST or None, scope=_cells(request), initial=initial)
    return _child_page(
        request,
        form,
        member=placement.member,
        title=_("Edit placement"),
        message=_("Changes saved."),
        save=lambda d: services.placement_update(actor=request.user, placement=placement, **d),
    )


@require_POST
@login_required
def placement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    placement = access.get_placement_for(request.user, pk, write=True)
    return _delete_child(
        request, placement, lambda o, u: services.placement_delete(placement=o, actor=u)
    )


@require_http_methods(["GET", "POST"])
@login_required
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk, write=True)
    form = TransferForm(request.POST or None, scope=_cells(request))
    return _child_page(
        request,
        form,
        member=member,
        title=_("Transfer to another cell"),
        message=_("Transfer recorded."),
        save=lambda d: transfers.member_transfer(actor=request.user, member=member, **d),
    )
