"""A member's change history: the member row and every placement, position and event, with
who changed what, read in four queries however long the history is."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chibo.core.formats import date as vn_date
from chibo.org.models import OrgUnit, Village

from .models import Member

HIDDEN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
    "id",
    "member",
    "member_id",
    "deleted_by",
    "deleted_by_id",
    "home_unit",
    "home_unit_id",
    "admitted_on",
    "official_on",
}


@dataclass
class Change:
    at: datetime
    who: Any
    what: str  # "member", "placement", "position", "event"
    label: str
    action: str  # "+", "~", "-"
    reason: str
    fields: list[tuple[str, Any, Any]]  # (field label, old, new)


def _field_labels(model) -> dict[str, str]:
    return {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}


def member_history(member: Member, limit: int = 200) -> list[Change]:
    sources = [
        ("member", member.history.all(), Member),
        ("placement", _history(member, "placements"), None),
        ("position", _history(member, "positions"), None),
        ("event", _history(member, "events"), None),
    ]
    changes: list[Change] = []
    fetched = [
        (
            what,
            list(qs.select_related("history_user").order_by("history_date", "history_id")[:limit]),
        )
        for what, qs, _model in sources
    ]
    # Names of the units and villages mentioned, in one query each (no query per row).
    unit_ids = {
        r.unit_id
        for what, rows in fetched
        if what != "member"
        for r in rows
        if getattr(r, "unit_id", None)
    }
    village_ids = {
        r.village_id for what, rows in fetched if what == "position" for r in rows if r.village_id
    }
    names = {
        ("unit", pk): n
        for pk, n in OrgUnit.all_objects.filter(pk__in=unit_ids).values_list("pk", "name")
    }
    names |= {
        ("village", pk): n
        for pk, n in Village.all_objects.filter(pk__in=village_ids).values_list("pk", "name")
    }
    for what, rows in fetched:
        if not rows:
            continue
        labels = _field_labels(rows[0].instance_type)
        previous: dict[int, Any] = {}
        for row in rows:
            before = previous.get(row.id)
            fields = []
            for attname, label in labels.items():
                if attname in HIDDEN:
                    continue
                new = getattr(row, attname, None)
                old = getattr(before, attname, None) if before is not None else None
                if before is None and new in (None, ""):
                    continue
                if before is None or old != new:
                    fields.append((label, old, new))
            previous[row.id] = row
            changes.append(
                Change(
                    at=row.history_date,
                    who=row.history_user,
                    what=what,
                    label=_label(what, row, member, names),
                    action=row.history_type,
                    reason=row.history_change_reason or "",
                    fields=fields,
                )
            )
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:limit]


def _history(member: Member, relation: str):
    model = getattr(Member, relation).rel.related_model
    return model.history.filter(member_id=member.pk)


def _label(what: str, row, member: Member, names: dict) -> str:
    if what == "member":
        return member.full_name
    if what == "event":
        return f"{row.get_kind_display()} {vn_date(row.date)}"
    if what == "placement":
        return f"{names.get(('unit', row.unit_id), '')} ({row.get_kind_display()})"
    place = names.get(("unit", row.unit_id)) or names.get(("village", row.village_id)) or ""
    return f"{row.get_kind_display()} – {place}"
