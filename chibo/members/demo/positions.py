"""Posts in the demo: each cell's committee for the 2025-2027 term (a secretary, usually a
deputy, committee members in large cells), some previous-term secretaries, and village heads
and Front heads who are members (the secretary is often also the village head)."""

import datetime as dt
import random
from typing import NamedTuple

from chibo.core.demo import Ids, between
from chibo.members.models import Position, PositionKind
from chibo.org.demo import Tree, Unit, VillagePlan
from chibo.org.models import Kind

from .people import DAY, Person

# Cell congresses for the 2025-2027 term were held from March to May 2025; the previous term
# began the same way in 2020. Village heads were last elected from mid-2022.
TERM_2025 = dt.date(2025, 3, 3)
TERM_2020 = dt.date(2020, 3, 2)
VILLAGE_ELECTIONS = (dt.date(2022, 7, 1), dt.date(2025, 6, 30))
VILLAGE_HEAD_IS_MEMBER = 0.6
SECRETARY_IS_VILLAGE_HEAD = 0.4
FRONT_HEAD_IS_MEMBER = 0.35
PREVIOUS_SECRETARY = 0.4


class _Posts:
    def __init__(self, rng: random.Random, as_of: dt.date, ids: Ids) -> None:
        self.rng, self.as_of, self.ids = rng, as_of, ids
        self.rows: list[dict] = []

    def add(
        self,
        p: Person,
        kind: str,
        start: dt.date,
        *,
        unit: Unit | None = None,
        village: VillagePlan | None = None,
        end: dt.date | None = None,
        decision: str = "",
    ) -> None:
        self.rows.append(
            {
                "id": self.ids.next(Position),
                "member_id": p.id,
                "kind": kind,
                "start": start,
                "unit_id": unit.id if unit else None,
                "village_id": village.id if village else None,
                "end": end,
                "decision_number": decision,
            }
        )

    def can_serve(self, p: Person, since: dt.date) -> bool:
        """Official and active since `since` in this cell, and still serving today."""
        return (
            p.start <= since
            and p.active_on(since)
            and p.active_on(self.as_of)
            and p.age(self.as_of) <= 68
        )

    def committee(self, cell: Unit, members: list[Person]) -> Person:
        rng, today = self.rng, self.as_of
        term = min(between(rng, TERM_2025, TERM_2025 + 80 * DAY), today - 30 * DAY)
        issuer = "TU" if cell.parent is not None and cell.parent.kind == Kind.PROVINCE else "ĐU"
        able = [p for p in members if self.can_serve(p, term)]
        rng.shuffle(able)
        # Prefer a secretary in mid-career; a small cell takes whoever can serve.
        able.sort(key=lambda p: not 35 <= p.age(today) <= 62)
        if able:
            secretary, start = able.pop(0), term
        else:
            # A young or thinned-out cell: the first member able to serve, from when they can.
            fallback = [p for p in members if p.active_on(today)] or [
                p for p in members if p.deceased is None
            ]
            secretary = min(fallback, key=lambda p: (p.start, p.id))
            start = max(term, secretary.start, secretary.official or secretary.start)
        self.add(
            secretary,
            PositionKind.SECRETARY,
            start,
            unit=cell,
            decision=f"{rng.randint(1, 400)}-QĐ/{issuer}",
        )
        if len(members) >= 7 and able and rng.random() < 0.85:
            self.add(able.pop(0), PositionKind.DEPUTY_SECRETARY, term, unit=cell)
        if len(members) >= 15:
            for p in able[: rng.choice([1, 1, 2, 3])]:
                self.add(p, PositionKind.COMMITTEE_MEMBER, term, unit=cell)

        before = between(rng, TERM_2020, TERM_2020 + 80 * DAY)
        earlier = [
            p
            for p in members
            if p is not secretary and p.start <= before and p.active_on(before) and not p.deceased
        ]
        if earlier and rng.random() < PREVIOUS_SECRETARY:
            self.add(
                rng.choice(earlier),
                PositionKind.SECRETARY,
                before,
                unit=cell,
                end=start,
                decision=f"{rng.randint(1, 400)}-QĐ/{issuer}",
            )
        return secretary

    def villages(self, cell: Unit, members: list[Person], secretary: Person) -> None:
        rng, today = self.rng, self.as_of
        taken: set[int] = set()
        for village in cell.villages:
            start = between(rng, VILLAGE_ELECTIONS[0], min(VILLAGE_ELECTIONS[1], today - 10 * DAY))
            residents = [
                p
                for p in members
                if p.id not in taken
                and p.start <= start
                and p.deceased is None
                and not p.exempt_on(today)
                and 28 <= p.age(today) <= 70
            ]
            decision = f"{rng.randint(1, 900)}/QĐ-UBND"
            head = None
            if rng.random() < VILLAGE_HEAD_IS_MEMBER:
                if secretary.id not in taken and rng.random() < SECRETARY_IS_VILLAGE_HEAD:
                    head = secretary
                elif residents:
                    head = rng.choice(residents)
            if head is not None:
                taken.add(head.id)
                self.add(head, PositionKind.VILLAGE_HEAD, start, village=village, decision=decision)
            others = [p for p in residents if p is not head]
            if others and rng.random() < FRONT_HEAD_IS_MEMBER:
                front = rng.choice(others)
                taken.add(front.id)
                self.add(front, PositionKind.FRONT_HEAD, start, village=village)


class Posts(NamedTuple):
    rows: list[dict]  # Position rows
    secretaries: dict[int, Person]  # each cell's current secretary, by cell id


def plan_positions(
    rng: random.Random, tree: Tree, people: list[Person], *, as_of: dt.date, ids: Ids
) -> Posts:
    by_cell: dict[int, list[Person]] = {}
    for p in people:
        by_cell.setdefault(p.cell.id, []).append(p)
    posts = _Posts(rng, as_of, ids)
    secretaries = {}
    for cell in tree.cells:
        members = by_cell.get(cell.id, [])
        if not members:
            continue
        secretaries[cell.id] = secretary = posts.committee(cell, members)
        posts.villages(cell, members, secretary)
    return Posts(posts.rows, secretaries)
