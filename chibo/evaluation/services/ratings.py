"""The cell's proposal with its vote, and the committee's decision."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit, formats
from chibo.core.versions import check_version
from chibo.members.models import Placement, PlacementKind, Status, StatusPeriod
from chibo.members.models import period_valid_on as status_valid_on
from chibo.org.models import OrgUnit

from .. import criteria as criteria_
from .. import ratable
from ..models import Evaluation, rank
from .common import check_day, check_level, check_open, check_rated, name_of, verdict_of

PROPOSED = audit.kind(
    "evaluation.proposed",
    gettext_lazy("Cell proposed %(level)s for %(year)s (%(votes)s of %(voters)s votes)"),
)
DECIDED = audit.kind("evaluation.decided", gettext_lazy("Rated %(level)s for %(year)s"))


def voters_allowed(evaluation: Evaluation, on: dt.date) -> int:
    """The official members (who vote) of the cell the row is discussed in, on `on`: the
    member's cell, or the unit rated (its whole subtree)."""
    cell_id = evaluation.cell_id if evaluation.member_id else evaluation.unit_id
    if cell_id is None:
        return 0
    units = OrgUnit.all_objects.within(cell_id, on).values("pk")
    official = StatusPeriod.objects.filter(
        member=OuterRef("member_id"), status=Status.OFFICIAL
    ).filter(status_valid_on(on))
    return (
        Placement.objects.active_on(on)
        .filter(kind=PlacementKind.OFFICIAL, unit__in=units, member__deleted_at__isnull=True)
        .filter(Exists(official))
        .values("member_id")
        .distinct()
        .count()
    )


@audit.write
def evaluation_propose(
    *,
    evaluation: Evaluation,
    level: str,
    votes: int,
    voters: int,
    on: dt.date,
    version: int | None = None,
    actor,
) -> Evaluation:
    """The cell's proposal, adopted by a vote: more than half of the members voting, who are
    at most the cell's official members; not above the best level the rules allow.
    `version`: the one of the row the person read (core.versions); the checks below read the
    row as it is now."""
    check_version(evaluation, version)
    check_open(evaluation.campaign)
    check_rated(evaluation)
    chosen = check_level(level)
    if evaluation.level:
        raise ValidationError(
            _("The committee has already decided %(name)s's level.") % {"name": name_of(evaluation)}
        )
    check_day(on, evaluation.year, "on")
    errors: dict[str, str] = {}
    if voters < 1:
        errors["voters"] = _("At least one member votes.")
    else:
        allowed = voters_allowed(evaluation, on)
        if voters > allowed:
            errors["voters"] = _(
                "%(voters)s members voting, but the cell has %(allowed)s official members."
            ) % {"voters": voters, "allowed": allowed}
    if votes < 0 or votes > voters:
        errors["votes"] = _("The votes for are between 0 and the members voting.")
    elif voters >= 1 and votes * 2 <= voters:
        errors["votes"] = _(
            "%(votes)s of %(voters)s votes is not more than half: the proposal is not adopted."
        ) % {"votes": votes, "voters": voters}
    if errors:
        raise ValidationError(errors)
    verdict = verdict_of(evaluation)
    if not verdict.allows(chosen):
        raise ValidationError(
            {
                "level": _("%(name)s can be rated %(best)s at best: %(reason)s")
                % {
                    "name": name_of(evaluation),
                    "best": verdict.best.label if verdict.best else "",
                    "reason": verdict.reason,
                }
            }
        )
    evaluation.proposed_level = chosen
    evaluation.proposed_votes = votes
    evaluation.proposed_voters = voters
    evaluation.proposed_on = on
    evaluation._history_user = actor  # type: ignore[attr-defined]
    evaluation.save()
    audit.record(
        PROPOSED,
        actor=actor,
        obj=evaluation,
        about=evaluation.member or evaluation.unit,
        level=chosen,
        year=evaluation.year,
        votes=votes,
        voters=voters,
    )
    return evaluation


@audit.write
def evaluation_decide(
    *,
    evaluation: Evaluation,
    level: str,
    score: int | None = None,
    on: dt.date,
    version: int | None = None,
    actor,
) -> Evaluation:
    """The committee's decision on the cell's proposal (a level above what the rules allow is
    left to the checks, which refuse publication until fixed or overridden). Under 366-QĐ/TW
    the score may be recorded: within the points, and the level not above what it gives.
    `version`: the one of the row the person read (core.versions)."""
    check_version(evaluation, version)
    campaign = evaluation.campaign
    check_open(campaign)
    check_rated(evaluation)
    chosen = check_level(level)
    if not evaluation.proposed_level:
        raise ValidationError(
            _("The cell has not proposed %(name)s's level yet.") % {"name": name_of(evaluation)}
        )
    check_day(on, evaluation.year, "on")
    if evaluation.proposed_on and on < evaluation.proposed_on:
        raise ValidationError(
            {
                "on": _("The decision is on or after the cell's proposal (%(date)s).")
                % {"date": formats.date(evaluation.proposed_on)}
            }
        )
    r = ratable.year_rules(campaign.year, campaign.unit)
    if score is not None:
        if not criteria_.scored(r):
            raise ValidationError(
                {
                    "score": _("The evaluation of %(year)s is not scored (%(regulation)s).")
                    % {"year": campaign.year, "regulation": campaign.regulation}
                }
            )
        total = criteria_.total_points(r)
        if not 0 <= score <= total:
            raise ValidationError({"score": _("Between 0 and %(max)s points.") % {"max": total}})
        ceiling = criteria_.level_for(score, r, tasks_all_done=True, exceeded_share=100)
        if rank(chosen) < rank(ceiling):
            raise ValidationError(
                {
                    "level": _("A score of %(score)s gives %(expected)s at best, not %(level)s.")
                    % {"score": score, "expected": ceiling.label, "level": chosen.label}
                }
            )
    evaluation.level = chosen
    evaluation.score = score
    evaluation.decided_on = on
    evaluation.decided_by = actor if getattr(actor, "pk", None) else None
    evaluation._history_user = actor  # type: ignore[attr-defined]
    evaluation.save()
    audit.record(
        DECIDED,
        actor=actor,
        obj=evaluation,
        about=evaluation.member or evaluation.unit,
        level=chosen,
        year=evaluation.year,
    )
    return evaluation
