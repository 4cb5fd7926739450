"""Rows of the ratings sheet: a meeting's quality score, by part or as a total, and the
office's rating word checked against Chibo's."""

import datetime as dt

from django.utils.translation import gettext as _

from chibo.core.formats import date, number, percent, ratio
from chibo.core.sheets import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Context,
    Handler,
    Outcome,
    Values,
    fail,
    show,
)

from ..models import Meeting, Presence, QualityScore
from ..services import quality, turnout
from .meetings import meeting_key, meeting_label, meeting_of
from .sheets import PARTS, RATINGS


def _apply_rating(ctx: Context, v: Values) -> Outcome:
    meeting = meeting_of(ctx, v)
    label = meeting_label(meeting.cell.code, meeting.day, meeting.kind)
    r = quality._scoring_rules(meeting.day, meeting.cell)
    assert r.quality_max is not None
    given = {p: v[p] for p in PARTS if v[p] is not None}
    score = QualityScore.objects.filter(meeting=meeting).first()
    if given:
        points = _parts(given, v["total"], r.quality_max, meeting.day)
        total = sum(points.values())
    elif v["total"] is None:
        fail(_("Give the points of each part, or the total."), "total")
    else:
        most = sum(r.quality_max.values())
        if v["total"] > most:
            fail(_("The total must be from 0 to %(max)s points.") % {"max": most}, "total")
        total = v["total"]
        # The total alone agrees with parts stored before: they stay.
        points = score.points if score is not None and score.total == total else {}
    current = (score.points, score.total) if score is not None else None
    if current != (points, total):
        _score(ctx, meeting, points, total)
    if v["rating"]:
        _check_rating(meeting, v["rating"], total, r)
    if current is None:
        return Outcome(CREATE, label)
    if current == (points, total):
        return Outcome(UNCHANGED, label)
    diff = [(p, current[0].get(p), points.get(p)) for p in PARTS]
    diff.append(("total", current[1], total))
    return Outcome(UPDATE, label, [d for d in diff if d[1] != d[2]])


def _parts(parts: dict, total: int | None, most: dict[str, int], day: dt.date) -> dict[str, int]:
    if set(most) != set(PARTS):
        fail(
            _(
                "The checklist in force on %(day)s for this cell has other parts (%(parts)s); "
                "give only the total."
            )
            % {"day": date(day), "parts": ", ".join(sorted(most))},
            next(iter(parts)),
        )
    missing = [p for p in PARTS if p not in parts]
    if missing:
        fail(_("Give the points of every part, or only the total."), missing[0])
    for part, highest in most.items():
        if parts[part] > highest:
            fail(
                _("%(part)s: give from 0 to %(max)s points.")
                % {"part": quality._label(part), "max": highest},
                part,
            )
    if total is not None and total != sum(parts.values()):
        fail(
            _("The total %(total)s is not the sum of the parts, %(sum)s.")
            % {"total": total, "sum": sum(parts.values())},
            "total",
        )
    return parts


def _score(ctx: Context, meeting: Meeting, points: dict[str, int], total: int) -> None:
    """Through the services, as on the page: a score is given or changed after the minutes
    are adopted too, until the cell's year is rated."""
    if not getattr(ctx.user, "pk", None):
        fail(
            _("A score is filled in by a user: run the import as one (chibo import --user)."),
            "total",
        )
    if points:
        quality.quality_score_set(
            meeting=meeting, version=meeting.version, points=points, actor=ctx.actor
        )
    else:  # the total alone: the office's book kept no parts
        quality.quality_total_set(
            meeting=meeting, version=meeting.version, total=total, actor=ctx.actor
        )


def _check_rating(meeting: Meeting, word: str, total: int, r) -> None:
    """The office's rating word against Chibo's: the total under the rules of the day, and
    Tốt only with good attendance (`quality.meeting_rating`)."""
    rating = quality.meeting_rating(meeting)
    if rating == word:
        return
    names = {
        "rating": show(RATINGS, "rating", word),
        "total": number(total),
        "computed": show(RATINGS, "rating", rating),
        "day": date(meeting.day),
    }
    if quality.rating(total, r) != word:
        fail(
            _(
                "The rating %(rating)s does not agree with the total %(total)s: under the rules "
                "in force on %(day)s that total rates %(computed)s."
            )
            % names,
            "rating",
        )
    share = r.good_meeting_attendance
    t = turnout(meeting)
    unexcused = meeting.roster.filter(presence=Presence.UNEXCUSED, away=False).count()
    fail(
        _(
            "The rating %(rating)s does not hold: the total %(total)s reaches it, but a meeting "
            "is rated so only with attendance over %(share)s and nobody absent without reason "
            "(here: %(turnout)s present, %(unexcused)s absent without reason), so it rates "
            "%(computed)s."
        )
        % {
            **names,
            "share": percent(share.numerator, share.denominator, 0) if share else "",
            "turnout": ratio(t.present, t.expected),
            "unexcused": number(unexcused),
        },
        "rating",
    )


RATING_HANDLER = Handler(
    sheet=RATINGS,
    key=meeting_key,
    apply=_apply_rating,
    fields={"points": "", "total": "total"},
)
