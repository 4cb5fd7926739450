"""Candidates for admission (quần chúng ưu tú) in the demo: for every member admitted in the
last two years, the candidacy that led to it (proposed by the cell, the Party class, two
introducers, the cell's vote, the decision, linked to the member record); and in most base
organisations, candidates on their way at every stage, and a few no longer candidates.

Each step obeys the rule development.services checks, with the rules in force on its own day:
introducers official members of the same cell, placed there long enough before the
introduction; the candidate within the age limits on the day of the vote; the vote at least
the special majority of the cell's official members entitled to vote. Rows and their history
are what candidate_create and each step's service leave ("+", then "~" per step)."""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable

from chibo.core.demo import Ids, Namer, between
from chibo.core.search import fold
from chibo.development.models import Candidate
from chibo.members.demo import DAY, RECENT_DAYS, Person, Rosters, Timeline
from chibo.members.demo.people import PROFILES
from chibo.members.models import Gender, Status
from chibo.org.demo import Tree, Unit
from chibo.org.models import Kind
from chibo.rules.calendar import add_months, add_years

from .reviews import special_majority, votes_for

# Candidates at each stage in a base organisation of PER_MEMBERS members (scaled, at least one
# in most base committees).
PER_MEMBERS = 400
STAGES = {"proposed": 2.0, "class_done": 2.0, "introduced": 1.5, "voted": 1.0, "dropped": 0.6}
AT_LEAST_ONE: dict[str, float] = {Kind.BASE_COMMITTEE: 1.0, Kind.BASE_CELL: 0.25}
DROPPED_AT_LEAST_ONE = 0.5
DROP_REASONS = [
    "Chuyển nơi cư trú",
    "Chuyển công tác ra ngoài đảng bộ",
    "Xin rút khỏi danh sách đối tượng kết nạp",
    "Chưa đủ tiêu chuẩn, chi bộ tiếp tục bồi dưỡng",
    "Lý lịch chưa đủ điều kiện xem xét",
]


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


class _Candidacies:
    def __init__(self, rng: random.Random, life: Timeline, rosters: Rosters, ids: Ids) -> None:
        self.rng, self.life, self.as_of = rng, life, life.as_of
        self.rosters, self.ids = rosters, ids
        self.rows: list[dict] = []
        self.history: list[tuple[dict, str]] = []

    def introducers(self, cell: Unit, on: dt.date, born: dt.date) -> list[tuple[int, dt.date]]:
        """Up to two (member id, since): official members of the cell on `on`, placed there at
        least introducer_min_months before; since is when they began working with the
        candidate, no later than that."""
        months = self.life.rule(on, "introducer_min_months")
        latest = add_months(on, -months)
        able = [
            (p, start)
            for p, start in self.rosters.placed(cell.id, on)
            if start <= latest and p.status_on(on) == Status.OFFICIAL and not p.exempt_on(on)
        ]
        out = []
        for p, start in self.rng.sample(able, min(2, len(able))):
            known = max(start, add_years(born, 16), latest - 6 * 365 * DAY)
            out.append((p.id, min(latest, between(self.rng, known, latest))))
        return out

    def record(self, row: dict, steps: list[dict]) -> None:
        """The row as candidate_create left it, then after each step."""
        snapshot = dict(row)
        self.history.append((dict(snapshot), "+"))
        for step in steps:
            snapshot.update(step)
            self.history.append((dict(snapshot), "~"))
        self.rows.append(snapshot)

    def candidacy(
        self,
        *,
        cell: Unit,
        name: str,
        female: bool,
        born: dt.date,
        ethnicity: str,
        proposed: dt.date,
        class_done: dt.date | None = None,
        introduced: dt.date | None = None,
        vote: dt.date | None = None,
        decided: dt.date | None = None,
        decision_number: str = "",
        member_id: int | None = None,
        dropped: dt.date | None = None,
    ) -> bool:
        """Plan one candidacy; False when its cell has no introducer to offer."""
        rng = self.rng
        row = {
            "id": None,
            "cell_id": cell.id,
            "full_name": name,
            "search_name": fold(name),
            "gender": Gender.FEMALE if female else Gender.MALE,
            "birth_date": born,
            "ethnicity": ethnicity,
            "proposed_on": proposed,
        }
        steps: list[dict] = []
        if class_done:
            certificate = f"{rng.randint(1, 900)}/GCN-TTCT"
            steps.append({"class_completed_on": class_done, "class_certificate": certificate})
        if introduced:
            chosen = self.introducers(cell, introduced, born)
            if not chosen:
                return False
            step: dict = {"introduced_on": introduced}
            step["introducer_1_id"], step["introducer_1_since"] = chosen[0]
            if len(chosen) > 1:
                step["introducer_2_id"], step["introducer_2_since"] = chosen[1]
            else:  # the Youth Union introduces in place of a second member
                step["union_introduction"] = f"Nghị quyết số {rng.randint(1, 90)}/NQ-ĐTN"
            steps.append(step)
        if vote:
            eligible = self.rosters.voters(cell.id, vote)
            if eligible < 1:
                return False
            share = special_majority(self.life, vote)
            steps.append(
                {
                    "vote_on": vote,
                    "votes_for": votes_for(rng, eligible, share),
                    "votes_eligible": eligible,
                }
            )
        if decided:
            steps.append(
                {"decision_number": decision_number, "decision_on": decided, "member_id": member_id}
            )
        if dropped:
            steps.append({"dropped_on": dropped, "drop_reason": rng.choice(DROP_REASONS)})
        row["id"] = self.ids.next(Candidate)
        self.record(row, steps)
        return True

    def admitted(self, p: Person) -> None:
        """The candidacy behind a recent admission (candidate_decide created the member)."""
        rng, life = self.rng, self.life
        decided = p.admitted
        cell = p.cell_on(decided)
        assert cell is not None
        of_age = add_years(p.birth, life.rule(decided, "admission_min_age"))
        vote = max(decided - _days(rng, 7, 35), of_age)
        introduced = vote - _days(rng, 7, 30)
        class_done = introduced - _days(rng, 10, 60)
        self.candidacy(
            cell=cell,
            name=p.full_name,
            female=p.female,
            born=p.birth,
            ethnicity=p.ethnicity,
            proposed=class_done - _days(rng, 30, 100),
            class_done=class_done,
            introduced=introduced,
            vote=vote,
            decided=decided,
            decision_number=p.first.decision,
            member_id=p.id,
        )

    def on_the_way(self, cells: list[Unit], stage: str, namer: Namer) -> None:
        """A candidate not admitted (yet): the last step recorded is `stage`."""
        rng, life, as_of = self.rng, self.life, self.as_of
        low = life.rule(as_of, "admission_min_age")
        high = life.rule(as_of, "admission_max_age")
        weights = [c.size for c in cells]
        for _try in range(5):
            cell = rng.choices(cells, weights=weights)[0]
            women = PROFILES[cell.cell_type][3]
            female = rng.random() < women
            age = rng.triangular(low + 0.5, min(high - 2, low + 30), low + 6)
            born = as_of - dt.timedelta(days=int(age * 365.25))
            ethnicity = namer.ethnicity()
            dates: dict = {}
            if stage == "dropped":
                proposed = as_of - _days(rng, 60, 420)
                last = proposed
                if rng.random() < 0.5 and proposed + 130 * DAY < as_of:
                    last = dates["class_done"] = proposed + _days(rng, 30, 100)
                dates["dropped"] = between(rng, last + 7 * DAY, as_of - DAY)
            else:
                order = ["proposed", "class_done", "introduced", "vote"]
                depth = {"proposed": 0, "class_done": 1, "introduced": 2, "voted": 3}[stage]
                gaps = [(30, 100), (10, 60), (7, 30)]  # before class, introduction, vote
                day = as_of - _days(rng, 2, 40 if depth else 120)
                dates[order[depth]] = day
                for i in range(depth, 0, -1):
                    day = day - _days(rng, *gaps[i - 1])
                    dates[order[i - 1]] = day
                proposed = dates.pop("proposed")
            name = namer.full_name(female=female, birth_year=born.year, ethnicity=ethnicity)
            if self.candidacy(
                cell=cell,
                name=name,
                female=female,
                born=born,
                ethnicity=ethnicity,
                proposed=proposed,
                **dates,
            ):
                return


def plan_candidacies(
    rng: random.Random,
    life: Timeline,
    tree: Tree,
    people: list[Person],
    rosters: Rosters,
    namers: Callable[[int, str], Namer],
    ids: Ids,
) -> tuple[list[dict], list[tuple[dict, str]]]:
    plan = _Candidacies(rng, life, rosters, ids)
    since = life.as_of - RECENT_DAYS * DAY
    for p in people:
        if p.admitted >= since:
            plan.admitted(p)
    cells_of: dict[int, list[Unit]] = defaultdict(list)
    for cell in tree.cells:
        cells_of[cell.base().id].append(cell)
    dropped = 0
    for base in tree.units:
        cells = cells_of.get(base.id)
        if not cells:
            continue
        scale = sum(c.size for c in cells) / PER_MEMBERS
        for stage, mean in STAGES.items():
            n = round(mean * scale * rng.uniform(0.5, 1.5))
            floor = DROPPED_AT_LEAST_ONE if stage == "dropped" else AT_LEAST_ONE.get(base.kind, 0)
            if n == 0 and rng.random() < floor:
                n = 1
            for _i in range(n):
                plan.on_the_way(cells, stage, namers(base.province.code, base.province.codename))
            dropped += n if stage == "dropped" else 0
    if not dropped:  # a few are no longer candidates, even in a small demo
        largest = max(cells_of.values(), key=lambda cells: sum(c.size for c in cells))
        unit = largest[0]
        plan.on_the_way(largest, "dropped", namers(unit.province.code, unit.province.codename))
    return plan.rows, plan.history
