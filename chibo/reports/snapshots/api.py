"""/api/v1/reports/snapshots: the figures of a unit for a year as they were closed (with what
differs when recomputed today), the snapshots of a subtree, and closing and re-opening a year
(an office's act). Scoped like the reports: a unit outside the reader's reach is not found."""

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chibo.accounts.authentication import user_of
from chibo.core.api import Filters, InSchema, Page
from chibo.core.reporting import FIRST_YEAR, LAST_YEAR, Period

from .. import access
from ..models import Snapshot
from ..queries import figures, org_json
from . import queries, services

snapshots = Router(tags=["reports"])


class OrgOut(Schema):
    code: str
    name: str
    kind: str


class DifferenceOut(Schema):
    path: str = Field(description='Dotted from the report\'s top, e.g. "members.end".')
    label: str
    frozen: Any = Field(description="The figure as closed (a number, a share...; null: absent).")
    recomputed: Any = Field(description="The same figure computed from the records today.")
    difference: int | float | None = Field(
        description="recomputed - frozen, for a number or a share's count; null otherwise."
    )


def _person(user: Any) -> str | None:
    return user.display_name if user is not None else None


class SnapshotOut(Schema):
    org: OrgOut
    year: int
    state: Literal["closed", "reopened"]
    closed_for: OrgOut = Field(description="The unit whose office closed the year.")
    closed_at: dt.datetime
    closed_by: str | None = Field(description="Display name of who closed it.")
    reopened_at: dt.datetime | None
    reopened_by: str | None
    reopen_reason: str
    figures: dict[str, Any] = Field(description="The sections of the report, as closed.")

    @staticmethod
    def resolve_org(obj: Snapshot) -> dict[str, str]:
        return org_json(obj.unit)

    @staticmethod
    def resolve_closed_for(obj: Snapshot) -> dict[str, str]:
        return org_json(obj.closed_for)

    @staticmethod
    def resolve_state(obj: Snapshot) -> str:
        return "closed" if obj.is_closed else "reopened"

    @staticmethod
    def resolve_closed_by(obj: Snapshot) -> str | None:
        return _person(obj.closed_by)

    @staticmethod
    def resolve_reopened_by(obj: Snapshot) -> str | None:
        return _person(obj.reopened_by)


class SnapshotDetailOut(SnapshotOut):
    differences: list[DifferenceOut] = Field(
        description="The figures that differ when recomputed from today's records."
    )


class SnapshotQuery(Filters):
    org: str = Field(description="The unit's code.")
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)


class SnapshotListQuery(SnapshotQuery):
    state: Literal["closed", "reopened", "all"] = Field(
        "closed", description="closed (the snapshots in force), reopened, or all."
    )


class YearIn(InSchema):
    org: str = Field(description="The unit's code.", max_length=32)
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)


class ReopenIn(YearIn):
    reason: str = Field(max_length=services.REASON_LENGTH)


class ClosedOut(Schema):
    org: OrgOut
    year: int
    frozen: int = Field(description="Units whose figures were frozen.")
    kept: int = Field(description="Units of the subtree already closed by their own office.")


class ReopenedOut(Schema):
    org: OrgOut
    year: int
    reopened: int = Field(description="Units whose snapshot was re-opened.")


@snapshots.get("", response=SnapshotDetailOut)
def snapshot_detail(request: HttpRequest, filters: Query[SnapshotQuery]) -> Snapshot:
    """The unit's snapshot of the year: the one in force, else the one re-opened last (404
    when the year was never closed for it), with the figures recomputed today that differ."""
    unit = access.get_unit_by_code_for_report(user_of(request), filters.org)
    snapshot = queries.latest_of(unit, filters.year)
    if snapshot is None:
        raise Http404
    current = figures([unit.pk], Period.year(filters.year))[unit.pk]
    snapshot.differences = [  # type: ignore[attr-defined]
        d.as_json() for d in queries.compare(snapshot, current)
    ]
    return snapshot


@snapshots.get("/list", response=list[SnapshotOut])
@paginate(Page)
def snapshot_list(request: HttpRequest, filters: Query[SnapshotListQuery]) -> QuerySet[Snapshot]:
    """The snapshots of the year of the unit's subtree as it stood on 31/12 of that year."""
    unit = access.get_unit_by_code_for_report(user_of(request), filters.org)
    rows = queries.subtree_of(unit, filters.year)
    if filters.state != "all":
        rows = rows.filter(reopened_at__isnull=filters.state == "closed")
    return rows


@snapshots.post("/close", response={201: ClosedOut})
def snapshot_close(request: HttpRequest, payload: YearIn) -> tuple[int, dict[str, Any]]:
    """Close the year for the unit's subtree (an office on the unit or above): 403 for a
    reader, 422 for a year not ended or already closed."""
    user = user_of(request)
    unit = access.get_unit_by_code_for_report(user, payload.org)
    access.require_can_close_year(user, unit)
    frozen = services.year_close(unit=unit, year=payload.year, actor=user)
    kept = queries.kept_by_others(unit, payload.year)
    return 201, {"org": org_json(unit), "year": payload.year, "frozen": frozen, "kept": kept}


@snapshots.post("/reopen", response=ReopenedOut)
def snapshot_reopen(request: HttpRequest, payload: ReopenIn) -> dict[str, Any]:
    """Re-open the year closed for the unit (its office or one above; a reason is required)."""
    user = user_of(request)
    unit = access.get_unit_by_code_for_report(user, payload.org)
    access.require_can_close_year(user, unit)
    n = services.year_reopen(unit=unit, year=payload.year, reason=payload.reason, actor=user)
    return {"org": org_json(unit), "year": payload.year, "reopened": n}
