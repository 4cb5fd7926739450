"""The dashboard of a unit (figures, charts, sub-units) and the rows behind each figure:
access helper, period form, the figures of every section, render."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chibo.core.db import replica_reads
from chibo.core.pages import HtmxHttpRequest
from chibo.core.reporting import (
    Chart,
    Link,
    Period,
    is_share,
    lookup,
    one_report,
    section,
    sections,
)

from . import access, display, queries
from .files.views import panel_context as files_panel
from .forms import PeriodForm
from .snapshots.views import panel_context as snapshot_panel

ROWS_PER_PAGE = 100


def _dashboard_url(unit_pk: int, period: Period, **extra: str) -> str:
    query = urlencode({"period": period.key, **extra})
    return f"{reverse('reports:dashboard', args=[unit_pk])}?{query}"


def _subunit_table(
    request: HtmxHttpRequest, unit, period: Period, units: list, found: dict[int, Any]
) -> dict[str, Any]:
    """The sub-units with the main figures of every section, sorted as asked."""
    columns = [(s, path) for s in sections() for path in s.table]
    # Counts of units that are the same on every row (the cells of a commune: no base
    # organisation, one cell each) say nothing about the sub-units: left out.
    columns = [
        (s, path)
        for s, path in columns
        if s.key != "units"
        or len(units) < 2
        or len({repr(lookup(found[u.pk].get(s.key, {}), path)) for u in units}) > 1
    ]
    # A share of nothing on every row (the organisations rated inside each cell: none) says
    # nothing either.
    columns = [(s, path) for s, path in columns if not empty_shares(s, path, units, found)]
    rows = []
    for u in units:
        cells = [
            display.shown(s, found[u.pk].get(s.key, {}), path, unit_pk=u.pk, period=period)
            for s, path in columns
        ]
        rows.append((u, cells))
    keys = [f"{s.key}.{path}" for s, path in columns]
    sort = request.GET.get("sort", "")
    descending = request.GET.get("dir") == "desc"
    if sort in keys:
        i = keys.index(sort)
        rows.sort(key=lambda row: row[1][i].sort, reverse=descending)
    elif sort == "name":
        rows.sort(key=lambda row: row[0].sort_name, reverse=descending)
    headers = []
    for (s, path), key in zip(columns, keys, strict=True):
        toggle = "asc" if sort == key and descending else "desc"
        headers.append(
            {
                "label": str(s.labels.get(path, path)),
                "key": key,
                "url": _dashboard_url(unit.pk, period, sort=key, dir=toggle) + "#subunits",
                "sorted": "descending"
                if sort == key and descending
                else "ascending"
                if sort == key
                else "",
            }
        )
    name_toggle = "asc" if sort == "name" and descending else ("desc" if sort == "name" else "asc")
    return {
        "headers": headers,
        "name_url": _dashboard_url(unit.pk, period, sort="name", dir=name_toggle) + "#subunits",
        "name_sorted": ("descending" if descending else "ascending") if sort == "name" else "",
        "rows": [
            {"unit": u, "url": _dashboard_url(u.pk, period), "cells": cells} for u, cells in rows
        ],
        "columns": columns,
        "raw": rows,
    }


def empty_shares(section, path: str, units: list, found: dict[int, Any]) -> bool:
    """Every unit's figure at `path` is a share whose whole is 0."""
    values = [lookup(found[u.pk].get(section.key, {}), path) for u in units]
    return bool(values) and all(is_share(v) and v["of"] == 0 for v in values)


def _chart_json(chart: Chart) -> dict[str, Any]:
    """What Chart.js draws, and the same numbers as a table for those who cannot see it."""
    labels = [str(label) for label in chart.labels]
    series = [{**s, "label": str(s.get("label", ""))} for s in chart.series]
    table = [
        {
            "label": label,
            "values": [
                display.formats.number(s["data"][i], s.get("decimals", 0))
                if i < len(s["data"]) and s["data"][i] is not None
                else "–"
                for s in series
            ],
        }
        for i, label in enumerate(labels)
    ]
    return {
        "key": chart.key,
        "title": str(chart.title),
        "kind": chart.kind,
        "labels": labels,
        "series": series,
        "table": table,
    }


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for_report(request.user, pk)
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today)
    context: dict[str, Any] = {"unit": unit, "form": form, "period": None}
    if not form.is_valid():
        return render(request, "reports/dashboard.html", context, status=422)
    period = form.chosen
    # One report: a count a section made for the figures serves its charts and tables too.
    with one_report():
        context.update(_dashboard(request, unit, period, today))
    return render(request, "reports/dashboard.html", context)


def _dashboard(request: HtmxHttpRequest, unit, period: Period, today: dt.date) -> dict[str, Any]:
    # The unit and its sub-units in one pass: each section counts many roots in the queries
    # it takes for one.
    units = queries.subunits(unit, period)
    every = queries.figures([unit.pk, *(u.pk for u in units)], period)
    found = every[unit.pk]
    shown_sections: list[dict[str, Any]] = []
    cards: list[display.Shown] = []
    for s in sections():
        figures = found.get(s.key)
        if figures is None:
            continue
        paths = display.section_paths(s, figures)
        shown_sections.append(
            {
                "section": s,
                "title": s.title,
                "sentence": s.sentence(figures),
                "breakdowns": display.breakdown_tables(
                    s, s.breakdowns(unit.pk, period), unit_pk=unit.pk, period=period
                ),
                "cards": [
                    display.shown(s, figures, p, unit_pk=unit.pk, period=period)
                    for p in s.headline
                    if lookup(figures, p) is not None
                ],
                "figures": [
                    display.shown(s, figures, p, unit_pk=unit.pk, period=period) for p in paths
                ],
            }
        )
        cards += shown_sections[-1]["cards"]
    table = _subunit_table(request, unit, period, units, every)
    charts = [chart for s in sections() for chart in s.series(unit.pk, period)]
    spread = display.distribution(table["columns"], table["raw"], _("Sub-units"))
    if spread is not None:
        charts.append(spread)
    shown_charts = [_chart_json(c) for c in charts]
    parent = unit.parent if unit.parent_id else None
    if parent is not None:
        try:
            access.get_unit_for_report(request.user, parent.pk)
        except Http404:
            parent = None
    return dict(
        period=period,
        sections=shown_sections,
        cards=cards,
        table=table,
        charts=shown_charts,
        chart_data=[{k: c[k] for k in ("key", "kind", "labels", "series")} for c in shown_charts],
        parent=parent,
        parent_url=_dashboard_url(parent.pk, period) if parent else "",
        as_of=min(period.end, today),
        summary_url=f"{reverse('api:reports_summary')}?{urlencode(_api_query(unit, period))}",
        snapshot_panel=snapshot_panel(request, unit, period, found),
        **files_panel(request, unit, period),
    )


def _api_query(unit, period: Period) -> dict[str, str]:
    if period.kind == "year":
        return {"org": unit.code, "year": str(period.start.year)}
    return {"org": unit.code, "from": period.start.isoformat(), "to": period.end.isoformat()}


def _cell(value: Any) -> dict[str, Any]:
    if isinstance(value, Link):
        return {"text": value.text, "url": value.url}
    if isinstance(value, dt.date):
        return {"text": value.strftime("%d/%m/%Y")}
    if isinstance(value, bool):
        return {"text": _("yes") if value else _("no")}
    if isinstance(value, int | float):
        return {"text": display.formats.number(value), "number": True}
    return {"text": "" if value is None else str(value)}


@require_GET
@login_required
@replica_reads()
def rows(request: HtmxHttpRequest, pk: int, key: str, path: str) -> HttpResponse:
    """The records behind one figure of a unit's report (or, for a share, the rest of its
    whole: the villages whose head is not a member)."""
    unit = access.get_unit_for_report(request.user, pk)
    found_section = section(key)
    if found_section is None or not display.has_rows(found_section):
        raise Http404
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today)
    context: dict[str, Any] = {"unit": unit, "form": form, "period": None}
    if not form.is_valid():
        return render(request, "reports/rows.html", context, status=422)
    period = form.chosen
    figures = found_section.figures([unit.pk], period)[unit.pk]
    value = lookup(figures, path)
    label = None
    if value is None:
        # A figure of a breakdown table (by cell type)
        breakdowns = found_section.breakdowns(unit.pk, period)
        figures = display.breakdown_figures(breakdowns)
        value, label = lookup(figures, path), display.breakdown_label(breakdowns, path)
    if value is None:
        raise Http404
    rest = request.GET.get("rest") == "1" and is_share(value) and path in found_section.rests
    listed = found_section.rows(path, root=unit.pk, period=period, rest=rest)
    if listed is None:
        raise Http404
    page = Paginator(listed.items, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    figure = display.shown(
        found_section, figures, path, unit_pk=unit.pk, period=period, label=label
    )
    context.update(
        period=period,
        section=found_section,
        figure=figure,
        rest=rest,
        title=listed.title,
        headers=[str(h) for h in listed.headers],
        rows=[[_cell(c) for c in listed.row(item)] for item in page.object_list],
        page=page,
        total=page.paginator.count,
        dashboard_url=_dashboard_url(unit.pk, period),
    )
    return render(request, "reports/rows.html", context)
