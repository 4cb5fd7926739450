"""What party development adds to the unit page (chibo.org.hooks): the board of candidates
and the official membership reviews."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.org.hooks import LINKS, Link
from chibo.org.models import Kind, OrgUnit


def _board(unit: OrgUnit) -> str | None:
    return None if unit.kind == Kind.PARTY_GROUP else reverse("development:board", args=[unit.pk])


def _reviews(unit: OrgUnit) -> str | None:
    if unit.kind == Kind.PARTY_GROUP:
        return None
    return reverse("development:reviews", args=[unit.pk])


LINKS.register("development.board", Link(gettext_lazy("Party development"), _board, order=40))
LINKS.register(
    "development.reviews",
    Link(gettext_lazy("Official membership reviews"), _reviews, order=41),
)
