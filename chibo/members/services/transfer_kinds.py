"""The audit event kinds of transfers, recorded by chibo.members.transfers. They are declared
here, among the services, so that discovering the services (audit.KINDS) declares them in
every process: a transfer's event reads in words also where the transfers module was never
imported (a shell, a worker)."""

from django.utils.translation import gettext_lazy

from chibo.core import audit

TRANSFER_SENT = audit.kind(
    "members.transfer_sent",
    gettext_lazy("Transfer from %(source)s to %(target)s sent on %(date)s (%(kind)s)"),
)
TRANSFERRED = audit.kind(
    "members.transferred",
    gettext_lazy("Transferred from %(source)s to %(target)s, received on %(date)s"),
)
TRANSFERRED_TEMPORARILY = audit.kind(
    "members.transferred_temporarily",
    gettext_lazy("Transferred temporarily from %(source)s to %(target)s: %(date)s – %(until)s"),
)
TRANSFER_CANCELLED = audit.kind(
    "members.transfer_cancelled",
    gettext_lazy("Transfer from %(source)s to %(target)s cancelled"),
)
TEMPORARY_ENDED = audit.kind(
    "members.temporary_ended",
    gettext_lazy("Temporary transfer to %(target)s ended on %(date)s"),
)
