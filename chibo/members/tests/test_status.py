import datetime as dt

from chibo.members import services
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
    services.event_create(member=m, kind=EventKind.DECEASED, date=dt.date(2024, 1, 1))
    assert status(m, dt.date(2023, 12, 31)) == Status.OFFICIAL
    assert status(m, dt.date(2024, 1, 1)) == Status.DECEASED
    # The Python method agrees with the SQL annotation.
    m = Member.objects.get(pk=m.pk)
    for day in [dt.date(2020, 2, 2), dt.date(2020, 2, 3), dt.date(2021, 2, 3), dt.date(2024, 1, 1)]:
        assert m.status_on(day) == status(m, day)


def test_exempt_is_a_period(world):
    m = world.member
    services.event_create(
        member=m, kind=EventKind.EXEMPTED, date=dt.date(2024, 3, 1), end_date=dt.date(2024, 8, 31)
    )
    q = lambda d: Member.objects.with_status(d).get(pk=m.pk).exempt  # noqa: E731
    assert not q(dt.date(2024, 2, 29))
    assert q(dt.date(2024, 3, 1))
    assert q(dt.date(2024, 8, 31))
    assert not q(dt.date(2024, 9, 1))


def test_transfer_counts_in_the_right_cell_each_day(world):
    m = world.member
    services.member_transfer(
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
