"""Who is rated in a year, and the best level the rules allow (Quy định 124-QĐ/TW, 366-QĐ/TW
and their guidance; shared/DOMAIN.md, Annual evaluation). Every figure is the rule in force on
31/12 of the rated year for the unit's province (`rules.at(date(year, 12, 31), unit)`).

A member is listed when officially placed in the subtree and in the Party on the listing day
(31/12, or today while the year runs). Not rated: admitted or readmitted less than
`evaluation_min_months` before 31/12; suspended from activities on the listing day; exempt
from activities, as `evaluation_exempt` says. Rated, but not above a level: ill (exempt for
illness) `evaluation_ill_months` or more in the year (completed duties at best); disciplined in
the year (`evaluation_discipline_best`). A party organisation founded less than
`evaluation_min_months` before 31/12 is not rated.

The lists are read in a few queries whatever the subtree (a province has 100,000 members)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import rules
from chibo.core import formats
from chibo.core.sql import chunks
from chibo.members.models import (
    ADMISSIONS,
    DISCIPLINES,
    IN_PARTY,
    EventKind,
    ExemptionReason,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    StatusPeriod,
    period_valid_on,
)
from chibo.org.models import Ancestry, Kind, OrgUnit
from chibo.rules.calendar import add_months
from chibo.rules.models import RuleVersion
from chibo.rules.queries import sources

from .models import LEVELS, Level, SelfAssessment, rank

# Party organisations rated by their parent (tổ chức cơ sở đảng and chi bộ trực thuộc).
RATED_KINDS = {Kind.CELL, Kind.BASE_CELL, Kind.BASE_COMMITTEE}

# Verdict codes (Evaluation.not_rated keeps those of the members and units left out).
ADMITTED = "admitted"  # admitted or readmitted too recently
SUSPENDED = "suspended"
EXEMPT = "exempt"  # exempt from activities, not rated by the year's rule
EXEMPT_NO_SELF = "exempt_no_self"  # exempt, rated only with a self-assessment: none submitted
FOUNDED = "founded"  # a unit founded too recently
NOT_LISTED = "not_listed"  # not in the Party, or not placed in the unit, on the listing day
ILL = "ill"  # rated, completed duties at best
DISCIPLINED = "disciplined"  # rated, at best the level the discipline allows


@dataclass(frozen=True)
class Verdict:
    """Whether a member or unit is rated, and why not (`code`, and `reason`: a sentence naming
    the rule and its figure); `best`: the best level the rules allow (None: any)."""

    rated: bool
    code: str = ""
    reason: str = ""
    best: Level | None = None

    def allows(self, level: str) -> bool:
        return self.rated and (self.best is None or rank(level) >= rank(self.best))


RATED = Verdict(rated=True)


def rating_day(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def listing_day(year: int, today: dt.date | None = None) -> dt.date:
    """The day members and units are listed on: 31/12 of the year, or today while it runs."""
    return min(rating_day(year), today or timezone.localdate())


def year_rules(year: int, unit: OrgUnit | None) -> rules.Rules:
    return rules.at(rating_day(year), unit)


def regulation(year: int, unit: OrgUnit | None) -> str:
    """The regulation a year is rated by: the source of the rule version that set
    `evaluation_form` in force on 31/12 ("Quy định 124-QĐ/TW (04/10/2023)"); "" if none."""
    province = rules.province_of(unit, rating_day(year)) if unit is not None else None
    pk = sources(rating_day(year), province).get("evaluation_form")
    if pk is None:
        return ""
    return RuleVersion.objects.filter(pk=pk).values_list("source", flat=True).first() or ""


def _short(source: str) -> str:
    """The regulation's name as a reason cites it: "Quy định 124-QĐ/TW"."""
    return source.split(" (")[0].split(",")[0].strip()


def _months_covered(periods: Iterable[tuple[dt.date, dt.date]]) -> Fraction:
    """Months covered by (start, end inclusive) periods, overlaps counted once: whole calendar
    months from each merged period's start, then its remaining days as thirtieths (a period
    from 01/02 to 30/04 is 3 months)."""
    merged: list[list[dt.date]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    total = Fraction(0)
    for start, end in merged:
        after = end + dt.timedelta(days=1)
        months = 0
        while add_months(start, months + 1) <= after:
            months += 1
        total += months + Fraction((after - add_months(start, months)).days, 30)
    return total


def _too_recent(day: dt.date | None, year: int, months: int | None) -> bool:
    """Less than `months` before 31/12 of `year`: admitted on 30/06 is six months to the day
    before 31/12 (rated), on 01/07 less (not rated)."""
    if day is None or months is None:
        return False
    return day > add_months(rating_day(year), -months)


@dataclass
class Facts:
    """What the rules look at for one member in a year."""

    admitted: dt.date | None = None  # latest admission or readmission on or before the listing
    suspended: bool = False
    exempt: bool = False
    submitted: bool = False  # a self-assessment submitted for the year
    ill: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    disciplines: list[str] = field(default_factory=list)


def judge(facts: Facts, year: int, r: rules.Rules, regulation_name: str) -> Verdict:
    """The verdict of the rules `r` (those of 31/12 of `year`) on one member's facts."""
    reg = _short(regulation_name) or _("the rules of %(year)s") % {"year": year}
    months = r.evaluation_min_months
    if _too_recent(facts.admitted, year, months):
        return Verdict(
            False,
            ADMITTED,
            _("Admitted on %(date)s, less than %(months)s months before 31/12 (%(rule)s)")
            % {"date": formats.date(facts.admitted), "months": months, "rule": reg},
        )
    if facts.suspended:
        return Verdict(False, SUSPENDED, _("Suspended from activities (%(rule)s)") % {"rule": reg})
    if facts.exempt:
        if r.evaluation_exempt == "not_rated":
            return Verdict(
                False,
                EXEMPT,
                _("Exempt from activities: not rated (%(rule)s)") % {"rule": reg},
            )
        if r.evaluation_exempt == "if_assessed" and not facts.submitted:
            return Verdict(
                False,
                EXEMPT_NO_SELF,
                _("Exempt from activities and no self-assessment submitted: not rated (%(rule)s)")
                % {"rule": reg},
            )
    best: Level | None = None
    code = ""
    reasons: list[str] = []
    ill_months = r.evaluation_ill_months
    if ill_months is not None and facts.ill:
        covered = _months_covered(facts.ill)
        if covered >= ill_months:
            best, code = Level.COMPLETE, ILL
            reasons.append(
                _("Ill %(covered)s months in the year (%(months)s or more: %(level)s at best)")
                % {
                    "covered": formats.number(float(covered), 0 if covered.denominator == 1 else 1),
                    "months": ill_months,
                    "level": Level.COMPLETE.label,
                }
            )
    allowed = r.evaluation_discipline_best or {}
    for kind in facts.disciplines:
        step = allowed.get(kind)
        if step is None:
            continue
        level = LEVELS[max(1, min(step, len(LEVELS))) - 1]
        if best is None or rank(level) > rank(best):
            best = level
        code = DISCIPLINED
        reasons.append(
            _("%(discipline)s in the year: %(level)s at best (%(rule)s)")
            % {"discipline": EventKind(kind).label, "level": level.label, "rule": reg}
        )
    return Verdict(True, code, "; ".join(reasons), best)


@dataclass
class Listing:
    """Members listed for a year under a unit: their cell and the verdict on each."""

    on: dt.date
    rules: rules.Rules
    regulation: str
    cells: dict[int, int]  # member id -> cell (official placement on the listing day)
    verdicts: dict[int, Verdict]


def _in_party(on: dt.date) -> Exists:
    return Exists(
        StatusPeriod.objects.filter(member=OuterRef("member_id"), status__in=IN_PARTY).filter(
            period_valid_on(on)
        )
    )


def _placed(on: dt.date) -> QuerySet:
    return (
        Placement.objects.active_on(on)
        .filter(kind=PlacementKind.OFFICIAL, member__deleted_at__isnull=True)
        .filter(_in_party(on))
    )


def facts_of(member_ids: QuerySet | list[int], year: int, on: dt.date) -> dict[int, Facts]:
    """The facts of these members, in two queries (`member_ids`: a subquery or a few ids)."""
    first, last = dt.date(year, 1, 1), rating_day(year)
    facts: dict[int, Facts] = {}
    events = MemberEvent.objects.filter(member_id__in=member_ids).filter(
        Q(kind__in=ADMISSIONS, date__lte=on)
        | Q(kind__in=DISCIPLINES, date__gte=first, date__lte=last)
        | (
            Q(kind__in=[EventKind.EXEMPTED, EventKind.SUSPENDED], date__lte=last)
            & (Q(end_date__isnull=True) | Q(end_date__gte=first))
        )
    )
    rows = events.values_list("member_id", "kind", "date", "end_date", "reason")
    for member, kind, day, end, reason in rows:
        f = facts.setdefault(member, Facts())
        if kind in ADMISSIONS:
            f.admitted = day if f.admitted is None else max(f.admitted, day)
        elif kind in DISCIPLINES:
            f.disciplines.append(kind)
        else:
            covers = day <= on and (end is None or end >= on)
            if kind == EventKind.SUSPENDED:
                f.suspended = f.suspended or covers
            else:
                f.exempt = f.exempt or covers
                if reason == ExemptionReason.ILLNESS:
                    f.ill.append((max(day, first), min(end or last, last)))
    submitted = SelfAssessment.objects.filter(
        member_id__in=member_ids, year=year, submitted_at__isnull=False
    ).values_list("member_id", flat=True)
    for member in submitted:
        facts.setdefault(member, Facts()).submitted = True
    return facts


def listing(unit: OrgUnit, year: int, *, today: dt.date | None = None) -> Listing:
    """The members officially placed in `unit`'s subtree and in the Party on the listing day,
    with their cell and verdict. Four queries and the rules, whatever the subtree."""
    on = listing_day(year, today)
    r = year_rules(year, unit)
    name = regulation(year, unit)
    units = OrgUnit.all_objects.within(unit, on).values("pk")
    placed = _placed(on).filter(unit__in=units)
    cells: dict[int, int] = {}
    # Two official placements overlapping (a move recorded late): the latest one holds.
    for member, cell in placed.order_by("start", "pk").values_list("member_id", "unit_id"):
        cells[member] = cell
    facts = facts_of(placed.values("member_id"), year, on)
    verdicts = {m: judge(facts.get(m, Facts()), year, r, name) for m in cells}
    return Listing(on, r, name, cells, verdicts)


def members(unit: OrgUnit, year: int) -> dict[int, Verdict]:
    """member id -> verdict, for the members a campaign of `unit` lists for `year`."""
    return listing(unit, year).verdicts


def member_cell(member: Member | int, year: int, *, today: dt.date | None = None) -> int | None:
    """The cell holding the member's record on the listing day (None: not placed, or not in
    the Party that day)."""
    on = listing_day(year, today)
    pk = member if isinstance(member, int) else member.pk
    row = _placed(on).filter(member_id=pk).order_by("-start", "-pk").values("unit_id").first()
    return row["unit_id"] if row else None


def member_verdict(member: Member, year: int, *, today: dt.date | None = None) -> Verdict:
    """The verdict on one member for `year`, by the rules of their cell's province."""
    on = listing_day(year, today)
    cell_id = member_cell(member, year, today=today)
    if cell_id is None:
        return Verdict(
            False,
            NOT_LISTED,
            _("Not an active member of a cell on %(date)s") % {"date": formats.date(on)},
        )
    cell = OrgUnit.all_objects.get(pk=cell_id)
    facts = facts_of([member.pk], year, on).get(member.pk, Facts())
    return judge(facts, year, year_rules(year, cell), regulation(year, cell))


# Party organisations --------------------------------------------------------------------------


def unit_judge(founded: dt.date | None, year: int, r: rules.Rules, regulation_name: str) -> Verdict:
    months = r.evaluation_min_months
    if _too_recent(founded, year, months):
        reg = _short(regulation_name) or _("the rules of %(year)s") % {"year": year}
        return Verdict(
            False,
            FOUNDED,
            _("Founded on %(date)s, less than %(months)s months before 31/12 (%(rule)s)")
            % {"date": formats.date(founded), "months": months, "rule": reg},
        )
    return RATED


def _rated_links(unit: OrgUnit, on: dt.date) -> QuerySet:
    below = OrgUnit.all_objects.within(unit, on).exclude(pk=unit.pk)
    return (
        Ancestry.objects.valid(on)
        .filter(distance=1, descendant__in=below.values("pk"))
        .filter(descendant__kind__in=RATED_KINDS, descendant__deleted_at__isnull=True)
        .filter(Q(descendant__dissolved_on__isnull=True) | Q(descendant__dissolved_on__gt=on))
    )


def rating_parents(unit: OrgUnit, year: int, *, today: dt.date | None = None) -> dict[int, int]:
    """unit id -> the parent that rates it, for the party organisations a campaign of `unit`
    rates (cells and base organisations strictly below it, as the tree stood on the listing
    day). One query."""
    links = _rated_links(unit, listing_day(year, today))
    return dict(links.values_list("descendant_id", "ancestor_id"))


def parents(units: Iterable[int] | QuerySet, on: dt.date) -> dict[int, int]:
    """unit id -> its parent as the tree stood on `on` (the parent that rates it): one query
    for a subquery, one per 500 ids for a list."""
    links = Ancestry.objects.valid(on).filter(distance=1)
    if isinstance(units, QuerySet):
        return dict(
            links.filter(descendant_id__in=units).values_list("descendant_id", "ancestor_id")
        )
    out: dict[int, int] = {}
    for part in chunks(units):
        found = links.filter(descendant_id__in=part)
        out.update(found.values_list("descendant_id", "ancestor_id"))
    return out


def units(unit: OrgUnit, year: int, *, today: dt.date | None = None) -> dict[int, Verdict]:
    """unit id -> verdict, for the party organisations a campaign of `unit` rates: a base
    committee's campaign its cells; a district's or province's campaign its base organisations
    and their cells too. One query and the rules."""
    r = year_rules(year, unit)
    name = regulation(year, unit)
    links = _rated_links(unit, listing_day(year, today))
    return {
        pk: unit_judge(day, year, r, name)
        for pk, day in links.values_list("descendant_id", "descendant__founded_on")
    }


def unit_verdict(unit: OrgUnit, year: int) -> Verdict:
    """The verdict on one party organisation for `year`."""
    return unit_judge(unit.founded_on, year, year_rules(year, unit), regulation(year, unit))
