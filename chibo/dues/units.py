"""What the dues ledger adds to the unit page (chibo.org.hooks): the dues of a cell's month,
or of the cells below a unit; and, for its office, the payment statement's import. The hub
imports `<app>.units` of each installed app only: the remittance package's links
(chibo.dues.remittance.units) are registered from here too."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.org.hooks import LINKS, Link
from chibo.org.models import CELL_KINDS, Kind, OrgUnit

from .access import is_office_over
from .remittance import units as remittance_units  # noqa: F401  (registers its links)


def _dues(unit: OrgUnit) -> str | None:
    if unit.kind == Kind.PARTY_GROUP:
        return None
    name = "dues:cell" if unit.kind in CELL_KINDS else "dues:unit"
    return reverse(name, args=[unit.pk])


def _statement(unit: OrgUnit) -> str | None:
    if unit.kind in (Kind.CELL, Kind.PARTY_GROUP):
        return None
    return reverse("dues:statement", args=[unit.pk])


def _may_import(request: HttpRequest, unit: OrgUnit) -> bool:
    return is_office_over(request.user, unit.pk)


LINKS.register("dues.ledger", Link(gettext_lazy("Party dues"), _dues, order=65))
LINKS.register(
    "dues.statement",
    Link(
        gettext_lazy("Import a payment statement"),
        _statement,
        group="actions",
        order=65,
        allowed=_may_import,
    ),
)
