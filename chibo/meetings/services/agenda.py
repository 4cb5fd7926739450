"""Editing a meeting's agenda one content item at a time: added before the closing items,
moved up or down among the content items, removed. The opening and closing items of the
template stay put (the whole agenda is edited with prepare.agenda_save)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit

from ..models import AgendaItem, Meeting, Section
from .prepare import MAX_ITEMS, _materialise, _unlink_documents
from .record import check_open_for_record

ITEM_ADDED = audit.kind("meetings.agenda_item_added", gettext_lazy("Agenda item added: %(title)s"))
ITEM_MOVED_UP = audit.kind(
    "meetings.agenda_item_moved_up", gettext_lazy("Agenda item moved up: %(title)s")
)
ITEM_MOVED_DOWN = audit.kind(
    "meetings.agenda_item_moved_down", gettext_lazy("Agenda item moved down: %(title)s")
)
ITEM_REMOVED = audit.kind(
    "meetings.agenda_item_removed", gettext_lazy("Agenda item removed: %(title)s")
)


def _renumber(items: list[AgendaItem]) -> None:
    """Orders 1..n as listed, saving only the items that moved (each keeps its history)."""
    for n, item in enumerate(items, start=1):
        if item.order != n:
            item.order = n
            item.save(update_fields=["order"])


def _content_item(items: list[AgendaItem], order: int) -> AgendaItem:
    item = next((i for i in items if i.order == order), None)
    if item is None:
        raise ValidationError(_("This item is not on the agenda any more; reload the page."))
    if item.section != Section.CONTENT:
        raise ValidationError(
            _("The opening and closing items stay in place; edit the whole agenda to change them.")
        )
    return item


@audit.write
def agenda_item_add(
    *, meeting: Meeting, version: int, title: str, notes: str = "", actor
) -> AgendaItem:
    """Add a content item after the last one, before the closing items (which stay last)."""
    check_open_for_record(meeting, version)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Write what the item is.")})
    if len(title) > 300:
        raise ValidationError({"title": _("At most 300 characters.")})
    items = _materialise(meeting)
    if len(items) >= MAX_ITEMS:
        raise ValidationError(_("An agenda has at most %(n)s items.") % {"n": MAX_ITEMS})
    at = sum(1 for i in items if i.section != Section.CLOSING)
    item = AgendaItem(
        meeting=meeting, section=Section.CONTENT, order=0, title=title, notes=notes.strip()
    )
    items.insert(at, item)
    for n, row in enumerate(items, start=1):
        if row.order != n or row.pk is None:
            row.order = n
            row.save()
    audit.record(ITEM_ADDED, actor=actor, obj=item, about=meeting, title=title)
    return item


@audit.write
def agenda_item_move(
    *, meeting: Meeting, version: int, order: int, up: bool, actor
) -> list[AgendaItem]:
    """Move a content item one place up or down among the content items."""
    check_open_for_record(meeting, version)
    items = _materialise(meeting)
    item = _content_item(items, order)
    at = items.index(item)
    other = at - 1 if up else at + 1
    if not 0 <= other < len(items) or items[other].section != Section.CONTENT:
        raise ValidationError(
            _("This item is first among the content items.")
            if up
            else _("This item is last among the content items.")
        )
    items[at], items[other] = items[other], items[at]
    _renumber(items)
    kind = ITEM_MOVED_UP if up else ITEM_MOVED_DOWN
    audit.record(kind, actor=actor, obj=item, about=meeting, title=item.title)
    return items


@audit.write
def agenda_item_remove(*, meeting: Meeting, version: int, order: int, actor) -> list[AgendaItem]:
    """Remove a content item; its documents stay, unlinked."""
    check_open_for_record(meeting, version)
    items = _materialise(meeting)
    item = _content_item(items, order)
    if sum(1 for i in items if i.section == Section.CONTENT) == 1:
        raise ValidationError(_("The agenda keeps at least one content item."))
    # Recorded while the row still has its id, which its history keeps after the delete.
    audit.record(ITEM_REMOVED, actor=actor, obj=item, about=meeting, title=item.title)
    _unlink_documents([item])
    item.delete()
    items.remove(item)
    _renumber(items)
    return items
