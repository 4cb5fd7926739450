"""Members of the demo cells: profiles, their placements and the events of their party life,
planned in memory so that every date agrees with the others (admitted at 18-60, official a
year later, exempt or deceased only after that, transfers with a gap in transit)."""

import datetime as dt
import random
from dataclasses import dataclass

from chibo.core.search import fold
from chibo.members import derive
from chibo.members.models import (
    EventKind,
    Gender,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    StatusPeriod,
)
from chibo.org.models import CellType

from .names import Namer, mobile_phone
from .tree import Tree, Unit
from .writer import Ids

# From the 2025 reorganisation commune committees decide admissions; before, the district did.
REFORM = dt.date(2025, 7, 1)
DAY = dt.timedelta(days=1)
RECENT_SHARE = 0.045  # admitted within the last year, still probationary
OLD_AGE_EXEMPT_SHARE = 0.2  # of members over 72 in residential cells
ILLNESS_EXEMPT_SHARE = 0.006
DECEASED_SHARE = 0.004
TRANSFERRED_SHARE = 0.001
RESIDENTIAL = {CellType.RURAL, CellType.URBAN}

# Ages at the reference date (oldest, most common, youngest) and the share of women, by cell
# type: village cells are older (many retirees), cells of police and army mostly men.
PROFILES: dict[str, tuple[int, int, int, float]] = {
    CellType.RURAL: (86, 64, 20, 0.34),
    CellType.URBAN: (86, 62, 20, 0.42),
    CellType.SCHOOL: (59, 42, 23, 0.72),
    CellType.POLICE: (58, 36, 22, 0.15),
    CellType.MILITARY: (58, 38, 22, 0.06),
    CellType.HEALTH: (59, 42, 24, 0.60),
    CellType.AGENCY: (59, 44, 24, 0.42),
    CellType.ENTERPRISE: (59, 41, 23, 0.30),
}


@dataclass(eq=False, slots=True)
class Person:
    id: int
    code: str
    full_name: str
    female: bool
    birth: dt.date
    ethnicity: str
    phone: str
    national_id: str
    cell: Unit
    admitted: dt.date
    admission_decision: str
    official: dt.date | None
    official_decision: str
    start: dt.date  # official placement in `cell` since
    card_number: str | None = None
    group: Unit | None = None
    exempt_from: dt.date | None = None
    exempt_to: dt.date | None = None
    exempt_note: str = ""
    deceased: dt.date | None = None
    moved_from: Unit | None = None  # an official transfer: the earlier cell
    first_start: dt.date | None = None
    left_on: dt.date | None = None
    letter: str = ""

    def age(self, on: dt.date) -> int:
        return on.year - self.birth.year - ((on.month, on.day) < (self.birth.month, self.birth.day))

    def exempt_on(self, on: dt.date) -> bool:
        return (
            self.exempt_from is not None
            and self.exempt_from <= on
            and (self.exempt_to is None or self.exempt_to >= on)
        )

    def active_on(self, on: dt.date) -> bool:
        """In the party, taking part in activities, and official, on `on`."""
        return (
            self.official is not None
            and self.official <= on
            and (self.deceased is None or self.deceased > on)
            and not self.exempt_on(on)
        )


def between(rng: random.Random, a: dt.date, b: dt.date) -> dt.date:
    return a + dt.timedelta(days=rng.randint(0, max(0, (b - a).days)))


def years_after(d: dt.date, years: float) -> dt.date:
    return d + dt.timedelta(days=int(years * 365.25))


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    return dt.date(year, month, day)


def decision(rng: random.Random, on: dt.date, kind: str = "QĐ") -> str:
    issuer = "ĐU" if on >= REFORM else "HU"
    return f"{rng.randint(1, 480)}-{kind}/{issuer}"


class _People:
    def __init__(self, rng: random.Random, as_of: dt.date, ids: Ids) -> None:
        self.rng, self.as_of, self.ids = rng, as_of, ids
        self.national_ids: set[str] = set()
        self.cards: set[str] = set()
        self.serial = 0

    def _unique(self, seen: set[str], make) -> str:
        value = make()
        while value in seen:
            value = make()
        seen.add(value)
        return value

    def person(self, cell: Unit, namer: Namer) -> Person:
        rng, today = self.rng, self.as_of
        oldest, usual, youngest, women = PROFILES[cell.cell_type]
        year = round(rng.triangular(today.year - oldest, today.year - youngest, today.year - usual))
        year = min(max(year, 1940), 2004, today.year - 19)
        birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        female = rng.random() < women
        ethnicity = namer.ethnicity()
        earliest = years_after(birth, 18.05)  # admission at 18 at the youngest

        admitted: dt.date | None = None
        if rng.random() < RECENT_SHARE:
            admitted = today - dt.timedelta(days=rng.randint(20, 330))
            if not earliest <= admitted <= years_after(birth, 60):
                admitted = None
        if admitted is None:
            latest = today - dt.timedelta(days=420)  # leaves room for the year of probation
            admitted = years_after(birth, 18 + min(40.0, rng.expovariate(1 / 8)))
            if admitted > latest:
                admitted = (
                    between(rng, earliest, latest)
                    if earliest <= latest
                    else between(rng, max(earliest, today - 330 * DAY), today - 20 * DAY)
                )
        official = None
        if admitted <= today - 420 * DAY:
            # Probation is 12 months from the ceremony; the cell then meets to recognise.
            official = add_months(admitted, 12) + dt.timedelta(days=rng.randint(3, 50))

        start = admitted
        moved_in = 0.25 if cell.cell_type in RESIDENTIAL else 0.8
        if official and rng.random() < moved_in:
            # Joined this cell later: came home, was posted here, or the cell was set up.
            start = between(rng, max(admitted, years_after(birth, 22)), today - 30 * DAY)
            start = max(start, admitted)

        self.serial += 1
        p = Person(
            id=self.ids.next(Member),
            code=f"DV{cell.province.code:02d}{self.serial:06d}",
            full_name=namer.full_name(female=female, birth_year=year, ethnicity=ethnicity),
            female=female,
            birth=birth,
            ethnicity=ethnicity,
            phone="",
            national_id=self._unique(
                self.national_ids,
                lambda: (
                    f"{cell.province.code:03d}{(1 if female else 0) + (2 if year >= 2000 else 0)}"
                    f"{year % 100:02d}{rng.randrange(1_000_000):06d}"
                ),
            ),
            cell=cell,
            admitted=admitted,
            admission_decision=decision(rng, admitted),
            official=official,
            official_decision=decision(rng, official) if official else "",
            start=start,
        )
        if rng.random() < (0.7 if p.age(today) >= 75 else 0.95):
            p.phone = mobile_phone(rng)
        if official:
            p.card_number = self._unique(
                self.cards, lambda: f"{rng.randrange(10_000_000, 100_000_000)}"
            )
            self._exemption(p)
        return p

    def _exemption(self, p: Person) -> None:
        rng, today = self.rng, self.as_of
        assert p.official is not None
        if (
            p.cell.cell_type in RESIDENTIAL
            and p.age(today) >= 72
            and rng.random() < OLD_AGE_EXEMPT_SHARE
        ):
            p.exempt_from = between(
                rng, max(p.official, years_after(p.birth, 70), today - 8 * 365 * DAY),
                today - 30 * DAY,
            )  # fmt: skip
            p.exempt_note = "Tuổi cao, sức khỏe yếu"
        elif rng.random() < ILLNESS_EXEMPT_SHARE and p.official < today - 120 * DAY:
            p.exempt_from = between(rng, max(p.official, today - 3 * 365 * DAY), today - 100 * DAY)
            ends = p.exempt_from + dt.timedelta(days=rng.randint(90, 330))
            p.exempt_to = ends if ends < today else None
            p.exempt_note = "Ốm đau dài ngày"

    def deaths(self, people: list[Person]) -> None:
        rng, today = self.rng, self.as_of
        settled = today - 400 * DAY
        old = [p for p in people if p.official and p.official <= settled and p.age(today) >= 68]
        for p in rng.sample(old, min(len(old), max(2, round(len(people) * DECEASED_SHARE)))):
            assert p.official is not None
            after = max(p.exempt_from or p.official, today - 3 * 365 * DAY) + 30 * DAY
            p.deceased = between(rng, min(after, today - 10 * DAY), today - 10 * DAY)

    def transfers(self, people: list[Person], tree: Tree) -> None:
        """A few official transfers between residential cells, with time in transit."""
        rng, today = self.rng, self.as_of
        targets = [c for c in tree.cells if c.cell_type in RESIDENTIAL]
        if len(targets) < 2:
            return
        movable = [
            p
            for p in people
            if p.cell.cell_type in RESIDENTIAL
            and p.active_on(today)
            and p.exempt_from is None
            and p.start <= today - 3 * 365 * DAY
        ]
        count = min(len(movable), max(2, round(len(people) * TRANSFERRED_SHARE)))
        for p in rng.sample(movable, count):
            near = [c for c in targets if c.parent is p.cell.parent and c is not p.cell]
            to = rng.choice(near if near and rng.random() < 0.5 else targets)
            while to is p.cell:
                to = rng.choice(targets)
            p.left_on = between(rng, today - 2 * 365 * DAY, today - 60 * DAY)
            p.moved_from, p.first_start, p.cell = p.cell, p.start, to
            p.start = p.left_on + dt.timedelta(days=rng.randint(7, 45))
            p.letter = f"{rng.randint(1, 300)}-GT/ĐU"


def plan_people(
    rng: random.Random, tree: Tree, *, as_of: dt.date, ids: Ids, namers: dict[int, Namer]
) -> list[Person]:
    planner = _People(rng, as_of, ids)
    people = [
        planner.person(cell, namers[cell.province.code])
        for cell in tree.cells
        for _ in range(cell.size)
    ]
    planner.deaths(people)
    planner.transfers(people, tree)
    turns: dict[int, int] = {}
    for p in people:
        if p.cell.groups:
            n = turns.get(p.cell.id, 0)
            p.group = p.cell.groups[n % len(p.cell.groups)]
            turns[p.cell.id] = n + 1
    return people


# Rows ------------------------------------------------------------------------------------------


@dataclass
class PeopleRows:
    members: list[dict]
    placements: list[dict]
    placement_history: list[tuple[dict, str]]
    events: list[dict]
    periods: list[dict]


def people_rows(people: list[Person], ids: Ids) -> PeopleRows:
    """The rows members.services.member_create / member_transfer / event_create would leave."""
    placements: list[dict] = []
    history: list[tuple[dict, str]] = []
    events: list[dict] = []

    def event(p: Person, kind: str, date: dt.date, **extra) -> None:
        events.append(
            {"id": ids.next(MemberEvent), "member_id": p.id, "kind": kind, "date": date, **extra}
        )

    for p in people:
        if p.moved_from is not None:
            earlier = {
                "id": ids.next(Placement),
                "member_id": p.id,
                "unit_id": p.moved_from.id,
                "kind": PlacementKind.OFFICIAL,
                "start": p.first_start,
                "end": p.left_on,
            }
            placements.append(earlier)
            # Opened at admission, closed by the transfer: two history rows, as save() leaves.
            history += [({**earlier, "end": None}, "+"), (earlier, "~")]
        current = {
            "id": ids.next(Placement),
            "member_id": p.id,
            "unit_id": p.cell.id,
            "party_group_id": p.group.id if p.group else None,
            "kind": PlacementKind.OFFICIAL,
            "start": p.start,
            "end": None,
            "letter_number": p.letter,
        }
        placements.append(current)
        history.append((current, "+"))
        event(p, EventKind.ADMITTED, p.admitted, decision_number=p.admission_decision)
        if p.official:
            event(p, EventKind.OFFICIAL, p.official, decision_number=p.official_decision)
        if p.exempt_from:
            event(p, EventKind.EXEMPTED, p.exempt_from, end_date=p.exempt_to, note=p.exempt_note)
        if p.moved_from is not None:
            assert p.left_on is not None
            note = f"{p.moved_from.code} → {p.cell.code}"
            event(p, EventKind.TRANSFERRED, p.left_on, decision_number=p.letter, note=note)
        if p.deceased:
            event(p, EventKind.DECEASED, p.deceased)

    cached, periods = derived_rows(placements, events, ids)
    members = []
    for p in people:
        home, admitted, official = cached[p.id]
        members.append(
            {
                "id": p.id,
                "code": p.code,
                "full_name": p.full_name,
                "search_name": fold(p.full_name),
                "gender": Gender.FEMALE if p.female else Gender.MALE,
                "birth_date": p.birth,
                "ethnicity": p.ethnicity,
                "phone": p.phone,
                "national_id": p.national_id,
                "card_number": p.card_number,
                "home_unit_id": home,
                "admitted_on": admitted,
                "official_on": official,
            }
        )
    return PeopleRows(members, placements, history, events, periods)


def derived_rows(
    placements: list[dict], events: list[dict], ids: Ids
) -> tuple[dict[int, tuple[int | None, dt.date | None, dt.date | None]], list[dict]]:
    """What members.services.member_refresh derives, by the same code (members.derive):
    member id -> (home_unit_id, admitted_on, official_on), and the status period rows."""
    facts_p: dict[int, list[derive.PlacementFact]] = {}
    for pl in placements:
        facts_p.setdefault(pl["member_id"], []).append(
            derive.PlacementFact(pl["id"], pl["unit_id"], pl["kind"], pl["start"])
        )
    facts_e: dict[int, list[derive.EventFact]] = {}
    for e in events:
        facts_e.setdefault(e["member_id"], []).append(
            derive.EventFact(e["id"], e["kind"], e["date"])
        )
    cached = {}
    periods = []
    for m in set(facts_p) | set(facts_e):
        evs = facts_e.get(m, [])
        cached[m] = (
            derive.home_unit(facts_p.get(m, [])),
            derive.first_date(evs, EventKind.ADMITTED),
            derive.first_date(evs, EventKind.OFFICIAL),
        )
        for period in derive.status_periods(evs):
            periods.append(
                {
                    "id": ids.next(StatusPeriod),
                    "member_id": m,
                    "status": period.status,
                    "valid_from": period.valid_from,
                    "valid_to": period.valid_to,
                }
            )
    return cached, periods
