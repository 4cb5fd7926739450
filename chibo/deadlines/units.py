"""What the deadline board adds to the unit page (chibo.org.hooks)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.org.hooks import LINKS, Link
from chibo.org.models import Kind, OrgUnit


def _board(unit: OrgUnit) -> str | None:
    return None if unit.kind == Kind.PARTY_GROUP else reverse("deadlines:unit", args=[unit.pk])


LINKS.register("deadlines.board", Link(gettext_lazy("Deadlines"), _board, order=30))
