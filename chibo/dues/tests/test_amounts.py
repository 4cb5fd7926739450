"""The amount due by category, across the change of regulation (342-QĐ/TW, then 01-QĐ/TW
from 03/02/2026, read on the first day of each month), and the rounding."""

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chibo import rules
from chibo.dues import amounts
from chibo.dues.models import Area, Category

from .helpers import D, basis


class B:
    def __init__(self, category, base=None, area=""):
        self.category, self.base_amount, self.area = category, base, area


def test_rounding_is_half_up_to_whole_thousands():
    assert amounts.rounded(Fraction(52_340)) == 52_000
    assert amounts.rounded(Fraction(52_499)) == 52_000
    assert amounts.rounded(Fraction(52_500)) == 53_000
    assert amounts.rounded(Fraction(52_999)) == 53_000
    assert amounts.rounded(Fraction(499)) == 0
    assert amounts.rounded(Fraction(33_345, 2)) == 17_000  # 16.672,5


@pytest.mark.django_db
def test_amounts_by_category_across_the_change_of_regulation():
    jan, feb, mar = D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)
    old, still_old, new = rules.at(jan), rules.at(feb), rules.at(mar)
    # 01-QĐ/TW takes effect on 03/02/2026: February's dues are read on 01/02, under 342.
    assert still_old == old and new != old
    salaried = B(Category.SALARIED, 5_234_000)  # 1%: 52.340 -> 52.000
    assert [amounts.amount(salaried, r) for r in (old, still_old, new)] == [52_000] * 3
    assert amounts.amount(B(Category.SALARIED, 5_250_000), new) == 53_000  # 52.500, half up
    pensioner = B(Category.PENSIONER, 3_300_000)  # 0,5%: 16.500 -> 17.000
    assert amounts.amount(pensioner, old) == amounts.amount(pensioner, new) == 17_000
    # Students: the area's fixed amount under 342, 5.000 đ under 01-QĐ/TW.
    student = B(Category.STUDENT, area=Area.AREA2)
    assert [amounts.amount(student, r) for r in (old, still_old, new)] == [8_000, 8_000, 5_000]
    assert amounts.amount(B(Category.STUDENT), old) is None  # no area: cannot be worked out
    assert amounts.amount(B(Category.STUDENT), new) == 5_000
    others = {a: amounts.amount(B(Category.OTHER, area=a), new) for a in Area.values}
    assert others == {"area1": 10_000, "area2": 8_000, "area3": 6_000, "area4": 4_000}
    assert amounts.amount(B(Category.OTHER, area=Area.AREA4), old) == 4_000
    assert amounts.amount(B(Category.SALARIED), new) is None  # no base amount
    # Before 342-QĐ/TW (2011) no rule was in force.
    assert amounts.amount(salaried, rules.at(D(2010, 12, 1))) is None


def test_due_for_a_member_reads_the_basis_in_force(world):
    m = world.member
    basis(m, D(2025, 7, 1), Category.STUDENT, None, Area.AREA1)
    basis(m, D(2026, 9, 1), Category.SALARIED, 4_960_000)
    assert amounts.due_for(m.pk, D(2025, 6, 1)) is None  # before the first basis
    assert amounts.due_for(m.pk, D(2025, 7, 1)) == 10_000
    assert amounts.due_for(m.pk, D(2026, 2, 1)) == 10_000
    assert amounts.due_for(m.pk, D(2026, 3, 1)) == 5_000
    assert amounts.due_for(m.pk, D(2026, 8, 15)) == 5_000
    assert amounts.due_for(m.pk, D(2026, 9, 1)) == 50_000  # 49.600 -> 50.000


def test_a_student_names_an_area_until_the_rules_have_an_amount_of_their_own(world):
    with translation.override("en"), pytest.raises(ValidationError) as e:
        basis(world.member, D(2026, 2, 1), Category.STUDENT, None)
    assert e.value.message_dict == {"area": ["Choose the area whose fixed amount the member pays."]}
    # From March 2026 (the first month read under 01-QĐ/TW) the area is not needed.
    made = basis(world.member, D(2026, 3, 1), Category.STUDENT, None)
    assert (made.area, made.base_amount) == ("", None)
