"""Demo planners: each app plans its own demo rows in its `demo.py` and registers the planner
here; the demo hub (chibo.demo) runs them in order on one `Plan`.

A planner names the planners it comes after (`after`), because it reads what they planned:
the members planner places people in the cells the org planner planned. What a planner plans
for later ones it puts in the plan under a typed `Key` (`plan.put(TREE, tree)`, then
`plan[TREE]`); the plan records who read from whom, so a test can check that every planner
comes after those it reads from, whatever the order of INSTALLED_APPS."""

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import cast

from django.db import models

from chibo.core import audit
from chibo.core.registry import Registry

from .names import Namer
from .writer import BulkWriter


class Key[T]:
    """The name of something a planner plans for later ones, typed: `plan[TREE]` is a Tree."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Key({self.name!r})"


Run = Callable[["Plan"], None]


@dataclass(frozen=True)
class Planner:
    """One app's part of the demo. `run(plan)` plans its rows and writes them (through
    `plan.writer`, or through the services for a handful). `roots` are the tables whose rows,
    and all that hangs off them, `chibo demo --reset` deletes; `forget` removes what else the
    planner made (the demo logins) and returns how many rows."""

    key: str
    run: Run
    after: tuple[str, ...] = ()
    roots: tuple[type[models.Model], ...] = ()
    forget: Callable[[], int] | None = None


PLANNERS: Registry[Planner] = Registry("demo planners", discover="demo")


def planner(
    key: str,
    *,
    after: Iterable[str] = (),
    roots: Iterable[type[models.Model]] = (),
    forget: Callable[[], int] | None = None,
) -> Callable[[Run], Run]:
    """Register the decorated function as the planner `key` (in an app's `demo.py`)."""

    def register(run: Run) -> Run:
        PLANNERS.register(key, Planner(key, run, tuple(after), tuple(roots), forget))
        return run

    return register


def ordered(planners: Iterable[Planner] | None = None) -> list[Planner]:
    """The planners, each after those it names in `after`, otherwise in registration order
    (INSTALLED_APPS: lower floors first). Naming an unknown planner, or a cycle, fails."""
    left = list(PLANNERS if planners is None else planners)
    keys = {p.key for p in left}
    for p in left:
        unknown = sorted(set(p.after) - keys)
        if unknown:
            raise ValueError(f"Demo planner {p.key!r} comes after unknown planners {unknown}.")
    out: list[Planner] = []
    done: set[str] = set()
    while left:
        ready = next((p for p in left if done.issuperset(p.after)), None)
        if ready is None:
            raise ValueError(f"Demo planners wait for each other: {[p.key for p in left]}.")
        out.append(ready)
        done.add(ready.key)
        left.remove(ready)
    return out


def between(rng: random.Random, a: dt.date, b: dt.date) -> dt.date:
    """A day from `a` to `b`, both included (`a` when b is earlier)."""
    return a + dt.timedelta(days=rng.randint(0, max(0, (b - a).days)))


class Plan:
    """One run of the generator: its size, seed and reference date; the bulk writer and its
    ids; one random generator per stage; and what each planner planned for the next ones."""

    def __init__(
        self,
        *,
        members: int,
        seed: int,
        as_of: dt.date,
        writer: BulkWriter,
        province_code: int | None = None,
        personas: bool = True,
    ) -> None:
        self.members, self.seed, self.as_of = members, seed, as_of
        # A country is generated one province at a time (`province_code`); the demo logins
        # sit in the first one only, later provinces have no `personas`.
        self.province_code, self.personas = province_code, personas
        self.writer = writer
        self.ids = writer.ids
        self.lines: list[str] = []  # the summary, a phrase or two per planner
        self.reads: dict[str, set[str]] = {}  # planner -> the planners it read from
        self._rngs: dict[str, random.Random] = {}
        self._namers: dict[int, Namer] = {}
        self._planned: dict[str, tuple[str, object]] = {}  # key -> (planner, value)
        self._running = ""

    def run(self, planners: Iterable[Planner]) -> None:
        # The past is generated today: services it calls record no audit event.
        with audit.silenced():
            for p in planners:
                self._running = p.key
                p.run(self)
        self._running = ""

    # Randomness ------------------------------------------------------------------------------

    def rng(self, stage: str) -> random.Random:
        """The random generator of a stage, seeded by the seed and the stage's name, so that
        changing how one stage draws leaves the others' data alone. Asking again gives the
        same generator, which goes on where it stopped."""
        if stage not in self._rngs:
            self._rngs[stage] = random.Random(f"{self.seed}:{stage}")
        return self._rngs[stage]

    def namer(self, province_code: int, codename: str) -> Namer:
        """The names of one province's people, one generator shared by every planner that
        names someone there (in planner order)."""
        if province_code not in self._namers:
            self._namers[province_code] = Namer(
                self.rng(f"names:{province_code}"), province_code=province_code, codename=codename
            )
        return self._namers[province_code]

    # What the planners share -------------------------------------------------------------------

    def put[T](self, key: Key[T], value: T) -> None:
        if key.name in self._planned:
            raise ValueError(f"{key.name} is planned twice.")
        self._planned[key.name] = (self._running, value)

    def __getitem__[T](self, key: Key[T]) -> T:
        if key.name not in self._planned:
            raise LookupError(
                f"{key.name} is not planned yet: demo planner {self._running!r} must come "
                "after the planner that plans it."
            )
        producer, value = self._planned[key.name]
        if self._running and producer != self._running:
            self.reads.setdefault(self._running, set()).add(producer)
        return cast(T, value)

    def report(self, line: str) -> None:
        """A phrase for the summary `chibo demo` prints ("2,000 members, 217 posts")."""
        self.lines.append(line)

    def close(self) -> None:
        """Let go of what was planned (hundreds of thousands of objects at full size)."""
        self._planned.clear()
        self._namers.clear()
        self._rngs.clear()
