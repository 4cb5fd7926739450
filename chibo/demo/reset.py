"""Wipe what the demo planners fill, fast (plain DELETEs, no collector).

The tables to clear are found by following foreign keys back from the planners' roots (the
units, the members, the role grants), so records that other apps hang off them (meetings,
attendance, ...) go too, and the foreign keys, checked at commit, still hold. Then each planner
forgets what else it made (the demo logins). Other users are kept: only their links are
cleared.
"""

from django.db import connection, models, transaction
from django.db.models import ForeignObjectRel

from chibo.core.demo import history_model, ordered


def roots() -> list[type[models.Model]]:
    """The planners' roots, in planner order (the tree first)."""
    return [model for p in ordered() for model in p.roots]


def demo_present() -> bool:
    """Whether the database already holds what the demo would fill."""
    return any(model._base_manager.exists() for model in roots())


def wipe_plan() -> tuple[
    list[type[models.Model]],
    list[tuple[type[models.Model], str]],
    dict[type[models.Model], list[str]],
]:
    """(models whose rows go, roots first; nullable links to clear instead; and, for models
    reached only through nullable links, the columns naming a demo row: only those rows go).

    The last keeps shared data that merely may point into the tree, such as the national rule
    versions (their province is empty) next to a province's own ones."""
    wipe: list[type[models.Model]] = []
    nulls: list[tuple[type[models.Model], str]] = []  # (model, column)
    links: dict[type[models.Model], list[tuple[str, bool]]] = {}  # how each model was reached
    history_of: dict[type[models.Model], type[models.Model]] = {}
    starts = roots()
    queue: list[type[models.Model]] = list(starts)
    while queue:
        model = queue.pop(0)
        if model in wipe:
            continue
        wipe.append(model)
        hmodel = history_model(model)
        if hmodel is not None:
            queue.append(hmodel)
            history_of[hmodel] = model
        for rel in model._meta.get_fields(include_hidden=True):
            # Reverse side of a foreign key or one-to-one pointing at `model`.
            if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
                continue
            other, fk = rel.related_model, rel.field
            assert isinstance(other, type)
            if fk.null and fk.remote_field.on_delete is models.SET_NULL:
                nulls.append((other, str(fk.column)))
            else:
                links.setdefault(other, []).append((str(fk.column), bool(fk.null)))
                queue.append(other)
    partial = {
        m: sorted({c for c, _n in reached})
        for m, reached in links.items()
        if m not in starts and m not in history_of and all(nullable for _c, nullable in reached)
    }
    for hmodel, model in history_of.items():  # a history table goes as its model goes
        if model in partial:
            partial[hmodel] = partial[model]
    return wipe, [(m, f) for m, f in nulls if m not in wipe], partial


@transaction.atomic
def demo_wipe() -> int:
    """Empty the demo's tables and what the planners made besides (the demo logins); returns
    the rows deleted."""
    wipe, nulls, partial = wipe_plan()
    qn = connection.ops.quote_name
    deleted = 0
    with connection.cursor() as cursor:
        for model, column in nulls:
            cursor.execute(
                f"UPDATE {qn(model._meta.db_table)} SET {qn(column)} = NULL "
                f"WHERE {qn(column)} IS NOT NULL"
            )
        for model in reversed(wipe):  # dependants first
            where = ""
            if model in partial:
                where = " WHERE " + " OR ".join(f"{qn(c)} IS NOT NULL" for c in partial[model])
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}{where}")
            deleted += max(cursor.rowcount, 0)
    for p in ordered():
        if p.forget is not None:
            deleted += p.forget()
    return deleted
