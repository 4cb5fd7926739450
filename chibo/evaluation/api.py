"""/api/v1/evaluation: the annual evaluation's campaigns (open, board, refresh, overrides,
publication), the cell's proposal and the committee's decision on each row, the member's own
self-assessment of a year, and a member's history. Same access as the pages
(chibo.evaluation.access)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import Conflict, InSchema, Page, Year, version_field
from chibo.members import access as member_access
from chibo.org import access as org_access

from . import access, criteria, queries, ratable, services
from .models import Campaign, Evaluation, Level, Override, SelfAssessment

evaluation = Router(tags=["evaluation"])


# Schemas --------------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    unit: int = Field(validation_alias="unit_id")
    unit_name: str
    year: int
    regulation: str
    self_due: dt.date
    cell_due: dt.date
    decision_due: dt.date
    publish_due: dt.date
    imported: bool
    published_at: dt.datetime | None

    @staticmethod
    def resolve_unit_name(obj: Campaign) -> str:
        return obj.unit.name


class CampaignIn(InSchema):
    unit: int
    year: Year
    self_due: dt.date
    cell_due: dt.date
    decision_due: dt.date
    publish_due: dt.date


class VerdictOut(Schema):
    rated: bool
    code: str
    reason: str
    best: Level | None


class RowOut(Schema):
    id: int
    kind: str = Field(description="member or unit")
    member: int | None = Field(validation_alias="member_id")
    unit: int | None = Field(validation_alias="unit_id")
    name: str
    code: str
    cell: int | None = Field(
        validation_alias="cell_id", description="A member's cell; a unit's rating parent."
    )
    cell_name: str
    verdict: VerdictOut
    not_rated: str
    waits_for: str = Field(description="self, cell, decision, published (publication), or ''.")
    self_assessment: int | None = Field(validation_alias="self_id")
    self_state: str = Field(description="'', draft or submitted")
    self_level: str
    proposed_level: str
    proposed_votes: int | None
    proposed_voters: int | None
    proposed_on: dt.date | None
    level: str
    score: int | None
    decided_on: dt.date | None
    version: int = Field(description="Send it back with the proposal or decision (PUT).")


class OverrideOut(Schema):
    id: int
    check_key: str
    reason: str
    decided_by: int | None = Field(validation_alias="decided_by_id")
    decided_by_name: str
    created_at: dt.datetime


class CheckOut(Schema):
    key: str
    severity: str = Field(description="refuse or warn")
    message: str
    subjects: list[int] = Field(description="Ids of the rows concerned.")
    override: OverrideOut | None


class MissingOut(Schema):
    cell: int = Field(validation_alias="cell_id")
    cell_name: str
    names: list[str]


class CampaignBoardOut(Schema):
    campaign: CampaignOut
    counts: dict[str, int]
    missing: list[MissingOut] = Field(description="Who has not submitted, per cell.")
    checks: list[CheckOut]
    rows: list[RowOut]


class EvaluationOut(Schema):
    id: int
    campaign: int = Field(validation_alias="campaign_id")
    year: int
    member: int | None = Field(validation_alias="member_id")
    unit: int | None = Field(validation_alias="unit_id")
    cell: int | None = Field(validation_alias="cell_id")
    not_rated: str
    proposed_level: str
    proposed_votes: int | None
    proposed_voters: int | None
    proposed_on: dt.date | None
    level: str
    score: int | None
    decided_on: dt.date | None
    version: int = Field(description="Send it back with the proposal or decision (PUT).")


class RatingProposalIn(InSchema):
    level: Level
    votes: int = Field(ge=0, le=10_000)
    voters: int = Field(ge=0, le=10_000)
    on: dt.date
    version: int = version_field()


class RatingDecisionIn(InSchema):
    level: Level
    score: int | None = Field(None, ge=0, le=1_000)
    on: dt.date
    version: int = version_field()


class OverrideIn(InSchema):
    check_key: str = Field(max_length=80)
    reason: str = Field(max_length=2000)


class CriterionOut(Schema):
    key: str
    title: str
    guidance: str
    part: str


class SelfOut(Schema):
    campaign: int
    year: int
    regulation: str
    form: str
    criteria: list[CriterionOut]
    points: dict[str, int] | None = Field(description="366-QĐ/TW: the points of each part.")
    self_due: dt.date
    closed: bool = Field(description="Published: the self-assessment can no longer change.")
    id: int | None
    answers: dict[str, str]
    general_score: int | None
    results_score: int | None
    score: int | None
    tasks_all_done: bool | None
    exceeded_share: int | None
    strengths: str
    shortcomings: str
    remedies: str
    proposed_level: str
    submitted_at: dt.datetime | None
    version: int = Field(
        description="Send it back with the next save (PUT); 0 while none is saved."
    )


class SelfIn(InSchema):
    answers: dict[str, str] = Field(default_factory=dict)
    general_score: int | None = Field(None, ge=0, le=1_000)
    results_score: int | None = Field(None, ge=0, le=1_000)
    tasks_all_done: bool | None = None
    exceeded_share: int | None = Field(None, ge=0, le=100)
    strengths: str = Field("", max_length=services.TEXT_MAX)
    shortcomings: str = Field("", max_length=services.TEXT_MAX)
    remedies: str = Field("", max_length=services.TEXT_MAX)
    proposed_level: Level | None = None
    submit: bool = False
    version: int | None = Field(
        None,
        ge=0,
        description="The version read (GET), 0 when none was saved: if it was saved since "
        "(another device), 409 and nothing is written. Without it the save replaces what is "
        "saved.",
    )


class HistoryOut(Schema):
    year: int
    campaign: int
    unit_name: str
    regulation: str
    published: bool
    level: str
    score: int | None
    not_rated: str
    self_assessment: SelfOut | None


# Campaigns ------------------------------------------------------------------------------------


@evaluation.get("/campaigns", response=list[CampaignOut])
@paginate(Page)
def campaign_list(
    request: HttpRequest, unit: int | None = None, year: Year | None = None
) -> QuerySet[Campaign]:
    """The campaigns the user reads; `unit`: those on it, above it and below it."""
    user = user_of(request)
    access.require_staff(user)
    rows = access.campaigns_for(user)
    if unit is not None:
        found = org_access.get_unit_for(user, unit)
        rows = rows.filter(pk__in=queries.campaigns_of(found).values("pk"))
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "unit__sort_name", "pk")


@evaluation.post("/campaigns", response={201: CampaignOut})
def campaign_open(request: HttpRequest, payload: CampaignIn) -> tuple[int, Campaign]:
    """Open the evaluation of a year for a unit (an office on it or above it)."""
    user = user_of(request)
    access.require_staff(user)
    unit = org_access.get_unit_for(user, payload.unit)
    if not access.can_manage_unit(user, unit):
        raise PermissionDenied
    campaign = services.campaign_open(
        unit=unit,
        year=payload.year,
        self_due=payload.self_due,
        cell_due=payload.cell_due,
        decision_due=payload.decision_due,
        publish_due=payload.publish_due,
        actor=user,
    )
    return 201, campaign


def _board(user, campaign: Campaign) -> dict[str, Any]:
    b = queries.board(campaign, access.evaluations_for(user, campaign))
    return {
        "campaign": campaign,
        "counts": b.counts,
        "missing": b.missing,
        "checks": b.checks,
        "rows": b.rows,
    }


@evaluation.get("/campaigns/{campaign_id}", response=CampaignBoardOut)
def campaign_get(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """The campaign's board: the rows the user reads, the counts per stage, who has not
    submitted their self-assessment, and the checks."""
    user = user_of(request)
    return _board(user, access.get_campaign_for(user, campaign_id))


@evaluation.post("/campaigns/{campaign_id}/refresh", response=CampaignBoardOut)
def campaign_refresh(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    user = user_of(request)
    campaign = access.get_campaign_for(user, campaign_id, write=True)
    services.campaign_refresh(campaign=campaign, actor=user)
    return _board(user, campaign)


@evaluation.post("/campaigns/{campaign_id}/overrides", response={201: OverrideOut})
def override_create(
    request: HttpRequest, campaign_id: int, payload: OverrideIn
) -> tuple[int, Override]:
    user = user_of(request)
    campaign = access.get_campaign_for(user, campaign_id, write=True)
    made = services.override_record(
        campaign=campaign, check_key=payload.check_key, reason=payload.reason, actor=user
    )
    return 201, made


@evaluation.post("/campaigns/{campaign_id}/publish", response=CampaignOut)
def campaign_publish(request: HttpRequest, campaign_id: int) -> Campaign:
    user = user_of(request)
    campaign = access.get_campaign_for(user, campaign_id, write=True)
    return services.campaign_publish(campaign=campaign, actor=user)


# Rows -----------------------------------------------------------------------------------------


@evaluation.get("/evaluations/{evaluation_id}", response=EvaluationOut)
def evaluation_get(request: HttpRequest, evaluation_id: int) -> Evaluation:
    return access.get_evaluation_for(user_of(request), evaluation_id)


@evaluation.put(
    "/evaluations/{evaluation_id}/proposal", response={200: EvaluationOut, 409: Conflict}
)
def evaluation_propose(
    request: HttpRequest, evaluation_id: int, payload: RatingProposalIn
) -> Evaluation:
    """The cell's proposal and its vote (the cell's secretary, or an office above it). With
    the `version` read, a row changed since is not overwritten: 409."""
    user = user_of(request)
    row = access.get_evaluation_for(user, evaluation_id, write="propose")
    return services.evaluation_propose(
        evaluation=row,
        level=payload.level,
        votes=payload.votes,
        voters=payload.voters,
        on=payload.on,
        version=payload.version,
        actor=user,
    )


@evaluation.put(
    "/evaluations/{evaluation_id}/decision", response={200: EvaluationOut, 409: Conflict}
)
def evaluation_decide(
    request: HttpRequest, evaluation_id: int, payload: RatingDecisionIn
) -> Evaluation:
    """The committee's decision (an office on the campaign's unit or above). With the
    `version` read, a row changed since is not overwritten: 409."""
    user = user_of(request)
    row = access.get_evaluation_for(user, evaluation_id, write="decide")
    return services.evaluation_decide(
        evaluation=row,
        level=payload.level,
        score=payload.score,
        on=payload.on,
        version=payload.version,
        actor=user,
    )


# Self-assessment ------------------------------------------------------------------------------


def self_out(campaign: Campaign, mine: SelfAssessment | None) -> dict[str, Any]:
    """A self-assessment (or the empty form of the campaign's year) with its form."""
    r = ratable.year_rules(campaign.year, campaign.unit)
    form = mine.form if mine is not None and mine.form else (r.evaluation_form or "")
    return {
        "campaign": campaign.pk,
        "year": campaign.year,
        "regulation": campaign.regulation,
        "form": form,
        "criteria": [
            {"key": c.key, "title": str(c.title), "guidance": str(c.guidance), "part": c.part}
            for c in criteria.criteria(form)
        ],
        "points": r.evaluation_points if criteria.scored(r) else None,
        "self_due": campaign.self_due,
        "closed": campaign.published,
        "id": mine.pk if mine else None,
        "answers": mine.answers if mine else {},
        "general_score": mine.general_score if mine else None,
        "results_score": mine.results_score if mine else None,
        "score": mine.score if mine else None,
        "tasks_all_done": mine.tasks_all_done if mine else None,
        "exceeded_share": mine.exceeded_share if mine else None,
        "strengths": mine.strengths if mine else "",
        "shortcomings": mine.shortcomings if mine else "",
        "remedies": mine.remedies if mine else "",
        "proposed_level": mine.proposed_level if mine else "",
        "submitted_at": mine.submitted_at if mine else None,
        "version": mine.version if mine else 0,
    }


def _own_campaign(user, year: int) -> tuple[Any, Campaign]:
    member = access.require_own_member(user)
    campaign = queries.campaign_covering(member, year)
    if campaign is None or not campaign.evaluations.filter(member=member).exists():
        raise Http404
    return member, campaign


@evaluation.get("/self/{year}", response=SelfOut)
def self_get(request: HttpRequest, year: Year) -> dict[str, Any]:
    """The user's own self-assessment of `year` (the empty form when none is saved): 404
    when no campaign lists them that year."""
    member, campaign = _own_campaign(user_of(request), year)
    return self_out(campaign, SelfAssessment.objects.filter(member=member, year=year).first())


@evaluation.put("/self/{year}", response={200: SelfOut, 409: Conflict})
def self_put(request: HttpRequest, year: Year, payload: SelfIn) -> dict[str, Any]:
    """Save (or, with `submit`, hand in) the user's own self-assessment of `year`. With the
    `version` read, one saved since (from another device) is not replaced: 409."""
    user = user_of(request)
    member, campaign = _own_campaign(user, year)
    saved = services.self_assessment_save(
        campaign=campaign,
        member=member,
        answers=payload.answers,
        general_score=payload.general_score,
        results_score=payload.results_score,
        tasks_all_done=payload.tasks_all_done,
        exceeded_share=payload.exceeded_share,
        strengths=payload.strengths,
        shortcomings=payload.shortcomings,
        remedies=payload.remedies,
        proposed_level=payload.proposed_level or "",
        submit=payload.submit,
        version=payload.version,
        actor=user,
    )
    return self_out(campaign, saved)


@evaluation.get("/self-assessments/{self_id}", response=SelfOut)
def self_assessment_get(request: HttpRequest, self_id: int) -> dict[str, Any]:
    """A self-assessment the user reads: their own, or one of a row they read."""
    mine = access.get_self_assessment_for(user_of(request), self_id)
    return self_out(mine.campaign, mine)


# History --------------------------------------------------------------------------------------


@evaluation.get("/members/{member_id}/history", response=list[HistoryOut])
def member_history(request: HttpRequest, member_id: int) -> list[dict[str, Any]]:
    """A member's evaluations, newest first, with their self-assessments (the member's own,
    or a member whose record the user reads)."""
    user = user_of(request)
    member = member_access.get_member_for(user, member_id)
    readable = access.self_assessments_for(user)
    own = user.member_id == member.pk
    return [
        {
            "year": e.year,
            "campaign": e.campaign.pk,
            "unit_name": e.unit_name,
            "regulation": e.regulation,
            "published": e.published,
            "level": e.level,
            "score": e.score,
            "not_rated": e.not_rated,
            "self_assessment": (
                self_out(e.campaign, e.self_assessment)
                if e.self_assessment is not None
                and (own or readable.filter(pk=e.self_assessment.pk).exists())
                else None
            ),
        }
        for e in queries.history(member)
    ]
