"""The rarer stories of the demo's members (issue 4, item 9), in two passes over the planned
people, and the rows other apps keep about them.

Before the posts are drawn (`plan_probations`), some recent admissions are re-dated so that
every deadline of the pipeline shows: admissions decided days ago still waiting for their
ceremony (one or two past its deadline), probations ending within the month, ended and not yet
considered (a few past the review deadline), voted by the cell and awaiting the decision.
After the posts (`plan_stories`), members who hold no post get the rest: removal and
readmission years later, recent disciplines (half of them left to the stories other apps
register in `DISCIPLINES`), official transfers still in transit, temporary transfers.

`rows` writes what they leave in members' tables; the apps above plan their own records about
these members in their own demo modules."""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable

from chibo.core.demo import between
from chibo.core.registry import Registry
from chibo.members.models import EventKind
from chibo.org.demo import Tree, Unit
from chibo.rules.calendar import add_years

from .people import RECENT_DAYS, RESIDENTIAL, Move, Person
from .timeline import DAY, Stint, Timeline, decision

# Base organisations with an admission decided in the last days, ceremony not yet held.
WAITING_CEREMONY_SHARE = 0.6
# Counts per member of the demo, each with a floor so that a small demo shows them too.
ENDING_SOON = (0.002, 2)  # probation ends within the next 30 days
IN_REVIEW_TIME = (0.0005, 1)  # ended, the cell still has time to consider
REVIEW_OVERDUE = (0.001, 2)  # ended more than the review deadline ago, not considered
AWAITING_DECISION = (0.0005, 2)  # the cell voted, the committee has not decided
READMITTED = (0.001, 1)
DISCIPLINED = (0.002, 3)
PENDING_TRANSFERS = (0.001, 2)
TEMPORARY_TRANSFERS = (0.001, 2)
ENDING_WINDOW = 30  # days: "probation ending within 30 days" (the issue)

DISCIPLINE_NOTES = [
    "Vi phạm quy định về những điều đảng viên không được làm",
    "Không thực hiện nhiệm vụ chi bộ phân công",
    "Vi phạm nguyên tắc tập trung dân chủ",
    "Thiếu trách nhiệm trong công tác được giao",
]
TEMPORARY_NOTES = [
    "Đi học tập trung dài hạn",
    "Biệt phái công tác",
    "Đi làm ăn xa",
    "Tăng cường cơ sở có thời hạn",
]


def count(share: tuple[float, int], members: int) -> int:
    return max(share[1], round(members * share[0]))


# Before the posts: the probations --------------------------------------------------------------


class _Probations:
    def __init__(self, rng: random.Random, life: Timeline, people: list[Person]) -> None:
        self.rng, self.life, self.as_of = rng, life, life.as_of
        recent = self.as_of - RECENT_DAYS * DAY
        # Admitted lately into the cell where they still are, nothing else planned for them.
        self.pool = [
            p
            for p in people
            if p.admitted >= recent
            and p.start == p.admitted
            and p.exempt_from is None
            and p.deceased is None
            and p.moved_from is None
        ]
        rng.shuffle(self.pool)  # then taken in this order
        self.taken: set[int] = set()

    def fits(self, p: Person, s: Stint) -> bool:
        """The cell's vote, some weeks before the decision, within the age limits."""
        low = add_years(p.birth, self.life.rule(s.admitted, "admission_min_age"))
        high = add_years(p.birth, self.life.rule(s.admitted, "admission_max_age"))
        return low + 40 * DAY <= s.admitted <= high

    def redate(self, among: list[Person], make) -> Person | None:
        """Give the first person of `among` still free who fits the stint `make()`."""
        tries = 50
        for p in among:
            if p.id in self.taken:
                continue
            tries -= 1
            if tries < 0:
                break
            s = make()
            if s is None or not self.fits(p, s):
                continue
            p.first, p.start, p.card_number = s, s.admitted, None
            self.taken.add(p.id)
            return p
        return None

    def waiting_ceremony(self) -> Stint | None:
        admitted = self.as_of - dt.timedelta(days=self.rng.randint(5, 20))
        if self.life.ceremony_due(admitted) < self.as_of:
            return None
        return Stint(admitted, decision(self.rng, admitted))

    def ceremony_overdue(self) -> Stint:
        admitted = self.as_of - dt.timedelta(days=self.rng.randint(50, 90))
        while self.life.ceremony_due(admitted) >= self.as_of:
            admitted -= 7 * DAY
        return Stint(admitted, decision(self.rng, admitted))

    def ending(self, first: int, last: int) -> Stint | None:
        """Probation ends between as_of + `first` and as_of + `last` days."""
        return self.life.stint_ending(self.rng, self.as_of + first * DAY, self.as_of + last * DAY)

    def in_review_time(self) -> Stint | None:
        s = self.ending(-12, -1)
        if s is None or s.ends is None or self.life.review_due(s.ends) < self.as_of:
            return None
        return s

    def review_overdue(self) -> Stint | None:
        s = self.ending(-120, -50)
        if s is None or s.ends is None or self.life.review_due(s.ends) >= self.as_of:
            return None
        return s

    def awaiting_decision(self) -> Stint | None:
        s = self.ending(-60, -15)
        if s is None or s.ends is None:
            return None
        n = self.life.rule(s.ends, "review_working_days")
        room = min(n, self.life.working_between(s.ends, self.as_of - 2 * DAY))
        if room < 1:
            return None
        s.vote = self.life.working_after(s.ends, self.rng.randint(1, room))
        return s


def plan_probations(rng: random.Random, life: Timeline, tree: Tree, people: list[Person]) -> None:
    """Re-date some recent admissions so that each deadline of the pipeline shows."""
    plan = _Probations(rng, life, people)
    by_base: dict[int, list[Person]] = defaultdict(list)
    for p in plan.pool:
        by_base[p.cell.base().id].append(p)
    n = len(people)
    waiting = 0
    for unit in tree.units:
        if by_base.get(unit.id) and rng.random() < WAITING_CEREMONY_SHARE:
            waiting += plan.redate(by_base[unit.id], plan.waiting_ceremony) is not None
    for _i in range(max(0, 2 - waiting)):
        plan.redate(plan.pool, plan.waiting_ceremony)
    for _i in range(rng.choice([1, 2])):
        plan.redate(plan.pool, plan.ceremony_overdue)
    stories = [
        (ENDING_SOON, lambda: plan.ending(1, ENDING_WINDOW)),
        (IN_REVIEW_TIME, plan.in_review_time),
        (REVIEW_OVERDUE, plan.review_overdue),
        (AWAITING_DECISION, plan.awaiting_decision),
    ]
    for share, make in stories:
        for _i in range(count(share, n)):
            plan.redate(plan.pool, make)


# After the posts: the rarer stories ------------------------------------------------------------


class Stories:
    """The stories of members who hold no post; the disciplines' part is open to other apps."""

    def __init__(self, rng: random.Random, life: Timeline, tree: Tree, people: list[Person],
                 holders: set[int]) -> None:  # fmt: skip
        self.rng, self.life, self.as_of, self.tree = rng, life, life.as_of, tree
        self.n = len(people)
        # Members with no post, active, with nothing else planned: their story can change.
        self.free = [
            p
            for p in people
            if p.id not in holders
            and p.exempt_from is None
            and p.deceased is None
            and not p.moved
            and p.active_on(self.as_of)
        ]

    def readmissions(self) -> None:
        rng, life, as_of = self.rng, self.life, self.as_of
        high = life.rule(as_of, "admission_max_age")

        def story(p: Person) -> tuple[dt.date, dt.date] | None:
            """(removed, readmitted): years out, back young enough to be admitted."""
            assert p.official is not None
            lo = max(add_years(p.official, 3), p.start + 365 * DAY)
            latest = min(add_years(as_of, -4), add_years(p.birth, high) - 60 * DAY)
            if add_years(lo, 3) > latest or lo > add_years(as_of, -12):
                return None
            removed = between(rng, lo, min(add_years(as_of, -12), add_years(latest, -3)))
            return removed, between(rng, add_years(removed, 3), latest)

        wanted = count(READMITTED, self.n)
        old = add_years(as_of, -25)
        for p in self.pick(len(self.free), lambda p: p.admitted <= old):
            if wanted == 0:
                break
            dates = story(p)
            if dates is None:
                continue
            removed, back = dates
            p.removed, p.removal_decision = removed, decision(rng, removed)
            p.again = life.stint(rng, back)
            wanted -= 1

    def pick(self, how_many: int, ok: Callable[[Person], bool]) -> list[Person]:
        """Up to `how_many` members drawn among the free ones for whom `ok` holds."""
        chosen = [p for p in self.free if not p.moved and ok(p)]
        return self.rng.sample(chosen, min(how_many, len(chosen)))

    def discipline(self, p: Person, kind: str, day: dt.date) -> None:
        """A reprimand or warning decided on `day`, with its number and a usual reason."""
        rng = self.rng
        p.disciplines.append((kind, day, decision(rng, day), rng.choice(DISCIPLINE_NOTES)))

    def disciplines(self) -> None:
        """Reprimands and warnings of the last two years. Half of them are left to the
        stories other apps register in DISCIPLINES, in registration order; the rest fall on
        anyone free."""
        rng, as_of = self.rng, self.as_of
        total = count(DISCIPLINED, self.n)
        taken = 0
        for story in DISCIPLINES:
            taken += story(self, total // 2 - taken)
        others = self.pick(total - taken, lambda p: not p.disciplines)
        for p in others:
            kind = rng.choice([EventKind.REPRIMAND, EventKind.REPRIMAND, EventKind.WARNING])
            lo = max(as_of - RECENT_DAYS * DAY, p.official or p.admitted)
            self.discipline(p, kind, between(rng, lo, as_of - 7 * DAY))

    def _elsewhere(self, p: Person) -> Unit:
        cells = [c for c in self.tree.cells if c is not p.cell]
        near = [c for c in cells if c.parent is p.cell.parent]
        if near and self.rng.random() < 0.5:
            return self.rng.choice(near)
        residential = [c for c in cells if c.cell_type in RESIDENTIAL]
        if p.cell.cell_type in RESIDENTIAL and residential:
            return self.rng.choice(residential)
        return self.rng.choice(cells)

    def transfers(self) -> None:
        rng, as_of = self.rng, self.as_of
        if len(self.tree.cells) < 2:
            return
        settled = as_of - 365 * DAY
        for p in self.pick(count(PENDING_TRANSFERS, self.n), lambda p: p.start <= settled):
            sent = as_of - dt.timedelta(days=rng.randint(7, 40))
            letter = f"{rng.randint(1, 300)}-GT/ĐU"
            p.pending = Move(self._elsewhere(p), letter, sent)
        for p in self.pick(count(TEMPORARY_TRANSFERS, self.n), lambda p: p.start <= settled):
            sent = as_of - dt.timedelta(days=rng.randint(20, 240))
            received = min(sent + dt.timedelta(days=rng.randint(2, 15)), as_of - DAY)
            until = received + dt.timedelta(days=rng.randint(120, 400))
            letter = f"{rng.randint(1, 300)}-GT/ĐU"
            p.temporary = Move(
                self._elsewhere(p), letter, sent, received, until, rng.choice(TEMPORARY_NOTES)
            )


# Another app's disciplines of members who hold no post: (stories, how many it may pick) ->
# how many members it picked, each disciplined with `stories.discipline` (or not, if none fits).
DisciplineStory = Callable[[Stories, int], int]
DISCIPLINES: Registry[DisciplineStory] = Registry("demo discipline stories", discover="demo")


def plan_stories(
    rng: random.Random, life: Timeline, tree: Tree, people: list[Person], *, posts: list[dict]
) -> None:
    """Readmissions, disciplines and transfers for members who hold no post."""
    stories = Stories(rng, life, tree, people, {row["member_id"] for row in posts})
    stories.readmissions()
    stories.disciplines()
    stories.transfers()
