import datetime as dt

from chibo.members import services
from chibo.members.models import EventKind, Member, Status
from chibo.members.queries import unit_counts
from chibo.org.models import OrgUnit
from chibo.testing import factories as f


def expected(unit, on):
    """Independent count: walk the tree in Python and look at each member's events."""

    def below(u):
        out = {u.pk}
        for c in OrgUnit.objects.filter(parent=u):
            out |= below(c)
        return out

    cells = below(unit)
    tally = {"official": 0, "probationary": 0, "exempt": 0, "in_party": 0, "left": 0}
    for m in Member.objects.prefetch_related("events", "placements"):
        if not any(
            p.kind == "official" and p.unit_id in cells and p.is_active(on)
            for p in m.placements.all()
        ):
            continue
        s = m.status_on(on)
        if s in (Status.OFFICIAL, Status.PROBATIONARY):
            tally["official" if s == Status.OFFICIAL else "probationary"] += 1
            tally["in_party"] += 1
            if any(
                e.kind == "exempted" and e.date <= on and (e.end_date is None or e.end_date >= on)
                for e in m.events.all()
            ):
                tally["exempt"] += 1
        elif s:
            tally["left"] += 1
    return tally


def test_counts_match_an_independent_tally(world):
    f.member(world.cell, admitted_on=dt.date(2025, 1, 10), official_on=None)
    m = f.member(world.cell2)
    services.event_create(actor=None, member=m, kind=EventKind.EXEMPTED, date=dt.date(2024, 1, 1))
    d = f.member(world.other_cell)
    services.event_create(actor=None, member=d, kind=EventKind.DECEASED, date=dt.date(2025, 3, 1))
    units = list(OrgUnit.objects.all())
    for on in [dt.date(2014, 1, 1), dt.date(2024, 6, 1), dt.date(2025, 2, 1), dt.date(2026, 1, 1)]:
        got = unit_counts(units, on)
        for u in units:
            assert got[u.pk] == expected(u, on), (u.code, on)
