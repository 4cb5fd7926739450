"""The secretary's meeting page of a 45-member cell: CPU time to build and render it.

    .venv/bin/python bench/meeting_page.py [--db PATH] [--rebuild] [--repeat 51]
    .venv/bin/python bench/meeting_page.py --postgres URL [--keep]

with URL postgres://postgres@127.0.0.1:5432/bench_meeting_page, for example.

The page's cost is its rendering, not the size of the database (its query count is pinned and
flat, test_page_weight.py), so the bench builds its own small database rather than borrow the
100,000-member one: a cell of 45 members (the secretary among them) with

- a meeting held three days ago with every part filled (agenda item, document, every member
  present, a guest, a vote by name, a speech, dues, a task, a proposal, last month's task
  carried to its review, the quality score): the page as it opens (the record and the
  minutes), and with every part open (?open=all);
- today's meeting, roster frozen and nobody marked yet: the page as the secretary's phone
  opens it on the evening (the attendance), and that part alone (the HTMX request of a part
  opened on the page).

SQLite: /tmp/chibo-bench-meeting-page.sqlite3, built if missing and kept. PostgreSQL: the named
database is created, filled, measured and dropped (kept with --keep).

Each figure is the median over --repeat requests through Django's test client, after five
warm-up requests (templates compiled and cached, as in production): CPU is
time.process_time() of this process around client.get() (on SQLite it includes the
database's own work; on PostgreSQL the server's is not counted), wall the elapsed time.
Target: under 40 ms of CPU for the page as it opens, for the attendance on the day.
"""

import datetime as dt
import os
import re
import statistics
import sys
import time
from pathlib import Path

from _setup import ROOT, arguments, run

TARGET_MS = 40
MEMBERS = 45
DEFAULT_DB = Path("/tmp/chibo-bench-meeting-page.sqlite3")
WIDGETS = re.compile(r"<(?:input|select|textarea|button)\b")


def setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()


def fill() -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone

    from chibo import rules
    from chibo.accounts.models import Role
    from chibo.meetings import services as s
    from chibo.meetings.models import Kind, Meeting
    from chibo.meetings.services import agenda, prepare
    from chibo.meetings.services import quality as q
    from chibo.meetings.services import record as r
    from chibo.org.models import Kind as UnitKind
    from chibo.testing import factories as f

    call_command("migrate", verbosity=0)

    def at(day: dt.date, hour: int = 19) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))

    def v(m: Meeting) -> int:
        m.refresh_from_db()
        return m.version

    province = f.unit(UnitKind.PROVINCE, name="Đảng bộ tỉnh Thử", code="B01")
    base = f.unit(UnitKind.BASE_COMMITTEE, province, name="Đảng bộ xã An Hòa", code="B01-X01")
    cell = f.unit(UnitKind.CELL, base, name="Chi bộ thôn Đông", code="B01-X01-CB01")
    secretary_member = f.member(cell, full_name="Phạm Văn Bí Thư")
    members = [secretary_member] + [f.member(cell) for _ in range(MEMBERS - 1)]
    secretary = f.user(
        username="bench-secretary", member=secretary_member, grants=[(Role.SECRETARY, cell)]
    )
    today = timezone.localdate()
    held_day = today - dt.timedelta(days=3)

    earlier = s.meeting_create(
        cell=cell, kind=Kind.REGULAR, planned_at=at(held_day - dt.timedelta(days=30)), actor=None
    )
    r.task_create(
        meeting=earlier,
        version=v(earlier),
        text="Thu quỹ",
        due_on=held_day,
        member=members[1],
        actor=None,
    )
    m = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(held_day), actor=None)
    agenda.agenda_item_add(meeting=m, version=v(m), title="Bầu tổ trưởng", actor=None)
    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    prepare.document_post(meeting=m, upload=upload, title="Dự thảo", actor=secretary)
    s.roster_freeze(meeting=m, version=v(m), actor=None)
    for row in m.roster.all():
        s.attendance_mark(
            meeting=m, version=v(m), member=row.member, presence="present", actor=None
        )
    s.guest_add(meeting=m, version=v(m), name="Khách", role="Đảng ủy viên", actor=None)
    s.vote_record(
        meeting=m,
        version=v(m),
        subject="Nghị quyết",
        kind="ordinary",
        method="named",
        ballots={row.member_id: "for" for row in m.roster.all()},
        on_resolution=True,
        actor=None,
    )
    r.speech_add(meeting=m, version=v(m), summary="Góp ý", member=members[1], actor=None)
    r.dues_record(
        meeting=m, version=v(m), member=members[1], month=held_day, amount=50000, actor=None
    )
    r.task_create(meeting=m, version=v(m), text="x", due_on=today, member=members[1], actor=None)
    r.proposal_add(
        meeting=m, version=v(m), text="y", addressed_to="z", member=members[1], actor=None
    )
    r.tasks_carry_over(meeting=m, actor=None)
    s.meeting_hold(
        meeting=m, version=v(m), started_at=at(held_day), ended_at=at(held_day, 21), actor=None
    )
    parts = rules.at(m.day, m.cell).quality_max or {}
    q.quality_score_set(meeting=m, version=v(m), points=dict(parts), actor=secretary)

    tonight = s.meeting_create(cell=cell, kind=Kind.REGULAR, planned_at=at(today), actor=None)
    s.roster_freeze(meeting=tonight, version=v(tonight), actor=None)
    return f"a cell of {MEMBERS} members, meetings {m.pk} (held) and {tonight.pk} (today)"


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from chibo.accounts.models import User
    from chibo.meetings.models import Meeting, State

    secretary = User.objects.get(username="bench-secretary")
    held = Meeting.objects.filter(state=State.HELD).latest("planned_at")
    tonight = Meeting.objects.filter(state=State.PLANNED).latest("planned_at")
    assert held.roster.count() == MEMBERS and tonight.roster.count() == MEMBERS
    client = Client()
    client.force_login(secretary)
    client.cookies["django_language"] = "vi"
    hx = {"HX-Request": "true"}

    def page(m: Meeting, query: str = "") -> str:
        return reverse("meetings:detail", args=[m.pk]) + query

    cases = [
        ("held meeting, as it opens", page(held), {}),
        ("held meeting, every part open", page(held, "?open=all"), {}),
        ("today's meeting, as it opens (attendance)", page(tonight), {}),
        ("today's attendance part alone (HTMX)", page(tonight, "?part=roster"), hx),
    ]
    print(
        f"{'page':<44} {'CPU ms':>7} {'(min)':>6} {'wall ms':>8}"
        f" {'queries':>8} {'widgets':>8} {'KiB':>6}"
    )
    # DEBUG off as in production (no query log kept); the counts use their own capture.
    with override_settings(DEBUG=False):
        for name, path, headers in cases:
            for _ in range(5):  # warm-up: templates compiled and cached
                assert client.get(path, headers=headers).status_code == 200
            cpu, wall = [], []
            for _ in range(repeat):
                c0, w0 = time.process_time(), time.perf_counter()
                response = client.get(path, headers=headers)
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as ctx:
                html = client.get(path, headers=headers).content.decode()
            print(
                f"{name:<44} {statistics.median(cpu):7.1f} {min(cpu):6.1f}"
                f" {statistics.median(wall):8.1f}"
                f" {len(ctx.captured_queries):8d} {len(WIDGETS.findall(html)):8d}"
                f" {len(html) / 1024:6.1f}"
            )
    print(f"target: under {TARGET_MS} ms of CPU for the page as it opens")


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0], DEFAULT_DB)
    if args.repeat == 7:
        args.repeat = 51
    run(args, setup=setup, fill=fill, measure=measure)
