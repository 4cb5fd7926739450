"""The daily job's reminders of member and task deadlines (development and meetings): who is
told, and each thing once."""

import datetime as dt

from django.utils import translation

from chibo.accounts.models import Role
from chibo.development import reminders as development_reminders
from chibo.development.reminders import (
    CEREMONY_OVERDUE,
    CEREMONY_SOON,
    PROBATION_ENDING,
    REVIEW_OVERDUE,
)
from chibo.meetings.reminders import TASK_OVERDUE, task_reminders
from chibo.notices.kinds import text_of
from chibo.notices.models import Notice
from chibo.org.models import Kind as UnitKind
from chibo.site.tasks import daily
from chibo.testing import factories as f
from chibo.testing.deadlines import held, probationary, task

D = dt.date


def deadline_reminders(day: dt.date) -> int:
    """The member and task deadlines' reminders of the daily job."""
    return development_reminders.deadline_reminders(day) + task_reminders(day)


ON = D(2026, 6, 15)  # a Monday


def told() -> set[tuple[str, str, str]]:
    return {
        (n.kind, n.user.username, n.params.get("member") or n.params.get("task"))
        for n in Notice.objects.select_related("user")
    }


def test_daily_job_tells_each_thing_once(world, cast):
    other_secretary = f.user(username="sec2", grants=[(Role.SECRETARY, world.cell2)])
    f.user(username="gone", grants=[(Role.SECRETARY, world.cell)], is_active=False)
    # Ceremony: admitted 08/05/2026, 30 working days: May 11-15 (5), 18-22 (10), 25-29 (15),
    # Jun 1-5 (20), 8-12 (25), 15-19 (30) -> Fri 19/06. Within 5 working days of Mon 15/06
    # (16, 17, 18, 19, 22/06): told.
    soon = probationary(world.cell, D(2026, 5, 8), full_name="Sắp Kết Nạp")
    # Admitted 12/05: May 13-15 (3), 18-22 (8), 25-29 (13), Jun 1-5 (18), 8-12 (23),
    # 15-19 (28), 22 (29), 23 (30) -> Tue 23/06: not within 5 working days of 15/06, but of
    # 16/06 (17, 18, 19, 22, 23).
    later = probationary(world.cell, D(2026, 5, 12), full_name="Chưa Tới")
    # Admitted Mon 20/04/2026: Apr 21-24 (4), 27/04 off (Giỗ Tổ moved), 28-29 (6), 30/04 and
    # 01/05 off, May 4-8 (11), 11-15 (16), 18-22 (21), 25-29 (26), Jun 1-4 (30) -> Thu 04/06:
    # overdue 11 days on 15/06, told.
    overdue = probationary(world.cell, D(2026, 4, 20), full_name="Quá Hạn Lễ")
    # Due 13/04/2026, more than 30 days before 15/06: most likely held and never entered. The
    # board lists it; the daily job does not announce it.
    probationary(world.cell, D(2026, 3, 2), full_name="Lễ Chưa Nhập")
    ending = probationary(world.cell, D(2025, 6, 2), D(2025, 7, 1), full_name="Sắp Hết")
    # Probation ended 02/03/2026, review due 13/04/2026 (test_lists): overdue on 15/06.
    review = probationary(world.cell2, D(2025, 2, 3), D(2025, 3, 2), full_name="Chờ Xét")
    group = f.unit(UnitKind.PARTY_GROUP, world.cell, name="Tổ 1")
    given = held(world.cell, D(2026, 5, 5))
    task(given, D(2026, 6, 1), member=world.member, text="Vệ sinh đường làng")
    task(given, D(2026, 6, 1), group=group, text="Thăm hộ nghèo")
    task(given, D(2026, 6, 30), member=world.member, text="Chưa đến hạn")
    del soon, later, overdue, ending, review, other_secretary

    daily.call(ON.isoformat())
    expected = set()
    for kind, name in [
        (CEREMONY_SOON, "Sắp Kết Nạp"),
        (CEREMONY_OVERDUE, "Quá Hạn Lễ"),
        (PROBATION_ENDING, "Sắp Hết"),
    ]:  # the cell's secretary and the base committee's office; not the province
        expected |= {(kind, "secretary", name), (kind, "base", name)}
    expected |= {(REVIEW_OVERDUE, "sec2", "Chờ Xét"), (REVIEW_OVERDUE, "base", "Chờ Xét")}
    # The member's task to the member's account; the party group's to the secretary.
    expected |= {
        (TASK_OVERDUE, "member", "Vệ sinh đường làng"),
        (TASK_OVERDUE, "secretary", "Thăm hộ nghèo"),
    }
    assert told() == expected
    assert Notice.objects.count() == 10

    daily.call(ON.isoformat())  # again the same day
    assert Notice.objects.count() == 10
    assert deadline_reminders(ON + dt.timedelta(days=1)) == 2  # the next day: only "Chưa Tới"
    assert Notice.objects.count() == 12
    assert told() - expected == {
        (CEREMONY_SOON, "secretary", "Chưa Tới"),
        (CEREMONY_SOON, "base", "Chưa Tới"),
    }


def test_reminder_texts(world, cast):
    m = probationary(world.cell, D(2026, 3, 2), full_name="Quá Hạn Lễ")
    deadline_reminders(D(2026, 4, 20))
    notice = Notice.objects.get(user=cast.secretary)
    # 30 working days after Mon 02/03/2026: Mar 3-6 (4), 9-13 (9), 16-20 (14), 23-27 (19),
    # Mar 30-Apr 3 (24), Apr 6-10 (29), Mon 13/04 (30).
    with translation.override("en"):
        assert text_of(notice) == (
            "Overdue: the admission ceremony of Quá Hạn Lễ (Chi bộ thôn Đông) was due by "
            "13/04/2026."
        )
    assert notice.url == f"/deadlines/members/{m.pk}/timeline/"
