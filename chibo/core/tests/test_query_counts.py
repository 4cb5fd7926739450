"""Query counts of list and unit pages do not grow with the number of rows."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.members import services
from chibo.members.models import EventKind
from chibo.org.models import Kind
from chibo.testing import factories as f


def queries(c, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url, params)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def grow(world, n_cells: int, per_cell: int):
    for _ in range(n_cells):
        cell = f.unit(Kind.CELL, world.base)
        for _ in range(per_cell):
            m = f.member(cell)
            services.event_create(
                actor=None, member=m, kind=EventKind.REPRIMAND, date=dt.date(2020, 1, 1)
            )


def test_pages_do_not_grow_with_rows(world, cast, client_for):
    c = client_for(cast.base_officer)
    pages = [
        (reverse("members:list"), {}),
        (reverse("members:list"), {"q": "nguyen"}),
        (reverse("org:unit", args=[world.base.pk]), {}),
        (reverse("org:tree"), {}),
        (reverse("site:home"), {}),
        (reverse("members:detail", args=[world.member.pk]), {}),
    ]
    for url, p in pages:  # warm the process's caches (content types), which are not rows
        queries(c, url, **p)
    before = [queries(c, url, **p) for url, p in pages]
    grow(world, n_cells=4, per_cell=8)
    m = world.member
    for i in range(5):  # a longer history for the member page
        services.member_update(actor=None, member=m, profile={"phone": f"09123456{i:02d}"})
        services.event_create(
            actor=None, member=m, kind=EventKind.WARNING, date=dt.date(2021, 1, 1 + i)
        )
    after = [queries(c, url, **p) for url, p in pages]
    assert before == after
    # And they stay small.
    assert max(after) <= 25, after  # the member page, with its history, is the largest
