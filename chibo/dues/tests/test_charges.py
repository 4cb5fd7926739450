"""Posting a month's dues: who is charged (in the Party, officially placed during the month,
with a basis), in which cell, for how much; idempotent and scoped to a unit's subtree."""

from chibo.core.models import AuditEvent
from chibo.dues import services
from chibo.dues.models import Area, Category, DuesCharge
from chibo.members import services as ms
from chibo.members.models import EventKind
from chibo.members.transfers import member_transfer
from chibo.testing import factories as f

from .helpers import D, basis

MARCH = D(2026, 3, 1)


def charges(month=MARCH) -> dict[str, tuple[str, int]]:
    return {
        c.member.full_name: (c.cell.code, c.amount)
        for c in DuesCharge.objects.filter(month=month).select_related("member", "cell")
    }


def test_post_is_idempotent_and_scoped(world):
    basis(world.member, D(2025, 1, 1), Category.SALARIED, 6_120_000)  # 61.200 -> 61.000
    basis(world.member2, D(2026, 3, 1), Category.PENSIONER, 4_100_000)  # 20.500 -> 21.000
    basis(world.other_member, D(2020, 1, 1), Category.OTHER, None, Area.AREA3)
    f.member(world.cell, full_name="Chưa Có Căn Cứ")  # no basis: not charged
    late = f.member(
        world.cell, full_name="Kết Nạp Sau", admitted_on=D(2026, 4, 2), official_on=None
    )
    basis(late, D(2026, 1, 1), Category.OTHER, None, Area.AREA1)  # not in the Party in March
    gone = f.member(world.cell, full_name="Từ Trần")
    basis(gone, D(2025, 1, 1), Category.OTHER, None, Area.AREA1)
    ms.event_create(actor=None, member=gone, kind=EventKind.DECEASED, date=D(2026, 2, 20))
    DuesCharge.objects.all().delete()  # what basis_set posted for this month (December)

    assert services.charges_post(month=D(2026, 3, 17), unit=world.base, actor=None) == 2
    assert charges() == {
        "Nguyễn Văn Hùng": ("X01-CB01", 61_000),
        "Trần Thị Đào": ("X01-CB02", 21_000),
    }
    assert DuesCharge.objects.get(member=world.member2).category == Category.PENSIONER
    # Again: nothing new. The whole tree: the other commune's member only.
    assert services.charges_post(month=MARCH, unit=world.base, actor=None) == 0
    assert services.charges_post(month=MARCH, unit=world.other_cell, actor=None) == 1
    assert services.charges_post(month=MARCH, actor=None) == 0
    assert charges()["Lê Đức Anh"] == ("X02-CB01", 6_000)
    # February: the member who died on 20/02 still owes it; the pensioner had no basis yet.
    assert services.charges_post(month=D(2026, 2, 1), actor=None) == 3
    assert set(charges(D(2026, 2, 1))) == {"Nguyễn Văn Hùng", "Lê Đức Anh", "Từ Trần"}
    events = AuditEvent.objects.filter(kind="dues.charges_posted").order_by("pk")
    assert [(e.object_id, e.facts) for e in events] == [
        (world.base.pk, {"month": "03/2026", "count": "2"}),
        (world.other_cell.pk, {"month": "03/2026", "count": "1"}),
        (world.province.pk, {"month": "02/2026", "count": "3"}),
    ]


def test_a_member_transferred_during_the_month_pays_it_to_the_cell_they_leave(world):
    m = world.member
    basis(m, D(2025, 1, 1), Category.OTHER, None, Area.AREA2)
    member_transfer(actor=None, member=m, to_unit=world.other_cell, left_on=D(2026, 3, 10))
    DuesCharge.objects.all().delete()
    assert services.charges_post(month=MARCH, unit=world.other_base, actor=None) == 0
    assert services.charges_post(month=MARCH, unit=world.base, actor=None) == 1
    assert charges() == {"Nguyễn Văn Hùng": ("X01-CB01", 8_000)}
    services.charges_post(month=D(2026, 4, 1), actor=None)
    assert charges(D(2026, 4, 1)) == {"Nguyễn Văn Hùng": ("X02-CB01", 8_000)}


def test_a_new_basis_reposts_the_charges_chibo_posted_but_not_imported_ones(world):
    m = world.member
    basis(m, D(2025, 1, 1), Category.SALARIED, 5_000_000)
    for month in (D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)):
        services.charges_post(month=month, actor=None)
    january = DuesCharge.objects.get(month=D(2026, 1, 1))
    january.imported = True
    january.save()
    basis(m, D(2026, 4, 1), Category.SALARIED, 7_000_000)  # from April on
    basis(m, D(2026, 1, 1), Category.PENSIONER, 3_000_000)  # January to March
    amounts = dict(DuesCharge.objects.filter(member=m).values_list("month", "amount"))
    assert amounts[D(2026, 1, 1)] == 50_000  # imported: kept
    assert amounts[D(2026, 2, 1)] == amounts[D(2026, 3, 1)] == 15_000
    assert amounts[D(2026, 4, 1)] == 70_000
    # This month's charge (the test runs in December 2026) was posted with the basis.
    assert amounts[D(2026, 12, 1)] == 70_000
