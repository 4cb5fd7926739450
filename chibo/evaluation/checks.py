"""The checks a campaign passes before publication (Quy định 124-QĐ/TW, 366-QĐ/TW and the
rules of the year, read on 31/12):

- the cap: excellent at most `evaluation_excellent_cap` of those rated good
  (`evaluation_cap_base`: good only, or good and excellent), within each comparable group
  (`evaluation_cap_group`: each cell's members and each parent's units, or the campaign as
  a whole), key "cap:cell:<id>", "cap:units:<parent id>", "cap:members", "cap:units";
- a member rated above what the rules allow: disciplined in the year ("discipline:member:<id>"),
  ill (“ill:member:<id>”), or not rated by the rules at all ("not_rated:member:<id>",
  "not_rated:unit:<id>");
- a party organisation rated excellent while its year of meetings is rated below
  `evaluation_unit_meetings` ("meetings:unit:<id>") or fewer than `evaluation_unit_members` %
  of its rated members complete their duties or better ("members:unit:<id>").

Levels are those decided, or proposed where no decision is yet recorded, so that the board
shows the checks live. A check refuses publication until fixed or overridden; in an imported
campaign (history as published) every check is a warning."""

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from chibo.core import formats
from chibo.core.sql import chunks
from chibo.meetings.models import Rating
from chibo.meetings.services.quality import year_rating
from chibo.members.models import Member
from chibo.org.models import CELL_KINDS, Ancestry, OrgUnit

from . import ratable
from .models import Campaign, Evaluation, Level, Override, rank

REFUSE, WARN = "refuse", "warn"
# Worst first, as chibo.meetings rates a year.
MEETING_ORDER = [Rating.POOR, Rating.AVERAGE, Rating.FAIR, Rating.GOOD]
COMPLETING = {Level.EXCELLENT, Level.GOOD, Level.COMPLETE}


@dataclass
class Check:
    key: str
    severity: str  # "refuse" or "warn"
    message: str
    subjects: list[int] = field(default_factory=list)  # evaluation ids
    override: Override | None = None

    @property
    def refuses(self) -> bool:
        """Refuses publication now: a refusing check not overridden."""
        return self.severity == REFUSE and self.override is None


def current_level(row: Evaluation) -> str:
    """The level decided, or proposed while no decision is recorded."""
    return row.level or row.proposed_level


def _share(cap: Fraction) -> str:
    """A rule's share as people write it: 20%, 33,33%."""
    percent = cap * 100
    if percent.denominator == 1:
        return f"{formats.number(int(percent))}%"
    return f"{formats.number(float(percent), 2)}%"


def _cap_checks(
    groups: dict[str, tuple[str, list[Evaluation]]], cap: Fraction, base: str, severity: str
) -> list[Check]:
    out = []
    for key, (name, rows) in groups.items():
        excellent = [r for r in rows if current_level(r) == Level.EXCELLENT]
        good = [r for r in rows if current_level(r) == Level.GOOD]
        counted = len(good) + (len(excellent) if base == "good_or_above" else 0)
        if not excellent or len(excellent) <= cap * counted:
            continue
        values = {
            "group": name,
            "excellent": formats.number(len(excellent)),
            "base": formats.number(counted),
            "share": formats.percent(len(excellent), counted) if counted else "—",
            "cap": _share(cap),
        }
        if base == "good_or_above":
            message = _(
                "%(group)s: %(excellent)s excellent / %(base)s good or excellent (%(share)s)"
                " above %(cap)s"
            )
        else:
            message = _(
                "%(group)s: %(excellent)s excellent / %(base)s good (%(share)s) above %(cap)s"
            )
        out.append(Check(key, severity, message % values, [r.pk for r in excellent]))
    return out


def _unit_checks(
    campaign: Campaign, rows: list[Evaluation], r, names: dict[int, str], severity: str
) -> list[Check]:
    """Units rated excellent: their meetings and their members' ratings (two rules)."""
    out: list[Check] = []
    excellent = [row for row in rows if row.unit_id and current_level(row) == Level.EXCELLENT]
    if not excellent:
        return out
    on = ratable.listing_day(campaign.year)
    # Member rows of the year under each unit rated excellent: one query for them all.
    under: dict[int, list[int]] = defaultdict(list)
    for part in chunks(row.unit_id for row in excellent if row.unit_id):
        links = Ancestry.objects.valid(on).filter(ancestor_id__in=part)
        for ancestor, descendant in links.values_list("ancestor_id", "descendant_id"):
            under[descendant].append(ancestor)
    levels: dict[int, list[str]] = defaultdict(list)
    rated = Evaluation.objects.filter(year=campaign.year, member__isnull=False, not_rated="")
    for part in chunks(under):
        found = rated.filter(cell_id__in=part).values_list("cell_id", "level", "proposed_level")
        for cell, level, proposed in found:
            for above in under[cell]:
                if level or proposed:
                    levels[above].append(level or proposed)
    wanted_meetings = r.evaluation_unit_meetings
    wanted_share = r.evaluation_unit_members
    for row in excellent:
        unit = row.unit
        assert unit is not None
        name = names.get(unit.pk, unit.name)
        if wanted_meetings and unit.kind in CELL_KINDS:
            try:
                got = year_rating(cell=unit, year=campaign.year).rating
            except ValidationError:
                got = None
            if got is None or MEETING_ORDER.index(Rating(got)) < MEETING_ORDER.index(
                Rating(wanted_meetings)
            ):
                if got is None:
                    message = _(
                        "%(unit)s rated excellent while its year of meetings has no rating"
                        " (at least %(wanted)s needed)"
                    )
                else:
                    message = _(
                        "%(unit)s rated excellent while its year of meetings is rated"
                        " %(got)s (at least %(wanted)s needed)"
                    )
                values = {
                    "unit": name,
                    "got": Rating(got).label if got else "",
                    "wanted": Rating(wanted_meetings).label,
                }
                out.append(Check(f"meetings:unit:{unit.pk}", severity, message % values, [row.pk]))
        got_levels = levels.get(unit.pk, [])
        if wanted_share is not None and got_levels:
            completing = sum(1 for lv in got_levels if lv in COMPLETING)
            if completing * 100 < wanted_share * len(got_levels):
                out.append(
                    Check(
                        f"members:unit:{unit.pk}",
                        severity,
                        _(
                            "%(unit)s rated excellent while %(completing)s of its %(rated)s"
                            " rated members (%(share)s) complete their duties or better"
                            " (%(wanted)s%% needed)"
                        )
                        % {
                            "unit": name,
                            "completing": formats.number(completing),
                            "rated": formats.number(len(got_levels)),
                            "share": formats.percent(completing, len(got_levels)),
                            "wanted": wanted_share,
                        },
                        [row.pk],
                    )
                )
    return out


def _member_checks(campaign: Campaign, rows: list[Evaluation], r, severity: str) -> list[Check]:
    """Members rated above what the rules allow them (discipline, illness)."""
    leveled = {row.member_id: row for row in rows if row.member_id and current_level(row)}
    if not leveled:
        return []
    on = ratable.listing_day(campaign.year)
    member_ids = Evaluation.objects.filter(campaign=campaign, member__isnull=False).filter(
        Q(level__gt="") | Q(proposed_level__gt="")
    )
    facts = ratable.facts_of(member_ids.values("member_id"), campaign.year, on)
    names = dict(
        Member.all_objects.filter(pk__in=member_ids.values("member_id")).values_list(
            "pk", "full_name"
        )
    )
    out: list[Check] = []
    for member, f in facts.items():
        row = leveled.get(member)
        if row is None:
            continue
        # Only the limits, not who is rated: judged without the listing's exclusions.
        verdict = ratable.judge(
            ratable.Facts(ill=f.ill, disciplines=f.disciplines),
            campaign.year,
            r,
            campaign.regulation,
        )
        level = current_level(row)
        if verdict.best is None or rank(level) >= rank(verdict.best):
            continue
        code = "discipline" if verdict.code == ratable.DISCIPLINED else "ill"
        out.append(
            Check(
                f"{code}:member:{member}",
                severity,
                _("%(name)s rated %(level)s: %(reason)s")
                % {
                    "name": names.get(member, ""),
                    "level": Level(level).label,
                    "reason": verdict.reason,
                },
                [row.pk],
            )
        )
    return out


def checks(campaign: Campaign) -> list[Check]:
    """Every check of the campaign, with the override recorded on each (if any)."""
    r = ratable.year_rules(campaign.year, campaign.unit)
    severity = WARN if campaign.imported else REFUSE
    rows = list(
        Evaluation.objects.filter(campaign=campaign).select_related("member", "unit", "cell")
    )
    out: list[Check] = []
    for row in rows:
        if row.not_rated and current_level(row):
            who = row.member.full_name if row.member else row.unit.name if row.unit else ""
            kind = "member" if row.member_id else "unit"
            out.append(
                Check(
                    f"not_rated:{kind}:{row.member_id or row.unit_id}",
                    severity,
                    _("%(name)s is rated %(level)s though the rules do not rate them")
                    % {"name": who, "level": Level(current_level(row)).label},
                    [row.pk],
                )
            )
    rated = [row for row in rows if not row.not_rated]
    cap = r.evaluation_excellent_cap
    if cap is not None:
        groups: dict[str, tuple[str, list[Evaluation]]] = {}
        unit_rows = [row.unit_id for row in rated if row.unit_id]
        parents = ratable.parents(unit_rows, ratable.listing_day(campaign.year))
        names = {row.cell_id: row.cell.name for row in rated if row.cell is not None}
        for part in chunks(set(parents.values()) - set(names)):
            names.update(OrgUnit.all_objects.filter(pk__in=part).values_list("pk", "name"))
        by_campaign = r.evaluation_cap_group == "campaign"
        for row in rated:
            if row.member_id:
                key = "cap:members" if by_campaign else f"cap:cell:{row.cell_id}"
                name = _("Members") if by_campaign else names.get(row.cell_id or 0, "")
            else:
                parent = parents.get(row.unit_id or 0, campaign.unit_id)
                key = "cap:units" if by_campaign else f"cap:units:{parent}"
                name = (
                    _("Party organisations")
                    if by_campaign
                    else _("Units under %(parent)s")
                    % {"parent": names.get(parent, campaign.unit.name)}
                )
            groups.setdefault(key, (name, []))[1].append(row)
        out += _cap_checks(groups, cap, r.evaluation_cap_base or "good", severity)
    out += _member_checks(campaign, rated, r, severity)
    out += _unit_checks(campaign, rated, r, {}, severity)
    overrides = {o.check_key: o for o in Override.objects.filter(campaign=campaign)}
    for check in out:
        check.override = overrides.get(check.key)
    return out


def refusing(campaign: Campaign) -> list[Check]:
    """The checks that refuse publication now."""
    return [c for c in checks(campaign) if c.refuses]
