"""A badge decision says on each member's record which badge, by which decision; special
occasions record who added and deleted them. A refused write records nothing."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from chibo.badges import services
from chibo.badges.models import BadgeAward, BadgeOccasion
from chibo.core import audit
from chibo.core.models import AuditEvent

from .helpers import D, veteran

FEB3 = D(2026, 2, 3)


def mark() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def since(start: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=start).order_by("pk"))


def target(event: AuditEvent) -> tuple:
    return (
        event.object_type.model_class(),
        event.object_id,
        event.about_type.model_class(),
        event.about_id,
    )


def test_a_decision_is_one_event_on_each_awarded_members_record(world, cast):
    a = veteran(world.cell, D(1996, 2, 3), "Đúng Ngày")
    b = veteran(world.cell2, D(1986, 1, 1), "Bốn Mươi")
    start = mark()
    services.award_record(
        unit=world.base,
        occasion=FEB3,
        awards=[(a, 30), (b, 40)],
        decision_number=" 125-QĐ/TU ",
        decision_on=D(2026, 1, 20),
        actor=cast.base_officer,
    )
    events = since(start)
    assert len(events) == 2
    award_a = BadgeAward.objects.get(member=a)
    award_b = BadgeAward.objects.get(member=b)
    assert [(e.kind, e.actor, target(e)) for e in events] == [
        ("badges.awarded", cast.base_officer, (BadgeAward, award_a.pk, type(a), a.pk)),
        ("badges.awarded", cast.base_officer, (BadgeAward, award_b.pk, type(b), b.pk)),
    ]
    assert events[0].facts == {
        "years": 30,
        "occasion": "03/02/2026",
        "number": "125-QĐ/TU",
        "date": "20/01/2026",
    }
    assert events[1].facts["years"] == 40
    with translation.override("en"):
        assert audit.sentence(events[0]) == (
            "Awarded the 30-year Party badge on 03/02/2026, by decision 125-QĐ/TU of 20/01/2026"
        )
    assert list(audit.about([a])) == [events[0]]


def test_a_refused_decision_records_nothing(world, cast):
    a = veteran(world.cell, D(1996, 2, 3), "Đúng Ngày")
    young = veteran(world.cell, D(2000, 1, 1), "Chưa Đủ")
    start = mark()
    with pytest.raises(ValidationError):  # one wrong pair refuses the whole decision
        services.award_record(
            unit=world.base,
            occasion=FEB3,
            awards=[(a, 30), (young, 30)],
            decision_number="125-QĐ/TU",
            decision_on=D(2026, 1, 20),
            actor=cast.base_officer,
        )
    assert since(start) == [] and not BadgeAward.objects.exists()


def test_special_occasions_added_and_deleted(world, cast):
    start = mark()
    occasion = services.occasion_create(
        date=D(2026, 12, 1),
        name=" Thành lập  Đảng bộ tỉnh ",
        province=world.province,
        actor=cast.province_officer,
    )
    (added,) = since(start)
    assert (added.kind, added.actor, target(added)) == (
        "badges.occasion_added",
        cast.province_officer,
        (BadgeOccasion, occasion.pk, BadgeOccasion, occasion.pk),
    )
    assert added.facts == {
        "name": "Thành lập Đảng bộ tỉnh",
        "date": "01/12/2026",
        "province": "Đảng bộ tỉnh Thử",
    }
    with translation.override("en"):
        assert audit.sentence(added) == (
            "Special award occasion added: Thành lập Đảng bộ tỉnh, 01/12/2026"
        )
    start = mark()
    with pytest.raises(ValidationError):
        services.occasion_create(
            date=D(2026, 12, 1), name="Lại", province=None, actor=cast.province_officer
        )
    assert since(start) == []

    pk = occasion.pk
    services.occasion_delete(occasion=occasion, actor=cast.province_officer)
    (deleted,) = since(start)
    assert (deleted.kind, deleted.actor, target(deleted)) == (
        "badges.occasion_deleted",
        cast.province_officer,
        (BadgeOccasion, pk, BadgeOccasion, pk),
    )
    assert deleted.facts == added.facts
    assert not BadgeOccasion.objects.exists()


def test_an_occasion_with_badges_is_not_deleted_and_records_nothing(world, cast):
    occasion = services.occasion_create(
        date=D(2026, 1, 10), name="Đại hội", province=None, actor=None
    )
    BadgeAward.objects.create(
        member=veteran(world.cell, D(1996, 1, 1), "Đã Nhận"),
        years=30,
        occasion_date=occasion.date,
        decision_number="1-QĐ/TU",
    )
    start = mark()
    with pytest.raises(ValidationError):
        services.occasion_delete(occasion=occasion, actor=cast.province_officer)
    assert since(start) == [] and BadgeOccasion.objects.filter(pk=occasion.pk).exists()


def test_the_members_page_says_which_badge_in_vietnamese_and_in_english(
    world, cast, client_for, en
):
    a = veteran(world.cell, D(1996, 2, 3), "Đúng Ngày")
    services.award_record(
        unit=world.base,
        occasion=FEB3,
        awards=[(a, 30)],
        decision_number="125-QĐ/TU",
        decision_on=D(2026, 1, 20),
        actor=cast.base_officer,
    )
    page = reverse("members:detail", args=[a.pk])
    english = en(cast.base_officer).get(page).text
    assert (
        html.escape(
            "Awarded the 30-year Party badge on 03/02/2026, by decision 125-QĐ/TU of 20/01/2026"
        )
        in english
    )
    with translation.override("vi"):
        said = gettext(
            "Awarded the %(years)s-year Party badge on %(occasion)s, by decision %(number)s of "
            "%(date)s"
        ) % {"years": 30, "occasion": "03/02/2026", "number": "125-QĐ/TU", "date": "20/01/2026"}
    assert html.escape(said) in client_for(cast.base_officer).get(page).text
