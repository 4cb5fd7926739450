"""What the pipeline's services share: rules read on a date, date checks, the majority."""

import datetime as dt
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import rules
from chibo.core import formats
from chibo.core.versions import check_version

from ..models import Candidate, Stage


def rule(day: dt.date, name: str) -> Any:
    value = getattr(rules.at(day), name)
    if value is None:
        raise ValidationError(
            _("No regulation in force on %(date)s sets this rule (%(rule)s).")
            % {"date": formats.date(day), "rule": name}
        )
    return value


def not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def not_before(day: dt.date, earlier: dt.date, field: str, message: str) -> None:
    if day < earlier:
        raise ValidationError({field: message % {"date": formats.date(earlier)}})


def one_line(value: str) -> str:
    return " ".join((value or "").split())


def lock(candidate: Candidate, version: int | None = None) -> Candidate:
    """The row re-read under a lock: two offices recording the same step at once would
    otherwise both pass the stage check. (`of`: PostgreSQL locks no outer-joined row.)
    Every change bumps the version (core.versions), so that a correction made from a page
    opened before a step is refused as stale; `version`: the one the person read."""
    check_version(candidate, version)
    return (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("cell", "member")
        .get(pk=candidate.pk)
    )


def require_stage(candidate: Candidate, allowed: set[str]) -> None:
    stage = candidate.stage
    if stage == Stage.DROPPED:
        raise ValidationError(_("This person is no longer a candidate."))
    if stage not in allowed:
        if Stage.values.index(stage) > max(Stage.values.index(s) for s in allowed):
            raise ValidationError(
                _("A later step is already recorded; this one can no longer change.")
            )
        raise ValidationError(
            _("Record the earlier steps first (the candidate is at: %(stage)s).")
            % {"stage": Stage(stage).label}
        )


def check_votes(votes_for: int, votes_eligible: int) -> None:
    if votes_eligible < 1:
        raise ValidationError(
            {"votes_eligible": _("At least one member must be entitled to vote.")}
        )
    if votes_for > votes_eligible:
        raise ValidationError({"votes_for": _("More votes for than members entitled to vote.")})


def short_of_majority(votes_for: int, votes_eligible: int, day: dt.date) -> dict | None:
    """None when the votes reach the special majority in force on `day` (AT LEAST two thirds
    of the official members entitled to vote); otherwise the figures for the message."""
    share: Fraction = rule(day, "special_majority")
    if Fraction(votes_for, votes_eligible) >= share:
        return None
    needed = -(-votes_eligible * share.numerator // share.denominator)  # rounded up
    return {
        "for": formats.number(votes_for),
        "eligible": formats.number(votes_eligible),
        "needed": formats.number(needed),
        "share": f"{share.numerator}/{share.denominator}",
    }
