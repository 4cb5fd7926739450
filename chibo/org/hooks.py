"""What the apps above the tree add to units, registered in each app's own `units.py`:

- the unit page's panels (members' counts, officers, villages and their heads) and links
  (meetings, deadlines, badges... one per app that has a page about a unit);
- the tree page's one-line summary of each unit (how many members);
- what a merge of two units moves in the app's own records (members' placements), and what
  stops a unit from being deleted (members still placed in it).

The tree itself knows none of these apps: a new domain adds its link in its own folder."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

from chibo.core.registry import Registry

from .models import OrgUnit


@dataclass(frozen=True)
class Panel:
    """A section of the unit page. `context(request, unit, on)` gives what its template
    shows (None: the panel is not shown for this unit). `dated` panels follow the page's
    "counts on" date and are re-rendered alone when it changes."""

    template: str
    context: Callable[[HttpRequest, OrgUnit, dt.date], dict[str, Any] | None]
    order: int = 100
    dated: bool = False


@dataclass(frozen=True)
class Link:
    """A link from the unit page: `url(unit)` (None: not for this unit) and, for an action,
    whether this user may take it (`allowed(request, unit)`). "pages" links lead to the
    unit's other pages; "actions" are the buttons that change something."""

    label: str | Promise
    url: Callable[[OrgUnit], str | None]
    group: str = "pages"  # or "actions"
    order: int = 100
    allowed: Callable[[HttpRequest, OrgUnit], bool] | None = None


Summary = Callable[[Iterable[OrgUnit], dt.date], dict[int, str]]  # unit id -> one line
# (*, source, target, on, actor) -> what it moved, counted for the merge's event ({"members": 3})
MergeStep = Callable[..., dict[str, int] | None]
DeleteCheck = Callable[[OrgUnit], str | None]  # a reason the unit cannot be deleted, or None

PANELS: Registry[Panel] = Registry("unit page panels", discover="units")
LINKS: Registry[Link] = Registry("unit page links", discover="units")
SUMMARIES: Registry[Summary] = Registry("unit summaries", discover="units")
MERGE_STEPS: Registry[MergeStep] = Registry("unit merge steps", discover="units")
DELETE_CHECKS: Registry[DeleteCheck] = Registry("unit delete checks", discover="units")


def panels() -> list[Panel]:
    return PANELS.sorted(key=lambda p: p.order)


def links(request: HttpRequest, unit: OrgUnit, group: str) -> list[tuple[str | Promise, str]]:
    """(label, url) of the group's links that apply to this unit and user."""
    out = []
    for link in LINKS.sorted(key=lambda k: k.order):
        if link.group != group:
            continue
        url = link.url(unit)
        if url is None or (link.allowed is not None and not link.allowed(request, unit)):
            continue
        out.append((link.label, url))
    return out


def summaries(units: Iterable[OrgUnit], on: dt.date) -> dict[int, list[str]]:
    """Each unit's summary lines, in the order the apps registered them."""
    units = list(units)
    out: dict[int, list[str]] = {u.pk: [] for u in units}
    for summary in SUMMARIES:
        for pk, line in summary(units, on).items():
            out[pk].append(line)
    return out
