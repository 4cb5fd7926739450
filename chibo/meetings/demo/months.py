"""Twelve months of cell meetings for the demo (issue item 10), ending the month before
`as_of`: most months a held and adopted monthly meeting (some cells skip some), a thematic
meeting about once a quarter (some held together with the monthly one), evening meetings in
villages and daytime ones in agencies and schools, rosters frozen from the members' planned
placements and statuses of the day, attendance, a resolution and the vote that passed it.

Rows are what the meetings services would leave (roster_freeze, attendance_mark, vote_record,
meeting_hold, meeting_adopt), written in bulk cell by cell so that memory stays flat, with the
tasks and quality scores that follow them (`tasks`)."""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.utils import timezone

from chibo import rules
from chibo.core.demo import BulkWriter, Ids
from chibo.meetings.models import (
    Attendance,
    Kind,
    Meeting,
    Presence,
    QualityScore,
    State,
    Task,
    TaskReview,
    Vote,
    VoteKind,
    VoteMethod,
)
from chibo.members.demo import RESIDENTIAL, Person
from chibo.members.models import Status
from chibo.org.demo import Tree, Unit
from chibo.org.models import CellType

from ..services.attendance import AWAY_REASON, EXEMPT_REASON
from .tasks import FollowUps, Held, Rows
from .texts import CANCEL_REASONS, EXCUSES, TASKS, TOPICS

MONTHS = 12
CELLS_PER_BATCH = 100
THEMATIC_SHARE = 0.9  # of quarters with a thematic meeting
COMBINED_SHARE = 0.35  # of thematic meetings held together with the monthly one
SHORT_SHARE = 0.07  # meetings shorter than the minimum in force
DRAFT_SHARE = 0.3  # last month's minutes not adopted yet


def _months(as_of: dt.date) -> list[dt.date]:
    """The first days of the twelve months before `as_of`'s month, oldest first."""
    first = as_of.replace(day=1)
    out = []
    for _i in range(MONTHS):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.append(first)
    return out[::-1]


@dataclass(slots=True)
class _Stay:
    person: Person
    start: dt.date
    end: dt.date | None  # placed until the day before
    hosted: bool = False  # a temporary placement here from another cell


class _Planner:
    def __init__(
        self, rng: random.Random, ids: Ids, as_of: dt.date, extra: random.Random, filler: int
    ) -> None:
        # `extra` draws the tasks and scores, so that they leave the meetings as they were.
        self.rng, self.ids = rng, ids
        self.months = _months(as_of)
        self._rules: dict[dt.date, rules.Rules] = {}
        self.follow_ups = FollowUps(extra, ids, filler, self.rules)
        self._adapt = connection.ops.adapt_datetimefield_value

    def rules(self, day: dt.date) -> rules.Rules:
        if day not in self._rules:
            self._rules[day] = rules.at(day)
        return self._rules[day]

    def cell(self, cell: Unit, stays: list[_Stay], out: Rows) -> None:
        rng = self.rng
        evening = cell.cell_type in RESIDENTIAL
        usual_day = rng.randint(3, 25)
        miss = rng.choice([0.0] * 6 + [0.05, 0.1, 0.2])
        if cell.villages:
            place = f"Nhà văn hóa {cell.villages[0].name}"
        else:
            place = (
                "Hội trường cơ quan"
                if cell.cell_type != CellType.SCHOOL
                else "Phòng họp nhà trường"
            )
        # The month of each quarter's thematic meeting (within the window).
        quarters: dict[tuple[int, int], list[dt.date]] = {}
        for m in self.months:
            quarters.setdefault((m.year, (m.month - 1) // 3), []).append(m)
        thematic = {rng.choice(ms) for ms in quarters.values() if rng.random() < THEMATIC_SHARE}
        last = self.months[-1]
        held: list[Held] = []
        for month in self.months:
            day = month.replace(day=min(28, max(1, usual_day + rng.randint(-2, 2))))
            hour, minute = (
                (19, rng.choice([0, 0, 15, 30]))
                if evening
                else rng.choice([(7, 30), (8, 0), (14, 0), (14, 0), (15, 30)])
            )
            planned = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
            combined = month in thematic and rng.random() < COMBINED_SHARE
            if rng.random() < miss and not combined:
                if rng.random() < 0.5:  # cancelled on record; otherwise simply not held
                    out.meetings.append(
                        self._meeting(cell, Kind.REGULAR, planned, place, State.CANCELLED,
                                      note=rng.choice(CANCEL_REASONS))
                    )  # fmt: skip
            else:
                kind = Kind.THEMATIC if combined else Kind.REGULAR
                held.append(
                    self._held(cell, kind, planned, place, stays, out, combined, month == last)
                )
            if month in thematic and not combined:
                shift = dt.timedelta(days=rng.randint(5, 12))
                later = day + shift
                if later.month != day.month:  # the quarter's topic stays in its month
                    later = day - shift
                planned = timezone.make_aware(dt.datetime.combine(later, dt.time(hour, minute)))
                held.append(
                    self._held(
                        cell, Kind.THEMATIC, planned, place, stays, out, False, month == last
                    )
                )
        held.sort(key=lambda h: h.day)
        self.follow_ups.tasks(cell, held, out)
        self.follow_ups.scores(held, out)

    def _meeting(self, cell: Unit, kind: str, planned: dt.datetime, place: str, state: str,
                 **extra) -> dict:  # fmt: skip
        return {
            "id": self.ids.next(Meeting),
            "cell_id": cell.id,
            "kind": kind,
            "planned_at": self._adapt(planned),
            "place": place,
            "state": state,
            **extra,
        }

    def _held(self, cell: Unit, kind: str, planned: dt.datetime, place: str,
              stays: list[_Stay], out: Rows, combined: bool, draft: bool) -> Held:  # fmt: skip
        rng = self.rng
        day = planned.date()
        r = self.rules(day)
        minimum = (r.meeting_min_minutes_combined if combined else r.meeting_min_minutes) or (
            120 if combined else 90
        )
        if r.meeting_min_minutes is None:  # before 42-HD/BTCTW: often shorter
            minutes = rng.randint(minimum - 35, minimum + 20)
        elif rng.random() < SHORT_SHARE:
            minutes = rng.randint(minimum - 30, minimum - 5)
        else:
            minutes = rng.randint(minimum, minimum + 30)
        started = planned + dt.timedelta(minutes=rng.choice([0, 0, 5, 10]))
        ended = started + dt.timedelta(minutes=minutes)
        topic = rng.choice(TOPICS) if kind == Kind.THEMATIC else ""
        meeting = self._meeting(
            cell, kind, planned, place, State.HELD, topic=topic, combined=combined,
            started_at=self._adapt(started), ended_at=self._adapt(ended),
            checkin_code=f"{rng.randrange(10**6):06d}",
        )  # fmt: skip
        # The roster (services.roster_freeze): members officially placed here that day and in
        # the Party then, those away on temporary transfer noted, and those hosted here.
        rate = rng.uniform(0.8, 1.0)
        official_present = counted = present_count = expected_count = 0
        present: list[int] = []
        absent: list[int] = []
        for s in stays:
            if s.start > day or (s.end is not None and s.end <= day):
                continue
            p = s.person
            status = p.status_on(day)
            if status not in (Status.OFFICIAL, Status.PROBATIONARY):
                continue
            official, exempt = status == Status.OFFICIAL, p.exempt_on(day)
            away = not s.hosted and p.away_on(day)
            reason = ""
            if away:
                presence, reason = Presence.EXCUSED, AWAY_REASON
            elif rng.random() < (0.05 if exempt else rate):
                presence = Presence.PRESENT
            elif exempt:
                presence, reason = Presence.EXCUSED, EXEMPT_REASON
            elif rng.random() < 0.75:
                presence, reason = Presence.EXCUSED, rng.choice(EXCUSES)
            else:
                presence = Presence.UNEXCUSED
            out.attendance.append(
                {
                    "id": self.ids.next(Attendance),
                    "meeting_id": meeting["id"],
                    "member_id": p.id,
                    "official": official,
                    "exempt": exempt,
                    "away": away,
                    "hosted": s.hosted,
                    "presence": presence,
                    "reason": reason,
                }
            )
            if away:  # attends in the other cell: neither expected nor counted here
                absent.append(p.id)
                continue
            # services.turnout: exempt members expected only if present.
            (present if presence == Presence.PRESENT else absent).append(p.id)
            if presence == Presence.PRESENT:
                present_count += 1
                expected_count += 1
            elif not exempt:
                expected_count += 1
            # services.counted_for_vote: official, not away, and present or absent unexcused
            # while taking part in activities.
            if official:
                if presence == Presence.PRESENT:
                    official_present += 1
                    counted += 1
                elif not exempt and presence != Presence.EXCUSED:
                    counted += 1
        against = 1 if official_present > 6 and rng.random() < 0.05 else 0
        votes_for = official_present - against
        majority = r.ordinary_majority or Fraction(1, 2)
        passed = counted > 0 and Fraction(votes_for, counted) > majority
        label = f"{day.month:02d}/{day.year}"
        meeting["present_count"], meeting["expected_count"] = present_count, expected_count
        meeting["resolution"] = self._resolution(cell, kind, label, topic)
        if passed and (not draft or rng.random() > DRAFT_SHARE):
            meeting["state"] = State.ADOPTED
            meeting["adopted_at"] = meeting["ended_at"]
        out.meetings.append(meeting)
        out.votes.append(
            {
                "id": self.ids.next(Vote),
                "meeting_id": meeting["id"],
                "subject": f"Thông qua nghị quyết chi bộ tháng {label}",
                "kind": VoteKind.ORDINARY,
                "method": VoteMethod.HANDS,
                "votes_for": votes_for,
                "votes_against": against,
                "abstained": 0,
                "on_resolution": True,
                "counted": counted,
                "passed": passed,
                "recorded_at": meeting["ended_at"],
            }
        )
        monthly = kind == Kind.REGULAR or combined
        return Held(day, meeting, monthly, present + absent, len(present))

    def _resolution(self, cell: Unit, kind: str, label: str, topic: str) -> str:
        tasks = TASKS["residential" if cell.cell_type in RESIDENTIAL else "institution"]
        chosen = self.rng.sample(tasks, 3)
        lines = [f"NGHỊ QUYẾT {cell.name.upper()} THÁNG {label}"]
        if kind == Kind.THEMATIC:
            lines.append(f"Chuyên đề: {topic}.")
        lines.append("1. Chi bộ thống nhất đánh giá kết quả thực hiện nhiệm vụ tháng qua.")
        lines.append("2. Nhiệm vụ tháng tới:")
        lines += [f"   - {t[0].upper()}{t[1:]};" for t in chosen]
        lines.append("3. Giao đồng chí Bí thư chi bộ tổ chức triển khai, báo cáo kết quả.")
        return "\n".join(lines)


def _stays(tree: Tree, people: list[Person]) -> dict[int, list[_Stay]]:
    """Each cell's placements, as people_rows writes them."""
    by_cell: dict[int, list[_Stay]] = {c.id: [] for c in tree.cells}
    for p in people:
        for unit, start, end in p.stays():
            by_cell[unit.id].append(_Stay(p, start, end))
        t = p.temporary
        if t is not None and t.received is not None:
            by_cell[t.to.id].append(_Stay(p, t.received, t.until, hosted=True))
    return by_cell


def _batches(tree: Tree) -> Iterator[list[Unit]]:
    cells = tree.cells
    for i in range(0, len(cells), CELLS_PER_BATCH):
        yield cells[i : i + CELLS_PER_BATCH]


def meetings_write(
    writer: BulkWriter,
    rng: random.Random,
    tree: Tree,
    people: list[Person],
    *,
    as_of: dt.date,
    ids: Ids,
    extra: random.Random,
    filler: int,
) -> int:
    """Plan and write the meetings of every cell, with their tasks, reviews and quality
    scores (filled by the user `filler`); returns how many meetings."""
    planner = _Planner(rng, ids, as_of, extra, filler)
    stays = _stays(tree, people)
    count = 0
    for cells in _batches(tree):
        rows = Rows([], [], [], [], [], [])
        for cell in cells:
            planner.cell(cell, stays[cell.id], rows)
        writer.insert(Meeting, rows.meetings)
        # No "+" history row per generated roster line (over a million at 100,000 members,
        # and the 60 s budget): a roster row's history starts with the first change a person
        # makes, which simple-history then records as usual.
        writer.insert(Attendance, rows.attendance, history=())
        writer.insert(Vote, rows.votes)
        writer.insert(Task, rows.tasks)
        writer.insert(TaskReview, rows.reviews)
        writer.insert(QualityScore, rows.scores)
        count += len(rows.meetings)
    return count
