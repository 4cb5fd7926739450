"""Queries built and compiled once per database and shape, then run again with other ids.

Why: a cell's deadline board asks about thirty questions. The database answers each in well
under a millisecond for a cell, while Django spent 1-5 ms building and compiling each
queryset (the badge milestones, the discipline subqueries, the working-day deadlines): about
55 of the board's 80 ms were Python (bench/scale.py). A question whose SQL depends only on
what is known before it is asked (the day, the rules in force: they go in the key) and on
lists of ids (the subtree's units, a few members) is built once with a mark in place of
each list, compiled, and kept; later asks put their ids in the marks' parameters and run the
SQL as it is, converting the rows as Django would.

A list travels as one parameter whatever its length (`InList`): PostgreSQL
`= ANY(%s::bigint[])`, SQLite `IN (SELECT value FROM json_each(%s))`. So the SQL text does
not change with the number of ids, and SQLite's limit on parameters never applies.

The builder must not put anything else that varies into the query: whatever it reads (a
rule, a date) belongs in the key. The cache holds the last KEPT shapes of each process."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import F, Lookup, Model, QuerySet

# The value standing for mark number i while a query is compiled: no row has such an id.
_MARK = -731_053_170_000
KEPT = 256


class InList(Lookup):
    """`lhs` is one of a list of integer ids given as ONE parameter (see the module's
    docstring). An empty list matches nothing."""

    lookup_name = "in_list"
    prepare_rhs = False

    def __init__(self, lhs: Any, rhs: Iterable[int] | Mark) -> None:
        super().__init__(lhs, rhs if isinstance(rhs, Mark) else sorted({int(i) for i in rhs}))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [self.rhs.value] if isinstance(self.rhs, Mark) else self.rhs
        param = _encode(connection.vendor, ids)
        if connection.vendor == "postgresql":
            db_type = self.lhs.output_field.db_type(connection)  # a foreign key's: bigint
            return f"{lhs} = ANY(%s::{db_type}[])", (*lhs_params, param)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", (*lhs_params, param)


def in_list(column: str, ids: Iterable[int] | Mark) -> InList:
    """A filter keeping rows whose `column` is one of `ids` (a list, or a mark)."""
    return InList(F(column), ids)


@dataclass(frozen=True)
class Mark:
    """The place of a list of ids in a query being built (`Marks.ids`)."""

    name: str
    value: int


class Marks:
    """What a builder is given: `ids(name)`, the mark of the list `name`."""

    def __init__(self) -> None:
        self.made: dict[str, Mark] = {}

    def ids(self, name: str) -> Mark:
        if name not in self.made:
            self.made[name] = Mark(name, _MARK - len(self.made))
        return self.made[name]


@dataclass(frozen=True)
class _Shape:
    sql: str | None  # None: the query can have no rows (Django's EmptyResultSet)
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (parameter index, mark name)
    names: tuple[str, ...]
    converters: dict[int, tuple[list[Callable[..., Any]], Any]]


_SHAPES: OrderedDict[tuple[str, Hashable], _Shape] = OrderedDict()
# The web server runs threads: the kept shapes are looked up and trimmed under a lock (a shape
# is built outside it; two threads building the same one keep either).
_LOCK = threading.Lock()


def _encode(vendor: str, ids: Iterable[int]) -> str:
    """The one parameter a list of ids travels as: PostgreSQL's array literal, SQLite's JSON.
    As text: psycopg dumped a Python list of 2,712 ids element by element, about 5 ms a list
    (a province's deadline board sends some twenty)."""
    listed = sorted({int(i) for i in ids})
    if vendor == "postgresql":
        return "{" + ",".join(map(str, listed)) + "}"
    return json.dumps(listed)


def _shape(alias: str, build: Callable[[Marks], QuerySet]) -> _Shape:
    marks = Marks()
    query = build(marks).query
    connection = connections[alias]
    compiler = query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Shape(None, (), (), (), {})
    params = tuple(params)
    slots = []
    for mark in marks.made.values():
        found = [i for i, p in enumerate(params) if p == _encode(connection.vendor, [mark.value])]
        if not found:
            raise ValueError(f"mark {mark.name!r} is not in the query's parameters")
        slots += [(i, mark.name) for i in found]
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    # As Django's ValuesIterable names the columns.
    if query.selected:
        names = tuple(query.selected)
    else:
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
    if len(names) != len(fields):
        raise ValueError("a prepared query must be a .values(...) query")
    return _Shape(sql, params, tuple(slots), names, compiler.get_converters(fields))


def prepared(
    model: type[Model],
    key: Hashable,
    build: Callable[[Marks], QuerySet],
    **ids: Sequence[int] | Iterable[int],
) -> list[dict[str, Any]]:
    """The rows (dicts, as `.values()` gives them) of the `.values()` query `build(marks)`
    with each mark `name` standing for `ids[name]`; built and compiled the first time `key`
    is asked on this database, then only run. `model`: the query's model (the router picks
    the database by it, as the ORM would)."""
    alias = router.db_for_read(model) or "default"
    connection = connections[alias]
    cache_key = (f"{alias}:{connection.vendor}", key)
    with _LOCK:
        shape = _SHAPES.get(cache_key)
        if shape is not None:
            _SHAPES.move_to_end(cache_key)
    if shape is None:
        shape = _shape(alias, build)
        with _LOCK:
            _SHAPES[cache_key] = shape
            while len(_SHAPES) > KEPT:
                _SHAPES.popitem(last=False)
    if shape.sql is None:
        return []
    params = list(shape.params)
    for index, name in shape.slots:
        params[index] = _encode(connection.vendor, ids[name])
    with connection.cursor() as cursor:
        cursor.execute(shape.sql, params)
        rows = cursor.fetchall()
    out = []
    for row in rows:
        values = list(row)
        for i, (functions, expression) in shape.converters.items():
            for convert in functions:
                values[i] = convert(values[i], expression, connection)
        out.append(dict(zip(shape.names, values, strict=True)))
    return out
