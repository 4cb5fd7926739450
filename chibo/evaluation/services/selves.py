"""The member's self-assessment (bản kiểm điểm cá nhân)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit, formats
from chibo.core.versions import Stale, check_version
from chibo.members.models import Member

from .. import criteria as criteria_
from .. import ratable
from ..models import Campaign, Evaluation, Level, SelfAssessment

SELF_SAVED = audit.kind(
    "evaluation.self_saved", gettext_lazy("Self-assessment of %(year)s saved as a draft")
)
SELF_SUBMITTED = audit.kind(
    "evaluation.self_submitted",
    gettext_lazy("Self-assessment of %(year)s submitted, proposing %(level)s"),
)

TEXT_MAX = 10_000


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
    version: int | None = None,
    actor,
) -> SelfAssessment:
    """Save the member's self-assessment of the campaign's year; `submit` hands it in (a
    draft otherwise). Under 366-QĐ/TW the scores are within the points of each part and the
    level proposed is the one the score gives. `version`: the one read (core.versions), 0
    when none was saved yet: the member may have it open on the phone and on a computer,
    and a save from one must not silently replace what the other saved since."""
    if campaign.published:
        raise ValidationError(
            _("The evaluation of %(year)s is published: self-assessments are closed.")
            % {"year": campaign.year}
        )
    assessment = SelfAssessment.objects.filter(member=member, year=campaign.year).first()
    if assessment is not None:
        check_version(assessment, version)
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
        # The results of the duties are the heart of every form: not handed in without them.
        if "duties" in keys and "duties" not in clean_answers:
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
    if assessment.pk is None:
        try:
            with transaction.atomic():
                assessment.save()
        except IntegrityError:
            # The first save from another device, at the same moment: that one stays.
            now = SelfAssessment.objects.filter(member=member, year=campaign.year).first()
            raise Stale(now) from None
    else:
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
