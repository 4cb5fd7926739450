"""Members of the demo cells: profiles, their placements and the events of their party life,
planned in memory so that every date agrees with the others (admitted at 18-60, the ceremony
within its deadline, official from the end of the probation, exempt or deceased only after
that, transfers with a gap in transit). `lifecycle` adds the rarer stories, `rows` turns them
into rows."""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from chibo.core.demo import Ids, Namer, between
from chibo.core.demo.names import mobile_phone
from chibo.members.models import ExemptionReason, Member, Status
from chibo.org.demo import Tree, Unit
from chibo.org.models import CellType
from chibo.rules.calendar import add_years

from .timeline import Stint, Timeline

DAY = dt.timedelta(days=1)
RECENT_DAYS = 730  # admitted in the last two years: the candidacy is on record
RECENT_SHARE = 0.07  # of members admitted in those two years
SETTLED_DAYS = 70  # an admission this long ago has had its ceremony
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


@dataclass(slots=True)
class Move:
    """A transfer the lifecycle planner adds: an official one sent and not yet received
    (`received` None), or a temporary one received into `to` until `until`."""

    to: Unit
    letter: str
    sent: dt.date
    received: dt.date | None = None
    until: dt.date | None = None
    note: str = ""


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
    first: Stint  # the admission, ceremony and recognition
    start: dt.date  # official placement in `cell` since
    card_number: str | None = None
    group: Unit | None = None
    exempt_from: dt.date | None = None
    exempt_to: dt.date | None = None
    exempt_note: str = ""
    exempt_reason: str = ""
    deceased: dt.date | None = None
    moved_from: Unit | None = None  # an official transfer: the earlier cell
    first_start: dt.date | None = None
    left_on: dt.date | None = None
    letter: str = ""
    # The rarer stories (`lifecycle`): removed from the rolls and readmitted later,
    # an official transfer in transit, a temporary transfer, disciplines (kind, date, decision
    # number, note).
    removed: dt.date | None = None
    removal_decision: str = ""
    again: Stint | None = None
    pending: Move | None = None
    temporary: Move | None = None
    disciplines: list[tuple[str, dt.date, str, str]] = field(default_factory=list)

    @property
    def admitted(self) -> dt.date:
        return self.first.admitted

    @property
    def official(self) -> dt.date | None:
        return self.first.official

    @property
    def moved(self) -> bool:
        """Transferred, in transit, away, or out of the Party for a while."""
        return bool(self.moved_from or self.pending or self.temporary or self.again)

    def stints(self) -> list[Stint]:
        return [self.first] if self.again is None else [self.first, self.again]

    def stays(self) -> list[tuple[Unit, dt.date, dt.date | None]]:
        """The official placements (cell, start, end), the end exclusive."""
        if self.moved_from is not None:
            assert self.first_start is not None
            earlier = (self.moved_from, self.first_start, self.left_on)
            return [earlier, (self.cell, self.start, None)]
        if self.again is not None:
            return [(self.cell, self.start, self.removed), (self.cell, self.again.admitted, None)]
        if self.pending is not None:
            return [(self.cell, self.start, self.pending.sent)]
        return [(self.cell, self.start, None)]

    def cell_on(self, day: dt.date) -> Unit | None:
        """The cell of the official placement on `day`, if any."""
        for unit, start, end in self.stays():
            if start <= day and (end is None or day < end):
                return unit
        return None

    def status_on(self, on: dt.date) -> str:
        """members.derive's status on a date, from the planned events."""
        if self.deceased is not None and self.deceased <= on:
            return Status.DECEASED
        stint = self.first
        if self.again is not None and self.again.admitted <= on:
            stint = self.again
        elif self.removed is not None and self.removed <= on:
            return Status.REMOVED
        if stint.official is not None and stint.official <= on:
            return Status.OFFICIAL
        return Status.PROBATIONARY if stint.admitted <= on else ""

    def age(self, on: dt.date) -> int:
        return on.year - self.birth.year - ((on.month, on.day) < (self.birth.month, self.birth.day))

    def exempt_on(self, on: dt.date) -> bool:
        return (
            self.exempt_from is not None
            and self.exempt_from <= on
            and (self.exempt_to is None or self.exempt_to >= on)
        )

    def away_on(self, on: dt.date) -> bool:
        """Taking part in another cell on temporary transfer."""
        t = self.temporary
        return (
            t is not None
            and t.received is not None
            and t.received <= on
            and (t.until is None or on < t.until)
        )

    def active_on(self, on: dt.date) -> bool:
        """In the party, taking part in activities, and official, on `on`."""
        return self.status_on(on) == Status.OFFICIAL and not self.exempt_on(on)


class Rosters:
    """Who is officially placed in each cell on a day, from the planned stays."""

    def __init__(self, people: list[Person]) -> None:
        self.by_cell: dict[int, list[tuple[Person, dt.date, dt.date | None]]] = defaultdict(list)
        for p in people:
            for unit, start, end in p.stays():
                self.by_cell[unit.id].append((p, start, end))

    def placed(self, cell_id: int, day: dt.date) -> Iterator[tuple[Person, dt.date]]:
        """(member, start of the placement) for each member placed in the cell on `day`."""
        for p, start, end in self.by_cell.get(cell_id, []):
            if start <= day and (end is None or day < end):
                yield p, start

    def voters(self, cell_id: int, day: dt.date) -> int:
        """The cell's official members entitled to vote on `day`: placed there, neither exempt
        nor away on temporary transfer."""
        return sum(
            1
            for p, _start in self.placed(cell_id, day)
            if p.status_on(day) == Status.OFFICIAL and not p.exempt_on(day) and not p.away_on(day)
        )


def years_after(d: dt.date, years: float) -> dt.date:
    return d + dt.timedelta(days=int(years * 365.25))


class _People:
    def __init__(self, rng: random.Random, as_of: dt.date, ids: Ids, life: Timeline) -> None:
        self.rng, self.as_of, self.ids, self.life = rng, as_of, ids, life
        self.min_age = life.rule(as_of, "admission_min_age")
        self.max_age = life.rule(as_of, "admission_max_age")
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
        recent = today - RECENT_DAYS * DAY
        admitted: dt.date | None = None
        if rng.random() < RECENT_SHARE:
            # Admitted in the last two years, mostly young: cells recruit among the youth.
            admitted = today - dt.timedelta(days=rng.randint(SETTLED_DAYS, RECENT_DAYS))
            low = self.min_age + 0.3
            age = rng.triangular(low, min(self.max_age - 1, low + 30), low + 5)
            birth = admitted - dt.timedelta(days=int(age * 365.25))
            year = birth.year
        else:
            year = round(
                rng.triangular(today.year - oldest, today.year - youngest, today.year - usual)
            )
            year = min(max(year, 1940), 2004, today.year - 19)
            birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        female = rng.random() < women
        ethnicity = namer.ethnicity()
        # The cell votes some weeks before the decision: at the minimum age by then.
        earliest = add_years(birth, self.min_age) + 60 * DAY
        if admitted is None:
            latest = recent - DAY
            spread = min(40.0, self.max_age - self.min_age - 2, rng.expovariate(1 / 8))
            admitted = max(earliest, years_after(birth, self.min_age + spread))
            if admitted > latest:
                admitted = (
                    between(rng, earliest, latest)
                    if earliest <= latest
                    else between(rng, max(earliest, recent), today - SETTLED_DAYS * DAY)
                )
        # The ceremony within its deadline, official from the end of the probation once the
        # cell has voted and the committee decided.
        first = self.life.stint(rng, admitted)
        official = first.official

        start = admitted
        moved_in = 0.25 if cell.cell_type in RESIDENTIAL else 0.8
        # Members recognised lately were reviewed here: they joined the cell at admission.
        if official and first.decided and first.decided < recent and rng.random() < moved_in:
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
            first=first,
            start=start,
        )
        if rng.random() < (0.7 if p.age(today) >= 75 else 0.95):
            p.phone = mobile_phone(rng)
        if official:
            p.card_number = self._unique(
                # The province's code first: unique across a country generated by province.
                self.cards,
                lambda: f"{cell.province.code:02d}{rng.randrange(10_000_000, 100_000_000)}",
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
            p.exempt_reason = ExemptionReason.OLD_AGE
        elif rng.random() < ILLNESS_EXEMPT_SHARE and p.official < today - 120 * DAY:
            p.exempt_from = between(rng, max(p.official, today - 3 * 365 * DAY), today - 100 * DAY)
            ends = p.exempt_from + dt.timedelta(days=rng.randint(90, 330))
            p.exempt_to = ends if ends < today else None
            p.exempt_note = "Ốm đau dài ngày"
            p.exempt_reason = ExemptionReason.ILLNESS

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
    rng: random.Random,
    tree: Tree,
    *,
    as_of: dt.date,
    ids: Ids,
    namers: Callable[[int, str], Namer],
    life: Timeline,
) -> list[Person]:
    """`cell.size` people in each cell, named by `namers(province code, codename)`."""
    planner = _People(rng, as_of, ids, life)
    people = [
        planner.person(cell, namers(cell.province.code, cell.province.codename))
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
