"""Transfers between cells (members.transfers): where the member counts on every date, the
refusals (each writing nothing), cancelling, ending a temporary transfer early, the lists in
and out of a unit against hand counts, and the pages with their permissions."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from chibo.meetings import services as meeting_services
from chibo.meetings.models import Kind as MeetingKind
from chibo.members import queries, services, transfers
from chibo.members.models import (
    EventKind,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    Transfer,
    TransferState,
)
from chibo.members.queries import unit_counts
from chibo.org import services as org_services
from chibo.testing import factories as f
from chibo.testing.api import fingerprint

OFFICIAL, TEMPORARY = PlacementKind.OFFICIAL, PlacementKind.TEMPORARY
D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # messages are asserted in English
        yield


def written() -> tuple[int, ...]:
    """Everything a transfer writes leaves a history row: the shared fingerprint, and the
    transfers' own history."""
    return (*fingerprint(), Transfer.history.count())  # type: ignore[attr-defined]


def where(member: Member, day: dt.date, *cells) -> set[str]:
    """The cells (by code) that hold the member officially on `day`."""
    return {c.code for c in cells if Member.objects.placed_in(c, day).filter(pk=member.pk).exists()}


def in_party(unit, day: dt.date) -> int:
    """The figure every report uses for a unit on a date."""
    return unit_counts([unit], day)[unit.pk]["in_party"]


def hosted_in(member: Member, cell, day: dt.date) -> bool:
    return (
        Placement.objects.active_on(day).filter(member=member, unit=cell, kind=TEMPORARY).exists()
    )


def send(member, to_unit, sent_on, kind=OFFICIAL, **kw) -> Transfer:
    return transfers.transfer_send(
        actor=kw.pop("actor", None),
        member=member,
        kind=kind,
        to_unit=to_unit,
        letter_number=kw.pop("letter_number", "15-GGT/ĐU"),
        sent_on=sent_on,
        **kw,
    )


def refused(call, field: str | None, message: str) -> None:
    """`call` raises `message` (on `field`, or on the whole request) and writes nothing."""
    before = written()
    with pytest.raises(ValidationError) as caught:
        call()
    e = caught.value
    if field is None:
        assert message in e.messages, e.messages
        assert not hasattr(e, "error_dict") or "__all__" in e.error_dict
    else:
        assert message in e.message_dict.get(field, []), e.message_dict
    assert written() == before


# Where the member counts -----------------------------------------------------------------------


def test_official_transfer_counts_in_the_right_cell_each_day(world):
    m = world.member
    # By hand: cell holds only `member`, other_cell only `other_member`; the province all 3.
    t = send(m, world.other_cell, D(2025, 6, 10), note="theo chồng")
    assert (t.state, t.from_unit, t.to_unit) == (
        TransferState.PENDING,
        world.cell,
        world.other_cell,
    )
    cells = (world.cell, world.cell2, world.other_cell)
    assert where(m, D(2025, 6, 9), *cells) == {"X01-CB01"}  # the day before sending
    assert where(m, D(2025, 6, 10), *cells) == set()  # sending day: in transit
    assert where(m, D(2025, 6, 15), *cells) == set()  # a report date while pending
    assert [in_party(u, D(2025, 6, 9)) for u in (world.cell, world.other_cell)] == [1, 1]
    assert [in_party(u, D(2025, 6, 15)) for u in (world.cell, world.other_cell)] == [0, 1]
    assert in_party(world.province, D(2025, 6, 9)) == 3
    assert in_party(world.province, D(2025, 6, 15)) == 2  # counted nowhere while in transit
    # The record stays with the sending cell until received.
    m.refresh_from_db()
    assert m.home_unit_id == world.cell.pk
    assert not MemberEvent.objects.filter(member=m, kind=EventKind.TRANSFERRED).exists()
    # Pending on the report date: listed as pending in both units' lists.
    for unit, direction in ((world.base, "out"), (world.other_base, "in")):
        (row,) = queries.transfer_list(
            Transfer.objects.all(), unit=unit, start=D(2025, 1, 1), end=D(2025, 6, 15)
        )
        assert (row.pk, row.phase, row.direction) == (t.pk, "pending", direction)
        assert queries.days_in_transit(row) == 5

    transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 6, 20))
    assert where(m, D(2025, 6, 19), *cells) == set()
    assert where(m, D(2025, 6, 20), *cells) == {"X02-CB01"}  # receiving day
    assert [in_party(u, D(2025, 6, 20)) for u in (world.cell, world.other_cell)] == [0, 2]
    assert in_party(world.province, D(2025, 6, 20)) == 3
    # A report on a date while it was pending still says so, after it was received.
    assert where(m, D(2025, 6, 15), *cells) == set()
    (row,) = queries.transfer_list(
        Transfer.objects.all(), unit=world.other_base, start=D(2025, 1, 1), end=D(2025, 6, 15)
    )
    assert (row.phase, queries.days_in_transit(row)) == ("pending", 5)
    (row,) = queries.transfer_list(
        Transfer.objects.all(), unit=world.other_base, start=D(2025, 1, 1), end=D(2025, 6, 30)
    )
    assert (row.phase, queries.days_in_transit(row)) == ("accepted", 10)
    t.refresh_from_db()
    m.refresh_from_db()
    new = Placement.objects.get(member=m, unit=world.other_cell)
    assert (t.state, t.received_on, t.placement_id) == (
        TransferState.ACCEPTED,
        D(2025, 6, 20),
        new.pk,
    )
    assert (new.kind, new.start, new.end, new.letter_number) == (
        OFFICIAL,
        D(2025, 6, 20),
        None,
        "15-GGT/ĐU",
    )
    assert m.home_unit_id == world.other_cell.pk
    moved = MemberEvent.objects.get(member=m, kind=EventKind.TRANSFERRED)
    assert (moved.date, moved.decision_number, moved.note) == (
        D(2025, 6, 10),
        "15-GGT/ĐU",
        "X01-CB01 → X02-CB01",
    )


def test_roster_of_a_meeting_while_in_transit(world):
    m = world.member
    t = send(m, world.cell2, D(2025, 6, 10))
    planned = timezone.make_aware(dt.datetime(2025, 6, 12, 19, 30))
    for cell in (world.cell, world.cell2):
        meeting = meeting_services.meeting_create(
            cell=cell, kind=MeetingKind.REGULAR, planned_at=planned, actor=None
        )
        roster = meeting_services.roster_freeze(
            meeting=meeting, version=meeting.version, actor=None
        )
        assert m.pk not in {r.member_id for r in roster}
    transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 6, 13))
    meeting = meeting_services.meeting_create(
        cell=world.cell2,
        kind=MeetingKind.REGULAR,
        planned_at=planned + dt.timedelta(days=1),
        actor=None,
    )
    roster = meeting_services.roster_freeze(meeting=meeting, version=meeting.version, actor=None)
    assert m.pk in {r.member_id for r in roster}


def test_days_in_transit_across_29_february(world):
    t = send(world.member, world.cell2, D(2024, 2, 28))
    t = transfers.transfer_accept(actor=None, transfer=t, received_on=D(2024, 3, 1))
    assert queries.days_in_transit(t) == 2  # 28/02 → 29/02 → 01/03
    assert where(world.member, D(2024, 2, 29), world.cell, world.cell2) == set()
    assert where(world.member, D(2024, 3, 1), world.cell, world.cell2) == {"X01-CB02"}


def test_received_the_day_it_was_sent_is_never_in_transit(world):
    t = send(world.member, world.cell2, D(2025, 3, 1))
    t = transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 3, 1))
    assert queries.days_in_transit(t) == 0
    assert where(world.member, D(2025, 2, 28), world.cell, world.cell2) == {"X01-CB01"}
    assert where(world.member, D(2025, 3, 1), world.cell, world.cell2) == {"X01-CB02"}


def test_temporary_transfer_counts_in_the_sender_and_takes_part_in_the_receiver(world):
    m = world.member
    t = send(m, world.cell2, D(2025, 3, 1), kind=TEMPORARY, until=D(2025, 9, 1))
    before_accept = Placement.objects.filter(member=m).count()
    assert before_accept == 1  # nothing changes until received
    t = transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 3, 5))
    assert t.placement is not None
    assert (t.placement.kind, t.placement.start, t.placement.end) == (
        TEMPORARY,
        D(2025, 3, 5),
        D(2025, 9, 1),
    )
    for day in (D(2025, 2, 28), D(2025, 3, 1), D(2025, 3, 5), D(2025, 8, 31), D(2025, 9, 1)):
        assert where(m, day, world.cell, world.cell2) == {"X01-CB01"}, day
        assert in_party(world.cell, day) == 1 and in_party(world.cell2, day) == 1
    assert not hosted_in(m, world.cell2, D(2025, 3, 4))
    assert hosted_in(m, world.cell2, D(2025, 3, 5))  # receiving day
    assert hosted_in(m, world.cell2, D(2025, 8, 31))  # the day before `until`
    assert not hosted_in(m, world.cell2, D(2025, 9, 1))  # `until` itself: back home
    m.refresh_from_db()
    assert m.home_unit_id == world.cell.pk
    assert not MemberEvent.objects.filter(member=m, kind=EventKind.TRANSFERRED).exists()
    # Meetings: hosted in the receiving cell, away from the sending one, until `until`.
    rosters = {}
    for cell, day in ((world.cell2, 31), (world.cell, 31)):
        meeting = meeting_services.meeting_create(
            cell=cell,
            kind=MeetingKind.REGULAR,
            planned_at=timezone.make_aware(dt.datetime(2025, 8, day, 19)),
            actor=None,
        )
        roster = meeting_services.roster_freeze(
            meeting=meeting, version=meeting.version, actor=None
        )
        rosters[cell.code] = {r.member_id: r for r in roster}
    assert rosters["X01-CB02"][m.pk].hosted
    assert rosters["X01-CB01"][m.pk].away
    september = meeting_services.meeting_create(
        cell=world.cell2,
        kind=MeetingKind.REGULAR,
        planned_at=timezone.make_aware(dt.datetime(2025, 9, 1, 19)),
        actor=None,
    )
    roster = meeting_services.roster_freeze(
        meeting=september, version=september.version, actor=None
    )
    assert m.pk not in {r.member_id for r in roster}


def test_temporary_transfer_ends_early(world):
    m = world.member
    t = send(m, world.cell2, D(2025, 3, 1), kind=TEMPORARY, until=D(2025, 9, 1))
    t = transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 3, 5))
    assert t.placement is not None
    start = t.placement.start
    refused(
        lambda: transfers.temporary_end(actor=None, transfer=t, on=start),
        "on",
        "The end must come after the member was received, on 05/03/2025.",
    )
    refused(
        lambda: transfers.temporary_end(actor=None, transfer=t, on=D(2025, 9, 1)),
        "on",
        "The temporary transfer already ends on 01/09/2025.",
    )
    refused(
        lambda: transfers.temporary_end(
            actor=None, transfer=t, on=timezone.localdate() + dt.timedelta(days=1)
        ),
        "on",
        "The date cannot be in the future.",
    )
    transfers.temporary_end(actor=None, transfer=t, on=D(2025, 7, 1))
    assert hosted_in(m, world.cell2, D(2025, 6, 30))
    assert not hosted_in(m, world.cell2, D(2025, 7, 1))
    t.refresh_from_db()
    assert t.until == D(2025, 7, 1)
    assert where(m, D(2025, 7, 1), world.cell, world.cell2) == {"X01-CB01"}
    # An official one, or a temporary one not yet received, has nothing to end.
    pending = send(world.member2, world.cell, D(2025, 3, 1), kind=TEMPORARY, until=D(2025, 9, 1))
    official = transfers.member_transfer(
        actor=None, member=f.member(world.cell), to_unit=world.cell2, left_on=D(2025, 3, 1)
    )
    for other in (pending, official.transfer):
        refused(
            lambda other=other: transfers.temporary_end(
                actor=None, transfer=other, on=D(2025, 5, 1)
            ),
            None,
            "Only a received temporary transfer can be ended early.",
        )


# Cancelling ------------------------------------------------------------------------------------


def test_cancelling_an_official_transfer_restores_the_sending_cell(world):
    m = world.member
    original = Placement.objects.get(member=m)
    t = send(m, world.other_cell, D(2025, 6, 10))
    assert where(m, D(2025, 6, 10), world.cell, world.other_cell) == set()
    transfers.transfer_cancel(actor=None, transfer=t)
    for day in (D(2025, 6, 9), D(2025, 6, 10), D(2025, 6, 30), timezone.localdate()):
        assert where(m, day, world.cell, world.other_cell) == {"X01-CB01"}
    assert in_party(world.cell, D(2025, 6, 15)) == 1
    original.refresh_from_db()
    assert original.end is None
    t.refresh_from_db()
    assert (t.state, t.placement_id, t.received_on) == (TransferState.CANCELLED, None, None)
    assert not MemberEvent.objects.filter(member=m, kind=EventKind.TRANSFERRED).exists()
    refused(
        lambda: transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 6, 20)),
        None,
        "Only a transfer waiting to be received can be accepted.",
    )
    refused(
        lambda: transfers.transfer_cancel(actor=None, transfer=t),
        None,
        "Only a transfer waiting to be received can be cancelled.",
    )
    # Cancelled, it no longer blocks a new transfer.
    send(m, world.cell2, D(2025, 7, 1))


def test_cancelling_a_temporary_transfer_changes_no_placement(world):
    m = world.member
    t = send(m, world.cell2, D(2025, 3, 1), kind=TEMPORARY, until=D(2025, 9, 1))
    placements = list(Placement.objects.filter(member=m).values_list("pk", "start", "end"))
    transfers.transfer_cancel(actor=None, transfer=t)
    assert list(Placement.objects.filter(member=m).values_list("pk", "start", "end")) == placements


def test_a_received_transfer_cannot_be_cancelled(world):
    t = send(world.member, world.cell2, D(2025, 3, 1))
    transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 3, 2))
    refused(
        lambda: transfers.transfer_cancel(actor=None, transfer=t),
        None,
        "Only a transfer waiting to be received can be cancelled.",
    )


# Refusals: each writes nothing -----------------------------------------------------------------


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"letter_number": "  "}, "letter_number", "Give the number of the transfer letter."),
        ({"sent_on": "tomorrow"}, "sent_on", "The date cannot be in the future."),
        ({"to_unit": "cell"}, "to_unit", "The member is already placed in that cell."),
        ({"to_unit": "base"}, "to_unit", "Members are placed in a cell or a base cell."),
        # The member has been placed in `cell` since 02/03/2015: the day itself is refused.
        (
            {"sent_on": D(2015, 3, 2)},
            "sent_on",
            "The leaving date must be after the current placement began.",
        ),
        (
            {"kind": TEMPORARY, "sent_on": D(2015, 3, 1), "until": D(2015, 6, 1)},
            "sent_on",
            "The sending date is before the current placement began.",
        ),
        ({"kind": TEMPORARY}, "until", "Give the date the temporary transfer ends."),
        (
            {"kind": TEMPORARY, "until": D(2025, 6, 10)},
            "until",
            "A temporary transfer must end after the sending date.",
        ),
        ({"until": D(2025, 9, 1)}, "until", "Only a temporary transfer has an end date."),
        ({"kind": "forever"}, "kind", "Choose an official or a temporary transfer."),
    ],
)
def test_send_refusals(world, change, field, message):
    args = {
        "actor": None,
        "member": world.member,
        "kind": OFFICIAL,
        "to_unit": world.other_cell,
        "letter_number": "15-GGT",
        "sent_on": D(2025, 6, 10),
    }
    for key, value in change.items():
        if value in ("cell", "base"):
            value = getattr(world, value)
        elif value == "tomorrow":
            value = tomorrow()
        args[key] = value
    refused(lambda: transfers.transfer_send(**args), field, message)


def test_send_boundaries_the_day_after_is_accepted(world):
    # Official: the day after the placement began. Temporary: the day it began, ending the
    # day after sending.
    t = send(world.member, world.cell2, D(2015, 3, 3))
    assert t.sent_on == D(2015, 3, 3)
    other = f.member(world.cell, placed_since=D(2020, 1, 1))
    t = send(other, world.cell2, D(2020, 1, 1), kind=TEMPORARY, until=D(2020, 1, 2))
    assert t.until == D(2020, 1, 2)
    today = send(world.member2, world.cell, timezone.localdate())
    assert today.sent_on == timezone.localdate()


def test_send_refused_out_of_the_party_and_while_one_is_pending(world):
    m = world.member
    services.event_create(actor=None, member=m, kind=EventKind.DECEASED, date=D(2025, 1, 1))
    refused(
        lambda: send(m, world.cell2, D(2025, 1, 1)),
        "sent_on",
        "The member is not in the Party on 01/01/2025.",
    )
    send(m, world.cell2, D(2024, 12, 31))  # the day before: still in the Party
    refused(
        lambda: send(m, world.other_cell, D(2024, 12, 31), kind=TEMPORARY, until=D(2025, 6, 1)),
        None,
        "This member already has a transfer waiting to be received: receive or cancel it first.",
    )


def test_send_refused_without_a_current_official_placement(world):
    m = world.member2
    services.placement_update(
        actor=None, placement=Placement.objects.get(member=m), end=D(2025, 1, 1)
    )
    refused(
        lambda: send(m, world.cell, D(2025, 2, 1)),
        None,
        "The member has no current official placement to transfer from.",
    )


def test_accept_refusals_and_boundaries(world):
    t = send(world.member, world.other_cell, D(2025, 6, 10))
    refused(
        lambda: transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 6, 9)),
        "received_on",
        "The receiving date is before the sending date.",
    )
    refused(
        lambda: transfers.transfer_accept(actor=None, transfer=t, received_on=tomorrow()),
        "received_on",
        "The date cannot be in the future.",
    )
    temporary = send(world.member2, world.cell, D(2025, 3, 1), kind=TEMPORARY, until=D(2025, 4, 1))
    refused(
        lambda: transfers.transfer_accept(
            actor=None, transfer=temporary, received_on=D(2025, 4, 1)
        ),
        "received_on",
        "The temporary transfer ends on 01/04/2025: it cannot be received that day or later.",
    )
    transfers.transfer_accept(
        actor=None, transfer=temporary, received_on=D(2025, 3, 31)
    )  # the day before
    # Died in transit: the receiving cell cannot take the member in after that.
    services.event_create(
        actor=None, member=world.member, kind=EventKind.DECEASED, date=D(2025, 6, 15)
    )
    refused(
        lambda: transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 6, 15)),
        "received_on",
        "The member is not in the Party on 15/06/2025.",
    )
    transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 6, 14))


def test_member_transfer_sends_and_receives_at_once(world):
    """The old one-step transfer goes through the same two steps: one way to move a member."""
    placement = transfers.member_transfer(
        actor=None,
        member=world.member,
        to_unit=world.cell2,
        left_on=D(2025, 6, 1),
        arrived_on=D(2025, 6, 4),
    )
    t = Transfer.objects.get(member=world.member)
    assert (t.kind, t.state, t.sent_on, t.received_on, t.letter_number, t.placement_id) == (
        OFFICIAL,
        TransferState.ACCEPTED,
        D(2025, 6, 1),
        D(2025, 6, 4),
        "",  # past transfers entered afterwards may lack the letter number
        placement.pk,
    )
    before = written()
    with pytest.raises(ValidationError) as caught:
        transfers.member_transfer(
            actor=None, member=world.member2, to_unit=world.cell, left_on=tomorrow()
        )
    assert caught.value.message_dict == {"left_on": ["The date cannot be in the future."]}
    assert written() == before


# Lists in and out of a unit --------------------------------------------------------------------


@pytest.fixture
def moves(world):
    """Seven transfers around the first half of 2025 (see each line). Report: 30/06/2025."""
    cell, cell2, other = world.cell, world.cell2, world.other_cell
    people = {
        k: f.member(c)
        for k, c in zip("abcdefg", [cell, cell2, other, cell, cell, cell2, cell], strict=True)
    }
    made = {}

    def accept(t, day):
        return transfers.transfer_accept(actor=None, transfer=t, received_on=day)

    # a: out of X01 into X02, received within the period.
    made["a"] = accept(send(people["a"], other, D(2025, 3, 10)), D(2025, 3, 20))
    # b: within X01, still pending.
    made["b"] = send(people["b"], cell, D(2025, 6, 1))
    # c: temporary from X02 into X01, received after the report date: pending on it.
    made["c"] = accept(
        send(people["c"], cell2, D(2025, 5, 15), kind=TEMPORARY, until=D(2025, 12, 1)),
        D(2025, 7, 20),
    )
    # d: within X01, sent before the period, received in it.
    made["d"] = accept(send(people["d"], cell2, D(2024, 12, 1)), D(2025, 1, 5))
    # e: sent after the period: not listed.
    made["e"] = send(people["e"], other, D(2025, 7, 1))
    # f: out of X01 into X02, cancelled.
    made["f"] = transfers.transfer_cancel(
        actor=None, transfer=send(people["f"], other, D(2025, 2, 1))
    )
    # g: within X01, all of it before the period: not listed.
    made["g"] = accept(send(people["g"], cell2, D(2024, 11, 1)), D(2024, 11, 15))
    return made


def listed(unit, moves, **kw):
    rows = queries.transfer_list(
        Transfer.objects.all(), unit=unit, start=D(2025, 1, 1), end=D(2025, 6, 30), **kw
    )
    names = {t.pk: k for k, t in moves.items()}
    return [(names[r.pk], r.direction, r.phase, queries.days_in_transit(r)) for r in rows]


def test_unit_lists_against_hand_counts(world, moves):
    # Pending first, longest in transit first; then received, latest first; then cancelled.
    # Days by hand: c 15/05→30/06 = 16+30 = 46; b 01/06→30/06 = 29; a 10/03→20/03 = 10;
    # d 01/12/2024→05/01/2025 = 30+5 = 35.
    assert listed(world.base, moves) == [
        ("c", "in", "pending", 46),
        ("b", "internal", "pending", 29),
        ("a", "out", "accepted", 10),
        ("d", "internal", "accepted", 35),
        ("f", "out", "cancelled", None),
    ]
    assert listed(world.other_base, moves) == [
        ("c", "out", "pending", 46),
        ("a", "in", "accepted", 10),
        ("f", "in", "cancelled", None),
    ]
    assert listed(world.cell, moves) == [  # f left from cell2
        ("b", "in", "pending", 29),
        ("a", "out", "accepted", 10),
        ("d", "out", "accepted", 35),
    ]
    assert [x[0] for x in listed(world.province, moves)] == ["c", "b", "a", "d", "f"]
    assert {x[1] for x in listed(world.province, moves)} == {"internal"}
    assert [x[0] for x in listed(world.base, moves, direction="internal")] == ["b", "d"]
    assert [x[0] for x in listed(world.base, moves, state="pending")] == ["c", "b"]
    counts = queries.transfer_counts(
        queries.transfer_list(
            Transfer.objects.all(), unit=world.base, start=D(2025, 1, 1), end=D(2025, 6, 30)
        )
    )
    assert counts == {
        "in_pending": 1,
        "in_accepted": 0,
        "in_cancelled": 0,
        "out_pending": 0,
        "out_accepted": 1,
        "out_cancelled": 1,
        "internal_pending": 1,
        "internal_accepted": 1,
        "internal_cancelled": 0,
    }


def test_unit_list_keeps_the_tree_as_it_stood(world):
    """A cell that changed base committee after a transfer: the old base still lists it."""
    t = transfers.transfer_accept(
        actor=None,
        transfer=send(world.member, world.cell2, D(2025, 3, 1)),
        received_on=D(2025, 3, 3),
    )
    org_services.orgunit_move(
        actor=None, unit=world.cell2, new_parent=world.other_base, on=D(2025, 5, 1)
    )

    def rows(unit):
        qs = Transfer.objects.all()
        return [
            (r.pk, r.direction)
            for r in queries.transfer_list(qs, unit=unit, start=D(2025, 1, 1), end=D(2025, 6, 30))
        ]

    assert rows(world.base) == [(t.pk, "internal")]
    assert rows(world.other_base) == []


# Pages -----------------------------------------------------------------------------------------


def test_send_page(world, cast, en):
    c = en(cast.secretary)
    url = reverse("members:transfer_send", args=[world.member.pk])
    assert c.get(url).status_code == 200
    body = {
        "kind": "official",
        "to_unit": "x02-cb01",  # a cell outside the secretary's scope, named by its code
        "letter_number": "21-GGT",
        "sent_on": "10/06/2025",
    }
    before = written()
    r = c.post(url, {**body, "to_unit": "NOPE"})
    assert r.status_code == 422 and "No cell with code NOPE." in r.text
    r = c.post(url, {**body, "letter_number": ""})
    assert r.status_code == 422 and "This field is required." in r.text
    r = c.post(url, {**body, "kind": "temporary"})
    assert r.status_code == 422 and "Give the date the temporary transfer ends." in r.text
    assert written() == before
    r = c.post(url, body)
    t = Transfer.objects.get(member=world.member)
    assert r.status_code == 302 and r.url == reverse("members:transfer_detail", args=[t.pk])
    assert (t.to_unit, t.sent_on, t.state) == (world.other_cell, D(2025, 6, 10), "pending")
    page = c.get(reverse("members:detail", args=[world.member.pk]))
    assert (
        "in transit" in page.text and reverse("members:transfer_detail", args=[t.pk]) in page.text
    )


def test_send_page_permissions(world, cast, en):
    url = reverse("members:transfer_send", args=[world.member.pk])
    body = {
        "kind": "official",
        "to_unit": "X01-CB02",
        "letter_number": "1",
        "sent_on": "01/06/2025",
    }
    before = written()
    assert en(cast.outsider).post(url, body).status_code == 404
    assert en(cast.viewer).post(url, body).status_code == 403
    assert en(cast.viewer).get(url).status_code == 403
    assert en(cast.member).post(url, body).status_code == 403
    assert en(cast.base_officer).put(url).status_code == 405
    assert written() == before


@pytest.fixture
def outgoing(world, cast):
    """member (in the secretary's cell) sent to other_cell (the outsider's base committee)."""
    return send(world.member, world.other_cell, D(2025, 6, 10))


def test_receiving_office_accepts_sending_secretary_cannot(world, cast, en, outgoing):
    accept = reverse("members:transfer_accept", args=[outgoing.pk])
    detail = reverse("members:transfer_detail", args=[outgoing.pk])
    before = written()
    assert en(cast.secretary).post(accept, {"received_on": "20/06/2025"}).status_code == 403
    assert en(cast.viewer).post(accept, {"received_on": "20/06/2025"}).status_code == 403
    assert en(cast.member).post(accept, {"received_on": "20/06/2025"}).status_code == 403
    # Both sides read it; the receiving office sees the Accept form, the secretary does not.
    page = en(cast.secretary).get(detail)
    assert page.status_code == 200 and "accept-h" not in page.text
    page = en(cast.outsider).get(detail)
    assert page.status_code == 200 and "accept-h" in page.text
    assert en(cast.member).get(detail).status_code == 200  # their own transfer
    r = en(cast.outsider).post(accept, {"received_on": "09/06/2025"})
    assert r.status_code == 422 and "The receiving date is before the sending date." in r.text
    assert written() == before
    assert en(cast.outsider).get(accept).status_code == 405
    r = en(cast.outsider).post(accept, {"received_on": "20/06/2025"})
    assert r.status_code == 302 and r.url == detail
    outgoing.refresh_from_db()
    assert (outgoing.state, outgoing.received_on) == ("accepted", D(2025, 6, 20))
    assert where(world.member, D(2025, 6, 20), world.cell, world.other_cell) == {"X02-CB01"}


def test_sending_side_cancels_receiving_side_cannot(world, cast, en, outgoing):
    cancel = reverse("members:transfer_cancel", args=[outgoing.pk])
    before = written()
    assert en(cast.outsider).post(cancel).status_code == 403
    assert en(cast.viewer).post(cancel).status_code == 403
    assert en(cast.secretary).get(cancel).status_code == 405
    assert written() == before
    r = en(cast.secretary).post(cancel, {"next": "https://evil.example/"})
    assert r.status_code == 302 and r.url == reverse("members:transfer_detail", args=[outgoing.pk])
    outgoing.refresh_from_db()
    assert outgoing.state == "cancelled"
    r = en(cast.secretary).post(cancel)
    assert (
        r.status_code == 422
        and "Only a transfer waiting to be received can be cancelled." in r.text
    )


def test_outsider_gets_404_on_a_transfer_inside_another_commune(world, cast, en):
    t = send(world.member, world.cell2, D(2025, 3, 1), kind=TEMPORARY, until=D(2025, 9, 1))
    names = ["transfer_detail", "transfer_accept", "transfer_cancel", "transfer_end"]
    before = written()
    for name in names:
        url = reverse(f"members:{name}", args=[t.pk])
        method = "get" if name == "transfer_detail" else "post"
        assert getattr(en(cast.outsider), method)(url).status_code == 404, name
    assert (
        en(cast.base_officer).post(reverse("members:transfer_detail", args=[t.pk])).status_code
        == 405
    )
    assert written() == before


def test_end_page(world, cast, en):
    t = send(world.member, world.other_cell, D(2025, 3, 1), kind=TEMPORARY, until=D(2025, 9, 1))
    transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 3, 2))
    end = reverse("members:transfer_end", args=[t.pk])
    assert en(cast.viewer).post(end, {"on": "01/05/2025"}).status_code == 403
    r = en(cast.outsider).post(end, {"on": "02/03/2025"})  # the receiving side may end it too
    assert r.status_code == 422 and "The end must come after the member was received" in r.text
    r = en(cast.secretary).post(end, {"on": "01/05/2025"})
    assert r.status_code == 302
    assert not hosted_in(world.member, world.other_cell, D(2025, 5, 1))
    assert hosted_in(world.member, world.other_cell, D(2025, 4, 30))


def _rows(html: str) -> list[tuple[int, str, str]]:
    return [
        (int(pk), direction, phase)
        for pk, phase, direction in re.findall(
            r'data-transfer="(\d+)" data-phase="(\w+)" data-direction="(\w+)"', html
        )
    ]


def _count(html: str, key: str) -> str:
    m = re.search(rf'data-key="{key}">([^<]*)<', html)
    assert m, key
    return m.group(1)


def test_unit_page_lists_in_and_out(world, cast, en, moves):
    url = reverse("members:transfers_unit", args=[world.base.pk])
    r = en(cast.viewer).get(url, {"from": "01/01/2025", "to": "30/06/2025"})
    assert r.status_code == 200
    expected = [
        ("c", "in", "pending"),
        ("b", "internal", "pending"),
        ("a", "out", "accepted"),
        ("d", "internal", "accepted"),
        ("f", "out", "cancelled"),
    ]
    assert _rows(r.text) == [(moves[k].pk, d, p) for k, d, p in expected]
    assert [_count(r.text, k) for k in ("in_pending", "out_accepted", "internal_accepted")] == [
        "1",
        "1",
        "1",
    ]
    assert "46 so far" in r.text  # c: 15/05 → 30/06
    # The viewer writes nowhere: no buttons. The base office writes both sides of b.
    assert "transfer_accept" not in r.text and "/accept/" not in r.text
    r = en(cast.base_officer).get(url, {"from": "01/01/2025", "to": "30/06/2025"})
    b = moves["b"].pk
    assert reverse("members:transfer_accept", args=[b]) in r.text
    assert reverse("members:transfer_cancel", args=[b]) in r.text
    # c is received now (20/07): the list as of 30/06 shows it pending, with no button.
    assert reverse("members:transfer_accept", args=[moves["c"].pk]) not in r.text
    # HTMX asks for the results only.
    part = en(cast.viewer).get(
        url, {"from": "01/01/2025", "to": "30/06/2025"}, headers={"HX-Request": "true"}
    )
    assert part.status_code == 200 and "<html" not in part.text and 'id="results"' in part.text
    r = en(cast.viewer).get(url, {"from": "01/07/2025", "to": "30/06/2025"})
    assert r.status_code == 422 and "The start of the period is after its end." in r.text


def test_unit_page_accept_returns_to_the_list(world, cast, en, moves):
    url = reverse("members:transfers_unit", args=[world.base.pk]) + "?to=30/06/2025"
    accept = reverse("members:transfer_accept", args=[moves["b"].pk])
    r = en(cast.base_officer).post(accept, {"received_on": "02/06/2025", "next": url})
    assert r.status_code == 302 and r.url == url
    assert where(moves["b"].member, D(2025, 6, 2), world.cell, world.cell2) == {"X01-CB01"}


def test_unit_page_permissions(world, cast, en):
    url = reverse("members:transfers_unit", args=[world.base.pk])
    assert en(cast.outsider).get(url).status_code == 404
    assert en(cast.member).get(url).status_code == 403  # a plain member has no unit lists
    assert en(cast.viewer).post(url).status_code == 405
    assert en(cast.secretary).get(url).status_code == 404  # the base is above their cell
    assert (
        en(cast.secretary).get(reverse("members:transfers_unit", args=[world.cell.pk])).status_code
        == 200
    )
