"""What meetings add to the unit page (chibo.org.hooks): a cell's meetings, the meeting
compliance of a committee's cells, a province's agenda templates."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.org.hooks import LINKS, Link
from chibo.org.models import Kind, OrgUnit


def _meetings(unit: OrgUnit) -> str | None:
    return reverse("meetings:cell", args=[unit.pk]) if unit.holds_members else None


def _compliance(unit: OrgUnit) -> str | None:
    return None if unit.holds_members else reverse("compliance:report", args=[unit.pk])


def _templates(unit: OrgUnit) -> str | None:
    if unit.kind != Kind.PROVINCE:
        return None
    return reverse("meetings:agenda_templates", args=[unit.pk])


LINKS.register("meetings.cell", Link(gettext_lazy("Meetings"), _meetings, order=20))
LINKS.register(
    "meetings.compliance",
    Link(gettext_lazy("Meeting compliance"), _compliance, order=20),
)
LINKS.register(
    "meetings.templates",
    Link(gettext_lazy("Meeting agenda templates"), _templates, order=90),
)
