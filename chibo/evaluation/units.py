"""What the annual evaluation adds to the unit page (chibo.org.hooks) and to the member page
(chibo.members.hooks): the unit's evaluation page and, as a panel, the latest campaign that
rates it; a member's evaluation history."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from chibo.members.hooks import LINKS as MEMBER_LINKS
from chibo.members.hooks import MemberLink
from chibo.members.models import Member
from chibo.org.hooks import LINKS, PANELS, Link, Panel
from chibo.org.models import Ancestry, Kind, OrgUnit

from . import access


def _unit(unit: OrgUnit) -> str | None:
    return None if unit.kind == Kind.PARTY_GROUP else reverse("evaluation:unit", args=[unit.pk])


def _latest(request: HttpRequest, unit: OrgUnit, on: dt.date) -> dict[str, Any] | None:
    """The latest campaign of the unit or of a unit above it that the reader sees."""
    if unit.kind == Kind.PARTY_GROUP:
        return None
    above = Ancestry.objects.valid().filter(descendant=unit).values("ancestor_id")
    campaign = (
        access.campaigns_for(request.user)
        .filter(unit_id__in=above)
        .order_by("-year", "-pk")
        .first()
    )
    return {"campaign": campaign} if campaign is not None else None


def _history(member: Member) -> str:
    return reverse("evaluation:member", args=[member.pk])


LINKS.register("evaluation.unit", Link(gettext_lazy("Annual evaluation"), _unit, order=65))
PANELS.register("evaluation.latest", Panel("evaluation/unit_panel.html", _latest, order=60))
MEMBER_LINKS.register(
    "evaluation.history", MemberLink(gettext_lazy("Evaluation history"), _history, order=50)
)
