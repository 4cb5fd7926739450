"""Dues collected at the demo's meetings: the first item of each monthly meeting. The dues
ledger's planner (chibo.dues.demo) says who pays each month at their cell's meeting and how
much; here each is recorded in the meeting's dues record (DuesCollection) of the cell's first
monthly meeting held that month, with the ledger's payment "meeting:<id>" paid on the meeting's
day, as record.dues_record and chibo.dues.services.meeting_payment_set leave them. A member
absent from that meeting (or whose cell did not meet that month) pays the treasurer some days
later instead.

Read from the meetings written by the meetings' planner, a hundred cells at a time."""

import datetime as dt
import random
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from chibo.core.demo import BulkWriter, Ids
from chibo.dues.demo import Ledger, payment_row
from chibo.dues.models import DuesCharge, DuesPayment, Source
from chibo.dues.paid import refresh
from chibo.meetings.models import Attendance, DuesCollection, Kind, Meeting, Presence, State

CELLS_PER_BATCH = 100


def _month_index(ledger: Ledger) -> dict[tuple[int, int], int]:
    return {(m.year, m.month): i for i, m in enumerate(ledger.months)}


def dues_collect(writer: BulkWriter, rng: random.Random, ledger: Ledger, *, ids: Ids) -> int:
    """Write the dues paid at meetings (or to the treasurer when the member missed it);
    returns how many were collected at a meeting."""
    index = _month_index(ledger)
    first = timezone.make_aware(dt.datetime.combine(ledger.months[0], dt.time()))
    cells = sorted(ledger.at_meetings)
    collected = 0
    for start in range(0, len(cells), CELLS_PER_BATCH):
        batch = cells[start : start + CELLS_PER_BATCH]
        # The first monthly meeting held in each cell and month.
        monthly: dict[tuple[int, int], tuple[int, dt.date]] = {}
        held = (
            Meeting.objects.filter(
                cell_id__in=batch,
                state__in=[State.HELD, State.ADOPTED],
                planned_at__gte=first,
            )
            .filter(Q(kind=Kind.REGULAR) | Q(combined=True))
            .order_by("planned_at", "pk")
            .values_list("pk", "cell_id", "planned_at", "started_at")
        )
        for pk, cell_id, planned, started in held:
            day = timezone.localtime(started or planned).date()
            i = index.get((day.year, day.month))
            if i is not None:
                monthly.setdefault((cell_id, i), (pk, day))
        present: dict[int, set[int]] = defaultdict(set)
        attendance = Attendance.objects.filter(
            meeting_id__in=[pk for pk, _day in monthly.values()], presence=Presence.PRESENT
        ).values_list("meeting_id", "member_id")
        for meeting_id, member_id in attendance:
            present[meeting_id].add(member_id)
        rows: list[dict] = []
        payments: list[dict] = []
        for cell_id in batch:
            for member_id, month, amount in ledger.at(cell_id):
                meeting = monthly.get((cell_id, index[(month.year, month.month)]))
                if meeting is not None and member_id in present[meeting[0]]:
                    pk, day = meeting
                    rows.append(
                        {
                            "id": ids.next(DuesCollection),
                            "meeting_id": pk,
                            "member_id": member_id,
                            "month": month,
                            "amount": amount,
                            "collected": True,
                        }
                    )
                    # The reference chibo.dues.services.meeting_payment_set gives.
                    reference = f"meeting:{pk}"
                    payments.append(
                        payment_row(ids, member_id, month, amount, day, Source.MEETING, reference)
                    )
                    continue
                # Missed it: paid to the treasurer within the month.
                end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
                after = meeting[1] if meeting is not None else month + dt.timedelta(days=9)
                day = min(end, after + dt.timedelta(days=rng.randint(2, 12)))
                payments.append(payment_row(ids, member_id, month, amount, day, Source.TREASURER))
        writer.insert(DuesCollection, rows, history=())
        writer.insert(DuesPayment, payments, history=())
        # What each charge of these cells was paid, kept on it (chibo.dues.paid): the ledger's
        # planner kept what it recorded; this adds the meetings' (one statement).
        refresh(DuesCharge.objects.filter(cell_id__in=batch, month__gte=ledger.months[0]))
        collected += len(rows)
    return collected
