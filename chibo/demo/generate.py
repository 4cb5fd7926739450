"""The demo generator: every app's planner in order, from one seed, writing in bulk."""

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from chibo.core.demo import BulkWriter, Ids, Plan, analyze, ordered
from chibo.core.formats import number

DEFAULT_MEMBERS = 2000
DEFAULT_SEED = 1
MIN_MEMBERS = 50


@dataclass
class Summary:
    lines: list[str]  # what each planner planned, in planner order
    rows: int
    seconds: float
    reads: dict[str, set[str]] = field(default_factory=dict)  # planner -> planners it read

    def __str__(self) -> str:
        return "; ".join(
            [*self.lines, f"{number(self.rows)} rows written in {number(self.seconds, 1)} s"]
        )


def demo_generate(
    *, members: int = DEFAULT_MEMBERS, seed: int = DEFAULT_SEED, as_of: dt.date | None = None
) -> Summary:
    """Generate the demo into an empty tree. The same seed and `as_of` (default: today, which
    places the recent admissions) give the same data, row for row."""
    if members < MIN_MEMBERS:
        raise ValueError(f"The demo needs at least {MIN_MEMBERS} members.")
    started = time.perf_counter()
    with transaction.atomic():
        writer = BulkWriter(timezone.now(), Ids())
        plan = Plan(members=members, seed=seed, as_of=as_of or timezone.localdate(), writer=writer)
        plan.run(ordered())
        writer.finish()
        analyze(writer.tables())
        plan.close()
    return Summary(
        lines=plan.lines,
        rows=sum(writer.written.values()),
        seconds=time.perf_counter() - started,
        reads=plan.reads,
    )
