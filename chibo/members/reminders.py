"""What member records tell people (chibo.notices): a transfer waiting to be received; and
their part of a member's history on the timeline (chibo.core.deadlines): events,
placements, transfers."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.deadlines import HISTORY, Entry, HistorySource
from chibo.core.formats import date
from chibo.notices.kinds import notice_kind
from chibo.notices.services import notify
from chibo.org.scope import cell_officers

from .models import (
    EventKind,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    Transfer,
    TransferState,
)

TRANSFER_SENT = notice_kind(
    "transfer_sent",
    gettext_lazy("Transfer waiting to be received"),
    gettext_lazy(
        "%(member)s is transferred from %(from)s to %(to)s (letter %(letter)s of %(day)s): "
        "record the day the member is received."
    ),
)


def transfer_sent(transfer: Transfer) -> None:
    """The receiving cell's secretaries and the office above it learn that a member is on
    the way (a transfer recorded as already received tells no one)."""
    users = cell_officers([transfer.to_unit_id], on=transfer.sent_on)[transfer.to_unit_id]
    notify(
        users,
        kind=TRANSFER_SENT,
        key=f"transfer:{transfer.pk}",
        params={
            "member": transfer.member.full_name,
            "from": transfer.from_unit.name,
            "to": transfer.to_unit.name,
            "letter": transfer.letter_number,
            "day": date(transfer.sent_on),
        },
        url=reverse("members:transfer_detail", args=[transfer.pk]),
    )


# The member's history (chibo.core.deadlines) ---------------------------------------------------


def _events(member: Member) -> list[Entry]:
    out = []
    for e in MemberEvent.objects.filter(member=member).order_by("date", "pk"):
        parts = []
        if e.kind == EventKind.EXEMPTED and e.reason:
            parts.append(str(e.get_reason_display()))
        if e.end_date:
            parts.append(_("until %(day)s") % {"day": date(e.end_date)})
        if e.note:
            parts.append(e.note)
        out.append(
            Entry(e.date, "event", str(e.get_kind_display()), "; ".join(parts), e.decision_number)
        )
    return out


def _placements(member: Member) -> list[Entry]:
    out = []
    moved = set(
        Transfer.objects.filter(member=member, placement__isnull=False).values_list(
            "placement_id", flat=True
        )
    )
    for p in Placement.objects.filter(member=member).select_related("unit").order_by("start"):
        official = p.kind == PlacementKind.OFFICIAL
        kind = _("Official placement") if official else _("Temporary placement")
        if p.pk not in moved:  # a received transfer says it already
            title = _("Began taking part in %(cell)s") % {"cell": p.unit.name}
            out.append(Entry(p.start, "placement", title, kind, p.letter_number))
        if p.end:
            title = _("Left %(cell)s") % {"cell": p.unit.name}
            out.append(Entry(p.end, "placement", title, kind))
    return out


def _transfers(member: Member) -> list[Entry]:
    out = []
    for t in (
        Transfer.objects.filter(member=member)
        .select_related("from_unit", "to_unit")
        .order_by("sent_on", "pk")
    ):
        names = {"from": t.from_unit.name, "to": t.to_unit.name}
        detail = str(t.get_kind_display())
        if t.state == TransferState.PENDING:
            detail += " · " + _("not yet received")
        elif t.state == TransferState.CANCELLED:
            detail += " · " + _("cancelled")
        title = _("Transfer sent from %(from)s to %(to)s") % names
        out.append(Entry(t.sent_on, "transfer", title, detail, t.letter_number))
        if t.received_on and t.state == TransferState.ACCEPTED:
            title = _("Transfer received by %(to)s") % names
            out.append(Entry(t.received_on, "transfer", title, str(t.get_kind_display())))
    return out


# Within a day: the events (admission...) before the placement they lead to, then transfers.
HISTORY.register("members.events", HistorySource(_events, rank=10))
HISTORY.register("members.placements", HistorySource(_placements, rank=20))
HISTORY.register("members.transfers", HistorySource(_transfers, rank=30))
