"""The review at the end of probation: the cell's vote, then the decision."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit, formats
from chibo.members import services as member_services
from chibo.members.models import EventKind, Member, Status

from ..models import OfficialReview, Outcome
from .common import check_votes, not_before, not_future, one_line, short_of_majority

VOTED = audit.kind(
    "development.review_voted",
    gettext_lazy(
        "End of probation: the cell voted on %(date)s, %(votes_for)s of %(votes_eligible)s for "
        "recognition; it proposes: %(outcome)s"
    ),
)
RECOGNISED = audit.kind(
    "development.recognised",
    gettext_lazy(
        "Recognised as an official member from %(date)s by decision %(number)s of %(decided_on)s"
    ),
)
REMOVED = audit.kind(
    "development.not_recognised",
    gettext_lazy(
        "Not recognised at the end of probation: removed by decision %(number)s of %(date)s"
    ),
)


@audit.write
def review_vote(
    *,
    member: Member,
    vote_on: dt.date,
    votes_for: int,
    votes_eligible: int,
    outcome: str,
    actor,
) -> OfficialReview:
    """The cell considers a probationary member whose probation has ended: recognition needs
    at least two thirds of its official members; otherwise it proposes removal."""
    member = Member.all_objects.select_for_update().get(pk=member.pk)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what the cell proposes.")})
    not_future(vote_on, "vote_on")
    ends = member.probation_ends_on
    if ends is None:
        raise ValidationError(
            _("No admission ceremony is recorded: the probation has no end date yet.")
        )
    not_before(
        vote_on, ends, "vote_on", _("The probation ends on %(date)s: the cell votes from then on.")
    )
    status = (
        Member.all_objects.with_status(vote_on)
        .filter(pk=member.pk)
        .values_list("status", flat=True)
    )
    if list(status) != [Status.PROBATIONARY]:
        raise ValidationError(
            {
                "vote_on": _("The member was not probationary on %(date)s.")
                % {"date": formats.date(vote_on)}
            }
        )
    if OfficialReview.objects.filter(
        member=member, probation_ended_on=ends, decision_on__isnull=True
    ).exists():
        raise ValidationError(_("The cell's vote on this probation already awaits a decision."))
    check_votes(votes_for, votes_eligible)
    short = short_of_majority(votes_for, votes_eligible, vote_on)
    if outcome == Outcome.RECOGNISE and short:
        raise ValidationError(
            {
                "votes_for": _(
                    "%(for)s of %(eligible)s official members voted for recognition: at least "
                    "%(needed)s (%(share)s) are needed."
                )
                % short
            }
        )
    if outcome == Outcome.REMOVE and not short:
        raise ValidationError(
            {
                "outcome": _(
                    "The vote reached the majority for recognition: the cell cannot propose "
                    "removal."
                )
            }
        )
    review = OfficialReview(
        member=member,
        probation_ended_on=ends,
        vote_on=vote_on,
        votes_for=votes_for,
        votes_eligible=votes_eligible,
        outcome=outcome,
        recorded_by=actor,
    )
    review.full_clean(exclude=["recorded_by", "event"])
    review.save()
    audit.record(
        VOTED,
        actor=actor,
        obj=review,
        about=member,
        date=vote_on,
        votes_for=votes_for,
        votes_eligible=votes_eligible,
        outcome=Outcome(outcome),
    )
    return review


@audit.write
def review_decide(
    *, review: OfficialReview, decision_number: str, decision_on: dt.date, actor
) -> OfficialReview:
    """The decision on the cell's proposal. Recognition: the OFFICIAL event, dated the day
    the probation ended (the Charter counts official membership from the end of the
    probation, not from the signature); removal: the REMOVED event on the decision date."""
    review = OfficialReview.objects.select_for_update().select_related("member").get(pk=review.pk)
    if review.decision_on:
        raise ValidationError(_("The decision on this review is already recorded."))
    number = one_line(decision_number)
    if not number:
        raise ValidationError({"decision_number": _("This field is required.")})
    not_future(decision_on, "decision_on")
    not_before(
        decision_on,
        review.vote_on,
        "decision_on",
        _("The decision cannot come before the cell's vote (%(date)s)."),
    )
    member = review.member
    status = (
        Member.all_objects.with_status(decision_on)
        .filter(pk=member.pk)
        .values_list("status", flat=True)
    )
    if list(status) != [Status.PROBATIONARY]:
        raise ValidationError(
            {
                "decision_on": _("The member was not probationary on %(date)s.")
                % {"date": formats.date(decision_on)}
            }
        )
    if review.outcome == Outcome.RECOGNISE:
        kind, day = EventKind.OFFICIAL, review.probation_ended_on
    else:
        kind, day = EventKind.REMOVED, decision_on
    try:
        event = member_services.event_create(
            actor=actor,
            member=member,
            kind=kind,
            date=day,
            decision_number=number,
        )
    except ValidationError as e:
        raise ValidationError({"decision_on": e.messages}) from None
    review.decision_number, review.decision_on, review.event = number, decision_on, event
    review.save()
    audit.record(
        RECOGNISED if kind == EventKind.OFFICIAL else REMOVED,
        actor=actor,
        obj=review,
        about=member,
        number=number,
        date=day,
        decided_on=decision_on,
    )
    return review
