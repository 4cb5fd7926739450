"""What follows the demo's held meetings: the tasks each monthly meeting gives to members on
its roster, reviewed at the cell's next held meetings (record.tasks_carry_over and the review:
mostly done, some late, a few dropped, some carried over once; those of the last meeting stay
open), and the quality scores of most held meetings on the checklist of the day
(quality_score_set)."""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from chibo import rules
from chibo.core.demo import Ids
from chibo.meetings.models import Outcome, QualityScore, Task, TaskReview, TaskStatus
from chibo.members.demo import RESIDENTIAL
from chibo.org.demo import Unit

from .texts import MEMBER_TASKS, REVIEW_NOTES

# Outcomes of a task's first review: mostly done, some late, a few dropped, some carried over
# (then done, late or dropped at the next held meeting).
FIRST_REVIEW = [Outcome.DONE] * 13 + [Outcome.LATE] * 3 + [Outcome.DROPPED] + [Outcome.CARRIED] * 3
SECOND_REVIEW = [Outcome.DONE] * 5 + [Outcome.LATE] * 4 + [Outcome.DROPPED]
STATUS_OF = {Outcome.DONE: TaskStatus.DONE, Outcome.LATE: TaskStatus.LATE,
             Outcome.DROPPED: TaskStatus.DROPPED}  # fmt: skip
SCORED_SHARE = 0.85  # of held meetings with a quality score


@dataclass(slots=True)
class Held:
    """A held meeting, for the tasks and scores planned after the cell's twelve months."""

    day: dt.date
    meeting: dict
    monthly: bool
    members: list[int]  # on the roster, those present first
    present: int  # how many of them were present


@dataclass
class Rows:
    meetings: list[dict]
    attendance: list[dict]
    votes: list[dict]
    tasks: list[dict]
    reviews: list[dict]
    scores: list[dict]


class FollowUps:
    """The tasks and scores of one cell's held meetings. They draw from their own generator,
    so that adding them left the meetings as they were."""

    def __init__(
        self,
        rng: random.Random,
        ids: Ids,
        filler: int,
        rules_of: Callable[[dt.date], rules.Rules],
    ) -> None:
        self.rng, self.ids, self.filler, self.rules = rng, ids, filler, rules_of
        self._points = QualityScore._meta.get_field("points")

    def tasks(self, cell: Unit, held: list[Held], out: Rows) -> None:
        """Tasks of each monthly meeting, reviewed at the next held meetings of the cell."""
        rng = self.rng
        texts = MEMBER_TASKS["residential" if cell.cell_type in RESIDENTIAL else "institution"]
        for i, h in enumerate(held):
            if not h.monthly or not h.members:
                continue
            pool = h.members[: h.present] or h.members
            for text in rng.sample(texts, rng.randint(1, 3)):
                task = {
                    "id": self.ids.next(Task),
                    "cell_id": cell.id,
                    "meeting_id": h.meeting["id"],
                    "member_id": rng.choice(pool),
                    "group_id": None,
                    "text": text,
                    "due_on": h.day + dt.timedelta(days=rng.randint(21, 28)),
                    "status": TaskStatus.OPEN,
                }
                outcome = rng.choice(FIRST_REVIEW)
                for later in held[i + 1 : i + 3]:
                    out.reviews.append(
                        {
                            "id": self.ids.next(TaskReview),
                            "task_id": task["id"],
                            "meeting_id": later.meeting["id"],
                            "outcome": outcome,
                            "note": rng.choice(REVIEW_NOTES[outcome])
                            if outcome in REVIEW_NOTES and rng.random() < 0.5
                            else "",
                        }
                    )
                    if outcome != Outcome.CARRIED:
                        task["status"] = STATUS_OF[outcome]
                        break
                    outcome = rng.choice(SECOND_REVIEW)
                out.tasks.append(task)

    def scores(self, held: list[Held], out: Rows) -> None:
        """quality_score_set on most held meetings: points per part within the day's maxima."""
        rng = self.rng
        for h in held:
            r = self.rules(h.day)
            if r.quality_max is None or r.quality_good is None or rng.random() > SCORED_SHARE:
                continue
            # Mostly 75-95 % of the maximum (100 points nationally), some lower.
            share = rng.uniform(0.75, 0.95) if rng.random() < 0.85 else rng.uniform(0.5, 0.75)
            points = {
                part: max(0, min(top, round(top * share + rng.uniform(-0.08, 0.08) * top)))
                for part, top in r.quality_max.items()
            }
            out.scores.append(
                {
                    "id": self.ids.next(QualityScore),
                    "meeting_id": h.meeting["id"],
                    "points": self._points.get_db_prep_value(points, connection),
                    "total": sum(points.values()),
                    "filled_by_id": self.filler,
                    "filled_at": h.meeting["ended_at"],  # scored as the meeting closed
                    "confirmed_by_id": None,
                    "confirmed_at": None,
                }
            )
