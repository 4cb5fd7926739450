"""What member records tell people (chibo.notices): a transfer waiting to be received."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.core.formats import date
from chibo.notices.kinds import notice_kind
from chibo.notices.services import notify
from chibo.org.scope import cell_officers

from .models import Transfer

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
