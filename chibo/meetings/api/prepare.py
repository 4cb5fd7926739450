"""Preparing a meeting through the API: its agenda, the documents posted to members, the draft
resolution, the chair and the minute-taker; and the agenda templates (national, per province).
The agenda and documents are read by whoever sees the meeting (members too, as on their page);
changes are for a writer of the meeting and name its version, like the pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from chibo.accounts.authentication import user_of
from chibo.core.api import InSchema
from chibo.meetings import access
from chibo.members.models import Member
from chibo.org import access as org_access
from chibo.org.models import Kind as UnitKind

from ..models import AgendaTemplate, Meeting, MeetingDocument, Section
from ..services import prepare
from ..views.prepare import document_response
from .common import Versioned, versioned, writable


class ItemIn(InSchema):
    id: int | None = Field(None, description="An item of this meeting's agenda; null adds one.")
    section: Section
    title: str = Field(max_length=300)
    notes: str = ""
    delete: bool = False


class AgendaIn(InSchema):
    version: int
    items: list[ItemIn] = Field(
        description="In order. While the agenda is the template's, these rows replace it; "
        "once saved, items not named stay after them."
    )


class ItemOut(Schema):
    id: int | None = Field(description="Null while the agenda is the template's.")
    section: Section
    order: int
    title: str
    notes: str
    documents: list[int]


class TemplateRef(Schema):
    id: int
    province: int | None = Field(validation_alias="province_id")
    effective_from: dt.date
    source: str


class AgendaOut(Schema):
    template: TemplateRef | None = Field(
        description="The template the agenda comes from, while the meeting has none of its own."
    )
    items: list[ItemOut]
    meeting_version: int


class OfficersIn(InSchema):
    version: int
    chair: int | None = Field(None, description="A member of the cell on the meeting day.")
    minute_taker: int | None = None


class OfficersOut(Schema):
    chair: int | None
    minute_taker: int | None
    meeting_version: int


class DraftIn(InSchema):
    version: int
    resolution: str


class DraftOut(Schema):
    resolution: str
    meeting_version: int


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    content_type: str
    size: int
    agenda_item: int | None = Field(validation_alias="agenda_item_id")
    posted_at: dt.datetime
    posted_by: int = Field(validation_alias="posted_by_id")


class TemplateItem(InSchema):
    section: Section
    title: str = Field(max_length=300)


class TemplateIn(InSchema):
    province: int
    effective_from: dt.date
    source: str = Field(max_length=200)
    items: list[TemplateItem]


class TemplateOut(TemplateRef):
    items: list[TemplateItem]


def _readable(request: HttpRequest, meeting_id: int) -> Meeting:
    return access.get_meeting_for(user_of(request), meeting_id)


def _agenda(meeting: Meeting) -> dict:
    meeting.refresh_from_db(fields=["version"])
    items, template = prepare.agenda_and_template(meeting)
    docs: dict[int, list[int]] = {}
    for item_id, doc_id in MeetingDocument.objects.filter(
        meeting=meeting, agenda_item__isnull=False
    ).values_list("agenda_item_id", "pk"):
        docs.setdefault(item_id, []).append(doc_id)
    return {
        "template": template,
        "items": [
            {
                "id": i.pk,
                "section": i.section,
                "order": i.order,
                "title": i.title,
                "notes": i.notes,
                "documents": docs.get(i.pk, []) if i.pk else [],
            }
            for i in items
        ],
        "meeting_version": meeting.version,
    }


def _member(meeting: Meeting, pk: int | None, field: str) -> Member | None:
    if pk is None:
        return None
    member = Member.objects.filter(pk=pk).first()
    if member is None:
        raise ValidationError({field: _("This member is not in the cell on the meeting day.")})
    return member


def add_prepare_routes(router: Router) -> None:
    @router.get("/{meeting_id}/agenda", response=AgendaOut)
    def agenda_read(request: HttpRequest, meeting_id: int) -> dict:
        """The agenda: the meeting's own, or the template's in force on its day."""
        return _agenda(_readable(request, meeting_id))

    @router.put("/{meeting_id}/agenda", response=AgendaOut)
    def agenda_save(request: HttpRequest, meeting_id: int, payload: AgendaIn) -> dict:
        meeting = writable(request, meeting_id)
        changes = [
            prepare.ItemChange(i.id, i.section, i.title, i.notes, i.delete) for i in payload.items
        ]
        with versioned():
            prepare.agenda_save(
                meeting=meeting, version=payload.version, changes=changes, actor=user_of(request)
            )
        return _agenda(meeting)

    @router.post("/{meeting_id}/agenda/reset", response=AgendaOut)
    def agenda_reset(request: HttpRequest, meeting_id: int, payload: Versioned) -> dict:
        """Back to the template in force on the meeting day."""
        meeting = writable(request, meeting_id)
        with versioned():
            prepare.agenda_reset(meeting=meeting, version=payload.version, actor=user_of(request))
        return _agenda(meeting)

    @router.put("/{meeting_id}/officers", response=OfficersOut)
    def officers_set(request: HttpRequest, meeting_id: int, payload: OfficersIn) -> dict:
        meeting = writable(request, meeting_id)
        with versioned():
            prepare.officers_set(
                meeting=meeting,
                version=payload.version,
                chair=_member(meeting, payload.chair, "chair"),
                minute_taker=_member(meeting, payload.minute_taker, "minute_taker"),
                actor=user_of(request),
            )
        meeting.refresh_from_db()
        return {
            "chair": meeting.chair_id,
            "minute_taker": meeting.minute_taker_id,
            "meeting_version": meeting.version,
        }

    @router.put("/{meeting_id}/resolution", response=DraftOut)
    def resolution_draft(request: HttpRequest, meeting_id: int, payload: DraftIn) -> dict:
        """The draft resolution, before the meeting or during it (until adopted)."""
        meeting = writable(request, meeting_id)
        with versioned():
            prepare.resolution_draft(
                meeting=meeting,
                version=payload.version,
                text=payload.resolution,
                actor=user_of(request),
            )
        meeting.refresh_from_db()
        return {"resolution": meeting.resolution, "meeting_version": meeting.version}

    @router.get("/{meeting_id}/documents", response=list[DocumentOut])
    def document_list(request: HttpRequest, meeting_id: int):
        meeting = _readable(request, meeting_id)
        return MeetingDocument.objects.filter(meeting=meeting).defer("content")

    @router.post("/{meeting_id}/documents", response={201: DocumentOut})
    def document_post(
        request: HttpRequest,
        meeting_id: int,
        file: File[UploadedFile],
        title: Form[str] = "",
        item: Form[int | None] = None,
    ) -> tuple[int, MeetingDocument]:
        """Multipart form: `file`, optional `title` and `item` (the agenda item's order).
        The cell's members are notified."""
        meeting = writable(request, meeting_id)
        doc = prepare.document_post(
            meeting=meeting, upload=file, title=title, item_order=item, actor=user_of(request)
        )
        return 201, doc

    @router.get("/{meeting_id}/documents/{document_id}", response={200: None})
    def document_download(request: HttpRequest, meeting_id: int, document_id: int):
        meeting = _readable(request, meeting_id)
        return document_response(
            get_object_or_404(MeetingDocument, pk=document_id, meeting=meeting)
        )

    @router.delete("/{meeting_id}/documents/{document_id}", response={204: None})
    def document_remove(request: HttpRequest, meeting_id: int, document_id: int):
        meeting = writable(request, meeting_id)
        doc = get_object_or_404(
            MeetingDocument.objects.defer("content"), pk=document_id, meeting=meeting
        )
        prepare.document_remove(meeting=meeting, document=doc, actor=user_of(request))
        return 204, None


templates = Router(tags=["meetings"])


@templates.get("", response=list[TemplateOut])
def template_list(request: HttpRequest):
    """The national templates and those of the provinces the caller reads."""
    units = org_access.units_for(user_of(request)).filter(kind=UnitKind.PROVINCE)
    rows = AgendaTemplate.objects.filter(province__isnull=True) | AgendaTemplate.objects.filter(
        province__in=units
    )
    return rows.order_by("-effective_from", "pk")


@templates.post("", response={201: TemplateOut})
def template_add(request: HttpRequest, payload: TemplateIn) -> tuple[int, AgendaTemplate]:
    """A province's own template from a date (an office of the province)."""
    user = user_of(request)
    province = org_access.get_unit_for(user, payload.province, write=True)
    if province.kind != UnitKind.PROVINCE:
        raise ValidationError({"province": _("Only a province sets its own agenda template.")})
    template = prepare.template_add(
        province=province,
        effective_from=payload.effective_from,
        source=payload.source,
        items=[i.model_dump() for i in payload.items],
        actor=user,
    )
    return 201, template
