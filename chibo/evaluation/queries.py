"""Reads of the annual evaluation: a campaign's board (who waits at which stage, the checks
live), a member's history, the campaign covering a member or cell, a unit's campaigns."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from chibo.core.sql import chunks
from chibo.members.models import Member
from chibo.org.models import Ancestry, OrgUnit

from . import ratable
from .checks import Check, checks
from .models import Campaign, Evaluation, Level, SelfAssessment, Stage

# What a rated row waits for, in the stages' order ("" once published, or when not rated).
WAITS = [Stage.SELF, Stage.CELL, Stage.DECISION, Stage.PUBLISHED]


@dataclass
class BoardRow:
    id: int
    kind: str  # "member" or "unit"
    member_id: int | None
    unit_id: int | None
    name: str
    code: str
    cell_id: int | None  # a member's cell; a unit's rating parent
    cell_name: str
    verdict: ratable.Verdict
    not_rated: str
    waits_for: str  # a Stage value, or "" (published, or not rated)
    self_id: int | None
    self_state: str  # "", "draft" or "submitted"
    self_level: str
    proposed_level: str
    proposed_votes: int | None
    proposed_voters: int | None
    proposed_on: dt.date | None
    level: str
    score: int | None
    decided_on: dt.date | None
    version: int  # of the Evaluation, for the board's forms (core.versions)


@dataclass
class Missing:
    """A cell's members who have not submitted their self-assessment."""

    cell_id: int
    cell_name: str
    names: list[str]


@dataclass
class Board:
    campaign: Campaign
    rows: list[BoardRow]
    counts: dict[str, int]  # "self", "cell", "decision", "published" (waiting), "done", "not_rated"
    missing: list[Missing]
    checks: list[Check] = field(default_factory=list)

    @property
    def refusing(self) -> list[Check]:
        return [c for c in self.checks if c.refuses]


def waits_for(row: Evaluation, campaign: Campaign, self_state: str) -> str:
    if row.not_rated or campaign.published:
        return ""
    if row.level:
        return Stage.PUBLISHED
    if row.proposed_level:
        return Stage.DECISION
    if row.member_id and self_state != "submitted":
        return Stage.SELF
    return Stage.CELL


def board(campaign: Campaign, rows: QuerySet[Evaluation] | None = None) -> Board:
    """The campaign's board; `rows`: the rows the reader sees (chibo.evaluation.access
    evaluations_for), all by default. The checks are the campaign's (all its rows). A fixed
    number of queries, whatever the campaign's size."""
    qs = rows if rows is not None else Evaluation.objects.filter(campaign=campaign)
    qs = qs.filter(campaign=campaign).select_related("member", "unit", "cell")
    found = list(qs.order_by("cell__sort_name", "member__search_name", "unit__sort_name", "pk"))
    on = ratable.listing_day(campaign.year)
    r = ratable.year_rules(campaign.year, campaign.unit)
    member_rows = qs.filter(member__isnull=False).values("member_id")
    facts = ratable.facts_of(member_rows, campaign.year, on)
    selves = {
        s.member_id: s
        for s in SelfAssessment.objects.filter(year=campaign.year, member_id__in=member_rows).only(
            "pk", "member_id", "submitted_at", "proposed_level"
        )
    }
    parents = ratable.parents(
        qs.filter(unit__isnull=False).values("unit_id"), ratable.listing_day(campaign.year)
    )
    parent_names: dict[int, str] = {}
    for part in chunks(parents.values()):
        parent_names.update(OrgUnit.all_objects.filter(pk__in=part).values_list("pk", "name"))
    out: list[BoardRow] = []
    missing: dict[int, Missing] = {}
    counts: Counter[str] = Counter()
    for row in found:
        s = selves.get(row.member_id) if row.member_id else None
        state = "" if s is None else ("submitted" if s.submitted_at else "draft")
        if row.member is not None:
            verdict = ratable.judge(
                facts.get(row.member.pk, ratable.Facts()), campaign.year, r, campaign.regulation
            )
            name, code = row.member.full_name, row.member.code
            cell_id, cell_name = row.cell_id, row.cell.name if row.cell else ""
        else:
            unit = row.unit
            assert unit is not None  # a row rates a member or a unit
            verdict = ratable.unit_judge(unit.founded_on, campaign.year, r, campaign.regulation)
            name, code = unit.name, unit.code
            cell_id = parents.get(unit.pk)
            cell_name = parent_names.get(cell_id, "") if cell_id else ""
        stage = waits_for(row, campaign, state)
        if row.not_rated:
            counts["not_rated"] += 1
        elif stage:
            counts[stage] += 1
        else:
            counts["done"] += 1
        if stage == Stage.SELF and row.cell_id:
            missing.setdefault(row.cell_id, Missing(row.cell_id, cell_name, [])).names.append(name)
        out.append(
            BoardRow(
                id=row.pk,
                kind="member" if row.member_id else "unit",
                member_id=row.member_id,
                unit_id=row.unit_id,
                name=name,
                code=code,
                cell_id=cell_id,
                cell_name=cell_name,
                verdict=verdict,
                not_rated=row.not_rated,
                waits_for=stage,
                self_id=s.pk if s else None,
                self_state=state,
                self_level=s.proposed_level if s else "",
                proposed_level=row.proposed_level,
                proposed_votes=row.proposed_votes,
                proposed_voters=row.proposed_voters,
                proposed_on=row.proposed_on,
                level=row.level,
                score=row.score,
                decided_on=row.decided_on,
                version=row.version,
            )
        )
    keys = [*WAITS, "done", "not_rated"]
    return Board(
        campaign=campaign,
        rows=out,
        counts={k: counts.get(k, 0) for k in keys},
        missing=sorted(missing.values(), key=lambda m: m.cell_name),
        checks=checks(campaign),
    )


@dataclass
class HistoryEntry:
    year: int
    campaign: Campaign
    evaluation: Evaluation
    unit_name: str
    regulation: str
    published: bool
    level: str  # the decided level, once published
    score: int | None
    not_rated: str
    self_assessment: SelfAssessment | None


def history(member: Member) -> list[HistoryEntry]:
    """The member's evaluations, newest first, with their self-assessment. The level shows
    once the campaign is published."""
    rows = (
        Evaluation.objects.filter(member=member)
        .select_related("campaign", "campaign__unit")
        .order_by("-year", "-pk")
    )
    selves = {s.year: s for s in SelfAssessment.objects.filter(member=member)}
    return [
        HistoryEntry(
            year=row.year,
            campaign=row.campaign,
            evaluation=row,
            unit_name=row.campaign.unit.name,
            regulation=row.campaign.regulation,
            published=row.campaign.published,
            level=row.level if row.campaign.published else "",
            score=row.score if row.campaign.published else None,
            not_rated=row.not_rated,
            self_assessment=selves.get(row.year),
        )
        for row in rows
    ]


def campaign_covering(member_or_cell: Member | OrgUnit, year: int) -> Campaign | None:
    """The campaign rating a member (the one listing them, else the one covering their cell)
    or a cell for `year`."""
    if isinstance(member_or_cell, Member):
        row = Evaluation.objects.filter(member=member_or_cell, year=year).first()
        if row is not None:
            return row.campaign
        cell_id = ratable.member_cell(member_or_cell, year)
        if cell_id is None:
            return None
    else:
        cell_id = member_or_cell.pk
    on = ratable.listing_day(year)
    above = Ancestry.objects.valid(on).filter(descendant_id=cell_id)
    return (
        Campaign.objects.filter(year=year, unit_id__in=above.values("ancestor_id"))
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )


def campaigns_of(unit: OrgUnit) -> QuerySet[Campaign]:
    """The campaigns on the unit, above it (covering it) and below it, newest year first."""
    links = Ancestry.objects.valid()
    return (
        Campaign.objects.filter(
            Q(unit_id__in=links.filter(descendant=unit).values("ancestor_id"))
            | Q(unit_id__in=links.filter(ancestor=unit).values("descendant_id"))
        )
        .select_related("unit")
        .order_by("-year", "unit__depth", "unit__sort_name", "pk")
    )


def not_rated_reason(row: Evaluation) -> str:
    """The reason a row is not rated, read again from the rules (for one row)."""
    if not row.not_rated:
        return ""
    if row.member is not None:
        return ratable.member_verdict(row.member, row.year).reason or row.not_rated
    assert row.unit is not None
    return ratable.unit_verdict(row.unit, row.year).reason or row.not_rated


def level_label(level: str) -> str:
    return str(Level(level).label) if level else _("not decided")
