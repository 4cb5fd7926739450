"""The daily job tells each office how many of its members are due a badge on the next
occasion, from 30 days before it, once."""

import datetime as dt

from chibo.badges.reminders import BADGES_DUE, badge_reminders
from chibo.notices.models import Notice
from chibo.testing import factories as f

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
