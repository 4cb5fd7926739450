"""Closing a year for a subtree (its figures frozen per unit) and re-opening it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from chibo.core import audit, formats
from chibo.core.reporting import FIRST_YEAR, Period
from chibo.org.models import Ancestry, OrgUnit
from chibo.org.queries import units_on

from .. import access
from ..models import Snapshot
from ..queries import figures
from .queries import as_json

REASON_LENGTH = Snapshot._meta.get_field("reopen_reason").max_length or 500

CLOSED = audit.kind(
    "reports.year_closed",
    gettext_lazy(
        "Year %(year)s closed for %(unit)s: figures of %(units)s units frozen"
        " (%(kept)s already closed kept)"
    ),
)
REOPENED = audit.kind(
    "reports.year_reopened", gettext_lazy("Year %(year)s re-opened for %(unit)s: %(reason)s")
)


def _check_actor(actor, unit: OrgUnit) -> None:
    # `None` is the system (the demo); a person needs an office role on the unit or above.
    if actor is not None and not access.can_close_year(actor, unit):
        raise PermissionDenied


def check_year_ended(year: int) -> None:
    """A year can be closed once it is over (from 1 January of the next one)."""
    if year < FIRST_YEAR:
        raise ValidationError(
            {"year": _("Enter a year from %(first)s on.") % {"first": FIRST_YEAR}}
        )
    if year >= timezone.localdate().year:
        raise ValidationError(
            {
                "year": _(
                    "The year %(year)s has not ended yet: it can be closed from 01/01/%(next)s."
                )
                % {"year": year, "next": year + 1}
            }
        )


def _already_closed(snapshot: Snapshot, unit: OrgUnit, year: int) -> ValidationError:
    if snapshot.closed_for_id == unit.pk:
        message = _("The year %(year)s is already closed for %(unit)s (on %(date)s).")
    else:
        message = _(
            "The year %(year)s is already closed for %(unit)s: %(top)s closed it on %(date)s."
        )
    return ValidationError(
        message
        % {
            "year": year,
            "unit": unit.name,
            "top": snapshot.closed_for.name,
            "date": formats.date(timezone.localtime(snapshot.closed_at)),
        },
        code="closed",
    )


@audit.write
def year_close(*, unit: OrgUnit, year: int, actor) -> int:
    """Freeze the year's figures of `unit` and of every unit of its subtree existing on 31/12
    as the tree stood that day, computed in one pass (a fixed number of queries whatever the
    size of the subtree). A unit of the subtree whose year another office already closed
    (its own subtree first) keeps its snapshot: it is skipped, and counted in the event.
    Returns how many units were frozen."""
    _check_actor(actor, unit)
    check_year_ended(year)
    # Two offices closing at once queue on the unit's row (SQLite serialises writers
    # itself); the unique constraint on open snapshots is the backstop.
    OrgUnit.all_objects.select_for_update().filter(pk=unit.pk).first()
    own = (
        Snapshot.objects.filter(unit=unit, year=year, reopened_at__isnull=True)
        .select_related("closed_for")
        .first()
    )
    if own is not None:
        raise _already_closed(own, unit, year)
    period = Period.year(year)
    below = Ancestry.objects.valid(period.end).filter(ancestor=unit).values("descendant_id")
    ids = list(
        OrgUnit.all_objects.filter(units_on(period.end), pk__in=below)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if unit.pk not in ids:
        raise ValidationError(
            _("%(unit)s did not exist on 31/12/%(year)s: there is no figure to close.")
            % {"unit": unit.name, "year": year},
            code="absent",
        )
    kept = set(
        Snapshot.objects.filter(year=year, reopened_at__isnull=True, unit_id__in=ids).values_list(
            "unit_id", flat=True
        )
    )
    roots = [pk for pk in ids if pk not in kept]
    found = figures(roots, period)
    now = timezone.now()
    rows = [
        Snapshot(
            unit_id=pk,
            year=year,
            figures=as_json(found[pk]),
            closed_for=unit,
            closed_by=actor if getattr(actor, "pk", None) else None,
            closed_at=now,
        )
        for pk in roots
    ]
    try:
        with transaction.atomic():
            made = bulk_create_with_history(rows, Snapshot, default_user=actor, default_date=now)
    except IntegrityError:
        # Another office closed part of the subtree meanwhile.
        raise ValidationError(
            _("Someone closed this year at the same time. Reload the page and try again."),
            code="busy",
        ) from None
    top = next(s for s in made if s.unit_id == unit.pk)
    audit.record(
        CLOSED,
        actor=actor,
        obj=top,
        about=unit,
        year=str(year),
        unit=unit.name,
        units=formats.number(len(made)),
        kept=formats.number(len(kept)),
    )
    return len(made)


@audit.write
def year_reopen(*, unit: OrgUnit, year: int, reason: str, actor) -> int:
    """Re-open the year an office closed for `unit`'s subtree: its snapshots stay, marked with
    who re-opened them, when and why (their history keeps each step); closing again freezes
    new ones. Returns how many units were re-opened."""
    _check_actor(actor, unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the year is re-opened.")})
    if len(reason) > REASON_LENGTH:
        raise ValidationError(
            {
                "reason": _("Write the reason in at most %(n)s characters.")
                % {"n": formats.number(REASON_LENGTH)}
            }
        )
    rows = list(
        Snapshot.objects.select_for_update()
        .filter(closed_for=unit, year=year, reopened_at__isnull=True)
        .order_by("pk")
    )
    if not rows:
        other = snapshot_closed_above(unit, year)
        if other is not None:
            raise ValidationError(
                _("The year %(year)s was closed for %(top)s: it can only be re-opened there.")
                % {"year": year, "top": other.closed_for.name},
                code="closed_above",
            )
        raise ValidationError(
            _("The year %(year)s is not closed for %(unit)s.") % {"year": year, "unit": unit.name},
            code="open",
        )
    now = timezone.now()
    by = actor if getattr(actor, "pk", None) else None
    # One save per row: each writes its history row (who, when, why), which a bulk update
    # would not. Re-opening is rare; closing, which touches as many rows, is the bulk one.
    for row in rows:
        row.reopened_by, row.reopened_at, row.reopen_reason = by, now, reason
        row._history_user = by  # type: ignore[attr-defined]
        row.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
    top = next((s for s in rows if s.unit_id == unit.pk), rows[0])
    audit.record(
        REOPENED, actor=actor, obj=top, about=unit, year=str(year), unit=unit.name, reason=reason
    )
    return len(rows)


def snapshot_closed_above(unit: OrgUnit, year: int) -> Snapshot | None:
    """The unit's snapshot in force when another office closed it."""
    return (
        Snapshot.objects.filter(unit=unit, year=year, reopened_at__isnull=True)
        .exclude(closed_for=unit)
        .select_related("closed_for")
        .first()
    )
