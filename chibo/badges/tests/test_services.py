"""Occasions, recording awards and special occasions."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from chibo.badges import queries, services
from chibo.badges.models import BadgeAward, BadgeOccasion, Early
from chibo.members.models import EventKind, Member
from chibo.org.models import Kind
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f

from .helpers import D, awarded, event, ill, veteran

FEB3 = D(2026, 2, 3)


def dates(items) -> list:
    return [o.date for o in items]


def test_regular_occasions_of_a_year(world):
    assert dates(queries.occasions(2026)) == [
        D(2026, 2, 3),
        D(2026, 5, 19),
        D(2026, 9, 2),
        D(2026, 11, 7),
    ]
    assert queries.occasions(2010) == []  # no badge rule before 19/01/2011
    assert dates(queries.occasions(2011)) == [
        D(2011, 2, 3),
        D(2011, 5, 19),
        D(2011, 9, 2),
        D(2011, 11, 7),
    ]


def test_each_occasion_read_from_the_rules_on_its_own_date(world):
    RuleVersion.objects.create(
        effective_from=D(2026, 7, 1),
        source="Thử: bỏ dịp 19/5 và 7/11, thêm 1/7",
        values={"badge_occasions": ["03/02", "01/07", "02/09"]},
    )
    # 19/5 is still a regular occasion (the old rules hold that day), 1/7 is one from the day
    # the new rules take effect, 7/11 no longer is.
    assert dates(queries.occasions(2026)) == [
        D(2026, 2, 3),
        D(2026, 5, 19),
        D(2026, 7, 1),
        D(2026, 9, 2),
    ]
    assert dates(queries.occasions(2027)) == [D(2027, 2, 3), D(2027, 7, 1), D(2027, 9, 2)]


def test_next_occasion_and_special_ones(world, cast):
    assert queries.next_occasion(D(2026, 2, 2)).date == D(2026, 2, 3)
    assert queries.next_occasion(D(2026, 2, 3)).date == D(2026, 5, 19)  # strictly after
    assert queries.next_occasion(D(2026, 11, 22)).date == D(2027, 2, 3)
    other = f.unit(Kind.PROVINCE, name="Tỉnh Khác", code="T02")
    services.occasion_create(date=D(2026, 12, 20), name="Đại hội", province=None, actor=None)
    services.occasion_create(
        date=D(2026, 12, 1), name="Thành lập Đảng bộ tỉnh", province=world.province, actor=None
    )
    services.occasion_create(date=D(2026, 11, 30), name="Tỉnh khác", province=other, actor=None)
    with translation.override("en"):
        own = queries.occasions(2026, world.province)
    assert [(o.date, o.name, o.special) for o in own[-3:]] == [
        (D(2026, 11, 7), "Anniversary of the October Revolution", False),
        (D(2026, 12, 1), "Thành lập Đảng bộ tỉnh", True),
        (D(2026, 12, 20), "Đại hội", True),
    ]
    assert dates(queries.occasions(2026))[-1] == D(2026, 12, 20)  # nationwide only
    assert queries.next_occasion(D(2026, 11, 22), world.province).date == D(2026, 12, 1)
    assert queries.next_occasion(D(2026, 11, 22), other).date == D(2026, 11, 30)
    assert queries.next_occasion(D(2026, 11, 22)).date == D(2026, 12, 20)


def test_occasion_create_refusals(world):
    with translation.override("en"):
        with pytest.raises(ValidationError, match="already a regular award occasion"):
            services.occasion_create(date=FEB3, name="Trùng", province=None, actor=None)
        with pytest.raises(ValidationError, match="Name the occasion"):
            services.occasion_create(date=D(2026, 12, 1), name="  ", province=None, actor=None)
        with pytest.raises(ValidationError, match="Choose a province"):
            services.occasion_create(
                date=D(2026, 12, 1), name="Xã", province=world.base, actor=None
            )
        services.occasion_create(date=D(2026, 12, 1), name="Toàn quốc", province=None, actor=None)
        with pytest.raises(ValidationError, match="already a special occasion on 01/12/2026"):
            services.occasion_create(
                date=D(2026, 12, 1), name="Tỉnh", province=world.province, actor=None
            )
        with pytest.raises(ValidationError, match="already a special occasion"):
            services.occasion_create(date=D(2026, 12, 1), name="Lại", province=None, actor=None)
    assert BadgeOccasion.objects.count() == 1


def test_award_record_removes_members_from_the_list(world, cast):
    a = veteran(world.cell, D(1996, 2, 3), "Đúng Ngày")
    b = veteran(world.cell2, D(1986, 1, 1), "Bốn Mươi")
    sick = veteran(world.cell, D(1997, 1, 1), "Ốm")
    ill(sick, D(2025, 6, 1))
    dead = veteran(world.cell, D(1990, 1, 1), "Đã Mất")
    event(dead, EventKind.DECEASED, D(2025, 10, 1))
    made = services.award_record(
        unit=world.base,
        occasion=FEB3,
        awards=[(a, 30), (b, 40), (sick, 30), (dead, 30)],
        decision_number=" 125-QĐ/TU ",
        decision_on=D(2026, 1, 20),
        actor=cast.base_officer,
    )
    assert len(made) == 4
    rows = {
        (x.member_id, x.years, x.early, x.occasion_date, x.decision_number, x.recorded_by_id)
        for x in BadgeAward.objects.all()
    }
    by = cast.base_officer.pk
    assert rows == {
        (a.pk, 30, "", FEB3, "125-QĐ/TU", by),
        (b.pk, 40, "", FEB3, "125-QĐ/TU", by),
        (sick.pk, 30, Early.ILLNESS, FEB3, "125-QĐ/TU", by),
        (dead.pk, 30, Early.POSTHUMOUS, FEB3, "125-QĐ/TU", by),
    }
    assert BadgeAward.history.count() == 4
    assert queries.due_list(world.base, FEB3).rows == []
    assert queries.due_list(world.base, D(2026, 5, 19)).rows == []
    kept = dict(Member.all_objects.filter(badge_years__gt=0).values_list("pk", "badge_years"))
    assert kept == {a.pk: 30, b.pk: 40, sick.pk: 30, dead.pk: 30}


def test_the_kept_highest_badge_is_the_highest_recorded(world, cast):
    """An older badge entered afterwards (a past decision) leaves the copy at the higher one;
    a refused decision leaves it as it was."""
    b = veteran(world.cell, D(1986, 1, 1), "Bốn Mươi")
    kw = {"unit": world.base, "decision_on": D(2026, 1, 20), "actor": cast.base_officer}
    services.award_record(occasion=FEB3, awards=[(b, 40)], decision_number="1-QĐ/TU", **kw)
    services.award_record(
        occasion=D(2016, 2, 3),
        awards=[(b, 30)],
        decision_number="2-QĐ/TU",
        as_recorded=True,
        **kw,
    )
    assert set(BadgeAward.objects.values_list("member_id", "years")) == {(b.pk, 40), (b.pk, 30)}
    b.refresh_from_db()
    assert b.badge_years == 40
    a = veteran(world.cell, D(1996, 2, 3), "Đúng Ngày")
    with pytest.raises(ValidationError):
        services.award_record(occasion=FEB3, awards=[(a, 30), (b, 40)], decision_number="3", **kw)
    a.refresh_from_db()
    assert a.badge_years == 0 and BadgeAward.objects.count() == 2


def test_award_record_all_or_nothing(world, cast):
    a = veteran(world.cell, D(1996, 2, 3), "Đúng Ngày")
    young = veteran(world.cell, D(2000, 1, 1), "Chưa Đủ")
    held = veteran(world.cell, D(1996, 1, 1), "Bị Khiển Trách")
    event(held, EventKind.REPRIMAND, D(2025, 12, 1))
    old = veteran(world.cell, D(1986, 1, 1), "Đã Có")
    awarded(old, 40, D(2026, 1, 1))
    kw = {
        "unit": world.cell,
        "occasion": FEB3,
        "decision_number": "12-QĐ/TU",
        "decision_on": D(2026, 1, 20),
        "actor": cast.base_officer,
    }

    def refused(match, existing=1, **over):
        with translation.override("en"), pytest.raises(ValidationError, match=match):
            services.award_record(**{**kw, **over})
        assert BadgeAward.objects.count() == existing  # nothing written

    refused("Đúng Ngày is chosen twice", awards=[(a, 30), (a, 30)])
    refused("Chưa Đủ is not due a badge on 03/02/2026", awards=[(a, 30), (young, 30)])
    refused("held back by a discipline decision until 01/06/2026", awards=[(held, 30)])
    refused("Đúng Ngày is due the 30-year badge, not the 40-year one", awards=[(a, 40)])
    refused("Đã Có already has the 40-year badge", awards=[(old, 40)])
    refused("not a badge award occasion", awards=[(a, 30)], occasion=D(2026, 2, 4))
    refused("Enter the number of the decision", awards=[(a, 30)], decision_number=" ")
    refused("at most 40 characters", awards=[(a, 30)], decision_number="x" * 41)
    refused("cannot be in the future", awards=[(a, 30)], decision_on=D(2099, 1, 1))
    refused("Choose at least one member", awards=[])
    # A member of another unit is not in this unit's list.
    far = veteran(world.other_cell, D(1996, 1, 1), "Nơi Khác")
    refused("Nơi Khác is not due", awards=[(far, 30)])
    services.award_record(awards=[(a, 30)], **kw)
    refused("Đúng Ngày already has the 30-year badge", existing=2, awards=[(a, 30)])


def test_occasion_delete(world, cast):
    occ = services.occasion_create(
        date=D(2026, 3, 26), name="Kỷ niệm", province=world.province, actor=None
    )
    m = veteran(world.cell, D(1996, 1, 1), "Được Trao")
    services.award_record(
        unit=world.cell,
        occasion=D(2026, 3, 26),
        awards=[(m, 30)],
        decision_number="1",
        decision_on=D(2026, 3, 1),
        actor=cast.province_officer,
    )
    with translation.override("en"), pytest.raises(ValidationError, match="no longer be deleted"):
        services.occasion_delete(occasion=occ, actor=cast.province_officer)
    spare = services.occasion_create(date=D(2026, 4, 1), name="Khác", province=None, actor=None)
    services.occasion_delete(occasion=spare, actor=None)
    assert list(BadgeOccasion.objects.values_list("pk", flat=True)) == [occ.pk]
    assert BadgeOccasion.history.filter(history_type="-").count() == 1


def test_rebuild_badge_years_repairs_the_kept_copy(world, cast):
    """Awards written around the services (by SQL, say) leave the copy behind; the command
    writes it again from the awards, in chunks, and a second run changes nothing."""
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    forty = veteran(world.cell, D(1986, 1, 1), "Bốn Mươi")
    thirty = veteran(world.cell, D(1996, 1, 1), "Ba Mươi")
    none = veteran(world.cell, D(2000, 1, 1), "Chưa Có")
    for member, years in [(forty, 30), (forty, 40), (thirty, 30)]:
        BadgeAward.objects.create(
            member=member, years=years, occasion_date=FEB3, decision_number="1-QĐ/TU"
        )
    Member.all_objects.filter(pk=none.pk).update(badge_years=60)  # a wrong copy
    # What the services write only rises (two decisions at once cannot lower it); the
    # repair lowers it.
    services.keep_badge_years(Member.all_objects.filter(pk__in=[none.pk, thirty.pk]))
    assert dict(
        Member.all_objects.filter(pk__in=[none.pk, thirty.pk]).values_list("pk", "badge_years")
    ) == {none.pk: 60, thirty.pk: 30}
    stale = queries.due_list(world.cell, FEB3).due
    assert {r.full_name for r in stale} == {"Bốn Mươi"}
    out = StringIO()
    call_command("rebuild-badge-years", chunk=2, stdout=out)
    kept = dict(Member.all_objects.values_list("pk", "badge_years"))
    expected = {m.pk: 0 for m in Member.all_objects.all()} | {forty.pk: 40, thirty.pk: 30}
    assert kept == expected
    assert "Done: " in out.getvalue() and out.getvalue().count("last id") >= 2
    assert queries.due_list(world.cell, FEB3).rows == []
    call_command("rebuild-badge-years", stdout=StringIO())
    assert dict(Member.all_objects.values_list("pk", "badge_years")) == expected
    with pytest.raises(CommandError, match="at least 1"):
        call_command("rebuild-badge-years", chunk=0, stdout=StringIO())
