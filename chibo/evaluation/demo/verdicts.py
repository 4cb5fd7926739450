"""Who is rated in a year and the best level allowed, for the demo's planned people, as
chibo.evaluation.ratable judges the rows they leave (the rules of 31/12 of the year); the
levels drawn for those rated, with the cap on excellent ratings kept within each comparable
group; and the scores of a scored year (366-QĐ/TW: the thresholds of each level)."""

import datetime as dt
import random
from dataclasses import dataclass
from fractions import Fraction

from chibo import rules
from chibo.evaluation.models import LEVELS, Level, rank
from chibo.members.demo import Person
from chibo.members.models import ExemptionReason
from chibo.rules.calendar import add_months

# chibo.evaluation.ratable's codes of those not rated (Evaluation.not_rated).
ADMITTED = "admitted"  # admitted or readmitted less than evaluation_min_months before 31/12
EXEMPT = "exempt"  # exempt from activities, not rated by the year's rule
EXEMPT_NO_SELF = "exempt_no_self"  # exempt, rated only with a self-assessment: none submitted

# The levels drawn (excellent, good, completed, not completed) before the cap and the limits
# move some down: members end about 13% excellent, 75% good, 10% completed, 1-2% not
# completed. Units are drawn excellent more often: a unit with a member not completing his
# duties cannot be (evaluation_unit_members), and that is often so.
MEMBER_WEIGHTS = (0.17, 0.705, 0.11, 0.015)
UNIT_WEIGHTS = (0.3, 0.56, 0.12, 0.02)
BASE_WEIGHTS = (0.25, 0.65, 0.1, 0.0)


@dataclass(slots=True)
class Verdict:
    rated: bool
    code: str = ""  # why not rated
    best: Level | None = None  # the best level allowed
    why: str = ""  # the note on the row: what limited or excluded


def months_covered(periods: list[tuple[dt.date, dt.date]]) -> float:
    """chibo.evaluation.ratable._months_covered: whole months from each merged period's start,
    then its remaining days as thirtieths."""
    merged: list[list[dt.date]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    total = 0.0
    for start, end in merged:
        after = end + dt.timedelta(days=1)
        months = 0
        while add_months(start, months + 1) <= after:
            months += 1
        total += months + (after - add_months(start, months)).days / 30
    return total


def admitted_by(p: Person, on: dt.date) -> dt.date:
    """The latest admission or readmission on or before `on`."""
    return p.again.admitted if p.again is not None and p.again.admitted <= on else p.admitted


def judge(p: Person, year: int, on: dt.date, r: rules.Rules, submitted: bool) -> Verdict:
    """The rules `r` (of 31/12 of `year`) on a member listed on `on`; `submitted`: a
    self-assessment of the year handed in."""
    last = dt.date(year, 12, 31)
    months = r.evaluation_min_months
    admitted = admitted_by(p, on)
    if months is not None and admitted > add_months(last, -months):
        return Verdict(
            False, ADMITTED, why=f"Kết nạp ngày {admitted:%d/%m/%Y}, chưa đủ {months} tháng"
        )
    if p.exempt_on(on):
        if r.evaluation_exempt == "not_rated":
            return Verdict(False, EXEMPT, why="Miễn sinh hoạt đảng")
        if r.evaluation_exempt == "if_assessed" and not submitted:
            return Verdict(False, EXEMPT_NO_SELF, why="Miễn sinh hoạt, không làm bản kiểm điểm")
    best: Level | None = None
    why: list[str] = []
    first = dt.date(year, 1, 1)
    if (
        r.evaluation_ill_months is not None
        and p.exempt_reason == ExemptionReason.ILLNESS
        and p.exempt_from is not None
        and p.exempt_from <= last
        and (p.exempt_to is None or p.exempt_to >= first)
    ):
        ill = [(max(p.exempt_from, first), min(p.exempt_to or last, last))]
        if months_covered(ill) >= r.evaluation_ill_months:
            best = Level.COMPLETE
            why.append("Ốm đau dài ngày trong năm")
    allowed = r.evaluation_discipline_best or {}
    for kind, day, _number, _note in p.disciplines:
        if first <= day <= last and kind in allowed:
            level = LEVELS[max(1, min(allowed[kind], len(LEVELS))) - 1]
            if best is None or rank(level) > rank(best):
                best = level
            word = {"reprimand": "khiển trách", "warning": "cảnh cáo"}.get(kind, "cách chức")
            why.append(f"Bị kỷ luật {word} ngày {day:%d/%m/%Y}")
    return Verdict(True, best=best, why="; ".join(why))


def draw(rng: random.Random, weights: tuple[float, ...], best: Level | None = None) -> Level:
    level = rng.choices(LEVELS, weights)[0]
    if best is not None and rank(level) < rank(best):
        return best
    return level


def cap_allows(excellent: int, good: int, r: rules.Rules) -> bool:
    """The cap of the year (chibo.evaluation.checks): excellent at most `cap` of those rated
    good (or good or excellent, by the province's reading)."""
    cap: Fraction | None = r.evaluation_excellent_cap
    if cap is None or excellent == 0:
        return True
    base = good + (excellent if r.evaluation_cap_base == "good_or_above" else 0)
    return excellent <= cap * base


def keep_cap(rng: random.Random, levels: list[Level], r: rules.Rules) -> list[int]:
    """Lower excellent ratings to good, at random, until the group keeps the cap; returns the
    indexes lowered (the cell proposed them excellent)."""
    lowered: list[int] = []
    while not cap_allows(levels.count(Level.EXCELLENT), levels.count(Level.GOOD), r):
        i = rng.choice([i for i, lv in enumerate(levels) if lv == Level.EXCELLENT])
        levels[i] = Level.GOOD
        lowered.append(i)
    return lowered


def score_range(level: str, r: rules.Rules) -> tuple[int, int]:
    """The scores of a level under the year's thresholds (both ends included)."""
    t = r.evaluation_thresholds or {}
    total = sum((r.evaluation_points or {}).values())
    if level == Level.EXCELLENT:
        return t["excellent"], total
    if level == Level.GOOD:
        return t["good"], t["excellent"] - 1
    if level == Level.COMPLETE:
        return t["complete"], t["good"] - 1
    return max(0, t["complete"] - 20), t["complete"] - 1


def score(rng: random.Random, level: str, r: rules.Rules, top: bool = False) -> int:
    """A score within the level's range, most often in its upper middle; `top`: its highest
    points (an excellent proposal the cap brought down to good)."""
    low, high = score_range(level, r)
    if top:
        return rng.randint(max(low, high - 1), high)
    return round(rng.triangular(low, high, low + (high - low) * 0.7))


def scored(r: rules.Rules) -> bool:
    """chibo.evaluation.criteria.scored: the year's form scores the self-assessment."""
    return bool(r.evaluation_points) and bool(r.evaluation_thresholds)
