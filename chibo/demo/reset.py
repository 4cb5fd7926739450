"""Wipe the organisation, member and demo-login data, fast (plain DELETEs, no collector).

The tables to clear are found by following foreign keys back from the units and members, so
records that other apps hang off them (meetings, attendance, ...) go too, and the foreign
keys, checked at commit, still hold. Other users are kept: only their links are cleared.
"""

from django.db import connection, models, transaction
from django.db.models import ForeignObjectRel

from chibo.accounts.models import RoleGrant, User
from chibo.members.models import Member
from chibo.org.models import OrgUnit

from .personas import PERSONAS
from .writer import history_model

ROOTS: tuple[type[models.Model], ...] = (OrgUnit, Member, RoleGrant)


def wipe_plan() -> tuple[list[type[models.Model]], list[tuple[type[models.Model], str]]]:
    """(models whose tables are emptied, roots first; nullable links to clear instead)."""
    wipe: list[type[models.Model]] = []
    nulls: list[tuple[type[models.Model], str]] = []  # (model, column)
    queue = list(ROOTS)
    while queue:
        model = queue.pop(0)
        if model in wipe:
            continue
        wipe.append(model)
        hmodel = history_model(model)
        if hmodel is not None:
            queue.append(hmodel)
        for rel in model._meta.get_fields(include_hidden=True):
            # Reverse side of a foreign key or one-to-one pointing at `model`.
            if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
                continue
            other, fk = rel.related_model, rel.field
            assert isinstance(other, type)
            if fk.null and fk.remote_field.on_delete is models.SET_NULL:
                nulls.append((other, str(fk.column)))
            else:
                queue.append(other)
    return wipe, [(m, f) for m, f in nulls if m not in wipe]


@transaction.atomic
def demo_wipe() -> int:
    """Empty the demo's tables and delete the demo logins; returns the rows deleted."""
    wipe, nulls = wipe_plan()
    qn = connection.ops.quote_name
    deleted = 0
    with connection.cursor() as cursor:
        for model, column in nulls:
            cursor.execute(
                f"UPDATE {qn(model._meta.db_table)} SET {qn(column)} = NULL "
                f"WHERE {qn(column)} IS NOT NULL"
            )
        for model in reversed(wipe):  # dependants first
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
            deleted += max(cursor.rowcount, 0)
    User.objects.filter(username__in=[p.username for p in PERSONAS]).delete()
    return deleted
