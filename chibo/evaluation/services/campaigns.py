"""Campaigns: opening a year (and refreshing its list), overriding a check, publishing."""

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from chibo.core import audit, formats
from chibo.core.sql import chunks
from chibo.org.models import Ancestry, OrgUnit

from .. import ratable
from ..access import CAMPAIGN_KINDS
from ..checks import checks as campaign_checks
from ..models import Campaign, Evaluation, Override
from .common import check_open, name_of

OPENED = audit.kind(
    "evaluation.opened", gettext_lazy("Evaluation of %(year)s opened (%(regulation)s)")
)
REFRESHED = audit.kind(
    "evaluation.refreshed",
    gettext_lazy("Evaluation of %(year)s: list refreshed, %(added)s added, %(dropped)s dropped"),
)
OVERRIDDEN = audit.kind(
    "evaluation.overridden", gettext_lazy("Check overridden: %(check)s. Reason: %(reason)s")
)
PUBLISHED = audit.kind(
    "evaluation.published", gettext_lazy("Evaluation of %(year)s published: %(rated)s rated")
)

REASON_MAX = 2_000


def covering(unit: OrgUnit, year: int, on: dt.date) -> Campaign | None:
    """A campaign of the same year on the unit or above it: it lists this unit's members
    already. (One below is no obstacle: a campaign above lists what those below leave, the
    base organisations themselves, which their parent rates, and the units with none.)"""
    above = Ancestry.objects.valid(on).filter(descendant=unit).values("ancestor_id")
    return Campaign.objects.filter(year=year, unit_id__in=above).select_related("unit").first()


def overlapping(unit: OrgUnit, year: int, on: dt.date) -> Campaign | None:
    """A campaign of the same year on the unit, above it or below it."""
    links = Ancestry.objects.valid(on)
    related = Q(unit_id__in=links.filter(descendant=unit).values("ancestor_id")) | Q(
        unit_id__in=links.filter(ancestor=unit).values("descendant_id")
    )
    return Campaign.objects.filter(year=year).filter(related).select_related("unit").first()


def _check_dues(year: int, dues: dict[str, dt.date]) -> None:
    errors: dict[str, str] = {}
    start = dt.date(year, 1, 1)
    for name, day in dues.items():
        if day < start:
            errors[name] = _("A deadline of the %(year)s evaluation is in %(year)s or after.") % {
                "year": year
            }
    names = list(dues)
    for before, after in zip(names, names[1:], strict=False):
        if before not in errors and after not in errors and dues[after] < dues[before]:
            errors[after] = _("The deadlines follow the stages: this one is before the one before.")
    if errors:
        raise ValidationError(errors)


def _new_rows(
    campaign: Campaign, listing: ratable.Listing, units: dict[int, ratable.Verdict]
) -> list[Evaluation]:
    """The rows to add: those listed and not yet rated that year in any campaign (a member or
    unit is rated once a year)."""
    year = Evaluation.objects.filter(year=campaign.year)
    taken_members: set[int] = set()
    for part in chunks(listing.cells):
        taken_members.update(year.filter(member_id__in=part).values_list("member_id", flat=True))
    taken_units: set[int] = set()
    for part in chunks(units):
        taken_units.update(
            uid for uid in year.filter(unit_id__in=part).values_list("unit_id", flat=True) if uid
        )
    rows = [
        Evaluation(
            campaign=campaign,
            year=campaign.year,
            member_id=member,
            cell_id=listing.cells[member],
            not_rated="" if verdict.rated else verdict.code,
        )
        for member, verdict in listing.verdicts.items()
        if member not in taken_members
    ]
    rows += [
        Evaluation(
            campaign=campaign,
            year=campaign.year,
            unit_id=unit,
            not_rated="" if verdict.rated else verdict.code,
        )
        for unit, verdict in units.items()
        if unit not in taken_units
    ]
    return rows


@audit.write
def campaign_open(
    *,
    unit: OrgUnit,
    year: int,
    self_due: dt.date,
    cell_due: dt.date,
    decision_due: dt.date,
    publish_due: dt.date,
    actor,
) -> Campaign:
    """Open the evaluation of `year` for `unit`'s subtree: one row per member listed and per
    party organisation it rates, those the rules leave out marked with the rule's code."""
    if unit.kind not in CAMPAIGN_KINDS:
        raise ValidationError(
            {"unit": _("A campaign is opened by a province, district or base organisation.")}
        )
    today = timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": _("The evaluation of a year opens in that year.")})
    name = ratable.regulation(year, unit)
    if not name:
        raise ValidationError(
            {"year": _("No evaluation regulation was in force in %(year)s.") % {"year": year}}
        )
    _check_dues(
        year,
        {
            "self_due": self_due,
            "cell_due": cell_due,
            "decision_due": decision_due,
            "publish_due": publish_due,
        },
    )
    on = ratable.listing_day(year)
    clash = covering(unit, year, on)
    if clash is not None:
        raise ValidationError(
            _("%(unit)s already has the evaluation of %(year)s; it covers this unit.")
            % {"unit": clash.unit.name, "year": year}
        )
    campaign = Campaign(
        unit=unit,
        year=year,
        regulation=name,
        self_due=self_due,
        cell_due=cell_due,
        decision_due=decision_due,
        publish_due=publish_due,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    campaign._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    try:
        campaign.save()
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s already has the evaluation of %(year)s; it covers this unit.")
            % {"unit": unit.name, "year": year}
        ) from None
    listing = ratable.listing(unit, year)
    rows = _new_rows(campaign, listing, ratable.units(unit, year))
    bulk_create_with_history(rows, Evaluation, batch_size=1000, default_user=actor)
    audit.record(OPENED, actor=actor, obj=campaign, year=year, regulation=name)
    return campaign


@audit.write
def campaign_refresh(*, campaign: Campaign, actor) -> Campaign:
    """List the members and units that appeared since the campaign opened (admitted,
    transferred in, founded), drop the rows still undecided of those who left, move undecided
    members to the cell they are in now, and read each row's verdict again. A decided row is
    never dropped nor moved."""
    check_open(campaign)
    if campaign.imported:
        raise ValidationError(_("An imported evaluation keeps the rows of its records."))
    listing = ratable.listing(campaign.unit, campaign.year)
    units = ratable.units(campaign.unit, campaign.year)
    rows = list(Evaluation.objects.filter(campaign=campaign))
    dropped = 0
    for row in rows:
        if row.member_id is not None:
            verdict = listing.verdicts.get(row.member_id)
        else:
            verdict = units.get(row.unit_id or 0)
        if verdict is None:
            if not row.level and not row.proposed_level:
                row._history_user = actor  # type: ignore[attr-defined]
                row.delete()
                dropped += 1
            continue
        code = "" if verdict.rated else verdict.code
        cell = listing.cells.get(row.member_id) if row.member_id else None
        changed = row.not_rated != code
        row.not_rated = code
        if row.member_id and not row.level and cell and row.cell_id != cell:
            row.cell_id, changed = cell, True
        if changed:
            row._history_user = actor  # type: ignore[attr-defined]
            row.save()
    new = _new_rows(campaign, listing, units)
    bulk_create_with_history(new, Evaluation, batch_size=1000, default_user=actor)
    audit.record(
        REFRESHED, actor=actor, obj=campaign, year=campaign.year, added=len(new), dropped=dropped
    )
    return campaign


def _actor_name(actor) -> str:
    return getattr(actor, "display_name", "") or str(actor or "")


@audit.write
def override_record(*, campaign: Campaign, check_key: str, reason: str, actor) -> Override:
    """Override a check that refuses publication, with the reason and who decided."""
    check_open(campaign)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the override.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("At most %(limit)s characters.") % {"limit": formats.number(REASON_MAX)}}
        )
    found = {c.key: c for c in campaign_checks(campaign)}
    check = found.get(check_key)
    if check is None:
        raise ValidationError({"check_key": _("There is no such check on this campaign.")})
    if check.override is not None:
        raise ValidationError({"check_key": _("This check is already overridden.")})
    override = Override(
        campaign=campaign,
        check_key=check_key,
        reason=reason,
        decided_by=actor if getattr(actor, "pk", None) else None,
        decided_by_name=_actor_name(actor)[:120],
    )
    override._history_user = actor  # type: ignore[attr-defined]
    override.save()
    audit.record(
        OVERRIDDEN, actor=actor, obj=override, about=campaign, check=check.message, reason=reason
    )
    return override


@audit.write
def campaign_publish(*, campaign: Campaign, actor) -> Campaign:
    """Publish the results: every rated row decided, and no refusing check left (fixed, or
    overridden with its reason)."""
    check_open(campaign)
    undecided = list(
        Evaluation.objects.filter(campaign=campaign, not_rated="", level="")
        .select_related("member", "unit")
        .order_by("pk")
    )
    problems: list[str] = []
    if undecided:
        names = ", ".join(name_of(e) for e in undecided[:10])
        more = len(undecided) - 10
        problems.append(
            _("Not decided yet: %(count)s (%(names)s%(more)s).")
            % {
                "count": formats.number(len(undecided)),
                "names": names,
                "more": _(" and %(n)s more") % {"n": formats.number(more)} if more > 0 else "",
            }
        )
    problems += [c.message for c in campaign_checks(campaign) if c.refuses]
    if problems:
        # About the whole campaign, one message per problem (the API lists each).
        raise ValidationError({NON_FIELD_ERRORS: problems})
    campaign.published_at = timezone.now()
    campaign.published_by = actor if getattr(actor, "pk", None) else None
    campaign._history_user = actor  # type: ignore[attr-defined]
    campaign.save()
    rated = Evaluation.objects.filter(campaign=campaign, not_rated="").count()
    audit.record(PUBLISHED, actor=actor, obj=campaign, year=campaign.year, rated=rated)
    return campaign
