"""Who is due a Party badge on an occasion, for a unit's subtree, computed in SQL.

For the occasion day O, with the rules in force on O:
- due: in the Party on O with an official placement in the subtree; milestone N = the highest
  badge age reached by O (party age counted as in chibo.members.age); no badge of N or more
  years recorded yet;
- early (serious illness): exempt from activities for illness on O, and a milestone falls
  within badge_early_ill_months[N] months after O;
- posthumous: died in the badge_posthumous_months before O (or on O), placed in the subtree
  when they died, with a milestone falling at most that many months after the death (party
  age of the in-Party period that the death ended);
- held back: any of these, disciplined less than badge_discipline_wait_months[kind] months
  before O: listed apart, with the day the wait ends.

Two queries over members (the living, the deceased) and one for the cells' names, whatever the
number of members: milestones are CASEs on cut-off dates computed here, the badges already
recorded are the members' kept copy (`Member.badge_years`, chibo.badges.services), discipline
is a correlated subquery the database runs only for the members it keeps."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from chibo import rules as party_rules
from chibo.core.prepared import Mark, in_list, prepared
from chibo.core.search import sort_key
from chibo.core.sql import InFirst
from chibo.members.age import (
    age_between,
    latest_start,
    reached_on,
    with_party_age_from,
)
from chibo.members.models import (
    DISCIPLINES,
    IN_PARTY,
    EventKind,
    ExemptionReason,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    StatusPeriod,
)
from chibo.members.queries import placed_in, placed_or_held
from chibo.org import subtree as org_tree
from chibo.org.models import Ancestry, OrgUnit
from chibo.org.subtree import Subtree, marked, subtree_of
from chibo.rules.calendar import add_months

from ..models import Early


class Reason(models.TextChoices):
    DUE = "due", _("Due")
    ILLNESS = "illness", _("Early: serious illness")
    POSTHUMOUS = "posthumous", _("Posthumous")


EARLY_OF_REASON = {
    Reason.DUE: "",
    Reason.ILLNESS: Early.ILLNESS,
    Reason.POSTHUMOUS: Early.POSTHUMOUS,
}


@dataclass
class DueRow:
    member_id: int
    full_name: str
    code: str
    birth_date: dt.date
    admitted_on: dt.date | None
    party_age_from: dt.date
    years: int  # the badge: years of party age
    qualifies_on: dt.date  # the day party age reaches `years`
    reason: str  # Reason
    cell_id: int | None
    cell_name: str = ""
    cell_code: str = ""
    death_on: dt.date | None = None
    held_until: dt.date | None = None  # held back by discipline until this day
    held_by: str = ""  # the discipline (EventKind) that holds the member back longest
    sort_name: str = ""

    @property
    def choice(self) -> str:
        """The value of the row's checkbox in the award form."""
        return f"{self.member_id}:{self.years}"

    @property
    def early(self) -> str:
        return EARLY_OF_REASON[Reason(self.reason)]

    @property
    def reason_label(self) -> str:
        return str(Reason(self.reason).label)

    @property
    def held_by_label(self) -> str:
        return str(EventKind(self.held_by).label) if self.held_by else ""


@dataclass
class DueList:
    """The rows of due_list and their sections (computed once: the rows do not change)."""

    unit: OrgUnit
    on: dt.date
    rules: party_rules.Rules
    rows: list[DueRow] = field(default_factory=list)

    @cached_property
    def awardable(self) -> list[DueRow]:
        return [r for r in self.rows if r.held_until is None]

    @cached_property
    def due(self) -> list[DueRow]:
        return [r for r in self.awardable if r.reason == Reason.DUE]

    @cached_property
    def groups(self) -> list[tuple[int, list[DueRow]]]:
        """The due members by badge (30 years first), each group in cell and name order."""
        rows = sorted(self.due, key=lambda r: r.years)
        return [(years, list(group)) for years, group in groupby(rows, key=lambda r: r.years)]

    @cached_property
    def early(self) -> list[DueRow]:
        return [r for r in self.awardable if r.reason == Reason.ILLNESS]

    @cached_property
    def posthumous(self) -> list[DueRow]:
        return [r for r in self.awardable if r.reason == Reason.POSTHUMOUS]

    @cached_property
    def held(self) -> list[DueRow]:
        return [r for r in self.rows if r.held_until is not None]

    @cached_property
    def _by_member(self) -> dict[int, DueRow]:
        return {r.member_id: r for r in self.rows}

    def find(self, member_id: int) -> DueRow | None:
        return self._by_member.get(member_id)


def _waits(r: party_rules.Rules, on: dt.date) -> dict[str, tuple[int, dt.date]]:
    """Discipline kind -> (months held back, the last day such a decision no longer holds
    the member back on `on`)."""
    waits = r.badge_discipline_wait_months or {}
    return {k: (m, latest_start(on, m)) for k, m in sorted(waits.items()) if k in DISCIPLINES}


def _with_discipline(qs: QuerySet, member: str, on: dt.date, waits) -> QuerySet:
    """Alias `held_<kind>`: the latest decision of that kind still holding the member back on
    `on` (NULL: none); and `held`, whether any does."""
    if not waits:
        return qs.alias(held=Value(False))
    held = Q()
    for kind, (_months, cut) in waits.items():
        latest = MemberEvent.objects.filter(
            member=OuterRef(member), kind=kind, date__gt=cut, date__lte=on
        ).order_by("-date")
        qs = qs.alias(**{f"held_{kind}": Subquery(latest.values("date")[:1])})
        held |= Q(**{f"held_{kind}__isnull": False})
    flag = Case(
        When(held, then=Value(True)), default=Value(False), output_field=models.BooleanField()
    )
    return qs.alias(held=flag)


def _case(compiler, connection, node, when: str) -> tuple[str, list]:
    """`CASE <when>... ELSE NULL END` over `node.cuts`, (cut-off date, badge years) pairs:
    each `when` names the column `{column}` and the years `{n}`, the date is its `%s`
    (NULL when there is no cut)."""
    column, params = compiler.compile(node.source_expressions[0])
    if not node.cuts:
        return "NULL", []
    whens, out = [], []
    for cut, n in node.cuts:
        whens.append(when.format(column=column, n=n))
        out += [*params, connection.ops.adapt_datefield_value(cut)]
    return f"CASE {' '.join(whens)} ELSE NULL END", out


class Milestone(Func):
    """SQL: the highest N of `years` reached by `on` + years[N] months by a party age counted
    from `field` (NULL when none), as chibo.members.age.milestone_case, compiled as one node
    with its cut-off dates as parameters: the tree of When and lookups took longer to compile
    (and PostgreSQL to plan) than the query took to run for a cell."""

    output_field = IntegerField()

    def __init__(self, field: str, on: dt.date, years: dict[int, int]) -> None:
        super().__init__(F(field))
        self.cuts = [
            (latest_start(add_months(on, ahead), 12 * n), int(n))
            for n, ahead in sorted(years.items(), reverse=True)
        ]

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        return _case(compiler, connection, self, "WHEN {column} <= %s THEN {n}")


class LatestAdmission(Func):
    """SQL: the latest first-admission day from which party age reaches, by `on` + years[N]
    months, a badge N above the highest recorded (the column `field`, 0: none); NULL when no
    badge is left above it. `admitted_on <= LatestAdmission(...)` is `Milestone("admitted_on",
    ...) > badge_years` with one date comparison per member instead of a dozen."""

    output_field = models.DateField()

    def __init__(self, field: str, on: dt.date, years: dict[int, int]) -> None:
        super().__init__(F(field))
        cuts = {int(n): latest_start(add_months(on, ahead), 12 * n) for n, ahead in years.items()}
        # Above a recorded badge below n: any badge of n or more will do, the latest cut wins.
        self.cuts = [(max(c for m, c in cuts.items() if m >= n), n) for n in sorted(cuts)]

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        return _case(compiler, connection, self, "WHEN {column} < {n} THEN %s")


def placed(units: Subtree, on: dt.date, first: bool, where: Q) -> QuerySet:
    """Members officially placed on `on` in the subtree's units (as Member.placed_in) whose
    own row passes `where`, a condition on the columns of members.member_badge_cut_idx
    (`home_unit`, `admitted_on`, `badge_years`) that most of them fail.

    `first` (Subtree.small; a province among ten): they are read first (chibo.core.sql.
    InFirst), so that they drive the lookups of their status periods rather than being kept
    at the end of whole-table joins. They are found from the records the subtree holds,
    `where` read in the index (chibo.members.queries.placed_or_held), and kept if placed
    there on `on`. From the placements alone, a province's 100,000 members were looked up
    one by one, by id, to keep 10,000 (bench/README.md, issue 13).

    Otherwise (the subtree is most of the database) from the placements, joined whole."""
    placements = placed_in(units, on).values("member_id")
    if not first:
        return Member.objects.filter(pk__in=placements).filter(where)
    there = placements.filter(member=OuterRef("pk"))
    return (
        Member.objects.filter(InFirst("pk", placed_or_held(units, on, where)))
        .filter(Exists(there))
        .filter(where)
    )


def living(
    unit: OrgUnit,
    on: dt.date,
    r: party_rules.Rules,
    units: Subtree | None = None,
    first: bool | None = None,
) -> QuerySet:
    """Members in the Party on `on`, placed in the subtree, due (or early for illness),
    annotated `years` and `reason`; discipline as aliases (see _with_discipline). `units`:
    the subtree on `on`, when the caller has read it already; `first`: see `placed` (by
    default, whether the subtree is small)."""
    years = r.badge_years or []
    ahead = r.badge_early_ill_months or {}
    units = units if units is not None else subtree_of(unit, on)
    early_years = {n: ahead.get(n, 0) for n in years}
    # The first cut, from the member's own row: party age never counts from before the first
    # admission (`admitted_on`), so the badge it reaches counted from that day is the highest
    # one possible; a member whose recorded badges (`badge_years`, a kept copy) already reach
    # it is left out before any status period is looked up. (Most long-standing members hold
    # their badges: in the demo this leaves 10,602 of a province's 100,000 members.)
    cut = Q(admitted_on__isnull=True) | Q(
        admitted_on__lte=LatestAdmission("badge_years", on, early_years)
    )
    members = placed(units, on, units.small if first is None else first, where=cut)
    qs = with_party_age_from(members, on)
    qs = qs.alias(
        milestone=Milestone("party_age_from", on, dict.fromkeys(years, 0)),
        early_milestone=Milestone("party_age_from", on, early_years),
    ).filter(early_milestone__isnull=False)  # never below `milestone`: a cheap first cut
    ill = MemberEvent.objects.filter(
        member=OuterRef("pk"),
        kind=EventKind.EXEMPTED,
        reason=ExemptionReason.ILLNESS,
        date__lte=on,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    # The cheap comparison first: the database need not look for an exemption otherwise.
    early = (Q(milestone__isnull=True) | Q(milestone__lt=F("early_milestone"))) & Q(ill=True)
    qs = qs.alias(ill=Exists(ill)).annotate(
        years=Case(When(early, then=F("early_milestone")), default=F("milestone")),
        reason=Case(When(early, then=Value(Reason.ILLNESS.value)), default=Value(Reason.DUE.value)),
    )
    # Not recorded yet: no badge of `years` or more (the kept copy of the highest).
    qs = qs.filter(years__isnull=False, years__gt=F("badge_years"))
    qs = _with_discipline(qs, "pk", on, _waits(r, on))
    return qs if years else qs.none()  # no badge rule in force that day


# A subtree holding more than 1/DEATHS_FIRST of the database's units starts the posthumous
# list from the deaths of the window in the whole database (a few per thousand members, found
# by their own index) rather than from its own members: for a province among ten, 1,246
# deaths against 100,000 placements (bench/README.md, issue 13).
DEATHS_FIRST = 50


def deceased(
    unit: OrgUnit, on: dt.date, r: party_rules.Rules, units: Subtree | None = None
) -> list[dict]:
    """The in-Party status periods that a death in the window before `on` ended, of members
    placed in the subtree when they died, with a posthumous badge not yet recorded: one row
    per member, as due_list reads them (`badge`, `why`, `cell_key`, `last_<discipline>`...).

    The periods of the window are few (a few hundred in 100,000 members): the database picks
    them with the highest badge recorded, and the milestone, whose reference day differs per
    member, is counted here (chibo.members.age.age_between, as WholeMonths counts it in SQL):
    written out in SQL it was 50,000 characters to compile and plan, for a cell's board too.
    `units`: the subtree on `on`, when the caller has read it already."""
    years = r.badge_years or []
    months = r.badge_posthumous_months or 0
    if not years or r.badge_posthumous_months is None:
        return []
    waits = _waits(r, on)
    units = units if units is not None else subtree_of(unit, on)
    deaths_first = DEATHS_FIRST * len(units.ids) > org_tree.unit_total()
    rows = prepared(
        StatusPeriod,
        ("badges.deceased", on, _rules_key(r), months, deaths_first),
        lambda marks: _deceased_rows(marks.ids("root"), on, months, waits, deaths_first),
        root=[unit.pk],
    )
    out = []
    for x in rows:
        if x["age_from"] is None or x["age_from"] > x["death"]:
            continue
        age = age_between(x["age_from"], add_months(x["death"], months))
        reached = [n for n in years if 12 * age.years + age.months >= 12 * n]
        if not reached or (x["awarded"] or 0) >= max(reached):
            continue
        out.append({**x, "badge": max(reached), "why": Reason.POSTHUMOUS.value})
    return out


def _deceased_rows(
    root: Mark, on: dt.date, months: int, waits: dict, deaths_first: bool
) -> QuerySet:
    """The query of `deceased`, for the subtree of the unit `root` stands for; starting from
    the window's deaths, or (not `deaths_first`) from the subtree's members."""
    died = MemberEvent.objects.filter(
        member=OuterRef("member_id"), kind=EventKind.DECEASED, date=OuterRef("valid_to")
    )
    tree = Ancestry.objects.filter(
        in_list("ancestor_id", root),
        descendant_id=OuterRef("unit_id"),
        valid_from__lte=OuterRef(OuterRef("valid_to")),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef(OuterRef("valid_to"))))
    # Placed on the day of death, or until it (a service may close the placement that day).
    placed = (
        Placement.objects.filter(
            member=OuterRef("member_id"),
            kind=PlacementKind.OFFICIAL,
            start__lte=OuterRef("valid_to"),
        )
        .filter(Q(end__isnull=True) | Q(end__gte=OuterRef("valid_to")))
        .filter(Exists(tree))
        .order_by("-start", "-pk")
    )
    since = add_months(on, -months)
    nearby: QuerySet  # of member ids
    if deaths_first:
        # The deaths of the window (memberevent_deceased_idx), then each one's periods.
        nearby = MemberEvent.objects.filter(
            kind=EventKind.DECEASED, date__gte=since, date__lte=on
        ).values("member_id")
    else:
        # Scope first: the members placed in the window in a unit that lay under `unit` at
        # some time in it (a superset: the exact test is `placed`), then their in-Party
        # periods ended in the window, a few in each subtree. (A commune's board read every
        # period of the window in the database.)
        ever = Ancestry.objects.filter(in_list("ancestor_id", root), valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=since)
        )
        nearby = (
            Placement.objects.filter(
                kind=PlacementKind.OFFICIAL, unit__in=ever.values("descendant_id"), start__lte=on
            )
            .filter(Q(end__isnull=True) | Q(end__gte=since))
            .values("member_id")
        )
    window = StatusPeriod.objects.filter(
        status__in=IN_PARTY, valid_to__gte=since, valid_to__lte=on, member_id__in=Subquery(nearby)
    )
    qs = (
        StatusPeriod.objects.filter(pk__in=window.values("pk"), member__deleted_at__isnull=True)
        .filter(Exists(died))
        .alias(cell=Subquery(placed.values("unit_id")[:1]))
        .filter(cell__isnull=False)
    )
    qs = _with_discipline(qs, "member_id", on, waits)
    return qs.order_by().values(
        member_key=F("member_id"),
        name=F("member__full_name"),
        record_code=F("member__code"),
        born=F("member__birth_date"),
        first_admitted=F("member__admitted_on"),
        sort=F("member__search_name"),
        age_from=F("party_age_from"),
        cell_key=F("cell"),
        death=F("valid_to"),
        awarded=F("member__badge_years"),
        **{f"last_{kind}": F(f"held_{kind}") for kind in waits},
    )


def due_list(unit: OrgUnit, on: dt.date, r: party_rules.Rules | None = None) -> DueList:
    """Everyone due a badge on `on` under `unit`, with the early, posthumous and held-back
    cases (see the module's docstring). `r`: the rules to apply (default: those in force on
    `on` for the unit)."""
    r = r if r is not None else party_rules.at(on, unit)
    waits = _waits(r, on)
    units = subtree_of(unit, on)
    cell_on = Placement.objects.active_on(on).filter(
        member=OuterRef("pk"), kind=PlacementKind.OFFICIAL
    )
    raw = list(
        living(unit, on, r, units=units)
        .order_by()
        .values(
            member_key=F("pk"),
            name=F("full_name"),
            record_code=F("code"),
            born=F("birth_date"),
            first_admitted=F("admitted_on"),
            sort=F("search_name"),
            age_from=F("party_age_from"),
            badge=F("years"),
            why=F("reason"),
            cell_key=Subquery(cell_on.order_by("-start", "-pk").values("unit_id")[:1]),
            **{f"last_{kind}": F(f"held_{kind}") for kind in waits},
        )
    )
    raw += deceased(unit, on, r, units=units)
    cells = {
        pk: (name, code)
        for pk, name, code in OrgUnit.all_objects.filter(
            pk__in={x["cell_key"] for x in raw}
        ).values_list("pk", "name", "code")
    }
    rows = []
    for x in raw:
        held = [
            (add_months(x[f"last_{kind}"], months), kind)
            for kind, (months, _cut) in waits.items()
            if x[f"last_{kind}"] is not None
        ]
        until, by = max(held) if held else (None, "")
        name, code = cells.get(x["cell_key"], ("", ""))
        rows.append(
            DueRow(
                member_id=x["member_key"],
                full_name=x["name"],
                code=x["record_code"],
                birth_date=x["born"],
                admitted_on=x["first_admitted"],
                party_age_from=x["age_from"],
                years=x["badge"],
                qualifies_on=reached_on(x["age_from"], x["badge"]),
                reason=x["why"],
                cell_id=x["cell_key"],
                cell_name=name,
                cell_code=code,
                death_on=x.get("death"),
                held_until=until,
                held_by=by,
                sort_name=x["sort"],
            )
        )
    rows.sort(key=lambda row: (sort_key(row.cell_name), row.sort_name, row.member_id))
    return DueList(unit=unit, on=on, rules=r, rows=rows)


Counts = Counter[tuple[int, str, bool]]


def _rules_key(r: party_rules.Rules) -> tuple:
    """What of the rules `living` builds its query from (a prepared query's key)."""
    return (
        tuple(r.badge_years or []),
        tuple(sorted((r.badge_early_ill_months or {}).items())),
        tuple(sorted((r.badge_discipline_wait_months or {}).items())),
    )


def due_counts(
    unit: OrgUnit, on: dt.date, r: party_rules.Rules | None = None, units: Subtree | None = None
) -> Counts:
    """(badge years, reason, held back) -> number of members, by two GROUP BY queries: the
    figures of due_list without reading its rows. The first is built once per day and rules
    (chibo.core.prepared): for a cell, building it cost more than running it. `units`: the
    subtree on `on`, when the caller has read it already."""
    r = r if r is not None else party_rules.at(on, unit)
    units = units if units is not None else subtree_of(unit, on)
    first = units.small
    counts: Counts = Counter()
    grouped = prepared(
        Member,
        ("badges.due_counts", on, _rules_key(r), first),
        lambda marks: (
            living(unit, on, r, units=marked(marks.ids("units")), first=first)
            .order_by()
            .values("years", "reason", is_held=F("held"))
            .annotate(n=Count("*"))
        ),
        units=units.ids,
    )
    for row in grouped:
        counts[(row["years"], row["reason"], bool(row["is_held"]))] += row["n"]
    waits = _waits(r, on)
    for x in deceased(unit, on, r, units=units):
        held = any(x[f"last_{kind}"] is not None for kind in waits)
        counts[(x["badge"], x["why"], held)] += 1
    return counts
