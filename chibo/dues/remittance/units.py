"""What the remittance of dues adds to the unit page (chibo.org.hooks): the unit's report of
dues received, kept and handed up. Imported by chibo.dues.units (the hub discovers the app's
module, not this package's)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.org.hooks import LINKS, Link
from chibo.org.models import OrgUnit

from .queries import FLOWING_KINDS


def _report(unit: OrgUnit) -> str | None:
    if unit.kind not in FLOWING_KINDS:
        return None
    return reverse("dues_remittance:unit", args=[unit.pk])


LINKS.register(
    "dues.remittances", Link(gettext_lazy("Dues received and handed up"), _report, order=72)
)
