"""The demo generator: every app's planner in order, from one seed, writing in bulk."""

import datetime as dt
import gc
import random
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from chibo.core.demo import BulkWriter, Ids, Plan, analyze, ordered
from chibo.core.formats import number
from chibo.members import counts as member_counts
from chibo.members.models import MemberCount
from chibo.org.demo import places
from chibo.org.models import OrgUnit

DEFAULT_MEMBERS = 2000
DEFAULT_SEED = 1
MIN_MEMBERS = 50
REBUILD_CHUNK = 500  # units a query batch when the member counts are rebuilt


@dataclass
class Summary:
    lines: list[str]  # what each planner planned, in planner order
    rows: int
    seconds: float
    reads: dict[str, set[str]] = field(default_factory=dict)  # planner -> planners it read
    peak_mib: float = 0.0  # the process's peak resident memory at the end

    def __str__(self) -> str:
        return "; ".join(
            [*self.lines, f"{number(self.rows)} rows written in {number(self.seconds, 1)} s"]
        )


def peak_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def demo_generate(
    *,
    members: int = DEFAULT_MEMBERS,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    provinces: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Generate the demo into an empty tree. The same seed and `as_of` (default: today, which
    places the recent admissions) give the same data, row for row.

    With `provinces`, a country: see `country_generate`."""
    if provinces is not None:
        return country_generate(
            members=members, seed=seed, as_of=as_of, provinces=provinces, progress=progress
        )
    if members < MIN_MEMBERS:
        raise ValueError(f"The demo needs at least {MIN_MEMBERS} members.")
    started = time.perf_counter()
    with transaction.atomic():
        writer = BulkWriter(timezone.now(), Ids())
        plan = Plan(members=members, seed=seed, as_of=as_of or timezone.localdate(), writer=writer)
        plan.run(ordered())
        writer.finish()
        # The bulk writer bypasses the services that keep the member counts.
        member_counts.rebuild(chunk=REBUILD_CHUNK)
        analyze([*writer.tables(), MemberCount])
        plan.close()
    return Summary(
        lines=plan.lines,
        rows=sum(writer.written.values()),
        seconds=time.perf_counter() - started,
        reads=plan.reads,
        peak_mib=peak_mib(),
    )


def country_provinces(seed: int, count: int) -> list[places.Place]:
    """The `count` provinces of a generated country (all 34 at most), in code order."""
    every = places.provinces()
    if not 1 <= count <= len(every):
        raise ValueError(f"A country has from 1 to {len(every)} provinces.")
    chosen = random.Random(f"{seed}:country").sample(every, count)
    return sorted(chosen, key=lambda p: p.code)


def country_generate(
    *,
    members: int,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    provinces: int,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Generate a country: `members` shared evenly by `provinces` provinces, one province at
    a time, each in its own transaction and forgotten before the next, so memory is what one
    province needs whatever the country's size (about 0.5 GiB per 100,000 members) and a run
    that stops is resumed by running it again: provinces already in the database are
    skipped. The demo logins sit in the first province."""
    chosen = country_provinces(seed, provinces)
    if members < MIN_MEMBERS * provinces:
        raise ValueError(f"A country needs at least {MIN_MEMBERS} members a province.")
    shares = [
        members // provinces + (1 if i < members % provinces else 0) for i in range(provinces)
    ]
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    lines: list[str] = []
    rows = 0
    for i, (place, share) in enumerate(zip(chosen, shares, strict=True)):
        code = f"T{place.code:02d}"  # the province unit's code (chibo.org.demo.tree)
        if OrgUnit.objects.filter(code=code).exists():
            line = f"{place.name}: already generated, skipped"
        else:
            began = time.perf_counter()
            with transaction.atomic():
                writer = BulkWriter(timezone.now(), Ids())
                plan = Plan(
                    members=share,
                    seed=seed * 100 + place.code,
                    as_of=as_of,
                    writer=writer,
                    province_code=place.code,
                    personas=i == 0,
                )
                plan.run(ordered())
                writer.finish()
                # This province's units: the others' counts are kept already.
                member_counts.rebuild(root=OrgUnit.objects.get(code=code), chunk=REBUILD_CHUNK)
                analyze([*writer.tables(), MemberCount])
                plan.close()
            written = sum(writer.written.values())
            rows += written
            del plan, writer
            gc.collect()
            line = (
                f"{place.name}: {number(share)} members, {number(written)} rows in "
                f"{number(time.perf_counter() - began, 1)} s (peak memory {number(peak_mib())} MiB)"
            )
        lines.append(line)
        if progress is not None:
            progress(f"[{i + 1}/{provinces}] {line}")
    return Summary(
        lines=lines, rows=rows, seconds=time.perf_counter() - started, peak_mib=peak_mib()
    )
