"""The kept counts (chibo.members.counts) against a recount from the raw rows, after random
histories written through the real services: members created, status events and exemptions
added, moved and deleted, transfers sent, received and cancelled, placements moved and put in
the trash, members put in the trash, cells merged and units moved."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from chibo.core import audit
from chibo.members import counts, services, transfers
from chibo.members.models import (
    EventKind,
    Member,
    MemberCount,
    MemberEvent,
    Placement,
    PlacementKind,
    Status,
    Transfer,
    TransferState,
    exempt_on,
)
from chibo.members.queries import LEFT, placed_on, unit_counts
from chibo.org import services as org_services
from chibo.org.models import Kind, OrgUnit
from chibo.testing import factories as f

START = dt.date(2000, 1, 1)


def recount(units: list[OrgUnit], on: dt.date) -> dict[int, dict[str, int]]:
    """The counts from the raw rows: status periods joined to placements and the closure
    table (`placed_on`), as unit_counts counted before the counts were kept."""
    result = {
        u.pk: {"official": 0, "probationary": 0, "in_party": 0, "exempt": 0, "left": 0}
        for u in units
    }
    placed, root = placed_on([u.pk for u in units], on)
    for row in placed.values(root, "status").annotate(
        n=Count("pk"), n_exempt=Count("pk", filter=Q(exempt_on(on, "member_id")))
    ):
        c, status, n = result[row[root]], row["status"], row["n"]
        if status in (Status.OFFICIAL, Status.PROBATIONARY):
            c[status] += n
            c["in_party"] += n
            c["exempt"] += row["n_exempt"]
        else:
            assert status in LEFT
            c["left"] += n
    return result


def kept_rows() -> set[tuple]:
    return set(
        MemberCount.objects.values_list("unit_id", "valid_from", "valid_to", *counts.COLUMNS)
    )


def fresh_rows(units: list[int]) -> set[tuple]:
    return {
        (unit, start, end, *values)
        for unit, rows in counts.computed(units).items()
        for start, end, values in rows
    }


class History:
    """Random writes through the services; a write the services refuse is skipped."""

    def __init__(self, rng: random.Random, cells: list[OrgUnit], bases: list[OrgUnit]) -> None:
        self.rng = rng
        self.cells = cells
        self.bases = bases
        self.districts = list(OrgUnit.objects.filter(kind=Kind.DISTRICT))
        self.today = timezone.localdate()
        self.done: dict[str, int] = {}

    def day(self, after: dt.date = START) -> dt.date:
        span = (self.today - after).days
        return after + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def live_cells(self) -> list[OrgUnit]:
        return [c for c in self.cells if c.dissolved_on is None]

    def member(self) -> Member | None:
        ids = list(Member.all_objects.values_list("pk", flat=True))
        return Member.all_objects.get(pk=self.rng.choice(ids)) if ids else None

    def op_create(self) -> None:
        admitted = self.day()
        official = self.rng.choice([None, admitted + dt.timedelta(days=365)])
        f.member(
            self.rng.choice(self.live_cells()),
            admitted_on=admitted,
            official_on=official if official and official <= self.today else None,
            placed_since=admitted - dt.timedelta(days=self.rng.randint(0, 400)),
        )

    def op_status(self) -> None:
        member = self.member()
        kind = self.rng.choice(
            [
                EventKind.OFFICIAL,
                EventKind.REMOVED,
                EventKind.EXPELLED,
                EventKind.WITHDREW,
                EventKind.DECEASED,
                EventKind.READMITTED,
            ]
        )
        if member is not None:
            services.event_create(actor=None, member=member, kind=kind, date=self.day())

    def op_exempt(self) -> None:
        member = self.member()
        if member is None:
            return
        start = self.day()
        end = self.rng.choice([None, start + dt.timedelta(days=self.rng.randint(0, 900))])
        services.event_create(
            actor=None, member=member, kind=EventKind.EXEMPTED, date=start, end_date=end
        )

    def _event(self) -> MemberEvent | None:
        ids = list(MemberEvent.all_objects.values_list("pk", flat=True))
        return MemberEvent.all_objects.get(pk=self.rng.choice(ids)) if ids else None

    def op_event_move(self) -> None:
        event = self._event()
        if event is not None and not event.is_deleted:
            services.event_update(actor=None, event=event, date=self.day())

    def op_event_trash(self) -> None:
        event = self._event()
        if event is None:
            return
        if event.is_deleted:
            services.event_restore(actor=None, event=event)
        else:
            services.event_delete(actor=None, event=event)

    def op_transfer(self) -> None:
        member = self.member()
        if member is None or member.is_deleted:
            return
        left = self.day()
        arrived = min(left + dt.timedelta(days=self.rng.choice([0, 0, 10, 60])), self.today)
        transfers.member_transfer(
            actor=None,
            member=member,
            to_unit=self.rng.choice(self.live_cells()),
            left_on=left,
            arrived_on=arrived,
        )

    def op_send(self) -> None:
        member = self.member()
        if member is None or member.is_deleted:
            return
        temporary = self.rng.random() < 0.3
        sent = self.day()
        transfers.transfer_send(
            actor=None,
            member=member,
            kind=PlacementKind.TEMPORARY if temporary else PlacementKind.OFFICIAL,
            to_unit=self.rng.choice(self.live_cells()),
            letter_number=f"{self.rng.randint(1, 999)}-CV",
            sent_on=sent,
            until=sent + dt.timedelta(days=200) if temporary else None,
            notify=False,
        )

    def op_receive(self) -> None:
        pending = list(Transfer.objects.filter(state=TransferState.PENDING))
        if not pending:
            return
        t = self.rng.choice(pending)
        if self.rng.random() < 0.3:
            transfers.transfer_cancel(actor=None, transfer=t)
        else:
            received = min(t.sent_on + dt.timedelta(days=self.rng.randint(0, 90)), self.today)
            transfers.transfer_accept(actor=None, transfer=t, received_on=received)

    def _placement(self) -> Placement | None:
        ids = list(Placement.all_objects.values_list("pk", flat=True))
        return Placement.all_objects.get(pk=self.rng.choice(ids)) if ids else None

    def op_placement_move(self) -> None:
        p = self._placement()
        if p is not None and not p.is_deleted:
            services.placement_update(
                actor=None, placement=p, unit=self.rng.choice(self.live_cells()), party_group=None
            )

    def op_placement_dates(self) -> None:
        p = self._placement()
        if p is not None and not p.is_deleted:
            end = self.rng.choice([None, self.day(p.start)])
            services.placement_update(actor=None, placement=p, start=self.day(), end=end)

    def op_placement_trash(self) -> None:
        p = self._placement()
        if p is None:
            return
        if p.is_deleted:
            services.placement_restore(actor=None, placement=p)
        else:
            services.placement_delete(actor=None, placement=p)

    def op_member_trash(self) -> None:
        member = self.member()
        if member is None:
            return
        if member.is_deleted:
            services.member_restore(actor=None, member=member)
        else:
            services.member_delete(actor=None, member=member)

    def op_merge(self) -> None:
        live = self.live_cells()
        if len(live) < 4:
            return
        source, target = self.rng.sample(live, 2)
        org_services.orgunit_merge(
            actor=None, source=source, target=target, on=self.day(dt.date(2015, 1, 1))
        )
        source.refresh_from_db()

    def op_move(self) -> None:
        base = self.rng.choice(self.bases)
        base.refresh_from_db()
        others = [d for d in self.districts if d.pk != base.parent_id]
        org_services.orgunit_move(
            actor=None, unit=base, new_parent=self.rng.choice(others), on=self.day()
        )

    OPS = {
        "create": 8,
        "status": 10,
        "exempt": 6,
        "event_move": 5,
        "event_trash": 4,
        "transfer": 6,
        "send": 4,
        "receive": 4,
        "placement_move": 3,
        "placement_dates": 3,
        "placement_trash": 3,
        "member_trash": 2,
        "merge": 1,
        "move": 1,
    }

    def run(self, n: int) -> None:
        """`n` random writes; after each, the kept rows are checked against the rows computed
        afresh: a write that missed a cell would be found at once, before a later write to
        the same cell repairs it."""
        names, weights = zip(*self.OPS.items(), strict=True)
        units = list(OrgUnit.all_objects.values_list("pk", flat=True))
        for i in range(n):
            name = self.rng.choices(names, weights)[0]
            try:
                getattr(self, f"op_{name}")()
            except ValidationError:
                name += " (refused)"
            self.done[name] = self.done.get(name, 0) + 1
            assert kept_rows() == fresh_rows(units), (i, name)


def tree() -> tuple[list[OrgUnit], list[OrgUnit]]:
    province = f.unit(Kind.PROVINCE)
    districts = [f.unit(Kind.DISTRICT, province) for _ in range(3)]
    bases = [f.unit(Kind.BASE_COMMITTEE, districts[i % 3]) for i in range(4)]
    cells = [f.unit(Kind.CELL, bases[i % 4]) for i in range(9)]
    cells.append(f.unit(Kind.BASE_CELL, districts[2]))
    return cells, bases


def days_to_check(rng: random.Random) -> list[dt.date]:
    """Every day something changes, the day before each, and random days."""
    changes: set[dt.date] = set()
    for start, end in Placement.all_objects.values_list("start", "end"):
        changes |= {start, end} if end else {start}
    for date, end in MemberEvent.all_objects.values_list("date", "end_date"):
        changes |= {date, end + dt.timedelta(days=1)} if end else {date}
    days = {d - dt.timedelta(days=k) for d in changes for k in (0, 1)}
    today = timezone.localdate()
    days |= {START + dt.timedelta(days=rng.randint(0, (today - START).days)) for _ in range(40)}
    days |= {today, dt.date(1995, 1, 1)}
    return sorted(days)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [13, 2026])
def test_kept_counts_match_a_recount_after_a_random_history(db, seed):
    rng = random.Random(seed)
    with audit.silenced():
        cells, bases = tree()
        history = History(rng, cells, bases)
        history.run(400)
    refused = sum(n for name, n in history.done.items() if "refused" in name)
    assert sum(history.done.values()) - refused >= 200, history.done  # most writes went in
    assert Member.objects.count() > 20 and Transfer.objects.exists()

    units = list(OrgUnit.all_objects.all())
    days = days_to_check(rng)
    assert len(days) > 200
    for on in days:
        assert unit_counts(units, on) == recount(units, on), on

    # Kept one write at a time, they are what a rebuild from nothing writes.
    kept = kept_rows()
    MemberCount.objects.all().delete()
    counts.rebuild(chunk=3)
    assert kept_rows() == kept


def test_rebuild_counts_command_is_restartable(world, capsys):
    f.member(world.cell2, admitted_on=dt.date(2020, 3, 1), official_on=None)
    kept = kept_rows()
    assert kept
    MemberCount.objects.all().delete()
    first = OrgUnit.all_objects.order_by("pk").values_list("pk", flat=True)[2]
    call_command("rebuild-counts", "--from-unit", str(first), "--chunk", "2")
    out = capsys.readouterr().out
    assert "units" in out and "rows" in out
    call_command("rebuild-counts")  # again, from the start: the same rows
    assert kept_rows() == kept
    MemberCount.objects.all().delete()
    call_command("rebuild-counts", "--org", world.base.code)
    assert kept_rows() == {r for r in kept if r[0] in {world.cell.pk, world.cell2.pk}}


def test_a_write_recounts_only_in_its_own_transaction(world):
    """A refused write leaves the kept counts as they were (they roll back with it)."""
    before = kept_rows()
    with pytest.raises(ValidationError):
        services.event_create(
            actor=None,
            member=world.member2,
            kind=EventKind.DECEASED,
            date=timezone.localdate() + dt.timedelta(days=3),
        )
    assert kept_rows() == before
