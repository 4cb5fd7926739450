"""Preparing a meeting: its agenda (from the template in force, national or the province's
own), the documents posted to members, the draft resolution, and who chairs and takes the
minutes. Writes that change the meeting's record name the version the person saw."""

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo import rules
from chibo.core import audit
from chibo.members.models import Member
from chibo.org.models import Kind as UnitKind
from chibo.org.models import OrgUnit

from ..models import AgendaItem, AgendaTemplate, Meeting, MeetingDocument, Section, State
from ..reminders import documents_posted
from .record import check_member_of_cell, check_open_for_record

SECTIONS = [s.value for s in Section]
MAX_ITEMS = 40
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# What offices post: office documents, PDFs, scans and photos of paper documents, plain text.
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}

TEMPLATE_ADDED = audit.kind(
    "meetings.template_added",
    gettext_lazy("Agenda template in force from %(effective_from)s added (%(source)s)"),
)
AGENDA_SAVED = audit.kind("meetings.agenda_saved", gettext_lazy("Agenda saved: %(count)s items"))
AGENDA_RESET = audit.kind(
    "meetings.agenda_reset", gettext_lazy("Agenda taken again from the template")
)
RESOLUTION_DRAFTED = audit.kind(
    "meetings.resolution_drafted", gettext_lazy("Draft resolution saved")
)
OFFICERS_SET = audit.kind(
    "meetings.officers_set",
    gettext_lazy("Chair: %(chair)s; minute-taker: %(minute_taker)s"),
)
DOCUMENT_POSTED = audit.kind(
    "meetings.document_posted", gettext_lazy("Document posted to the members: %(title)s")
)
DOCUMENT_REMOVED = audit.kind(
    "meetings.document_removed", gettext_lazy("Document removed: %(title)s")
)

# Templates ------------------------------------------------------------------------------------


def template_for(
    cell: OrgUnit, on: dt.date, province_id: int | None = None
) -> AgendaTemplate | None:
    """The province's own template in force on `on`, else the national one (one query; pass
    `province_id` when it is known already)."""
    if province_id is None:
        province_id = rules.province_of(cell, on)
    rows = AgendaTemplate.objects.filter(effective_from__lte=on).filter(
        Q(province__isnull=True) | Q(province_id=province_id)
    )
    latest: dict[int | None, AgendaTemplate] = {}
    for t in rows.order_by("effective_from"):
        latest[t.province_id] = t
    # A province's template replaces the national one from its date on.
    return latest.get(province_id) if province_id in latest else latest.get(None)


def _clean_items(items: list[dict], empty_ok: bool = False) -> list[dict]:
    """Items as stored: a known part, a title, in the order opening, content, closing."""
    out = []
    for n, item in enumerate(items, start=1):
        section, title = item.get("section"), " ".join(str(item.get("title", "")).split())
        if section not in SECTIONS:
            raise ValidationError(_("Item %(n)s: choose the part of the meeting.") % {"n": n})
        if not title:
            raise ValidationError(_("Item %(n)s: write what the item is.") % {"n": n})
        if len(title) > 300:
            raise ValidationError(_("Item %(n)s: at most 300 characters.") % {"n": n})
        out.append({"section": section, "title": title})
    if not out and not empty_ok:
        raise ValidationError(_("An agenda needs at least one item."))
    if len(out) > MAX_ITEMS:
        raise ValidationError(_("An agenda has at most %(n)s items.") % {"n": MAX_ITEMS})
    ranks = [SECTIONS.index(i["section"]) for i in out]
    if ranks != sorted(ranks):
        raise ValidationError(_("Put the items in order: opening, then content, then closing."))
    return out


@audit.write
def template_add(
    *, province: OrgUnit, effective_from: dt.date, source: str, items: list[dict], actor
) -> AgendaTemplate:
    """A province's own agenda from a date. Earlier meetings keep the template of their day."""
    if province.kind != UnitKind.PROVINCE:
        raise ValidationError(_("Only a province sets its own agenda template."))
    if not source.strip():
        raise ValidationError({"source": _("Name the document that sets this agenda.")})
    if AgendaTemplate.objects.filter(province=province, effective_from=effective_from).exists():
        raise ValidationError(
            {"effective_from": _("This province already has a template from that date.")}
        )
    template = AgendaTemplate.objects.create(
        province=province,
        effective_from=effective_from,
        source=source.strip(),
        items=_clean_items(items),
        created_by=actor,
    )
    audit.record(
        TEMPLATE_ADDED,
        actor=actor,
        obj=template,
        about=province,
        effective_from=effective_from,
        source=template.source,
    )
    return template


# A meeting's agenda ---------------------------------------------------------------------------


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's own agenda, or (until it is changed) the template's items, unsaved."""
    return agenda_and_template(meeting)[0]


def agenda_and_template(
    meeting: Meeting, province_id: int | None = None
) -> tuple[list[AgendaItem], AgendaTemplate | None]:
    """The agenda, and the template it comes from while it is not the meeting's own."""
    items = list(meeting.agenda.all())
    if items:
        return items, None
    template = template_for(meeting.cell, meeting.day, province_id)
    return [
        AgendaItem(meeting=meeting, section=i["section"], order=n, title=i["title"])
        for n, i in enumerate(template.items if template else [], start=1)
    ], template


def _unlink_documents(items) -> None:
    """Before agenda items are deleted: their documents stay, unlinked, each saved so that its
    history says so (the delete's own SET NULL would be one update without a trace)."""
    for doc in MeetingDocument.objects.filter(agenda_item__in=items).defer("content"):
        doc.agenda_item = None
        doc.save(update_fields=["agenda_item"])


def _materialise(meeting: Meeting) -> list[AgendaItem]:
    items = agenda_of(meeting)
    if items and items[0].pk is None:
        AgendaItem.objects.bulk_create(items)
        items = list(meeting.agenda.all())
    return items


@dataclass
class ItemChange:
    """One row of the agenda form: an existing item (pk) or a new one (pk None)."""

    pk: int | None
    section: str
    title: str
    notes: str = ""
    delete: bool = False


@audit.write
def agenda_save(
    *, meeting: Meeting, version: int, changes: list[ItemChange], actor
) -> list[AgendaItem]:
    """Save the agenda as the rows given, in their order. While the agenda is still the
    template's, the rows replace it; once saved, items not named are kept after the rows.
    A removed item's documents stay, unlinked."""
    check_open_for_record(meeting, version)
    existing = {i.pk: i for i in meeting.agenda.all()}
    unknown = [c.pk for c in changes if c.pk is not None and c.pk not in existing]
    if unknown:
        raise ValidationError(_("An item is not on this meeting's agenda; reload the page."))
    if not existing and not changes:
        _materialise(meeting)
        items = list(meeting.agenda.all())
        audit.record(AGENDA_SAVED, actor=actor, obj=meeting, count=len(items))
        return items
    kept = [c for c in changes if not c.delete and (c.pk is not None or c.title.strip())]
    clean = _clean_items([{"section": c.section, "title": c.title} for c in kept], empty_ok=True)
    named = {c.pk for c in changes}
    rest = [i for pk, i in existing.items() if pk not in named]
    removed = [existing[c.pk] for c in changes if c.delete and c.pk is not None]
    _unlink_documents(removed)
    for row in removed:
        row.delete()
    order = 0
    for c, item in zip(kept, clean, strict=True):
        order += 1
        row = existing[c.pk] if c.pk is not None else AgendaItem(meeting=meeting)
        row.section, row.title, row.order = item["section"], item["title"], order
        row.notes = c.notes.strip()
        row.save()
    for row in rest:
        order += 1
        row.order = order
        row.save(update_fields=["order"])
    items = list(meeting.agenda.all())
    _clean_items([{"section": i.section, "title": i.title} for i in items])
    audit.record(AGENDA_SAVED, actor=actor, obj=meeting, count=len(items))
    return items


@audit.write
def agenda_reset(*, meeting: Meeting, version: int, actor) -> list[AgendaItem]:
    """Back to the template in force on the meeting day (documents stay, unlinked). An agenda
    that is the template's already is left as it is, and no event recorded."""
    check_open_for_record(meeting, version)
    items = list(meeting.agenda.all())
    _unlink_documents(items)
    for item in items:
        item.delete()  # one by one: each item's history keeps its removal
    if items:
        audit.record(AGENDA_RESET, actor=actor, obj=meeting)
    return agenda_of(meeting)


# Draft resolution and who runs the meeting ----------------------------------------------------


@audit.write
def resolution_draft(*, meeting: Meeting, version: int, text: str, actor) -> Meeting:
    """The committee drafts the resolution before the meeting; it is edited during it."""
    check_open_for_record(meeting, version)
    meeting.resolution = text.strip()
    meeting.save(update_fields=["resolution"])
    audit.record(RESOLUTION_DRAFTED, actor=actor, obj=meeting)
    return meeting


@audit.write
def officers_set(
    *, meeting: Meeting, version: int, chair: Member | None, minute_taker: Member | None, actor
) -> Meeting:
    """Who chairs and who takes the minutes: members of the cell on the meeting day."""
    check_open_for_record(meeting, version)
    check_member_of_cell(meeting, chair, "chair")
    check_member_of_cell(meeting, minute_taker, "minute_taker")
    meeting.chair, meeting.minute_taker = chair, minute_taker
    meeting.save(update_fields=["chair", "minute_taker"])
    audit.record(
        OFFICERS_SET,
        actor=actor,
        obj=meeting,
        chair=chair.full_name if chair else "—",
        minute_taker=minute_taker.full_name if minute_taker else "—",
    )
    return meeting


# Documents ------------------------------------------------------------------------------------


def _open_for_documents(meeting: Meeting) -> None:
    if meeting.locked:
        raise ValidationError(
            _("The minutes of this meeting are adopted and locked; record an amendment instead."),
            code="locked",
        )
    if meeting.state == State.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))


@audit.write
def document_post(
    *,
    meeting: Meeting,
    upload: UploadedFile,
    title: str = "",
    agenda_item: AgendaItem | None = None,
    item_order: int | None = None,
    actor,
) -> MeetingDocument:
    """Post a document to the members of the cell for this meeting; they are notified.
    `item_order` names an item of the agenda as shown (the template's, before it is saved)."""
    _open_for_documents(meeting)
    name = PurePath(upload.name or "").name.strip()
    ext = PurePath(name).suffix.lower()
    if ext not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Post a document as %(types)s.")
                % {"types": ", ".join(sorted({e.lstrip(".") for e in DOCUMENT_TYPES}))}
            }
        )
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"file": _("A document may be at most %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES >> 20}}
        )
    if item_order is not None:
        items = _materialise(meeting)
        agenda_item = next((i for i in items if i.order == item_order), None)
        if agenda_item is None:
            raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    content = b"".join(upload.chunks())
    doc = MeetingDocument.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        title=(title.strip() or PurePath(name).stem)[:200],
        filename=name[:200],
        content_type=DOCUMENT_TYPES[ext],
        size=len(content),
        content=content,
        posted_by=actor,
    )
    audit.record(DOCUMENT_POSTED, actor=actor, obj=doc, about=meeting, title=doc.title)
    transaction.on_commit(lambda: documents_posted(doc.pk))
    return doc


@audit.write
def document_remove(*, meeting: Meeting, document: MeetingDocument, actor) -> None:
    _open_for_documents(meeting)
    if document.meeting_id != meeting.pk:
        raise ValidationError(_("This document is not posted for this meeting."))
    # Recorded while the row still has its id, which its history keeps after the delete.
    audit.record(DOCUMENT_REMOVED, actor=actor, obj=document, about=meeting, title=document.title)
    document.delete()


def documents_timely(meeting: Meeting) -> dict | None:
    """Were the documents posted the rule's number of days before the meeting? None when
    nothing is posted or no rule was in force."""
    first = meeting.documents.order_by("posted_at").values_list("posted_at", flat=True).first()
    if first is None:
        return None
    days = rules.at(meeting.day, meeting.cell).documents_days_before
    if days is None:
        return None
    ahead = (meeting.day - timezone.localtime(first).date()).days
    return {"days": days, "ahead": ahead, "ok": ahead >= days}
