"""Preparing a meeting on its page: who chairs and takes the minutes, the agenda, the draft
resolution and the documents posted to members; and a province's agenda templates."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.forms import apply_validation_error
from chibo.core.pages import HtmxHttpRequest
from chibo.meetings import access
from chibo.members.models import Member
from chibo.org import access as org_access
from chibo.org.models import Kind as UnitKind

from ..forms import (
    AgendaForm,
    AgendaItemAddForm,
    AgendaItemForm,
    AgendaTemplateForm,
    DocumentForm,
    OfficersForm,
    ResolutionDraftForm,
    VersionedForm,
)
from ..models import AgendaTemplate, MeetingDocument, Section
from ..services import agenda, prepare
from .change import page_form
from .page import people_of


def _member(pk: int | None) -> Member | None:
    return Member.objects.filter(pk=pk).first() if pk else None


@require_POST
@login_required
def officers_set(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        OfficersForm(request.POST, people=people_of(meeting)),
        name="officers_form",
        section="prepare",
        save=lambda d: prepare.officers_set(
            meeting=meeting,
            version=d["version"],
            chair=_member(d["chair"]),
            minute_taker=_member(d["minute_taker"]),
            actor=request.user,
        ),
        message=_("Chair and minute-taker saved."),
    )


@require_POST
@login_required
def agenda_save(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = AgendaForm(request.POST, items=prepare.agenda_of(meeting))
    return page_form(
        request,
        meeting,
        form,
        name="agenda_form",
        section="prepare",
        save=lambda d: prepare.agenda_save(
            meeting=meeting, version=d["version"], changes=form.changes(), actor=request.user
        ),
        message=_("Agenda saved."),
    )


@require_POST
@login_required
def agenda_item_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        AgendaItemAddForm(request.POST),
        name="agenda_add_form",
        section="prepare",
        save=lambda d: agenda.agenda_item_add(
            meeting=meeting,
            version=d["version"],
            title=d["title"],
            notes=d["notes"],
            actor=request.user,
        ),
        message=_("Item added to the agenda."),
    )


@require_POST
@login_required
def agenda_item_change(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A content item of the agenda moved one place up or down, or removed."""
    meeting = access.get_meeting_for(request.user, pk, write=True)

    def save(d: dict[str, Any]) -> Any:
        where = {"meeting": meeting, "version": d["version"], "order": d["order"]}
        if d["action"] == "remove":
            return agenda.agenda_item_remove(**where, actor=request.user)
        return agenda.agenda_item_move(**where, up=d["action"] == "up", actor=request.user)

    return page_form(
        request,
        meeting,
        AgendaItemForm(request.POST),
        name="agenda_item_form",
        section="prepare",
        save=save,
        message=_("Agenda saved."),
    )


@require_POST
@login_required
def agenda_reset(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        VersionedForm(request.POST),
        name="action_form",
        save=lambda d: prepare.agenda_reset(meeting=meeting, actor=request.user, **d),
        message=_("Agenda taken again from the template."),
    )


@require_POST
@login_required
def resolution_draft(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return page_form(
        request,
        meeting,
        ResolutionDraftForm(request.POST),
        name="draft_form",
        section="prepare",
        save=lambda d: prepare.resolution_draft(
            meeting=meeting, version=d["version"], text=d["resolution"], actor=request.user
        ),
        message=_("Draft resolution saved."),
    )


@require_POST
@login_required
def document_post(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    items = prepare.agenda_of(meeting)
    return page_form(
        request,
        meeting,
        DocumentForm(request.POST, request.FILES, items=items),
        name="document_form",
        section="prepare",
        save=lambda d: prepare.document_post(
            meeting=meeting,
            upload=d["file"],
            title=d["title"],
            item_order=d["item"],
            actor=request.user,
        ),
        message=_("Document posted; the cell's members are notified."),
    )


@require_POST
@login_required
def document_remove(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk, write=True)
    document = get_object_or_404(
        MeetingDocument.objects.defer("content"), pk=doc_pk, meeting=meeting
    )
    try:
        prepare.document_remove(meeting=meeting, document=document, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Document removed."))
    return redirect("meetings:detail", meeting.pk)


@require_GET
@login_required
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Anyone who sees the meeting reads its documents: they are posted to the members."""
    meeting = access.get_meeting_for(request.user, pk)
    return document_response(get_object_or_404(MeetingDocument, pk=doc_pk, meeting=meeting))


def document_response(document: MeetingDocument) -> HttpResponse:
    """The file as an attachment, never sniffed or cached by a shared proxy (page and API)."""
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# A province's agenda templates ----------------------------------------------------------------


def _items_from_text(data: dict[str, str]) -> list[dict]:
    """One item a line in each part's box."""
    return [
        {"section": section.value, "title": line}
        for section in Section
        for line in (data.get(section.value) or "").splitlines()
        if line.strip()
    ]


@login_required
def agenda_templates(request: HttpRequest, pk: int) -> HttpResponse:
    """The templates in force for a province over time; its office adds a new version."""
    province = org_access.get_unit_for(request.user, pk)
    if province.kind != UnitKind.PROVINCE:
        raise PermissionDenied
    can_write = org_access.can_write_unit(request.user, province)
    status = 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = AgendaTemplateForm(request.POST)
        if form.is_valid():
            try:
                prepare.template_add(
                    province=province,
                    effective_from=form.cleaned_data["effective_from"],
                    source=form.cleaned_data["source"],
                    items=_items_from_text(form.cleaned_data),
                    actor=request.user,
                )
            except ValidationError as e:
                apply_validation_error(form, e)
            else:
                messages.success(request, _("Agenda template saved."))
                return redirect("meetings:agenda_templates", province.pk)
        status = 422
    else:
        current = prepare.template_for(province, timezone.localdate())
        initial: dict[str, Any] = {"effective_from": timezone.localdate()}
        for section in Section:
            initial[section.value] = "\n".join(
                i["title"] for i in (current.items if current else []) if i["section"] == section
            )
        form = AgendaTemplateForm(initial=initial)
    templates = AgendaTemplate.objects.filter(
        province__isnull=True
    ) | AgendaTemplate.objects.filter(province=province)
    return render(
        request,
        "meetings/agenda_templates.html",
        {
            "unit": province,
            "ancestors": list(province.ancestors()),
            "templates": templates.order_by("-effective_from", "pk").select_related("province"),
            "sections": Section,
            "form": form,
            "can_write": can_write,
            "in_force": prepare.template_for(province, timezone.localdate()),
        },
        status=status,
    )
