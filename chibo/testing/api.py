"""Helpers for API tests: calls in English, a fingerprint of everything written, all pages."""

import json

from django.test import Client

from chibo.members.models import Member, MemberEvent, Placement, Position
from chibo.org.models import Ancestry, OrgUnit, Village

EN = {"Accept-Language": "en"}


def call(client: Client, method: str, path: str, body=None, **headers):
    kwargs: dict = {"headers": {**EN, **headers}}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method.lower())("/api/v1" + path, **kwargs)


def fingerprint() -> tuple[int, ...]:
    """Every write through a service leaves a history row (or closure rows): if none of
    these counts moved, nothing was written."""
    histories = [
        m.history.model  # type: ignore[attr-defined]  # added by simple_history at runtime
        for m in (OrgUnit, Village, Member, MemberEvent, Placement, Position)
    ]
    return (*(h.objects.count() for h in histories), Ancestry.objects.count())


def all_pages(client: Client, path: str, limit: int = 2) -> list[dict]:
    sep = "&" if "?" in path else "?"
    items: list[dict] = []
    offset = 0
    while True:
        r = call(client, "GET", f"{path}{sep}limit={limit}&offset={offset}")
        assert r.status_code == 200, r.content
        page = r.json()
        items += page["items"]
        offset += limit
        if offset >= page["count"]:
            assert len(items) == page["count"]
            return items


def ids(items: list[dict]) -> set[int]:
    return {i["id"] for i in items}
