"""The annual evaluation, the writes: opening a year's campaign (and refreshing its list), the
member's self-assessment, the cell's proposal with its vote, the committee's decision, the
override of a check, publication. The reads are chibo.evaluation.queries; who is rated is
chibo.evaluation.ratable, the checks chibo.evaluation.checks."""

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from chibo.core import audit, formats
from chibo.members.models import Member, Placement, PlacementKind, Status, StatusPeriod
from chibo.members.models import period_valid_on as status_valid_on
from chibo.org.models import BASE_KINDS, Ancestry, OrgUnit

from . import criteria as criteria_
from . import ratable
from .access import CAMPAIGN_KINDS
from .checks import checks as campaign_checks
from .models import Campaign, Evaluation, Level, Override, SelfAssessment, rank

OPENED = audit.kind(
    "evaluation.opened", gettext_lazy("Evaluation of %(year)s opened (%(regulation)s)")
)
REFRESHED = audit.kind(
    "evaluation.refreshed",
    gettext_lazy("Evaluation of %(year)s: list refreshed, %(added)s added, %(dropped)s dropped"),
)
SELF_SAVED = audit.kind(
    "evaluation.self_saved", gettext_lazy("Self-assessment of %(year)s saved as a draft")
)
SELF_SUBMITTED = audit.kind(
    "evaluation.self_submitted",
    gettext_lazy("Self-assessment of %(year)s submitted, proposing %(level)s"),
)
PROPOSED = audit.kind(
    "evaluation.proposed",
    gettext_lazy("Cell proposed %(level)s for %(year)s (%(votes)s of %(voters)s votes)"),
)
DECIDED = audit.kind("evaluation.decided", gettext_lazy("Rated %(level)s for %(year)s"))
OVERRIDDEN = audit.kind(
    "evaluation.overridden", gettext_lazy("Check overridden: %(check)s. Reason: %(reason)s")
)
PUBLISHED = audit.kind(
    "evaluation.published", gettext_lazy("Evaluation of %(year)s published: %(rated)s rated")
)

TEXT_MAX = 10_000
REASON_MAX = 2_000


# Campaigns ------------------------------------------------------------------------------------


def _overlapping(unit: OrgUnit, year: int, on: dt.date) -> Campaign | None:
    """A campaign of the same year on the unit, above it or below it."""
    links = Ancestry.objects.valid(on)
    related = Q(unit_id__in=links.filter(descendant=unit).values("ancestor_id")) | Q(
        unit_id__in=links.filter(ancestor=unit).values("descendant_id")
    )
    return Campaign.objects.filter(year=year).filter(related).select_related("unit").first()


def _check_dues(year: int, dues: dict[str, dt.date]) -> None:
    errors: dict[str, str] = {}
    start = dt.date(year, 1, 1)
    for name, day in dues.items():
        if day < start:
            errors[name] = _("A deadline of the %(year)s evaluation is in %(year)s or after.") % {
                "year": year
            }
    names = list(dues)
    for before, after in zip(names, names[1:], strict=False):
        if before not in errors and after not in errors and dues[after] < dues[before]:
            errors[after] = _("The deadlines follow the stages: this one is before the one before.")
    if errors:
        raise ValidationError(errors)


def _existing(year: int, *, members: bool) -> Any:
    """Ids already rated that year, in any campaign (a member or unit is rated once)."""
    column = "member_id" if members else "unit_id"
    return Evaluation.objects.filter(year=year, **{f"{column}__isnull": False}).values(column)


def _new_rows(campaign: Campaign, listing: ratable.Listing, units: dict[int, ratable.Verdict]):
    taken_members = set(
        Evaluation.objects.filter(
            year=campaign.year, member_id__in=list(listing.cells)
        ).values_list("member_id", flat=True)
    )
    taken_units = set(
        Evaluation.objects.filter(year=campaign.year, unit_id__in=list(units)).values_list(
            "unit_id", flat=True
        )
    )
    rows = [
        Evaluation(
            campaign=campaign,
            year=campaign.year,
            member_id=member,
            cell_id=listing.cells[member],
            not_rated="" if verdict.rated else verdict.code,
        )
        for member, verdict in listing.verdicts.items()
        if member not in taken_members
    ]
    rows += [
        Evaluation(
            campaign=campaign,
            year=campaign.year,
            unit_id=unit,
            not_rated="" if verdict.rated else verdict.code,
        )
        for unit, verdict in units.items()
        if unit not in taken_units
    ]
    return rows


@audit.write
def campaign_open(
    *,
    unit: OrgUnit,
    year: int,
    self_due: dt.date,
    cell_due: dt.date,
    decision_due: dt.date,
    publish_due: dt.date,
    actor,
) -> Campaign:
    """Open the evaluation of `year` for `unit`'s subtree: one row per member listed and per
    party organisation it rates, those the rules leave out marked with the rule's code."""
    if unit.kind not in CAMPAIGN_KINDS:
        raise ValidationError(
            {"unit": _("A campaign is opened by a province, district or base organisation.")}
        )
    today = timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": _("The evaluation of a year opens in that year.")})
    name = ratable.regulation(year, unit)
    if not name:
        raise ValidationError(
            {"year": _("No evaluation regulation was in force in %(year)s.") % {"year": year}}
        )
    _check_dues(
        year,
        {
            "self_due": self_due,
            "cell_due": cell_due,
            "decision_due": decision_due,
            "publish_due": publish_due,
        },
    )
    on = ratable.listing_day(year)
    clash = _overlapping(unit, year, on)
    if clash is not None:
        raise ValidationError(
            _("%(unit)s already has the evaluation of %(year)s; it covers this unit.")
            % {"unit": clash.unit.name, "year": year}
        )
    campaign = Campaign(
        unit=unit,
        year=year,
        regulation=name,
        self_due=self_due,
        cell_due=cell_due,
        decision_due=decision_due,
        publish_due=publish_due,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    campaign._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    try:
        campaign.save()
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s already has the evaluation of %(year)s; it covers this unit.")
            % {"unit": unit.name, "year": year}
        ) from None
    listing = ratable.listing(unit, year)
    rows = _new_rows(campaign, listing, ratable.units(unit, year))
    bulk_create_with_history(rows, Evaluation, batch_size=1000, default_user=actor)
    audit.record(OPENED, actor=actor, obj=campaign, year=year, regulation=name)
    return campaign


def _open(campaign: Campaign) -> None:
    if campaign.published:
        raise ValidationError(
            _("The evaluation of %(year)s is published; it can no longer be changed.")
            % {"year": campaign.year}
        )


@audit.write
def campaign_refresh(*, campaign: Campaign, actor) -> Campaign:
    """List the members and units that appeared since the campaign opened (admitted,
    transferred in, founded), drop the rows still undecided of those who left, move undecided
    members to the cell they are in now, and read each row's verdict again. A decided row is
    never dropped nor moved."""
    _open(campaign)
    if campaign.imported:
        raise ValidationError(_("An imported evaluation keeps the rows of its records."))
    listing = ratable.listing(campaign.unit, campaign.year)
    units = ratable.units(campaign.unit, campaign.year)
    rows = list(Evaluation.objects.filter(campaign=campaign))
    dropped = 0
    for row in rows:
        if row.member_id is not None:
            verdict = listing.verdicts.get(row.member_id)
        else:
            verdict = units.get(row.unit_id or 0)
        if verdict is None:
            if not row.level and not row.proposed_level:
                row._history_user = actor  # type: ignore[attr-defined]
                row.delete()
                dropped += 1
            continue
        code = "" if verdict.rated else verdict.code
        cell = listing.cells.get(row.member_id) if row.member_id else None
        changed = row.not_rated != code
        row.not_rated = code
        if row.member_id and not row.level and cell and row.cell_id != cell:
            row.cell_id, changed = cell, True
        if changed:
            row._history_user = actor  # type: ignore[attr-defined]
            row.save()
    new = _new_rows(campaign, listing, units)
    bulk_create_with_history(new, Evaluation, batch_size=1000, default_user=actor)
    audit.record(
        REFRESHED, actor=actor, obj=campaign, year=campaign.year, added=len(new), dropped=dropped
    )
    return campaign


# Self-assessment ------------------------------------------------------------------------------


@audit.write
def self_assessment_save(
    *,
    campaign: Campaign,
    member: Member,
    answers: dict,
    general_score: int | None = None,
    results_score: int | None = None,
    tasks_all_done: bool | None = None,
    exceeded_share: int | None = None,
    strengths: str = "",
    shortcomings: str = "",
    remedies: str = "",
    proposed_level: str = "",
    submit: bool = False,
    actor,
) -> SelfAssessment:
    """Save the member's self-assessment of the campaign's year; `submit` hands it in (a
    draft otherwise). Under 366-QĐ/TW the scores are within the points of each part and the
    level proposed is the one the score gives."""
    if campaign.published:
        raise ValidationError(
            _("The evaluation of %(year)s is published: self-assessments are closed.")
            % {"year": campaign.year}
        )
    row = Evaluation.objects.filter(campaign=campaign, member=member).first()
    if row is None:
        raise ValidationError(
            _("%(name)s is not listed in this evaluation.") % {"name": member.full_name}
        )
    r = ratable.year_rules(campaign.year, campaign.unit)
    form = r.evaluation_form or ""
    keys = {c.key for c in criteria_.criteria(form)}
    errors: dict[str, Any] = {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("The answers are a text for each criterion.")})
    unknown = sorted(set(answers) - keys)
    if unknown:
        errors["answers"] = _("Unknown criteria: %(keys)s.") % {"keys": ", ".join(unknown)}
    clean_answers: dict[str, str] = {}
    for key, value in answers.items():
        if key in keys:
            if not isinstance(value, str):
                errors["answers"] = _("The answers are a text for each criterion.")
                break
            if len(value) > TEXT_MAX:
                errors["answers"] = _("An answer has at most %(limit)s characters.") % {
                    "limit": formats.number(TEXT_MAX)
                }
                break
            if value.strip():
                clean_answers[key] = value.strip()
    texts = {"strengths": strengths, "shortcomings": shortcomings, "remedies": remedies}
    for name, text in texts.items():
        if len(text) > TEXT_MAX:
            errors[name] = _("At most %(limit)s characters.") % {"limit": formats.number(TEXT_MAX)}
    if proposed_level and proposed_level not in Level.values:
        errors["proposed_level"] = _("Choose one of the four levels.")
    scored = criteria_.scored(r)
    points = r.evaluation_points or {}
    if scored:
        for name, value, part in (
            ("general_score", general_score, "general"),
            ("results_score", results_score, "results"),
        ):
            if value is not None and not 0 <= value <= points.get(part, 0):
                errors[name] = _("Between 0 and %(max)s points.") % {"max": points.get(part, 0)}
        if exceeded_share is not None and not 0 <= exceeded_share <= 100:
            errors["exceeded_share"] = _("A share between 0 and 100%.")
    elif any(v is not None for v in (general_score, results_score, exceeded_share)):
        errors["general_score"] = _(
            "The self-assessment of %(year)s is not scored (%(regulation)s)."
        ) % {"year": campaign.year, "regulation": campaign.regulation}
    if submit and not errors:
        if not proposed_level:
            errors["proposed_level"] = _("Choose the level you propose.")
        if scored:
            for name, value in (("general_score", general_score), ("results_score", results_score)):
                if value is None:
                    errors[name] = _("Give your score.")
            if tasks_all_done is None:
                errors["tasks_all_done"] = _("Say whether every task was completed.")
        missing = [c.title for c in criteria_.criteria(form) if c.key in ("qualities", "duties")]
        if any(key not in clean_answers for key in ("duties",) if key in keys) and missing:
            errors["answers"] = _("Write the results of the duties assigned before submitting.")
    if (
        scored
        and not errors
        and proposed_level
        and general_score is not None
        and results_score is not None
    ):
        expected = criteria_.level_for(
            general_score + results_score,
            r,
            tasks_all_done=tasks_all_done,
            exceeded_share=exceeded_share,
        )
        if proposed_level != expected:
            errors["proposed_level"] = _(
                "A score of %(score)s gives %(expected)s (%(regulation)s), not %(level)s."
            ) % {
                "score": general_score + results_score,
                "expected": expected.label,
                "regulation": campaign.regulation,
                "level": Level(proposed_level).label,
            }
    if errors:
        raise ValidationError(errors)
    assessment = SelfAssessment.objects.filter(member=member, year=campaign.year).first()
    if assessment is None:
        assessment = SelfAssessment(member=member, year=campaign.year)
    assessment.campaign = campaign
    assessment.form = form
    assessment.answers = clean_answers
    assessment.general_score = general_score if scored else None
    assessment.results_score = results_score if scored else None
    assessment.tasks_all_done = tasks_all_done
    assessment.exceeded_share = exceeded_share if scored else None
    assessment.strengths = strengths.strip()
    assessment.shortcomings = shortcomings.strip()
    assessment.remedies = remedies.strip()
    assessment.proposed_level = proposed_level
    assessment.submitted_at = timezone.now() if submit else None
    assessment._history_user = actor  # type: ignore[attr-defined]
    assessment.save()
    # An exempt member may be rated only with a self-assessment (evaluation_exempt).
    if row.not_rated in ("", ratable.EXEMPT_NO_SELF) and not row.level:
        verdict = ratable.member_verdict(member, campaign.year)
        code = "" if verdict.rated else verdict.code
        if code != row.not_rated and verdict.code != ratable.NOT_LISTED:
            row.not_rated = code
            row._history_user = actor  # type: ignore[attr-defined]
            row.save()
    if submit:
        audit.record(
            SELF_SUBMITTED,
            actor=actor,
            obj=assessment,
            about=member,
            year=campaign.year,
            level=Level(proposed_level),
        )
    else:
        audit.record(SELF_SAVED, actor=actor, obj=assessment, about=member, year=campaign.year)
    return assessment


# Proposal and decision ------------------------------------------------------------------------


def _verdict(evaluation: Evaluation) -> ratable.Verdict:
    if evaluation.member is not None:
        return ratable.member_verdict(evaluation.member, evaluation.year)
    assert evaluation.unit is not None
    return ratable.unit_verdict(evaluation.unit, evaluation.year)


def _name(evaluation: Evaluation) -> str:
    if evaluation.member is not None:
        return evaluation.member.full_name
    return evaluation.unit.name if evaluation.unit is not None else ""


def _check_day(on: dt.date, year: int, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if on.year < year:
        raise ValidationError(
            {field: _("The evaluation of %(year)s is done in %(year)s or after.") % {"year": year}}
        )


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


def _check_level(level: str) -> Level:
    if level not in Level.values:
        raise ValidationError({"level": _("Choose one of the four levels.")})
    return Level(level)


def _check_rated(evaluation: Evaluation) -> None:
    if evaluation.not_rated:
        verdict = _verdict(evaluation)
        raise ValidationError(
            _("%(name)s is not rated this year: %(reason)s")
            % {"name": _name(evaluation), "reason": verdict.reason or evaluation.not_rated}
        )


@audit.write
def evaluation_propose(
    *, evaluation: Evaluation, level: str, votes: int, voters: int, on: dt.date, actor
) -> Evaluation:
    """The cell's proposal, adopted by a vote: more than half of the members voting, who are
    at most the cell's official members; not above the best level the rules allow."""
    _open(evaluation.campaign)
    _check_rated(evaluation)
    chosen = _check_level(level)
    if evaluation.level:
        raise ValidationError(
            _("The committee has already decided %(name)s's level.") % {"name": _name(evaluation)}
        )
    _check_day(on, evaluation.year, "on")
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
    verdict = _verdict(evaluation)
    if not verdict.allows(chosen):
        raise ValidationError(
            {
                "level": _("%(name)s can be rated %(best)s at best: %(reason)s")
                % {
                    "name": _name(evaluation),
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
    *, evaluation: Evaluation, level: str, score: int | None = None, on: dt.date, actor
) -> Evaluation:
    """The committee's decision on the cell's proposal (a level above what the rules allow is
    left to the checks, which refuse publication until fixed or overridden). Under 366-QĐ/TW
    the score may be recorded: within the points, and the level not above what it gives."""
    campaign = evaluation.campaign
    _open(campaign)
    _check_rated(evaluation)
    chosen = _check_level(level)
    if not evaluation.proposed_level:
        raise ValidationError(
            _("The cell has not proposed %(name)s's level yet.") % {"name": _name(evaluation)}
        )
    _check_day(on, evaluation.year, "on")
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


# Checks and publication -----------------------------------------------------------------------


def _actor_name(actor) -> str:
    return getattr(actor, "display_name", "") or str(actor or "")


@audit.write
def override_record(*, campaign: Campaign, check_key: str, reason: str, actor) -> Override:
    """Override a check that refuses publication, with the reason and who decided."""
    _open(campaign)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the override.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("At most %(limit)s characters.") % {"limit": formats.number(REASON_MAX)}}
        )
    found = {c.key: c for c in campaign_checks(campaign)}
    check = found.get(check_key)
    if check is None:
        raise ValidationError({"check_key": _("There is no such check on this campaign.")})
    if check.override is not None:
        raise ValidationError({"check_key": _("This check is already overridden.")})
    override = Override(
        campaign=campaign,
        check_key=check_key,
        reason=reason,
        decided_by=actor if getattr(actor, "pk", None) else None,
        decided_by_name=_actor_name(actor)[:120],
    )
    override._history_user = actor  # type: ignore[attr-defined]
    override.save()
    audit.record(
        OVERRIDDEN, actor=actor, obj=override, about=campaign, check=check.message, reason=reason
    )
    return override


@audit.write
def campaign_publish(*, campaign: Campaign, actor) -> Campaign:
    """Publish the results: every rated row decided, and no refusing check left (fixed, or
    overridden with its reason)."""
    _open(campaign)
    undecided = list(
        Evaluation.objects.filter(campaign=campaign, not_rated="", level="")
        .select_related("member", "unit")
        .order_by("pk")
    )
    problems: list[str] = []
    if undecided:
        names = ", ".join(_name(e) for e in undecided[:10])
        more = len(undecided) - 10
        problems.append(
            _("Not decided yet: %(count)s (%(names)s%(more)s).")
            % {
                "count": formats.number(len(undecided)),
                "names": names,
                "more": _(" and %(n)s more") % {"n": formats.number(more)} if more > 0 else "",
            }
        )
    problems += [c.message for c in campaign_checks(campaign) if c.refuses]
    if problems:
        # About the whole campaign, one message per problem (the API lists each).
        raise ValidationError({NON_FIELD_ERRORS: problems})
    campaign.published_at = timezone.now()
    campaign.published_by = actor if getattr(actor, "pk", None) else None
    campaign._history_user = actor  # type: ignore[attr-defined]
    campaign.save()
    rated = Evaluation.objects.filter(campaign=campaign, not_rated="").count()
    audit.record(PUBLISHED, actor=actor, obj=campaign, year=campaign.year, rated=rated)
    return campaign


# History from Excel ---------------------------------------------------------------------------

RATING_IMPORTED = audit.kind(
    "evaluation.rating_imported", gettext_lazy("Rating of %(year)s imported: %(level)s")
)
CREATED, UPDATED, UNCHANGED = "create", "update", "unchanged"


def base_organisation(unit: OrgUnit, on: dt.date) -> OrgUnit | None:
    """The base organisation (tổ chức cơ sở đảng) a unit belongs to on `on`: the highest
    base committee or base cell at or above it (a partial committee sits inside one)."""
    return (
        unit.ancestors(on, include_self=True)
        .filter(kind__in=BASE_KINDS)
        .order_by("-distance")
        .first()
    )


def _imported_campaign(base: OrgUnit, year: int, actor) -> Campaign:
    """The base organisation's imported campaign of `year` (created published: history
    records what was decided and published)."""
    found = Campaign.objects.filter(unit=base, year=year).first()
    if found is not None:
        if not found.imported:
            raise ValidationError(
                _("The evaluation of %(year)s is kept in Chibo (%(unit)s); it is not imported.")
                % {"year": year, "unit": base.name}
            )
        return found
    on = ratable.rating_day(year)
    clash = _overlapping(base, year, on)
    if clash is not None and not clash.imported:
        raise ValidationError(
            _("The evaluation of %(year)s is kept in Chibo (%(unit)s); it is not imported.")
            % {"year": year, "unit": clash.unit.name}
        )
    campaign = Campaign(
        unit=base,
        year=year,
        regulation=ratable.regulation(year, base),
        self_due=on,
        cell_due=on,
        decision_due=on,
        publish_due=on,
        imported=True,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "pk", None) else None,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    campaign._history_user = actor  # type: ignore[attr-defined]
    campaign.save()
    return campaign


@audit.write
def rating_import(
    *,
    year: int,
    level: str,
    score: int | None = None,
    member: Member | None = None,
    unit: OrgUnit | None = None,
    actor,
) -> tuple[Evaluation, str]:
    """Record a rating of a past year as published (the import of an office's records), in
    the base organisation's imported campaign of that year. Checked against that year's
    rules: a member or unit they do not rate is refused, naming the rule; a level above what
    they allow stays, and the campaign's checks warn of it. Returns the row and whether it
    was created, updated or unchanged."""
    if (member is None) == (unit is None):
        raise ValueError("rate a member or a unit")
    chosen = _check_level(level)
    if year >= timezone.localdate().year:
        raise ValidationError(
            {
                "year": _("Only past years are imported; %(year)s is rated in Chibo.")
                % {"year": year}
            }
        )
    name = ratable.regulation(year, member.home_unit if member is not None else unit)
    if not name:
        raise ValidationError(
            {"year": _("No evaluation regulation was in force in %(year)s.") % {"year": year}}
        )
    on = ratable.rating_day(year)
    if member is not None:
        verdict = ratable.member_verdict(member, year, today=on)
        cell_id = ratable.member_cell(member, year, today=on)
        place = OrgUnit.all_objects.get(pk=cell_id) if cell_id else None
        row = Evaluation.objects.filter(member=member, year=year).select_related("campaign").first()
    else:
        assert unit is not None
        if unit.kind not in ratable.RATED_KINDS:
            raise ValidationError(
                {
                    "unit": _("Cells and base organisations are rated; %(unit)s is not one.")
                    % {"unit": unit.name}
                }
            )
        verdict = ratable.unit_verdict(unit, year)
        cell_id, place = None, unit
        row = Evaluation.objects.filter(unit=unit, year=year).select_related("campaign").first()
    if not verdict.rated:
        raise ValidationError(
            {
                "level": _("Not rated in %(year)s: %(reason)s")
                % {"year": year, "reason": verdict.reason}
            }
        )
    r = ratable.year_rules(year, place)
    if score is not None:
        if not criteria_.scored(r):
            raise ValidationError(
                {
                    "score": _("The evaluation of %(year)s is not scored (%(regulation)s).")
                    % {"year": year, "regulation": name}
                }
            )
        total = criteria_.total_points(r)
        if not 0 <= score <= total:
            raise ValidationError({"score": _("Between 0 and %(max)s points.") % {"max": total}})
    if row is not None:
        if not row.campaign.imported:
            raise ValidationError(
                _("The evaluation of %(year)s is kept in Chibo (%(unit)s); it is not imported.")
                % {"year": year, "unit": row.campaign.unit.name}
            )
        if row.level == chosen and row.score == score:
            return row, UNCHANGED
        row.level, row.score = chosen, score
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()
        status = UPDATED
    else:
        assert place is not None
        base = base_organisation(place, on)
        if base is None:
            raise ValidationError(
                _("%(unit)s belongs to no base organisation on %(date)s.")
                % {"unit": place.name, "date": formats.date(on)}
            )
        campaign = _imported_campaign(base, year, actor)
        row = Evaluation(
            campaign=campaign,
            year=year,
            member=member,
            unit=unit,
            cell_id=cell_id,
            level=chosen,
            score=score,
            decided_by=actor if getattr(actor, "pk", None) else None,
        )
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()
        status = CREATED
    audit.record(
        RATING_IMPORTED,
        actor=actor,
        obj=row,
        about=member if member is not None else unit,
        year=year,
        level=chosen,
    )
    return row, status
