"""The daily job tells each office how many of its members are due a badge on the next
occasion, from 30 days before it, once."""

import datetime as dt

from django.urls import reverse

from chibo.badges.models import BadgeAward
from chibo.badges.reminders import BADGES_DUE, badge_reminders
from chibo.members.models import EventKind
from chibo.members.services import event_create
from chibo.notices.models import Notice
from chibo.testing import factories as f
from chibo.testing.api import call

D = dt.date


def test_offices_hear_of_the_next_occasion_once(world, cast):
    # 30 years of party age on 20/01/2027, before the occasion of 03/02/2027.
    f.member(world.cell, full_name="Lê Văn Ba Mươi", admitted_on=D(1997, 1, 20))
    # 30 years only on 04/02/2027: due on the next occasion (19/05), not this one.
    f.member(world.cell2, full_name="Lê Văn Chưa", admitted_on=D(1997, 2, 4))
    # 45 days before the occasion: too early.
    assert badge_reminders(D(2026, 12, 20)) == 0
    # 04/01/2027 is 30 days before 03/02/2027: the base committee's and the province's
    # offices are told (one member due in each scope); the outsider's commune has none.
    assert badge_reminders(D(2027, 1, 4)) == 2
    told = dict(Notice.objects.filter(kind=BADGES_DUE).values_list("user__username", "params"))
    assert set(told) == {"base", "province"}
    assert told["base"]["count"] == "1" and told["base"]["day"] == "03/02/2027"
    assert told["province"]["unit"] == world.province.name
    # Again the same day and the next: nobody twice.
    assert badge_reminders(D(2027, 1, 4)) == 0
    assert badge_reminders(D(2027, 1, 5)) == 0
    assert Notice.objects.filter(kind=BADGES_DUE).count() == 2


# The badges' part of the deadline board and of the member's timeline ---------------------------


def board_url(unit) -> str:
    return reverse("deadlines:unit", args=[unit.pk])


def en(c):
    c.cookies["django_language"] = "en"
    return c


def test_badges_count_for_the_next_occasion(world, cast, client_for):
    # 30 years of party age on 01/02/2026 and 15/01/2026: both reach the 30-year badge by the
    # occasion of 03/02/2026; the second was reprimanded on 01/12/2025, so is held back
    # (6 months). Everyone else in the world was admitted in 2010 or 2015.
    f.member(world.cell, full_name="Ba Mươi Năm", admitted_on=D(1996, 2, 1))
    held = f.member(world.cell2, full_name="Bị Khiển Trách", admitted_on=D(1996, 1, 15))
    event_create(actor=None, member=held, kind=EventKind.REPRIMAND, date=D(2025, 12, 1))
    c = client_for(cast.base_officer)
    for on in ("2026-01-20", "2026-02-03"):
        body = call(c, "GET", f"/deadlines?unit={world.base.pk}&on={on}").json()
        assert body["badges"] == {
            "occasion": "2026-02-03",
            "name": body["badges"]["name"],
            "due": 1,
            "held": 1,
        }
    # The day after, the next occasion is 19/05/2026.
    body = call(c, "GET", f"/deadlines?unit={world.base.pk}&on=2026-02-04").json()
    assert body["badges"]["occasion"] == "2026-05-19"
    r = en(c).get(board_url(world.base), {"on": "20/01/2026"})
    assert "Due on 03/02/2026" in r.text and "held back: 1" in r.text
    assert f"/badges/unit/{world.base.pk}/?occasion=03/02/2026" in r.text


def test_awards_in_the_member_timeline(world, cast, client_for):
    old = f.member(world.cell, full_name="Lão Thành", admitted_on=D(1996, 2, 1))
    BadgeAward.objects.create(
        member=old, years=30, occasion_date=D(2026, 2, 3), decision_number="1-QĐ/TU"
    )
    r = en(client_for(cast.base_officer)).get(reverse("deadlines:timeline", args=[old.pk]))
    assert "03/02/2026</strong> Party badge for 30 years of party age" in r.text
    assert "Decision 1-QĐ/TU" in r.text
