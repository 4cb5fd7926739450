"""The quality score of a meeting (chấm điểm chất lượng sinh hoạt): read with the record, given
by a writer of the meeting once it is held (naming its version), confirmed by the superior
follower who attended. Parts, maxima and the rating come from chibo.meetings.services.quality
and the rules in force on the meeting day."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictInt

from chibo import rules
from chibo.accounts.authentication import user_of
from chibo.core.api import InSchema

from ..models import Meeting, QualityScore, Rating
from ..services import quality
from .common import get_record_for, versioned, writable


class QualityIn(InSchema):
    version: int
    points: dict[str, StrictInt] = Field(
        description="Points per part of the checklist in force on the meeting day, e.g. "
        '{"preparation": 14, "attendance": 20, "conduct": 40, "closing": 18}.'
    )


class PartOut(Schema):
    part: str
    label: str
    max: int | None = Field(description="Null for a part no longer in the checklist.")
    points: int | None = Field(description="Null until scored.")


class QualityOut(Schema):
    scored: bool
    parts: list[PartOut] = Field(description="The checklist in force on the meeting day.")
    total: int | None
    max_total: int | None
    rating: Rating | None = Field(
        description="On the rules of the meeting day; a good score without good attendance "
        "rates fair. Null until scored."
    )
    filled_by: int | None = Field(description="The user who gave the score.")
    filled_at: dt.datetime | None
    confirmed_by: int | None = Field(description="The superior follower who confirmed it.")
    confirmed_at: dt.datetime | None
    meeting_version: int


def _quality(meeting: Meeting) -> dict[str, Any]:
    """The score as it now is, beside the checklist of the meeting day."""
    meeting.refresh_from_db()
    r = rules.at(meeting.day, meeting.cell)
    most = r.quality_max or {}
    score = QualityScore.objects.filter(meeting=meeting).first()
    points: dict[str, int] = score.points if score else {}
    names = [*most, *(p for p in points if p not in most)]
    return {
        "scored": score is not None,
        "parts": [
            {
                "part": p,
                "label": str(quality.PART_LABELS.get(p, p)),
                "max": most.get(p),
                "points": points.get(p),
            }
            for p in names
        ],
        "total": score.total if score else None,
        "max_total": sum(most.values()) if most else None,
        "rating": quality.meeting_rating(meeting) if score else None,
        "filled_by": score.filled_by_id if score else None,
        "filled_at": score.filled_at if score else None,
        "confirmed_by": score.confirmed_by_id if score else None,
        "confirmed_at": score.confirmed_at if score else None,
        "meeting_version": meeting.version,
    }


def add_quality_routes(router: Router) -> None:
    @router.get("/{meeting_id}/quality", response=QualityOut)
    def quality_read(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
        return _quality(get_record_for(request, meeting_id))

    @router.put("/{meeting_id}/quality", response=QualityOut)
    def quality_score(request: HttpRequest, meeting_id: int, payload: QualityIn) -> dict[str, Any]:
        """Score a held meeting, every part of the checklist (replaces an earlier score and
        clears its confirmation)."""
        meeting = writable(request, meeting_id)
        with versioned():
            quality.quality_score_set(
                meeting=meeting,
                version=payload.version,
                points=payload.points,
                actor=user_of(request),
            )
        return _quality(meeting)

    @router.post("/{meeting_id}/quality/confirm", response=QualityOut)
    def quality_confirm(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
        """The superior follower assigned to the cell who attended (on the guest list through
        their assignment) confirms the score; they read the cell's record without writing it,
        as on the page. No version: the numbers do not change, and it is done once."""
        meeting = get_record_for(request, meeting_id)
        quality.quality_confirm(meeting=meeting, actor=user_of(request))
        return _quality(meeting)
