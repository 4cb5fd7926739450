"""The criteria of each year's self-assessment form (bản kiểm điểm cá nhân), in the substance
of the regulation and its guidance, and under 366-QĐ/TW the level a score gives.

- "132": Quy định 132-QĐ/TW (2018) and its guidance: the member reviews their political
  thought, ethics and lifestyle, working style, discipline, the results of their duties and of
  their yearly pledge.
- "124": Quy định 124-QĐ/TW (2023) and Hướng dẫn 25-HD/BTCTW: the qualities (political,
  ethical, discipline, working style), the results of duties, the pledge, the remedy of
  earlier shortcomings, the issues raised for the review, the share of the collective's
  shortcomings.
- "366": Quy định 366-QĐ/TW (2025) and Hướng dẫn 43-HD/BTCTW: the same review, scored out of
  100 points (`evaluation_points`: 30 for the general criteria, 70 for the results), the
  level read from the score (`evaluation_thresholds`; excellent also needs every task done
  and `evaluation_exceeded_share` % of them exceeded).

Strengths, shortcomings, remedies and the proposed level are fields of every form."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chibo import rules

from .models import Level


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str | Promise
    guidance: str | Promise
    part: str = ""  # 366: the part of the score it counts in ("general", "results")


QUALITIES = Criterion(
    "qualities",
    _("Political qualities, ethics, lifestyle, discipline and working style"),
    _(
        "Loyalty to the Party's line and the State's law; ethics and lifestyle, no signs of"
        " degradation; sense of organisation and discipline; working style and manners."
    ),
)
DUTIES = Criterion(
    "duties",
    _("Results of the duties assigned"),
    _(
        "The tasks of your post and those the cell assigned you, with their results in"
        " figures; for a leader, the results of the body or unit you lead."
    ),
)
PLEDGE = Criterion(
    "pledge",
    _("The yearly pledge of self-improvement"),
    _("What you pledged at the start of the year, and how far you kept it."),
)
EARLIER = Criterion(
    "earlier",
    _("Remedy of shortcomings found earlier"),
    _(
        "The shortcomings a competent body concluded or earlier reviews pointed out, and how"
        " they were remedied (write “none” if there were none)."
    ),
)
RAISED = Criterion(
    "raised",
    _("Explanation of the issues raised for this review"),
    _("If the committee raised issues for your review, explain each (otherwise leave empty)."),
)
COLLECTIVE = Criterion(
    "collective",
    _("Personal responsibility for the collective's shortcomings"),
    _("Your share in the shortcomings of the collective you belong to, if any."),
)

FORMS: dict[str, list[Criterion]] = {
    "132": [
        Criterion(
            "ideology",
            _("Political thought"),
            _("Loyalty to the Party's ideals and line; following the resolutions and the law."),
        ),
        Criterion(
            "ethics",
            _("Ethics and lifestyle"),
            _("Honesty, modesty, thrift; no signs of degradation in ethics and lifestyle."),
        ),
        Criterion(
            "style",
            _("Working style and manners"),
            _("Democratic and scientific working style; closeness to the people."),
        ),
        Criterion(
            "discipline",
            _("Sense of organisation and discipline"),
            _("Keeping the Party's rules, living in the cell, paying dues, self-criticism."),
        ),
        DUTIES,
        PLEDGE,
    ],
    "124": [QUALITIES, DUTIES, PLEDGE, EARLIER, RAISED, COLLECTIVE],
    "366": [
        Criterion(
            "qualities",
            QUALITIES.title,
            _(
                "Political qualities, ethics and lifestyle, sense of discipline, working style"
                " (the general criteria: scored together)."
            ),
            part="general",
        ),
        Criterion(
            "duties",
            DUTIES.title,
            _(
                "The tasks assigned in the year, each with its product and result: done on"
                " time, done well, exceeded (the results: scored together)."
            ),
            part="results",
        ),
        PLEDGE,
        EARLIER,
        RAISED,
        COLLECTIVE,
    ],
}


def criteria(form: str) -> list[Criterion]:
    """The criteria of the form `form` (the rule `evaluation_form` of the year)."""
    return FORMS.get(form, [])


def scored(r: rules.Rules) -> bool:
    """The year's form scores the self-assessment (366-QĐ/TW)."""
    return bool(r.evaluation_points) and bool(r.evaluation_thresholds)


def total_points(r: rules.Rules) -> int:
    return sum((r.evaluation_points or {}).values())


def level_for(
    score: int,
    r: rules.Rules,
    *,
    tasks_all_done: bool | None = None,
    exceeded_share: int | None = None,
) -> Level:
    """The level a score gives under the year's thresholds: excellent needs the threshold,
    every task done and `evaluation_exceeded_share` % exceeded; otherwise good."""
    thresholds = r.evaluation_thresholds or {}
    if score >= thresholds.get("excellent", 10**9):
        needed = r.evaluation_exceeded_share or 0
        if tasks_all_done and (exceeded_share or 0) >= needed:
            return Level.EXCELLENT
        return Level.GOOD
    if score >= thresholds.get("good", 10**9):
        return Level.GOOD
    if score >= thresholds.get("complete", 10**9):
        return Level.COMPLETE
    return Level.INCOMPLETE
