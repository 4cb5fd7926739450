"""Notifications: who is told about a meeting, once; the worker's daily job and e-mails; the
notification centre and its API."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from chibo.accounts.models import Role
from chibo.meetings import reminders as NoticeKind
from chibo.meetings import services as s
from chibo.meetings.models import Kind
from chibo.meetings.reminders import meeting_reminders
from chibo.members.models import PlacementKind
from chibo.members.services import placement_create
from chibo.notices.kinds import text_of
from chibo.notices.mail import mail_pending
from chibo.notices.models import EmailState, Notice
from chibo.notices.services import notify
from chibo.site.models import JobRun
from chibo.testing import factories as f
from chibo.testing.api import call

TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


@pytest.fixture
def people(world, cast):
    """Accounts around `cell`: who attends its meetings and who does not."""
    start = TODAY - dt.timedelta(days=60)
    hosted = f.member(world.cell2, full_name="Đỗ Văn Tạm")
    placement_create(
        actor=None, member=hosted, unit=world.cell, kind=PlacementKind.TEMPORARY, start=start
    )
    away = f.member(world.cell, full_name="Vũ Văn Xa")
    placement_create(
        actor=None, member=away, unit=world.other_cell, kind=PlacementKind.TEMPORARY, start=start
    )
    return {
        "hosted": f.user(username="hosted", member=hosted, email="hosted@example.vn"),
        "away": f.user(username="away", member=away, email="away@example.vn"),
        "other": f.user(username="other", member=world.member2, email="other@example.vn"),
        # An account with the member role on the cell but no member record linked.
        "role_only": f.user(username="role_only", grants=[(Role.MEMBER, world.cell)]),
    }


ATTENDING = {"secretary", "member", "hosted", "role_only"}


def told(kind: str) -> set[str]:
    return set(Notice.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_reminder_reaches_who_attends_once(world, cast, people):
    m = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TOMORROW), place="Nhà", actor=None
    )
    s.meeting_create(cell=world.cell2, kind=Kind.REGULAR, planned_at=at(TOMORROW), actor=None)
    later = s.meeting_create(
        cell=world.cell,
        kind=Kind.THEMATIC,
        topic="x",
        planned_at=at(TOMORROW + dt.timedelta(days=1)),
        actor=None,
    )
    n = meeting_reminders(TODAY)
    assert told(NoticeKind.MEETING_TOMORROW) >= ATTENDING
    mine = Notice.objects.filter(kind=NoticeKind.MEETING_TOMORROW, url__endswith=f"/{m.pk}/")
    assert set(mine.values_list("user__username", flat=True)) == ATTENDING
    assert not Notice.objects.filter(url__endswith=f"/{later.pk}/").exists()
    assert meeting_reminders(TODAY) == 0  # run twice: nobody told twice
    assert Notice.objects.count() == n
    # A cancelled meeting is not reminded.
    assert "away" not in told(NoticeKind.MEETING_TOMORROW)


def test_reminder_text_and_email_state(world, cast, people):
    s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TOMORROW), place="Nhà văn hóa", actor=None
    )
    meeting_reminders(TODAY)
    notice = Notice.objects.get(user=people["hosted"], kind=NoticeKind.MEETING_TOMORROW)
    with translation.override("en"):
        text = text_of(notice)
    assert f"{TOMORROW:%d/%m/%Y}" in text and "19:30" in text and "Nhà văn hóa" in text
    assert "Chi bộ thôn Đông" in text
    assert notice.email == EmailState.PENDING  # has an address
    assert Notice.objects.get(user=people["role_only"]).email == EmailState.NONE


def test_move_and_cancel_tell_members(world, cast, people, django_capture_on_commit_callbacks):
    m = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TODAY + dt.timedelta(days=5)), actor=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        s.meeting_move(
            meeting=m,
            version=m.version,
            planned_at=at(TODAY + dt.timedelta(days=7)),
            reason="Mưa bão",
            actor=None,
        )
    assert told(NoticeKind.MEETING_MOVED) == ATTENDING
    notice = Notice.objects.filter(kind=NoticeKind.MEETING_MOVED).first()
    with translation.override("en"):
        assert "Mưa bão" in text_of(notice)
    m.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        s.meeting_cancel(meeting=m, version=m.version, reason="Trùng lịch bầu cử", actor=None)
    assert told(NoticeKind.MEETING_CANCELLED) == ATTENDING
    # A meeting already past is changed without telling anyone.
    past = s.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(TODAY - dt.timedelta(days=40)), actor=None
    )
    before = Notice.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        s.meeting_cancel(meeting=past, version=past.version, reason="x", actor=None)
    assert Notice.objects.count() == before


def test_mail_pending_sends_once_and_keeps_failures(world, cast, people, monkeypatch):
    notify(
        [people["hosted"].pk, people["other"].pk, people["role_only"].pk],
        kind=NoticeKind.MEETING_CANCELLED,
        key="k1",
        params={"cell": "Chi bộ A", "day": "01/12/2026", "reason": "lý do"},
        url="/meetings/1/",
    )
    assert mail_pending() == 2  # role_only has no address
    assert sorted(m.to[0] for m in mail.outbox) == ["hosted@example.vn", "other@example.vn"]
    assert "Chi bộ A" in mail.outbox[0].subject and "/meetings/1/" in mail.outbox[0].body
    assert mail_pending() == 0 and len(mail.outbox) == 2
    notify([people["hosted"].pk], kind=NoticeKind.MEETING_CANCELLED, key="k2", params={})

    def down(*a, **k):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("chibo.notices.mail.send_mail", down)
    assert mail_pending() == 0
    assert Notice.objects.get(key="k2").email == EmailState.FAILED


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_daily_job_once_a_day(world, cast, people, settings):
    settings.CHIBO_DAILY_HOUR = 0
    s.meeting_create(cell=world.cell, kind=Kind.REGULAR, planned_at=at(TOMORROW), actor=None)
    call_command("worker", "--once", verbosity=0)
    assert JobRun.objects.filter(name="daily", day=TODAY).count() == 1
    assert told(NoticeKind.MEETING_TOMORROW) == ATTENDING
    sent = len(mail.outbox)
    assert sent == 1  # hosted is the only attending account with an address
    call_command("worker", "--once", verbosity=0)  # the same day again
    assert JobRun.objects.count() == 1 and len(mail.outbox) == sent
    assert Notice.objects.count() == len(ATTENDING)


# The notification centre ---------------------------------------------------------------------


def test_notification_centre(world, cast, people, client_for):
    notify(
        [cast.member.pk, people["other"].pk],
        kind=NoticeKind.MEETING_CANCELLED,
        key="k",
        params={"cell": "Chi bộ thôn Đông", "day": "01/12/2026", "reason": "Mưa"},
        url="/meetings/mine/",
    )
    c = client_for(cast.member)
    c.cookies["django_language"] = "en"
    r = c.get(reverse("notices:list"))
    assert r.status_code == 200
    assert "The meeting of Chi bộ thôn Đông on 01/12/2026 is cancelled: Mưa" in r.text
    assert 'id="nav-unread">1<' in r.text
    mine = Notice.objects.get(user=cast.member)
    theirs = Notice.objects.get(user=people["other"])
    assert c.get(reverse("notices:open", args=[theirs.pk])).status_code == 404
    r = c.get(reverse("notices:open", args=[mine.pk]))
    assert r.status_code == 302 and r["Location"] == "/meetings/mine/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert 'id="nav-unread"' not in c.get(reverse("notices:list")).text
    # The e-mail address is the person's own to set.
    r = c.post(reverse("notices:list"), {"email": "not an address"})
    assert r.status_code == 422 and "valid email" in r.text
    assert c.post(reverse("notices:list"), {"email": "hung@example.vn"}).status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.email == "hung@example.vn"


def test_notices_api_own_only(world, cast, people, client_for):
    for key in ("a", "b"):
        notify(
            [cast.member.pk, people["other"].pk],
            kind=NoticeKind.MEETING_CANCELLED,
            key=key,
            params={},
        )
    c = client_for(cast.member)
    r = call(c, "GET", "/notices")
    assert r.status_code == 200 and r.json()["count"] == 2
    ids = [n["id"] for n in r.json()["items"]]
    assert set(ids) == set(Notice.objects.filter(user=cast.member).values_list("pk", flat=True))
    theirs = Notice.objects.filter(user=people["other"]).first()
    assert call(c, "POST", f"/notices/{theirs.pk}/read").status_code == 404
    assert call(c, "POST", f"/notices/{ids[0]}/read").json()["read_at"] is not None
    assert call(c, "GET", "/notices?unread=true").json()["count"] == 1
    assert call(c, "POST", "/notices/read-all").json() == {"marked": 1}
    assert Notice.objects.filter(user=people["other"], read_at__isnull=True).count() == 2
