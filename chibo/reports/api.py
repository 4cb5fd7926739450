"""/api/v1/reports: a unit's figures for a period, the contract of docs/reports.md."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from chibo.accounts.authentication import user_of
from chibo.core.api import Day, Year

from . import access, queries
from .periods import period_from

reports = Router(tags=["reports"])


@reports.get("/summary", response=dict[str, Any], url_name="reports_summary")
def summary(
    request: HttpRequest,
    org: str,
    year: Year | None = None,
    quarter: int | None = None,
    month: int | None = None,
    start: Day | None = Query(None, alias="from"),  # noqa: B008
    end: Day | None = Query(None, alias="to"),  # noqa: B008
) -> dict[str, Any]:
    """The figures of the unit `org` (its code) for a year (`year`, optionally with
    `quarter` or `month`) or a range (`from`, `to`: YYYY-MM-DD), counted as the tree and the
    placements stood on the dates that matter. Every section is documented field by field in
    docs/reports.md; a section whose domain is not built is absent. 404 for a unit outside
    the reader's scope."""
    unit = access.get_unit_by_code_for_report(user_of(request), org)
    period = period_from(year=year, quarter=quarter, month=month, start=start, end=end)
    return queries.summary(unit, period)
