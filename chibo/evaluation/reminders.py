"""The annual evaluation's deadlines (chibo.core.deadlines): on a unit's deadline board, each
open campaign's stage with rows still waiting and its deadline; on a member's timeline, their
own self-assessment due; in their history, the levels published."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from chibo.core.deadlines import (
    BOARD,
    DUE,
    HISTORY,
    Ask,
    BoardSource,
    DueSource,
    Entry,
    HistorySource,
    Part,
)
from chibo.core.export import Column, Table
from chibo.members.models import Member
from chibo.org.models import Ancestry, OrgUnit
from chibo.org.subtree import Subtree, board_units, subtree_of

from .models import Campaign, Evaluation, Level, SelfAssessment, Stage
from .ratable import EXEMPT_NO_SELF

STAGE_DUE = {
    Stage.SELF: "self_due",
    Stage.CELL: "cell_due",
    Stage.DECISION: "decision_due",
    Stage.PUBLISHED: "publish_due",
}


@dataclass
class StageDue:
    campaign_id: int
    unit_id: int
    unit_name: str
    year: int
    stage: str
    stage_label: str
    due: dt.date
    waiting: int
    overdue: bool


class StageDueOut(Schema):
    campaign: int = Field(validation_alias="campaign_id")
    unit: int = Field(validation_alias="unit_id")
    unit_name: str
    year: int
    stage: str = Field(description="self, cell, decision or published (publication).")
    due: dt.date
    waiting: int = Field(description="Rows waiting for this stage (the unit's subtree).")
    overdue: bool


def _submitted() -> Exists:
    return Exists(
        SelfAssessment.objects.filter(
            member_id=OuterRef("member_id"), year=OuterRef("year"), submitted_at__isnull=False
        )
    )


def _open_campaigns(unit: OrgUnit | None, year: int) -> QuerySet[Campaign]:
    """The unpublished campaigns of `year` (and of the year before, which run into January)
    on the unit, above it or below it."""
    qs = Campaign.objects.filter(
        published_at__isnull=True, imported=False, year__in=[year, year - 1]
    ).select_related("unit")
    if unit is None:
        return qs
    links = Ancestry.objects.valid()
    return qs.filter(
        Q(unit_id__in=links.filter(descendant=unit).values("ancestor_id"))
        | Q(unit_id__in=links.filter(ancestor=unit).values("descendant_id"))
    )


def stages_due(
    unit: OrgUnit | None, on: dt.date, year: int, *, units: Subtree | None = None
) -> list[StageDue]:
    """For each open campaign, each stage with rows waiting (those of `unit`'s subtree:
    `units`, the board's, or as it stands today), with its deadline; and publication once
    every rated row is decided. Two queries (three without `units`)."""
    campaigns = {c.pk: c for c in _open_campaigns(unit, year)}
    if not campaigns:
        return []
    rows = Evaluation.objects.filter(campaign_id__in=list(campaigns), not_rated="")
    if unit is not None:
        # The subtree's rows by the indexes on (year, cell) and (unit, year): a cell's board
        # reads its own rows, not every row of the province's campaign.
        units = units if units is not None else subtree_of(unit)
        years = {c.year for c in campaigns.values()}  # a row's year is its campaign's
        rows = rows.filter(year__in=years).filter(units.q("cell_id") | units.q("unit_id"))
    undecided = Q(level="", proposed_level="")
    counts = rows.values("campaign_id").annotate(
        n_self=Count("pk", filter=undecided & Q(member__isnull=False) & ~Q(_submitted())),
        n_cell=Count("pk", filter=undecided & (Q(member__isnull=True) | Q(_submitted()))),
        n_decision=Count("pk", filter=Q(level="") & ~Q(proposed_level="")),
        n_decided=Count("pk", filter=~Q(level="")),
        n_total=Count("pk"),
    )
    out: list[StageDue] = []
    for found in counts:
        campaign = campaigns[found["campaign_id"]]
        waiting = {
            Stage.SELF: found["n_self"],
            Stage.CELL: found["n_cell"],
            Stage.DECISION: found["n_decision"],
            # Publication waits once every rated row is decided.
            Stage.PUBLISHED: found["n_total"] if found["n_decided"] == found["n_total"] else 0,
        }
        for stage, n in waiting.items():
            if not n:
                continue
            due = getattr(campaign, STAGE_DUE[stage])
            out.append(
                StageDue(
                    campaign.pk,
                    campaign.unit_id,
                    campaign.unit.name,
                    campaign.year,
                    stage,
                    str(Stage(stage).label),
                    due,
                    n,
                    due < on,
                )
            )
    out.sort(key=lambda s: (s.due, s.unit_name, s.campaign_id))
    return out


# The stages as the board's Excel file names them (the document's Vietnamese).
STAGE_TITLES = {
    Stage.SELF: "Đảng viên tự kiểm điểm",
    Stage.CELL: "Chi bộ thảo luận, đề xuất",
    Stage.DECISION: "Cấp ủy xem xét, quyết định",
    Stage.PUBLISHED: "Công bố kết quả",
}
SHEET_TITLE = "Đánh giá, xếp loại"


def _sheet(rows: list[StageDue]) -> Table:
    columns = [
        Column("STT", 6),
        Column("Đơn vị mở đợt", 34),
        Column("Năm", 8),
        Column("Bước", 28),
        Column("Hạn", 12),
        Column("Còn chờ", 10),
    ]
    lines = [
        [i, r.unit_name, r.year, STAGE_TITLES[Stage(r.stage)], r.due, r.waiting]
        for i, r in enumerate(rows, start=1)
    ]
    return Table(SHEET_TITLE, columns, lines)


def _board(ask: Ask) -> dict[str, Any]:
    # The subtree as it stood on the day asked, read once for every source of the board.
    return {"evaluation": stages_due(ask.unit, ask.on, ask.year, units=board_units(ask))}


BOARD.register(
    "evaluation",
    BoardSource(
        parts=(
            Part(
                "evaluation",
                list[StageDueOut],
                "Stages of the open evaluation campaigns with rows still waiting.",
                label=gettext_lazy("Annual evaluation"),
                count=len,
                overdue=lambda rows: sum(1 for r in rows if r.overdue),
                sheet=_sheet,
                title=SHEET_TITLE,
            ),
        ),
        compute=_board,
        template="evaluation/deadlines/board.html",
        order=40,
    ),
)


# The member's own ----------------------------------------------------------------------------


class SelfDueOut(Schema):
    campaign: int = Field(validation_alias="campaign_id")
    year: int
    due: dt.date
    draft: bool = Field(description="A draft is saved, not yet submitted.")
    overdue: bool


@dataclass
class SelfDue:
    campaign_id: int
    year: int
    due: dt.date
    draft: bool
    overdue: bool


def self_due(member: Member, on: dt.date) -> SelfDue | None:
    """The member's self-assessment still to submit: listed in an open campaign, rated (or
    exempt and rated only with one), not submitted."""
    row = (
        Evaluation.objects.filter(
            member=member,
            campaign__published_at__isnull=True,
            campaign__imported=False,
            not_rated__in=["", EXEMPT_NO_SELF],
            level="",
            proposed_level="",
        )
        .select_related("campaign")
        .order_by("-year")
        .first()
    )
    if row is None:
        return None
    mine = SelfAssessment.objects.filter(member=member, year=row.year).first()
    if mine is not None and mine.submitted_at is not None:
        return None
    due = row.campaign.self_due
    return SelfDue(row.campaign_id, row.year, due, mine is not None, due < on)


DUE.register(
    "evaluation",
    DueSource(
        parts=(Part("self_assessment", SelfDueOut | None, "The self-assessment to submit."),),
        compute=lambda member, on: {"self_assessment": self_due(member, on)},
        template="evaluation/deadlines/due.html",
        order=40,
    ),
)


def _ratings(member: Member) -> list[Entry]:
    out = []
    rows = (
        Evaluation.objects.filter(member=member, campaign__published_at__isnull=False)
        .exclude(level="")
        .select_related("campaign")
        .order_by("year", "pk")
    )
    for row in rows:
        title = _("Rated for %(year)s: %(level)s") % {
            "year": row.year,
            "level": Level(row.level).label,
        }
        day = row.decided_on or dt.date(row.year, 12, 31)
        out.append(Entry(day, "evaluation", title, row.campaign.regulation))
    return out


HISTORY.register("evaluation", HistorySource(_ratings, rank=60))
