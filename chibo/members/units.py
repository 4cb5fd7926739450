"""What member records add to units (chibo.org.hooks): the member counts, committee and
village heads on the unit page, links to its members, transfers and access, the members
line of the tree page, the placements a merge moves, and no deleting a unit that still
holds members."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chibo.core.formats import number
from chibo.org import access as org_access
from chibo.org.hooks import DELETE_CHECKS, LINKS, MERGE_STEPS, PANELS, SUMMARIES, Link, Panel
from chibo.org.models import OrgUnit, Village

from . import services
from .models import Placement, Position, PositionKind
from .queries import unit_counts


def _counts(request: HttpRequest, unit: OrgUnit, on: dt.date) -> dict[str, Any]:
    children = list(
        OrgUnit.objects.within(unit, on)
        .filter(parent=unit)
        .annotate(n_children=Count("children", filter=Q(children__deleted_at__isnull=True)))
        .order_by("kind", "sort_name", "pk")
    )
    return {"children": children, "counts": unit_counts([unit, *children], on)}


def _officers(request: HttpRequest, unit: OrgUnit, on: dt.date) -> dict[str, Any] | None:
    officers = list(
        Position.objects.held_on(on).select_related("member").filter(unit=unit).by_rank()
    )
    return {"officers": officers} if officers else None


def _villages(request: HttpRequest, unit: OrgUnit, on: dt.date) -> dict[str, Any] | None:
    if not unit.holds_members:
        return None
    heads = Position.objects.held_on(on).select_related("member")
    villages = (
        Village.objects.filter(cell=unit)
        .prefetch_related(
            Prefetch(
                "positions", queryset=heads.filter(kind=PositionKind.VILLAGE_HEAD), to_attr="heads"
            )
        )
        .order_by("name")
    )
    return {
        "villages": list(villages),
        "can_write": org_access.can_write_unit(request.user, unit),
    }


PANELS.register("members.counts", Panel("members/units/counts.html", _counts, 10, True))
PANELS.register("members.officers", Panel("members/units/officers.html", _officers, 20))
PANELS.register("members.villages", Panel("members/units/villages.html", _villages, 30))


def _members_url(unit: OrgUnit) -> str:
    return f"{reverse('members:list')}?{urlencode({'unit': unit.code})}"


def _add_member_url(unit: OrgUnit) -> str | None:
    return (
        f"{reverse('members:create')}?{urlencode({'unit': unit.code})}"
        if unit.holds_members
        else None
    )


def _transfers_url(unit: OrgUnit) -> str | None:
    if unit.kind == "party_group":
        return None
    return reverse("members:transfers_unit", args=[unit.pk])


LINKS.register("members.list", Link(gettext_lazy("See the members"), _members_url, order=10))
LINKS.register("members.transfers", Link(gettext_lazy("Transfers"), _transfers_url, order=50))
LINKS.register(
    "members.access",
    Link(
        gettext_lazy("Access"),
        lambda unit: reverse("members:unit_access", args=[unit.pk]),
        group="actions",
        order=10,
        allowed=lambda request, unit: bool(org_access.grantable_roles(request.user, unit)),
    ),
)
LINKS.register(
    "members.add",
    Link(
        gettext_lazy("Add member"),
        _add_member_url,
        group="actions",
        order=20,
        allowed=lambda request, unit: org_access.can_write_unit(request.user, unit),
    ),
)


def _summary(units: Iterable[OrgUnit], on: dt.date) -> dict[int, str]:
    counts = unit_counts(units, on)
    return {
        pk: ngettext("%(n)s member", "%(n)s members", c["in_party"]) % {"n": number(c["in_party"])}
        for pk, c in counts.items()
    }


SUMMARIES.register("members", _summary)


def _merge(*, source: OrgUnit, target: OrgUnit, on: dt.date, actor) -> dict[str, int]:
    """The members placed in a merged cell move to the cell it is merged into (each
    placement saved, so each keeps its history row); their number goes in the merge's event."""
    if not source.holds_members:
        return {}
    return {
        "members": services.placement_move_all(actor=actor, source=source, target=target, on=on)
    }


def _still_placed(unit: OrgUnit) -> str | None:
    if Placement.objects.filter(unit=unit, end__isnull=True).exists():
        return _("Members are still placed in this unit; transfer them first.")
    return None


MERGE_STEPS.register("members", _merge)
DELETE_CHECKS.register("members", _still_placed)
