"""Rows of the official-membership reviews sheet: the cell's vote at the end of the
probation, then the decision of the committee above, through the development services."""

from typing import Any

from django.utils.translation import gettext as _

from chibo.core.formats import date
from chibo.core.sheets import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Context,
    Handler,
    Key,
    Parsed,
    Values,
    day_of,
    fail,
    kept,
    on_column,
    record,
)
from chibo.core.sheets import Outcome as RowOutcome
from chibo.members.importing import writable_member

from .. import services as dev
from ..access import Level, review_members_for
from ..models import OfficialReview, Outcome
from ..services.common import check_votes, short_of_majority
from .sheets import REVIEWS


def review_key(v: Values) -> Key:
    return (v["member_code"], v["vote_on"])


def _by_vote_date(items: list[Parsed]) -> list[Parsed]:
    """A member's reviews in the order the cell held them (a second review follows the
    decision on the first)."""
    return sorted(items, key=lambda i: (day_of(i.values.get("vote_on")), i.number))


def _default_outcome(v: Values) -> str:
    """No outcome given: the one the vote decides (recognition needs the special majority;
    short of it the cell can only propose removal)."""
    check_votes(v["votes_for"], v["votes_eligible"])
    short = short_of_majority(v["votes_for"], v["votes_eligible"], v["vote_on"])
    return Outcome.REMOVE if short else Outcome.RECOGNISE


def _apply_review(ctx: Context, v: Values) -> RowOutcome:
    member = writable_member(ctx, v["member_code"], "member_code")
    label = record(member.code, member.full_name, date(v["vote_on"]))
    if bool(v["decision_number"]) != bool(v["decision_on"]):
        missing = "decision_on" if v["decision_number"] else "decision_number"
        fail(_("Give both the decision's number and its date, or neither."), missing)
    review = OfficialReview.objects.filter(member=member, vote_on=v["vote_on"]).first()
    status = CREATE
    diff: list[tuple[str, Any, Any]] = []
    if review is None:
        with on_column("vote_on"):
            review = dev.review_vote(
                member=member,
                vote_on=v["vote_on"],
                votes_for=v["votes_for"],
                votes_eligible=v["votes_eligible"],
                outcome=v["outcome"] or _default_outcome(v),
                actor=ctx.actor,
            )
    else:
        status = UNCHANGED
        for key in ("votes_for", "votes_eligible", "outcome"):
            if v[key] not in ("", None) and v[key] != getattr(review, key):
                kept(REVIEWS, key, getattr(review, key))
    if not v["decision_on"]:
        return RowOutcome(status, label)
    if review.decision_on is not None:
        for key in ("decision_number", "decision_on"):
            if v[key] != getattr(review, key):
                kept(REVIEWS, key, getattr(review, key))
        return RowOutcome(status, label)
    if not review_members_for(ctx.user, Level.ABOVE).filter(pk=member.pk).exists():
        fail(
            _("The decision is recorded by the office of the committee above the cell."),
            "decision_on",
        )
    with on_column("decision_on"):
        dev.review_decide(
            review=review,
            decision_number=v["decision_number"],
            decision_on=v["decision_on"],
            actor=ctx.actor,
        )
    if status == UNCHANGED:
        status = UPDATE
        diff = [
            ("decision_number", "", v["decision_number"]),
            ("decision_on", None, v["decision_on"]),
        ]
    return RowOutcome(status, label, diff)


REVIEW_HANDLER = Handler(
    sheet=REVIEWS,
    key=review_key,
    apply=_apply_review,
    order=_by_vote_date,
    fields={
        "member": "member_code",
        **{
            key: key
            for key in (
                "vote_on",
                "votes_for",
                "votes_eligible",
                "outcome",
                "decision_number",
                "decision_on",
            )
        },
    },
)
