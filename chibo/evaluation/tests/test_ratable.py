"""Who is rated, and the best level the rules allow: each exclusion at its boundary, by the
rules in force on 31/12 of the year, for the unit's province."""

import pytest
from django.utils import translation

from chibo.evaluation import ratable
from chibo.evaluation.models import Level, SelfAssessment
from chibo.members.models import EventKind
from chibo.org.models import Kind
from chibo.testing import factories as f

from .helpers import D, event, ill, member, province_rule


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_admitted_six_months_to_the_day(world):
    # 31/12/2024 less six months is 30/06/2024: admitted that day, six months; a day later, less.
    on_day = member(world.cell, "Sáu Tháng", D(2024, 6, 30))
    day_after = member(world.cell, "Chưa Đủ", D(2024, 7, 1))
    verdicts = ratable.members(world.base, 2024)
    assert verdicts[on_day.pk] == ratable.RATED
    v = verdicts[day_after.pk]
    assert (v.rated, v.code, v.best) == (False, ratable.ADMITTED, None)
    assert v.reason == (
        "Admitted on 01/07/2024, less than 6 months before 31/12 (Quy định 124-QĐ/TW)"
    )
    # The year after, both are rated.
    assert ratable.members(world.base, 2025)[day_after.pk].rated


def test_readmitted_counts_from_the_readmission(world):
    m = member(world.cell, "Kết Nạp Lại", D(2000, 1, 1))
    event(m, EventKind.REMOVED, D(2010, 1, 1))
    event(m, EventKind.READMITTED, D(2024, 8, 1))
    assert ratable.members(world.base, 2024)[m.pk].code == ratable.ADMITTED
    assert ratable.members(world.base, 2025)[m.pk].rated


def test_suspended_on_the_listing_day(world):
    held = member(world.cell, "Đình Chỉ")
    event(held, EventKind.SUSPENDED, D(2024, 10, 1), D(2025, 3, 31))
    ended = member(world.cell, "Hết Đình Chỉ")
    event(ended, EventKind.SUSPENDED, D(2024, 1, 1), D(2024, 12, 30))
    verdicts = ratable.members(world.base, 2024)
    assert verdicts[held.pk].code == ratable.SUSPENDED
    assert not verdicts[held.pk].rated
    assert "Suspended from activities" in verdicts[held.pk].reason
    assert verdicts[ended.pk].rated


def test_exempt_members_by_the_rule_of_the_year(world):
    m = member(world.cell, "Miễn Sinh Hoạt")
    event(m, EventKind.EXEMPTED, D(2023, 1, 1))
    # The national rule: rated only with a self-assessment.
    v = ratable.members(world.base, 2024)[m.pk]
    assert (v.rated, v.code) == (False, ratable.EXEMPT_NO_SELF)
    # A province reads it otherwise: not rated at all, or rated like the others.
    rule = province_rule(world.province, evaluation_exempt="not_rated")
    assert ratable.members(world.base, 2024)[m.pk].code == ratable.EXEMPT
    rule.values = {"evaluation_exempt": "rated"}
    rule.save()
    assert ratable.members(world.base, 2024)[m.pk] == ratable.RATED
    # Another province keeps the national rule.
    assert ratable.member_verdict(m, 2024).code == ""


def test_exempt_member_rated_once_the_self_assessment_is_submitted(world):
    from .helpers import campaign

    m = member(world.cell, "Miễn Có Bản")
    event(m, EventKind.EXEMPTED, D(2023, 1, 1))
    c = campaign(world.base, 2024)
    assert ratable.member_verdict(m, 2024).code == ratable.EXEMPT_NO_SELF
    SelfAssessment.objects.create(campaign=c, member=m, year=2024, form="124")
    assert ratable.member_verdict(m, 2024).code == ratable.EXEMPT_NO_SELF  # a draft
    s = SelfAssessment.objects.get(member=m)
    s.submitted_at = "2024-12-01T00:00:00Z"
    s.save()
    assert ratable.member_verdict(m, 2024) == ratable.RATED


def test_ill_three_months_completed_at_best(world):
    # 01/02-30/04: three calendar months; a day less is not.
    three = member(world.cell, "Ốm Ba Tháng")
    ill(three, D(2024, 2, 1), D(2024, 4, 30))
    short = member(world.cell, "Ốm Chưa Đủ")
    ill(short, D(2024, 2, 1), D(2024, 4, 29))
    # Two spells add up: 45 + 46 days.
    twice = member(world.cell, "Ốm Hai Đợt")
    ill(twice, D(2024, 1, 1), D(2024, 2, 14))
    ill(twice, D(2024, 6, 1), D(2024, 7, 16))
    # An exemption for another reason does not count; one from the year before counts only
    # from 01/01.
    other = member(world.cell, "Tuổi Cao")
    event(other, EventKind.EXEMPTED, D(2024, 1, 1), D(2024, 6, 30), "old_age")
    before = member(world.cell, "Ốm Từ Năm Trước")
    ill(before, D(2023, 10, 1), D(2024, 2, 15))
    verdicts = ratable.members(world.base, 2024)
    v = verdicts[three.pk]
    assert (v.rated, v.code, v.best) == (True, ratable.ILL, Level.COMPLETE)
    assert v.reason == "Ill 3 months in the year (3 or more: Completed duties at best)"
    assert verdicts[twice.pk].reason.startswith("Ill 3 months")
    assert verdicts[short.pk] == ratable.RATED
    assert verdicts[twice.pk].best == Level.COMPLETE
    assert verdicts[other.pk] == ratable.RATED
    assert verdicts[before.pk] == ratable.RATED
    assert not v.allows(Level.GOOD) and v.allows(Level.COMPLETE) and v.allows(Level.INCOMPLETE)


def test_disciplined_in_the_year(world):
    inside = member(world.cell, "Khiển Trách")
    event(inside, EventKind.REPRIMAND, D(2024, 12, 31))
    outside = member(world.cell, "Năm Trước")
    event(outside, EventKind.WARNING, D(2023, 12, 31))
    verdicts = ratable.members(world.base, 2024)
    v = verdicts[inside.pk]
    assert (v.rated, v.code, v.best) == (True, ratable.DISCIPLINED, Level.COMPLETE)
    assert v.reason == (
        "Disciplined: reprimand in the year: Completed duties at best (Quy định 124-QĐ/TW)"
    )
    assert verdicts[outside.pk] == ratable.RATED
    # A province allowing "good" after a reprimand.
    province_rule(
        world.province, evaluation_discipline_best={"reprimand": 2, "warning": 3, "dismissal": 4}
    )
    assert ratable.members(world.base, 2024)[inside.pk].best == Level.GOOD


def test_listed_members_only(world):
    gone = member(world.cell, "Đã Từ Trần")
    event(gone, EventKind.DECEASED, D(2024, 11, 1))
    late = member(world.cell, "Kết Nạp Năm Sau", D(2025, 2, 1))
    verdicts = ratable.members(world.base, 2024)
    assert gone.pk not in verdicts and late.pk not in verdicts
    assert set(verdicts) == {world.member.pk, world.member2.pk}
    assert ratable.member_verdict(gone, 2024).code == ratable.NOT_LISTED
    assert set(ratable.members(world.province, 2024)) == {
        world.member.pk,
        world.member2.pk,
        world.other_member.pk,
    }
    assert set(ratable.members(world.cell, 2024)) == {world.member.pk}


def test_units_founded_six_months_to_the_day(world):
    rated = f.unit(Kind.CELL, world.base, founded_on=D(2024, 6, 30))
    young = f.unit(Kind.CELL, world.base, founded_on=D(2024, 7, 1))
    verdicts = ratable.units(world.base, 2024)
    assert set(verdicts) == {world.cell.pk, world.cell2.pk, rated.pk, young.pk}
    assert verdicts[rated.pk] == ratable.RATED
    assert (verdicts[young.pk].rated, verdicts[young.pk].code) == (False, ratable.FOUNDED)
    assert verdicts[young.pk].reason == (
        "Founded on 01/07/2024, less than 6 months before 31/12 (Quy định 124-QĐ/TW)"
    )
    # A province's campaign rates the base organisations and their cells too.
    assert set(ratable.units(world.province, 2024)) == {
        world.base.pk,
        world.other_base.pk,
        world.cell.pk,
        world.cell2.pk,
        world.other_cell.pk,
        rated.pk,
        young.pk,
    }
    assert ratable.rating_parents(world.province, 2024)[world.base.pk] == world.province.pk
    assert ratable.units(world.cell, 2024) == {}


def test_regulation_of_each_year(world):
    assert ratable.regulation(2022, world.base).startswith("Quy định 132-QĐ/TW")
    assert ratable.regulation(2023, world.base).startswith("Quy định 124-QĐ/TW")
    assert ratable.regulation(2025, world.base).startswith("Quy định 366-QĐ/TW")
    assert ratable.regulation(2017, world.base) == ""


def test_queries_do_not_grow_with_the_subtree(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        ratable.members(world.base, 2024)
    for i in range(15):
        m = member(world.cell, f"Thêm {i}")
        if i % 3 == 0:
            ill(m, D(2024, 1, 1), D(2024, 5, 1))
        if i % 4 == 0:
            event(m, EventKind.WARNING, D(2024, 3, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        verdicts = ratable.members(world.base, 2024)
    assert len(verdicts) == 17
