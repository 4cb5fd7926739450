"""What is paid on each charge is kept (`DuesCharge.paid`, chibo.dues.paid): after random
sequences of payments, deletions, payment statements, meetings' dues records, imported
ledger months, waivers and months posted (seeded, through the services), every charge's
`paid` equals the sum of its payments counted here from the rows, and the unpaid months and
arrears equal a recount from the payments; the repair command puts a spoiled sum right."""

import datetime as dt
import io
import random
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from chibo.dues import months, services
from chibo.dues.models import DuesCharge, DuesPayment, DuesWaiver, Source
from chibo.dues.queries import arrears_of, arrears_under, unpaid_in_year
from chibo.meetings import services as ms
from chibo.meetings.models import Kind, Meeting
from chibo.meetings.services import record
from chibo.testing import factories as f
from chibo.testing.workbooks import csv_bytes

from .helpers import basis

HEAD = ["Mã giao dịch", "Mã đảng viên", "Tháng đóng", "Số tiền", "Ngày nộp"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def recount() -> tuple[dict[int, int], dict[tuple[int, dt.date], int], dict[int, list]]:
    """(charge id -> sum of its payments, (member, month) -> sum, member -> waivers), from
    the rows alone."""
    sums: dict[tuple[int, dt.date], int] = defaultdict(int)
    for member_id, month, amount in DuesPayment.objects.values_list("member_id", "month", "amount"):
        sums[(member_id, month)] += amount
    waivers: dict[int, list] = defaultdict(list)
    for member_id, start, end in DuesWaiver.objects.values_list("member_id", "start", "end"):
        waivers[member_id].append((start, end))
    paid = {
        pk: sums.get((member_id, month), 0)
        for pk, member_id, month in DuesCharge.objects.values_list("pk", "member_id", "month")
    }
    return paid, sums, waivers


def check(unit, today: dt.date) -> None:
    paid, _sums, waivers = recount()
    kept = dict(DuesCharge.objects.values_list("pk", "paid"))
    assert kept == paid

    def unpaid(charge: DuesCharge) -> bool:
        excused = any(s <= charge.month <= e for s, e in waivers[charge.member_id])
        return not excused and paid[charge.pk] < charge.amount

    charges = list(DuesCharge.objects.all())
    year, as_of = today.year, today
    over = months.first(as_of)
    expected = {c.pk for c in charges if dt.date(year, 1, 1) <= c.month < over and unpaid(c)}
    assert set(unpaid_in_year(year, as_of).values_list("pk", flat=True)) == expected
    owed: dict[int, tuple[int, int]] = {}
    for c in charges:
        if c.month < over and unpaid(c):
            total, n = owed.get(c.member_id, (0, 0))
            owed[c.member_id] = (total + c.amount - paid[c.pk], n + 1)
    members = {c.member_id for c in charges}
    assert {m: (t, n) for m, t, n in arrears_of(members, as_of)} == owed
    under = {r.member_id: (r.owed, r.months) for r in arrears_under(unit, as_of)}
    assert under == owed


def test_the_kept_sums_follow_random_histories(world):
    today = timezone.localdate()
    this = months.first(today)
    span = [months.shift(this, -k) for k in range(5, -3, -1)]  # 5 months back, 2 ahead
    people = [world.member, world.member2, *(f.member(world.cell) for _ in range(3))]
    in_cell = [p for p in people if p.home_unit_id == world.cell.pk]
    # Bases from the first month; its charges are posted month by month below (some after
    # payments made ahead for them).
    for p in people:
        basis(p, span[0])
    meetings: list[Meeting] = [
        ms.meeting_create(
            cell=world.cell,
            kind=Kind.REGULAR,
            planned_at=timezone.make_aware(
                dt.datetime.combine(m + dt.timedelta(days=4), dt.time(19, 30))
            ),
            actor=None,
        )
        for m in span[1:5]
    ]
    rng = random.Random(13)
    refs = iter(range(1, 10**6))
    posted = {span[0], this}
    for _step in range(120):
        kind = rng.choice(
            ["pay", "pay", "delete", "statement", "meeting", "meeting", "waiver", "post", "import"]
        )
        p = rng.choice(people)
        month = rng.choice(span)
        day = min(today, months.last_day(month)) if month <= this else today
        try:
            with transaction.atomic():
                if kind == "pay":
                    services.payment_record(
                        member=p,
                        month=month,
                        amount=rng.choice([5_000, 20_000, 50_000, 60_000]),
                        paid_on=day,
                        actor=None,
                    )
                elif kind == "delete":
                    found = DuesPayment.objects.exclude(source=Source.MEETING).order_by("?").first()
                    if found is not None:
                        services.payment_delete(payment=found, actor=None)
                elif kind == "statement":
                    rows = [HEAD]
                    for _ in range(rng.randint(1, 4)):
                        q = rng.choice(people)
                        m = rng.choice(span[:6])
                        on = min(today, months.last_day(m))
                        rows.append(
                            [f"GD{next(refs)}", q.code, f"{m:%m/%Y}", "30000", f"{on:%d/%m/%Y}"]
                        )
                    upload = SimpleUploadedFile("saoke.csv", csv_bytes(rows))
                    services.statement_import(file=upload, unit=world.base, actor=None)
                elif kind == "meeting":
                    m = rng.choice(meetings)
                    m.refresh_from_db()
                    record.dues_record(
                        meeting=m,
                        version=m.version,
                        member=rng.choice(in_cell),
                        month=rng.choice(span[:6]),
                        amount=rng.choice([0, 40_000, 60_000]),
                        collected=rng.random() < 0.75,
                        actor=None,
                    )
                elif kind == "waiver":
                    found_w = DuesWaiver.objects.order_by("?").first()
                    if found_w is not None and rng.random() < 0.4:
                        services.waiver_delete(waiver=found_w, actor=None)
                    else:
                        start = rng.choice(span[:6])
                        services.waiver_add(
                            member=p,
                            start=start,
                            end=months.shift(start, rng.randint(0, 2)),
                            reason="Ốm đau",
                            actor=None,
                        )
                elif kind == "post":
                    todo = [m for m in span if m <= this and m not in posted]
                    if todo:
                        m = rng.choice(todo)
                        services.charges_post(month=m, unit=world.base, actor=None)
                        posted.add(m)
                elif kind == "import":
                    m = rng.choice([m for m in span if m <= this])
                    services.ledger_import(
                        member=p,
                        month=m,
                        amount_due=rng.choice([None, 50_000]),
                        amount_paid=rng.choice([None, 10_000, 50_000]),
                        paid_on=None,
                        actor=None,
                    )
        except ValidationError:
            pass  # refused (a month paid another way, a clash of waivers...): nothing written
        check(world.base, today)
    assert DuesCharge.objects.exclude(paid=0).exists()
    assert DuesCharge.objects.filter(paid__lt=F("amount")).exists()
    assert DuesPayment.objects.filter(source=Source.MEETING).exists()
    assert DuesPayment.objects.filter(source=Source.STATEMENT).exists()


def test_charges_posted_after_payments_keep_what_was_paid_ahead(world):
    today = timezone.localdate()
    ahead = months.shift(months.first(today), 1)
    basis(world.member, months.first(today))
    services.payment_record(
        member=world.member, month=ahead, amount=20_000, paid_on=today, actor=None
    )
    services.payment_record(
        member=world.member, month=ahead, amount=5_000, paid_on=today, actor=None
    )
    services.charges_post(month=ahead, unit=world.base, actor=None)
    assert DuesCharge.objects.get(member=world.member, month=ahead).paid == 25_000


def test_the_repair_command_puts_kept_sums_right(world):
    today = timezone.localdate()
    this = months.first(today)
    basis(world.member, this)
    basis(world.member2, this)
    services.payment_record(
        member=world.member, month=this, amount=7_000, paid_on=today, actor=None
    )
    DuesCharge.objects.filter(member=world.member).update(paid=99)  # spoiled
    DuesCharge.objects.filter(member=world.member2).update(paid=5)
    out = io.StringIO()
    call_command("dues-repair-paid", "--org", world.cell.code, stdout=out)
    assert "1 charges" in out.getvalue()
    assert DuesCharge.objects.get(member=world.member).paid == 7_000
    assert DuesCharge.objects.get(member=world.member2).paid == 5  # another cell's
    call_command("dues-repair-paid", stdout=out)
    assert DuesCharge.objects.get(member=world.member2).paid == 0
    call_command("dues-repair-paid", stdout=(again := io.StringIO()))
    assert "0 charges" in again.getvalue()
