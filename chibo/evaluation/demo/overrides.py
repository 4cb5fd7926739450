"""The meetings check of the demo's published years (chibo.evaluation.checks): a unit rated
excellent needs its year of meetings rated good; the demo's meetings begin twelve months back,
so earlier years have none and the year before is partly unscored. The committee overrides the
check with its reason, as an office would for a year kept on paper."""

from django.db.models import Count, Q

from chibo.accounts.models import User
from chibo.core.demo import Ids
from chibo.evaluation.models import Level, Override
from chibo.meetings.models import Kind as MeetingKind
from chibo.meetings.models import Meeting, Rating, State
from chibo.meetings.services.quality import year_rating
from chibo.org.models import CELL_KINDS, OrgUnit

MEETINGS_REASON = {
    False: "Năm {year} chi bộ chưa ghi sinh hoạt trên Chibo; cấp ủy đánh giá chất lượng"
    " sinh hoạt cả năm đạt Tốt theo sổ biên bản",
    True: "Một số cuộc sinh hoạt năm {year} chưa được chấm điểm trên Chibo; cấp ủy đánh giá"
    " chất lượng sinh hoạt cả năm đạt Tốt theo sổ biên bản",
}


def meetings_overrides(
    ids: Ids, year: int, rows: list[dict], offices: dict[int, int | None]
) -> list[dict]:
    """An override of the meetings check of each cell rated excellent whose year of
    meetings is not rated good (chibo.evaluation.checks: none, or some unscored)."""
    excellent = {
        row["unit_id"]: row
        for row in rows
        if row["level"] == Level.EXCELLENT and row["_kind"] in CELL_KINDS
    }
    if not excellent:
        return []
    held = (
        Meeting.objects.filter(
            cell_id__in=list(excellent),
            kind=MeetingKind.REGULAR,
            state__in=[State.HELD, State.ADOPTED],
        )
        .filter(Q(started_at__year=year) | Q(started_at__isnull=True, planned_at__year=year))
        .values("cell_id")
        .annotate(n=Count("pk"), unscored=Count("pk", filter=Q(quality__isnull=True)))
    )
    counts = {
        cell: (n, unscored) for cell, n, unscored in held.values_list("cell_id", "n", "unscored")
    }
    out = []
    for cell_id, row in excellent.items():
        n, unscored = counts.get(cell_id, (0, 0))
        if n and not unscored:
            rated = year_rating(cell=OrgUnit.all_objects.get(pk=cell_id), year=year).rating
            if rated == Rating.GOOD:
                continue
        user = offices[row["campaign_id"]]
        out.append(
            {
                "id": ids.next(Override),
                "campaign_id": row["campaign_id"],
                "check_key": f"meetings:unit:{cell_id}",
                "reason": MEETINGS_REASON[bool(n)].format(year=year),
                "decided_by_id": user,
                "decided_by_name": office_name(user),
            }
        )
    return out


def office_name(user: int | None) -> str:
    if user is not None:
        u = User.objects.get(pk=user)
        return u.get_full_name() or u.username
    return "Thường trực cấp ủy"
