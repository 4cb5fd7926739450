"""What the writes share: a campaign still open, the row's name, level and verdict."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import ratable
from ..models import Campaign, Evaluation, Level


def check_open(campaign: Campaign) -> None:
    if campaign.published:
        raise ValidationError(
            _("The evaluation of %(year)s is published; it can no longer be changed.")
            % {"year": campaign.year}
        )


def verdict_of(evaluation: Evaluation) -> ratable.Verdict:
    if evaluation.member is not None:
        return ratable.member_verdict(evaluation.member, evaluation.year)
    assert evaluation.unit is not None
    return ratable.unit_verdict(evaluation.unit, evaluation.year)


def name_of(evaluation: Evaluation) -> str:
    if evaluation.member is not None:
        return evaluation.member.full_name
    return evaluation.unit.name if evaluation.unit is not None else ""


def check_day(on: dt.date, year: int, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if on.year < year:
        raise ValidationError(
            {field: _("The evaluation of %(year)s is done in %(year)s or after.") % {"year": year}}
        )


def check_level(level: str) -> Level:
    if level not in Level.values:
        raise ValidationError({"level": _("Choose one of the four levels.")})
    return Level(level)


def check_rated(evaluation: Evaluation) -> None:
    if evaluation.not_rated:
        verdict = verdict_of(evaluation)
        raise ValidationError(
            _("%(name)s is not rated this year: %(reason)s")
            % {"name": name_of(evaluation), "reason": verdict.reason or evaluation.not_rated}
        )
