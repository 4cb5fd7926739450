"""Ratings of past years from an office's records (the import sheets), recorded as published."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit, formats
from chibo.members.models import Member
from chibo.org.models import BASE_KINDS, OrgUnit

from .. import criteria as criteria_
from .. import ratable
from ..models import Campaign, Evaluation
from .campaigns import overlapping
from .common import check_level

RATING_IMPORTED = audit.kind(
    "evaluation.rating_imported", gettext_lazy("Rating of %(year)s imported: %(level)s")
)
CREATED, UPDATED, UNCHANGED = "create", "update", "unchanged"


def base_organisation(unit: OrgUnit, on: dt.date) -> OrgUnit | None:
    """The base organisation (tổ chức cơ sở đảng) a unit belongs to on `on`: the highest
    base committee or base cell at or above it (a partial committee sits inside one)."""
    return (
        unit.ancestors(on, include_self=True)
        .filter(kind__in=BASE_KINDS)
        .order_by("-distance")
        .first()
    )


def _imported_campaign(base: OrgUnit, year: int, actor) -> Campaign:
    """The base organisation's imported campaign of `year` (created published: history
    records what was decided and published)."""
    found = Campaign.objects.filter(unit=base, year=year).first()
    if found is not None:
        if not found.imported:
            raise ValidationError(
                _("The evaluation of %(year)s is kept in Chibo (%(unit)s); it is not imported.")
                % {"year": year, "unit": base.name}
            )
        return found
    on = ratable.rating_day(year)
    clash = overlapping(base, year, on)
    if clash is not None and not clash.imported:
        raise ValidationError(
            _("The evaluation of %(year)s is kept in Chibo (%(unit)s); it is not imported.")
            % {"year": year, "unit": clash.unit.name}
        )
    campaign = Campaign(
        unit=base,
        year=year,
        regulation=ratable.regulation(year, base),
        self_due=on,
        cell_due=on,
        decision_due=on,
        publish_due=on,
        imported=True,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "pk", None) else None,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    campaign._history_user = actor  # type: ignore[attr-defined]
    campaign.save()
    return campaign


@audit.write
def rating_import(
    *,
    year: int,
    level: str,
    score: int | None = None,
    member: Member | None = None,
    unit: OrgUnit | None = None,
    actor,
) -> tuple[Evaluation, str]:
    """Record a rating of a past year as published (the import of an office's records), in
    the base organisation's imported campaign of that year. Checked against that year's
    rules: a member or unit they do not rate is refused, naming the rule; a level above what
    they allow stays, and the campaign's checks warn of it. Returns the row and whether it
    was created, updated or unchanged."""
    if (member is None) == (unit is None):
        raise ValueError("rate a member or a unit")
    chosen = check_level(level)
    if year >= timezone.localdate().year:
        raise ValidationError(
            {
                "year": _("Only past years are imported; %(year)s is rated in Chibo.")
                % {"year": year}
            }
        )
    name = ratable.regulation(year, member.home_unit if member is not None else unit)
    if not name:
        raise ValidationError(
            {"year": _("No evaluation regulation was in force in %(year)s.") % {"year": year}}
        )
    on = ratable.rating_day(year)
    if member is not None:
        verdict = ratable.member_verdict(member, year, today=on)
        cell_id = ratable.member_cell(member, year, today=on)
        place = OrgUnit.all_objects.get(pk=cell_id) if cell_id else None
        row = Evaluation.objects.filter(member=member, year=year).select_related("campaign").first()
    else:
        assert unit is not None
        if unit.kind not in ratable.RATED_KINDS:
            raise ValidationError(
                {
                    "unit": _("Cells and base organisations are rated; %(unit)s is not one.")
                    % {"unit": unit.name}
                }
            )
        verdict = ratable.unit_verdict(unit, year)
        cell_id, place = None, unit
        row = Evaluation.objects.filter(unit=unit, year=year).select_related("campaign").first()
    if not verdict.rated:
        raise ValidationError(
            {
                "level": _("Not rated in %(year)s: %(reason)s")
                % {"year": year, "reason": verdict.reason}
            }
        )
    r = ratable.year_rules(year, place)
    if score is not None:
        if not criteria_.scored(r):
            raise ValidationError(
                {
                    "score": _("The evaluation of %(year)s is not scored (%(regulation)s).")
                    % {"year": year, "regulation": name}
                }
            )
        total = criteria_.total_points(r)
        if not 0 <= score <= total:
            raise ValidationError({"score": _("Between 0 and %(max)s points.") % {"max": total}})
    if row is not None:
        if not row.campaign.imported:
            raise ValidationError(
                _("The evaluation of %(year)s is kept in Chibo (%(unit)s); it is not imported.")
                % {"year": year, "unit": row.campaign.unit.name}
            )
        if row.level == chosen and row.score == score:
            return row, UNCHANGED
        row.level, row.score = chosen, score
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()
        status = UPDATED
    else:
        assert place is not None
        base = base_organisation(place, on)
        if base is None:
            raise ValidationError(
                _("%(unit)s belongs to no base organisation on %(date)s.")
                % {"unit": place.name, "date": formats.date(on)}
            )
        campaign = _imported_campaign(base, year, actor)
        row = Evaluation(
            campaign=campaign,
            year=year,
            member=member,
            unit=unit,
            cell_id=cell_id,
            level=chosen,
            score=score,
            decided_by=actor if getattr(actor, "pk", None) else None,
        )
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()
        status = CREATED
    audit.record(
        RATING_IMPORTED,
        actor=actor,
        obj=row,
        about=member if member is not None else unit,
        year=year,
        level=chosen,
    )
    return row, status
