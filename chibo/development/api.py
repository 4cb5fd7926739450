"""/api/v1/candidates and /api/v1/official-reviews: the development pipeline and the review at
the end of probation, scoped like the pages (chibo.development.access)."""

import datetime as dt
from typing import Annotated

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import (
    Conflict,
    Filters,
    InSchema,
    Page,
    SchemaName,
    UnitRef,
    patch_data,
    unset,
    version_field,
)
from chibo.core.search import terms
from chibo.members.models import Gender, Member
from chibo.org import access as org_access

from . import access, queries, services
from .access import Level
from .models import Candidate, OfficialReview, Outcome, Stage

# The component is "ReviewOutcome": a meeting's task review has its `Outcome` too.
ReviewOutcome = Annotated[Outcome, SchemaName("ReviewOutcome")]

candidates = Router(tags=["candidates"])
reviews = Router(tags=["official reviews"])


# Candidates -----------------------------------------------------------------------------------


class CandidateOut(Schema):
    id: int
    cell: UnitRef
    full_name: str
    gender: Gender
    birth_date: dt.date
    ethnicity: str
    stage: Stage = Field(validation_alias="stage_sql")
    version: int = Field(description="Send it back with a change (PATCH) to detect a conflict.")
    proposed_on: dt.date
    class_completed_on: dt.date | None
    class_certificate: str
    introduced_on: dt.date | None
    introducer_1: int | None = Field(validation_alias="introducer_1_id")
    introducer_1_since: dt.date | None
    introducer_2: int | None = Field(validation_alias="introducer_2_id")
    introducer_2_since: dt.date | None
    union_introduction: str
    vote_on: dt.date | None
    votes_for: int | None
    votes_eligible: int | None
    over_age_approval: str
    decision_number: str
    decision_on: dt.date | None
    member: int | None = Field(validation_alias="member_id")
    ceremony_on: dt.date | None = Field(description="Recorded on the member's record.")
    ceremony_deadline: dt.date | None = Field(
        validation_alias="ceremony_due",
        description="The last day for the ceremony, by the rule in force on the decision date.",
    )
    ceremony_flag: str = Field(
        description='"overdue": no ceremony and the deadline passed; "late": held after it.'
    )
    dropped_on: dt.date | None
    drop_reason: str

    @staticmethod
    def resolve_ceremony_on(obj: Candidate) -> dt.date | None:
        return obj.member.ceremony_on if obj.member else None

    @staticmethod
    def resolve_ceremony_flag(obj: Candidate) -> str:
        return queries.ceremony_flag(obj, timezone.localdate())


class CandidateFilters(Filters):
    unit: int | None = Field(None, description="A unit's id: candidates of its subtree.")
    cell: int | None = None
    stage: Stage | None = None
    q: str | None = Field(None, description="Name words, without accents or case.")


class CandidateIn(InSchema):
    cell: int
    full_name: str = Field(max_length=120)
    gender: Gender
    birth_date: dt.date
    ethnicity: str = Field("Kinh", max_length=40)
    proposed_on: dt.date


class CandidatePatch(InSchema):
    full_name: str = unset()
    gender: Gender = unset()
    birth_date: dt.date = unset()
    ethnicity: str = unset()
    proposed_on: dt.date = unset()
    version: int = version_field()


class ClassIn(InSchema):
    completed_on: dt.date
    certificate: str = Field("", max_length=40)


class IntroducersIn(InSchema):
    introduced_on: dt.date
    introducer_1: int = Field(description="An official member's id.")
    introducer_1_since: dt.date
    introducer_2: int | None = Field(None, description="Empty when a union introduces instead.")
    introducer_2_since: dt.date | None = None
    union_introduction: str = Field("", max_length=80)


class CandidateVoteIn(InSchema):
    vote_on: dt.date
    votes_for: int = Field(ge=0)
    votes_eligible: int = Field(ge=1)
    over_age_approval: str = Field("", max_length=80)


class AdmissionDecisionIn(InSchema):
    decision_number: str = Field(max_length=40)
    decision_on: dt.date
    code: str = Field(max_length=32, description="The record code of the new member.")


class CeremonyIn(InSchema):
    ceremony_on: dt.date


class DropIn(InSchema):
    dropped_on: dt.date
    reason: str = Field(max_length=200)


def _out(candidate: Candidate) -> Candidate:
    return queries.annotated(Candidate.objects.filter(pk=candidate.pk)).get()


@candidates.get("", response=list[CandidateOut])
@paginate(Page)
def candidate_list(request: HttpRequest, filters: Query[CandidateFilters]) -> QuerySet[Candidate]:
    user = user_of(request)
    qs = access.candidates_for(user)
    if filters.unit is not None:
        qs = qs.filter(cell__in=queries.subtree(org_access.get_unit_for(user, filters.unit)))
    if filters.cell is not None:
        qs = qs.filter(cell_id=filters.cell)
    for term in terms(filters.q):
        qs = qs.filter(search_name__contains=term)
    qs = queries.annotated(qs)
    if filters.stage:
        qs = qs.filter(Q(stage_sql=filters.stage))  # an annotation: the type checker cannot see it
    return qs.order_by("search_name", "pk")


@candidates.get("/{candidate_id}", response=CandidateOut)
def candidate_read(request: HttpRequest, candidate_id: int) -> Candidate:
    return _out(access.get_candidate_for(user_of(request), candidate_id))


@candidates.post("", response={201: CandidateOut})
def candidate_create(request: HttpRequest, payload: CandidateIn) -> tuple[int, Candidate]:
    user = user_of(request)
    cell = access.get_cell_for_proposal(user, payload.cell)
    data = payload.model_dump(exclude={"cell"})
    return 201, _out(services.candidate_create(cell=cell, **data, actor=user))


@candidates.patch("/{candidate_id}", response={200: CandidateOut, 409: Conflict})
def candidate_update(request: HttpRequest, candidate_id: int, payload: CandidatePatch) -> Candidate:
    user = user_of(request)
    candidate = access.get_candidate_for(user, candidate_id, Level.CELL)
    return _out(services.candidate_update(candidate=candidate, **patch_data(payload), actor=user))


@candidates.post("/{candidate_id}/class", response=CandidateOut)
def candidate_class(request: HttpRequest, candidate_id: int, payload: ClassIn) -> Candidate:
    user = user_of(request)
    candidate = access.get_candidate_for(user, candidate_id, Level.CELL)
    return _out(
        services.candidate_class_done(candidate=candidate, **payload.model_dump(), actor=user)
    )


@candidates.post("/{candidate_id}/introducers", response=CandidateOut)
def candidate_introducers(
    request: HttpRequest, candidate_id: int, payload: IntroducersIn
) -> Candidate:
    user = user_of(request)
    candidate = access.get_candidate_for(user, candidate_id, Level.CELL)
    second = payload.introducer_2
    # The same choice as the page: members of the candidate's base committee.
    allowed = access.introducers_for(user, candidate.cell)
    return _out(
        services.candidate_introduce(
            candidate=candidate,
            introduced_on=payload.introduced_on,
            introducer_1=get_object_or_404(allowed, pk=payload.introducer_1),
            introducer_1_since=payload.introducer_1_since,
            introducer_2=get_object_or_404(allowed, pk=second) if second else None,
            introducer_2_since=payload.introducer_2_since,
            union_introduction=payload.union_introduction,
            actor=user,
        )
    )


@candidates.post("/{candidate_id}/vote", response=CandidateOut)
def candidate_vote(request: HttpRequest, candidate_id: int, payload: CandidateVoteIn) -> Candidate:
    user = user_of(request)
    candidate = access.get_candidate_for(user, candidate_id, Level.CELL)
    return _out(services.candidate_vote(candidate=candidate, **payload.model_dump(), actor=user))


@candidates.post("/{candidate_id}/decision", response=CandidateOut)
def candidate_decision(
    request: HttpRequest, candidate_id: int, payload: AdmissionDecisionIn
) -> Candidate:
    user = user_of(request)
    candidate = access.get_candidate_for(user, candidate_id, Level.ABOVE)
    return _out(services.candidate_decide(candidate=candidate, **payload.model_dump(), actor=user))


@candidates.post("/{candidate_id}/ceremony", response=CandidateOut)
def candidate_ceremony(request: HttpRequest, candidate_id: int, payload: CeremonyIn) -> Candidate:
    user = user_of(request)
    candidate = access.get_candidate_for(user, candidate_id, Level.ABOVE)
    services.candidate_ceremony(candidate=candidate, ceremony_on=payload.ceremony_on, actor=user)
    return _out(candidate)


@candidates.post("/{candidate_id}/drop", response=CandidateOut)
def candidate_drop(request: HttpRequest, candidate_id: int, payload: DropIn) -> Candidate:
    user = user_of(request)
    candidate = access.get_candidate_for(user, candidate_id, Level.CELL)
    return _out(services.candidate_drop(candidate=candidate, **payload.model_dump(), actor=user))


# Official reviews -----------------------------------------------------------------------------


class OfficialReviewOut(Schema):
    id: int
    member: int = Field(validation_alias="member_id")
    probation_ended_on: dt.date
    review_deadline: dt.date | None = Field(
        validation_alias="review_due",
        description="The last day for the cell's vote, by the rule in force when probation ended.",
    )
    vote_on: dt.date
    votes_for: int
    votes_eligible: int
    outcome: ReviewOutcome
    decision_number: str
    decision_on: dt.date | None
    event: int | None = Field(validation_alias="event_id")


class ReviewFilters(Filters):
    unit: int | None = Field(None, description="A unit's id: reviews of its subtree's members.")
    member: int | None = None
    open: bool | None = Field(None, description="true: only those awaiting the decision.")


class OfficialReviewIn(InSchema):
    member: int
    vote_on: dt.date
    votes_for: int = Field(ge=0, description="Votes for recognition.")
    votes_eligible: int = Field(ge=1)
    outcome: ReviewOutcome


class ReviewDecisionIn(InSchema):
    decision_number: str = Field(max_length=40)
    decision_on: dt.date


class ReviewDueOut(Schema):
    member: int
    full_name: str
    cell: UnitRef | None
    probation_ends_on: dt.date
    state: str = Field(
        description='"ending": probation ends within 30 days; "awaiting_vote": ended, no vote '
        'yet; "overdue": the same, past the deadline; "awaiting_decision": voted.'
    )
    review_deadline: dt.date | None
    review: int | None = Field(description="The vote awaiting the decision.")


@reviews.get("", response=list[OfficialReviewOut])
@paginate(Page)
def review_list(request: HttpRequest, filters: Query[ReviewFilters]) -> QuerySet[OfficialReview]:
    user = user_of(request)
    qs = access.reviews_for(user)
    if filters.unit is not None:
        unit = org_access.get_unit_for(user, filters.unit)
        qs = qs.filter(member__home_unit__in=queries.subtree(unit))
    if filters.member is not None:
        qs = qs.filter(member_id=filters.member)
    if filters.open is not None:
        qs = qs.filter(decision_on__isnull=filters.open)
    return queries.reviews(qs).order_by("-vote_on", "pk")


def _review_out(review: OfficialReview) -> OfficialReview:
    return queries.reviews(OfficialReview.objects.filter(pk=review.pk)).get()


@reviews.get("/due", response=list[ReviewDueOut])
def review_due(request: HttpRequest, unit: int) -> list[dict]:
    """The unit's probationary members the cell must consider: probation ending within 30
    days, ended and awaiting the vote (overdue past the deadline), voted and awaiting the
    decision. Today's view, as on the page."""
    user = user_of(request)
    org_access.require_staff(user)
    scope = org_access.get_unit_for(user, unit)
    today = timezone.localdate()

    def row(m: Member, state: str, deadline: dt.date | None, review: int | None = None) -> dict:
        cell = m.home_unit
        return {
            "member": m.pk,
            "full_name": m.full_name,
            "cell": cell and {"id": cell.pk, "code": cell.code, "name": cell.name},
            "probation_ends_on": m.probation_ends_on,
            "state": state,
            "review_deadline": deadline,
            "review": review,
        }

    out = [row(m, "ending", m.review_due) for m in queries.probation_ending(scope, today)]  # type: ignore[attr-defined]
    for m in queries.awaiting_vote(scope, today):
        due = m.review_due  # type: ignore[attr-defined]
        out.append(row(m, "overdue" if due and today > due else "awaiting_vote", due))
    for r in queries.awaiting_decision(scope):
        out.append(row(r.member, "awaiting_decision", r.review_due, r.pk))  # type: ignore[attr-defined]
    return out


@reviews.get("/{review_id}", response=OfficialReviewOut)
def review_read(request: HttpRequest, review_id: int) -> OfficialReview:
    return _review_out(access.get_review_for(user_of(request), review_id))


@reviews.post("", response={201: OfficialReviewOut})
def review_create(request: HttpRequest, payload: OfficialReviewIn) -> tuple[int, OfficialReview]:
    user = user_of(request)
    member = access.get_review_member_for(user, payload.member, Level.CELL)
    review = services.review_vote(
        actor=user, member=member, **payload.model_dump(exclude={"member"})
    )
    return 201, _review_out(review)


@reviews.post("/{review_id}/decision", response=OfficialReviewOut)
def review_decision(
    request: HttpRequest, review_id: int, payload: ReviewDecisionIn
) -> OfficialReview:
    user = user_of(request)
    review = access.get_review_for(user, review_id, Level.ABOVE)
    return _review_out(services.review_decide(review=review, **payload.model_dump(), actor=user))
