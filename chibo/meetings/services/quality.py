"""The quality of cell meetings (chấm điểm chất lượng sinh hoạt chi bộ): the score of one
meeting on the checklist in force on its day, its rating, and the rating of a cell's year.
Every number (parts and their maxima, thresholds, the good-meeting attendance, how many good
meetings make a good year) is read from the rules of the day for the cell's province."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chibo import rules
from chibo.core import audit, formats
from chibo.org.models import OrgUnit

from ..models import Kind, Meeting, Presence, QualityScore, Rating, State
from .meetings import claim, turnout

SCORED = audit.kind(
    "meetings.scored", gettext_lazy("Quality score given: %(total)s of %(max)s points")
)
SCORED_AFTER_ADOPTION = audit.kind(
    "meetings.scored_after_adoption",
    gettext_lazy(
        "Quality score changed after the minutes were adopted: %(total)s of %(max)s points"
        " (before: %(before)s)"
    ),
)
SCORE_CONFIRMED = audit.kind(
    "meetings.score_confirmed", gettext_lazy("Quality score of %(total)s points confirmed")
)

# Labels of the parts of the national checklist; a province's own part keeps its key as label.
PART_LABELS = {
    "preparation": gettext_lazy("preparation"),
    "attendance": gettext_lazy("attendance"),
    "conduct": gettext_lazy("conduct of the meeting"),
    "closing": gettext_lazy("closing"),
}
# Worst first: a year is never better than its worst meeting.
ORDER = [Rating.POOR, Rating.AVERAGE, Rating.FAIR, Rating.GOOD]


def _label(part: str) -> str:
    return str(PART_LABELS[part]) if part in PART_LABELS else part


def _scoring_rules(on: dt.date, cell: OrgUnit) -> rules.Rules:
    r = rules.at(on, cell)
    needed = (r.quality_max, r.quality_good, r.quality_fair, r.quality_average)
    if any(value is None for value in needed):
        raise ValidationError(
            _("No rule for scoring meetings was in force on %(day)s.") % {"day": f"{on:%d/%m/%Y}"},
            code="no_rule",
        )
    return r


def rating(total: int, r: rules.Rules) -> Rating:
    """Tốt at or above quality_good, Khá at or above quality_fair, Trung bình at or above
    quality_average, else Kém."""
    assert r.quality_good is not None and r.quality_fair is not None
    assert r.quality_average is not None
    if total >= r.quality_good:
        return Rating.GOOD
    if total >= r.quality_fair:
        return Rating.FAIR
    if total >= r.quality_average:
        return Rating.AVERAGE
    return Rating.POOR


def good_turnout(present: int, expected: int, needed: Fraction) -> bool:
    """Attendance over the good-meeting share: present of expected (the turnout counts of
    `turnout`, as kept on the meeting row) strictly above `needed`."""
    return expected > 0 and Fraction(present, expected) > needed


def rated(total: int, r: rules.Rules, attendance_good: Callable[[], bool]) -> Rating:
    """The rating of a meeting scored `total` on the rules `r` of its day: `rating`, except
    that a score in the Tốt band without good attendance rates Khá. `attendance_good` is asked
    only for a score in the Tốt band (the meeting page reads the roster for it, the reports
    the turnout counts kept on the meeting row)."""
    result = rating(total, r)
    if result == Rating.GOOD and not attendance_good():
        return Rating.FAIR
    return result


def _year_meetings(cell: OrgUnit, year: int):
    """The regular monthly meetings a cell held in `year` (cancelled, thematic, extraordinary
    and committee meetings left out), on the meeting's day: when it started, else when it was
    planned (in local time, as `Meeting.day`)."""
    return Meeting.objects.filter(
        cell=cell, kind=Kind.REGULAR, state__in=[State.HELD, State.ADOPTED]
    ).filter(Q(started_at__year=year) | Q(started_at__isnull=True, planned_at__year=year))


def year_closed(*, cell: OrgUnit, year: int, today: dt.date | None = None) -> bool:
    """Whether the cell's year of meetings is rated, so that no score of that year may change.

    The one rule of this codebase (nothing else marks a year as rated): the year is closed
    once it is over (today is after 31 December) and every regular meeting held in it has a
    score confirmed by the superior follower. Until then the year's rating may still move and
    every score of that year (of any kind of meeting) can be given or changed, also after the
    minutes are adopted. A year with a meeting unscored or unconfirmed stays open."""
    today = today or timezone.localdate()
    if today <= dt.date(year, 12, 31):
        return False
    meetings = _year_meetings(cell, year)
    if not meetings.exists():
        return False
    return not meetings.filter(
        Q(quality__isnull=True) | Q(quality__confirmed_by__isnull=True)
    ).exists()


def _check_scorable(meeting: Meeting) -> rules.Rules:
    """A held (or adopted) meeting of a year not yet rated; the checklist of its day."""
    if meeting.state not in (State.HELD, State.ADOPTED):
        raise ValidationError(_("Only a held meeting is scored."))
    if year_closed(cell=meeting.cell, year=meeting.day.year):
        raise ValidationError(
            _(
                "The meetings of %(year)s are rated (every score confirmed by the superior"
                " follower): their scores can no longer be changed."
            )
            % {"year": meeting.day.year},
            code="year_closed",
        )
    r = _scoring_rules(meeting.day, meeting.cell)
    assert r.quality_max is not None
    return r


def _save_score(
    meeting: Meeting, points: dict[str, int], total: int, most: int, actor
) -> QualityScore:
    score = QualityScore.objects.select_for_update().filter(meeting=meeting).first()
    before = score.total if score is not None else None
    if score is None:
        score = QualityScore(meeting=meeting)
    score.points, score.total, score.filled_by = points, total, actor
    score.confirmed_by, score.confirmed_at = None, None
    # The history row names who changed it, also outside a web request (simple_history).
    score._history_user = actor  # type: ignore[attr-defined]
    if meeting.locked:
        score._change_reason = "after adoption"  # type: ignore[attr-defined]
    score.save()
    if meeting.locked:
        audit.record(
            SCORED_AFTER_ADOPTION,
            actor=actor,
            obj=score,
            about=meeting,
            total=score.total,
            max=most,
            before="—" if before is None else before,
        )
    else:
        audit.record(SCORED, actor=actor, obj=score, about=meeting, total=score.total, max=most)
    return score


@audit.write
def quality_score_set(*, meeting: Meeting, version: int, points: dict, actor) -> QualityScore:
    """Score a held meeting, part by part, on the checklist in force on its day. The score is
    part of the record of the meeting, not of the minutes' text: it is given or changed until
    the cell's year is rated (`year_closed`), also after the minutes are adopted (the national
    agenda puts adopting the minutes before scoring). A change after adoption is its own audit
    event, with the total before. Changing a score clears an earlier confirmation, which was
    of other numbers."""
    claim(meeting, version)
    r = _check_scorable(meeting)
    assert r.quality_max is not None
    unknown = sorted(set(points) - set(r.quality_max))
    if unknown:
        raise ValidationError(
            {"points": _("Unknown part of the score: %(part)s.") % {"part": ", ".join(unknown)}}
        )
    clean: dict[str, int] = {}
    for part, most in r.quality_max.items():
        value = points.get(part)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
            raise ValidationError(
                {
                    "points": _("%(part)s: give from 0 to %(max)s points.")
                    % {"part": _label(part), "max": most}
                },
                code="out_of_range",
            )
        clean[part] = value
    return _save_score(meeting, clean, sum(clean.values()), sum(r.quality_max.values()), actor)


@audit.write
def quality_total_set(*, meeting: Meeting, version: int, total: int, actor) -> QualityScore:
    """The total alone, as an office's book of past meetings kept it (no parts): the same
    checks as `quality_score_set`, after adoption too, until the year is rated."""
    claim(meeting, version)
    r = _check_scorable(meeting)
    assert r.quality_max is not None
    most = sum(r.quality_max.values())
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= most:
        raise ValidationError(
            _("The total must be from 0 to %(max)s points.") % {"max": most}, code="out_of_range"
        )
    return _save_score(meeting, {}, total, most, actor)


@audit.write
def quality_confirm(*, meeting: Meeting, actor) -> QualityScore:
    """The superior follower assigned to the cell who attended (on the guest list through their
    assignment) confirms the score. It does not change the minutes, so it may come after they
    are adopted. Nobody confirms their own score."""
    score = QualityScore.objects.select_for_update().filter(meeting=meeting).first()
    if score is None:
        raise ValidationError(_("This meeting has not been scored yet."))
    if score.confirmed_by_id is not None:
        raise ValidationError(_("This score is already confirmed."))
    if not meeting.guests.filter(follower=True).exists():
        raise ValidationError(_("Record the superior follower who attended the meeting first."))
    if score.filled_by_id == actor.pk:
        raise ValidationError(_("The score is confirmed by someone other than who gave it."))
    if not meeting.guests.filter(follow__follower_id=actor.pk).exists():
        raise ValidationError(
            _("Only the superior follower assigned to the cell who attended confirms the score.")
        )
    score.confirmed_by, score.confirmed_at = actor, timezone.now()
    score.save(update_fields=["confirmed_by", "confirmed_at"])
    audit.record(SCORE_CONFIRMED, actor=actor, obj=score, about=meeting, total=score.total)
    return score


@dataclass(frozen=True)
class GoodCondition:
    """One condition, besides its points, for a meeting to be rated Tốt, as the page says it:
    met or not, with the meeting's own figures."""

    key: str  # "attendance" or "unexcused"
    met: bool
    text: str


def good_conditions(meeting: Meeting, r: rules.Rules | None = None) -> list[GoodCondition]:
    """The attendance conditions of a good meeting on the rules of its day (DOMAIN: attendance
    over the share, nobody expected here absent without reason), each with its figures. They
    are why a meeting scored in the Tốt band is rated Khá."""
    r = r or rules.at(meeting.day, meeting.cell)
    needed = r.good_meeting_attendance
    if needed is None:
        raise ValidationError(
            _("No rule for a good meeting's attendance was in force on %(day)s.")
            % {"day": f"{meeting.day:%d/%m/%Y}"},
            code="no_rule",
        )
    t = turnout(meeting)
    share = formats.percent(needed.numerator, needed.denominator, 0)
    figures = {"ratio": formats.ratio(t.present, t.expected), "share": share}
    attendance = good_turnout(t.present, t.expected, needed)
    unexcused = [
        row for row in meeting.roster.all() if row.presence == Presence.UNEXCUSED and not row.away
    ]
    if attendance:
        attendance_text = _("Attendance %(ratio)s: over %(share)s, as a good meeting needs.")
    else:
        attendance_text = _("Attendance %(ratio)s: a good meeting needs over %(share)s.")
    if unexcused:
        names = ", ".join(row.member.full_name for row in unexcused)
        absent_text = ngettext(
            "%(count)s member absent without reason (%(names)s): a good meeting has none.",
            "%(count)s members absent without reason (%(names)s): a good meeting has none.",
            len(unexcused),
        ) % {"count": len(unexcused), "names": names}
    else:
        absent_text = _("Nobody absent without reason.")
    return [
        GoodCondition("attendance", attendance, attendance_text % figures),
        GoodCondition("unexcused", not unexcused, absent_text),
    ]


def _attendance_good(meeting: Meeting, r: rules.Rules) -> bool:
    """Attendance over the rule's share, and nobody (expected here) absent without reason."""
    return all(c.met for c in good_conditions(meeting, r))


def meeting_rating(meeting: Meeting) -> Rating | None:
    """The meeting's rating from its score on the rules of its day (None: not scored). A score
    in the Tốt band without good attendance (over good_meeting_attendance, no unexcused
    absence) rates Khá: the meeting cannot be Tốt, and its points are at least Khá's
    (`good_conditions` says which condition failed)."""
    score = QualityScore.objects.filter(meeting=meeting).first()
    if score is None:
        return None
    r = _scoring_rules(meeting.day, meeting.cell)
    return rated(score.total, r, lambda: _attendance_good(meeting, r))


def meeting_is_good(meeting: Meeting) -> bool:
    return meeting_rating(meeting) == Rating.GOOD


@dataclass(frozen=True)
class YearRating:
    rating: Rating | None  # None: no meeting held, or some not scored yet
    meetings: int  # regular meetings held (not cancelled)
    good: int  # of which good meetings
    unscored: int  # held but not scored


def year_rating(*, cell: OrgUnit, year: int) -> YearRating:
    """Rate a cell's year from its regular monthly meetings held that year (cancelled ones,
    thematic, extraordinary and committee meetings are left out).

    Tốt: every meeting Khá or better and at least year_good_min_good_meetings good meetings.
    Otherwise the year takes its worst meeting's rating, because DOMAIN rates a year by the
    floor every meeting must reach (Tốt needs every meeting Khá or better): all meetings Khá
    or better but too few good ones is Khá; any Trung bình meeting makes the year Trung bình;
    any Kém meeting makes it Kém. The year's threshold is the rule in force on 31 December.
    A year with a meeting not yet scored has no rating (we say so instead of guessing)."""
    r = rules.at(dt.date(year, 12, 31), cell)
    if r.year_good_min_good_meetings is None:
        raise ValidationError(
            _("No rule for rating a year of meetings was in force in %(year)s.") % {"year": year},
            code="no_rule",
        )
    held = _year_meetings(cell, year).prefetch_related("roster")
    ratings = [meeting_rating(m) for m in held]
    scored = [x for x in ratings if x is not None]
    good = sum(1 for x in scored if x == Rating.GOOD)
    unscored = len(ratings) - len(scored)
    result: Rating | None = None
    if ratings and not unscored:
        worst = min(scored, key=ORDER.index)
        if worst in (Rating.GOOD, Rating.FAIR):
            enough = good >= r.year_good_min_good_meetings
            result = Rating.GOOD if enough else Rating.FAIR
        else:
            result = worst
    return YearRating(rating=result, meetings=len(ratings), good=good, unscored=unscored)
