import datetime as dt

from chibo.members import services, transfers
from chibo.members.models import EventKind, Member, Status
from chibo.testing import factories as f


def status(member, on):
    return Member.objects.with_status(on).get(pk=member.pk).status


def test_status_follows_events(world):
    m = f.member(world.cell, admitted_on=dt.date(2020, 2, 3), official_on=dt.date(2021, 2, 3))
    assert status(m, dt.date(2020, 2, 2)) == ""
    assert status(m, dt.date(2020, 2, 3)) == Status.PROBATIONARY
    assert status(m, dt.date(2021, 2, 2)) == Status.PROBATIONARY
    assert status(m, dt.date(2021, 2, 3)) == Status.OFFICIAL
    services.event_create(actor=None, member=m, kind=EventKind.DECEASED, date=dt.date(2024, 1, 1))
    assert status(m, dt.date(2023, 12, 31)) == Status.OFFICIAL
    assert status(m, dt.date(2024, 1, 1)) == Status.DECEASED
    # The Python method agrees with the SQL annotation.
    m = Member.objects.get(pk=m.pk)
    for day in [dt.date(2020, 2, 2), dt.date(2020, 2, 3), dt.date(2021, 2, 3), dt.date(2024, 1, 1)]:
        assert m.status_on(day) == status(m, day)


def test_exempt_is_a_period(world):
    m = world.member
    services.event_create(
        actor=None,
        member=m,
        kind=EventKind.EXEMPTED,
        date=dt.date(2024, 3, 1),
        end_date=dt.date(2024, 8, 31),
    )
    q = lambda d: Member.objects.with_status(d).get(pk=m.pk).exempt  # noqa: E731
    assert not q(dt.date(2024, 2, 29))
    assert q(dt.date(2024, 3, 1))
    assert q(dt.date(2024, 8, 31))
    assert not q(dt.date(2024, 9, 1))


def test_transfer_counts_in_the_right_cell_each_day(world):
    m = world.member
    transfers.member_transfer(
        actor=None,
        member=m,
        to_unit=world.other_cell,
        left_on=dt.date(2025, 6, 10),
        arrived_on=dt.date(2025, 6, 20),
        letter_number="12-GGT",
    )

    def where(d):
        return {
            c.code
            for c in (world.cell, world.other_cell)
            if Member.objects.placed_in(c, d).filter(pk=m.pk).exists()
        }

    assert where(dt.date(2025, 6, 9)) == {"X01-CB01"}
    assert where(dt.date(2025, 6, 10)) == set()  # in transit
    assert where(dt.date(2025, 6, 19)) == set()
    assert where(dt.date(2025, 6, 20)) == {"X02-CB01"}
    m.refresh_from_db()
    assert m.home_unit_id == world.other_cell.pk


def oracle_status(events, on):
    """Independent of members.derive: the last status event on or before `on`."""
    rank = {
        "admitted": 1,
        "readmitted": 1,
        "official": 2,
        "removed": 3,
        "expelled": 3,
        "withdrew": 3,
        "deceased": 4,
    }
    status_of = {
        "admitted": "probationary",
        "readmitted": "probationary",
        "official": "official",
        "removed": "removed",
        "expelled": "expelled",
        "withdrew": "withdrew",
        "deceased": "deceased",
    }
    past = [(d, rank[k], i, k) for i, (k, d) in enumerate(events) if k in rank and d <= on]
    return status_of[max(past)[3]] if past else ""


def test_status_periods_match_the_events_for_random_histories(world):
    import random

    rng = random.Random(7)
    kinds = ["official", "removed", "readmitted", "reprimand", "expelled", "withdrew"]
    for n in range(25):
        start = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))
        m = f.member(world.cell, admitted_on=start, official_on=None)
        history = [("admitted", start)]
        day = start
        for _ in range(rng.randint(0, 5)):
            day = day + dt.timedelta(days=rng.choice([0, 0, 1, 30, 365]))
            kind = rng.choice(kinds)
            if (
                (kind, day) in history
                or kind == "official"
                and not any(k in ("admitted", "readmitted") for k, d in history if d <= day)
            ):
                continue
            services.event_create(actor=None, member=m, kind=kind, date=day)
            history.append((kind, day))
        if rng.random() < 0.3:  # deleting an event re-derives the periods
            e = m.events.exclude(kind="admitted").first()
            if e is not None:
                services.event_delete(event=e, actor=None)
                history.remove((e.kind, e.date))
        probe = {d for _, d in history} | {d - dt.timedelta(days=1) for _, d in history}
        for on in sorted(probe) + [dt.date(2030, 1, 1)]:
            got = Member.objects.with_status(on).get(pk=m.pk).status
            assert got == oracle_status(history, on), (n, history, on)
