"""What Party badges add to the unit page (chibo.org.hooks): who is due a badge, and the
badges awarded."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.org.hooks import LINKS, Link
from chibo.org.models import Kind, OrgUnit


def _due(unit: OrgUnit) -> str | None:
    return None if unit.kind == Kind.PARTY_GROUP else reverse("badges:unit", args=[unit.pk])


def _history(unit: OrgUnit) -> str | None:
    return None if unit.kind == Kind.PARTY_GROUP else reverse("badges:history", args=[unit.pk])


LINKS.register("badges.due", Link(gettext_lazy("Party badges"), _due, order=60))
LINKS.register("badges.history", Link(gettext_lazy("Badges awarded"), _history, order=61))
