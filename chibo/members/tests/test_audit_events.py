"""Each write to a member's record records one audit event about the member, in its
transaction: who did it, the row written, and the facts its sentence says. A refused write
leaves none; a write made of other writes (a new record, a transfer) records one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.members import services, transfers
from chibo.members.models import EventKind, Member, Placement, PlacementKind, PositionKind
from chibo.members.services import events, placements, positions, records
from chibo.org import services as org_services
from chibo.org.models import Kind
from chibo.testing import factories as f
from chibo.testing.audited import check, no_event, one_event

D = dt.date
OFFICIAL = {"t": "Official"}
TEMPORARY = {"t": "Temporary"}
PRESENT = {"t": "present"}


def english(event: AuditEvent) -> str:
    with translation.override("en"):
        return audit.sentence(event)


@pytest.fixture
def officer(cast):
    return cast.base_officer


# Placements --------------------------------------------------------------------------------


def test_placement_writes_each_record_one_event_about_the_member(world, officer):
    member = world.member
    with one_event() as got:
        p = services.placement_create(
            actor=officer,
            member=member,
            unit=world.cell2,
            kind=PlacementKind.TEMPORARY,
            start=D(2020, 2, 1),
            end=D(2020, 6, 1),
        )
    check(
        got.event,
        placements.PLACED,
        actor=officer,
        obj=p,
        about=member,
        unit="Chi bộ trường Tiểu học",
        start="01/02/2020",
        kind=TEMPORARY,
    )
    assert english(got.event) == "Placed in Chi bộ trường Tiểu học from 01/02/2020 (Temporary)"

    with one_event() as got:
        services.placement_update(actor=officer, placement=p, end=D(2020, 5, 1))
    check(
        got.event,
        placements.PLACEMENT_CHANGED,
        actor=officer,
        obj=p,
        about=member,
        start="01/02/2020",
        end="01/05/2020",
    )
    assert english(got.event) == (
        "Placement in Chi bộ trường Tiểu học (Temporary) changed: 01/02/2020 – 01/05/2020"
    )

    # An open placement runs to the present.
    official = Placement.objects.get(member=member, kind=PlacementKind.OFFICIAL)
    with one_event() as got:
        services.placement_update(actor=officer, placement=official, letter_number="12-QĐ")
    assert got.event.facts["end"] == PRESENT
    assert english(got.event) == (
        "Placement in Chi bộ thôn Đông (Official) changed: 02/03/2015 – present"
    )

    with one_event() as got:
        services.placement_delete(actor=officer, placement=p)
    check(got.event, placements.PLACEMENT_DELETED, actor=officer, obj=p, about=member)
    assert english(got.event) == "Placement in Chi bộ trường Tiểu học from 01/02/2020 deleted"

    with one_event() as got:
        services.placement_restore(actor=officer, placement=p)
    check(got.event, placements.PLACEMENT_RESTORED, actor=officer, obj=p, about=member)
    assert english(got.event) == "Placement in Chi bộ trường Tiểu học from 01/02/2020 restored"


def test_a_refused_placement_records_nothing(world, officer):
    with no_event(), pytest.raises(ValidationError):
        services.placement_create(
            actor=officer, member=world.member, unit=world.cell2, start=D(2020, 2, 1)
        )  # overlaps the official placement in Chi bộ thôn Đông
    with no_event(), pytest.raises(ValidationError):
        services.placement_create(
            actor=officer, member=world.member, unit=world.base, start=D(2020, 2, 1)
        )  # a base committee holds no members


def test_moving_a_cells_placements_is_one_event_and_a_history_row_per_placement(world, officer):
    west = f.unit(Kind.CELL, world.base, name="Chi bộ thôn Tây")
    earlier = f.member(west, full_name="Đỗ Thị Mai", placed_since=D(2021, 1, 1))
    later = f.member(west, full_name="Lý Văn Tư", placed_since=D(2022, 6, 1))
    before = Placement.history.count()  # type: ignore[attr-defined]
    with one_event() as got:
        moved = services.placement_move_all(
            actor=officer, source=west, target=world.cell2, on=D(2022, 1, 1)
        )
    assert moved == 2
    check(
        got.event,
        placements.PLACEMENTS_MOVED,
        actor=officer,
        obj=west,
        about=west,
        count=2,
        source="Chi bộ thôn Tây",
        target="Chi bộ trường Tiểu học",
        date="01/01/2022",
    )
    assert english(got.event) == (
        "Members' placements moved from Chi bộ thôn Tây to Chi bộ trường Tiểu học on 01/01/2022 (2)"
    )
    # The earlier placement ended and a new one opened; the later one moved: a history row
    # for each row written.
    assert Placement.history.count() == before + 3  # type: ignore[attr-defined]
    for m in (earlier, later):
        m.refresh_from_db()
        assert m.home_unit_id == world.cell2.pk


# Positions ---------------------------------------------------------------------------------


def test_position_writes_each_record_one_event_about_the_member(world, officer):
    member = world.member
    with one_event() as got:
        p = services.position_create(
            actor=officer,
            member=member,
            kind=PositionKind.SECRETARY,
            unit=world.cell,
            start=D(2020, 1, 1),
        )
    check(
        got.event,
        positions.POSITION_TAKEN,
        actor=officer,
        obj=p,
        about=member,
        kind={"t": "Secretary"},
        place="Chi bộ thôn Đông",
        start="01/01/2020",
    )
    assert english(got.event) == "Position Secretary at Chi bộ thôn Đông from 01/01/2020"

    with one_event() as got:
        services.position_update(actor=officer, position=p, end=D(2025, 1, 1))
    check(got.event, positions.POSITION_CHANGED, actor=officer, obj=p, about=member)
    assert english(got.event) == (
        "Position Secretary at Chi bộ thôn Đông changed: 01/01/2020 – 01/01/2025"
    )

    with one_event() as got:
        services.position_delete(actor=officer, position=p)
    check(got.event, positions.POSITION_DELETED, actor=officer, obj=p, about=member)
    with one_event() as got:
        services.position_restore(actor=officer, position=p)
    check(got.event, positions.POSITION_RESTORED, actor=officer, obj=p, about=member)
    assert english(got.event) == "Position Secretary at Chi bộ thôn Đông from 01/01/2020 restored"


def test_a_village_post_names_the_village(world, officer):
    with audit.silenced():
        village = org_services.village_create(
            actor=None, cell=world.cell, name="Thôn Đông Hạ", kind="village"
        )
    with one_event() as got:
        p = services.position_create(
            actor=officer,
            member=world.member,
            kind=PositionKind.VILLAGE_HEAD,
            village=village,
            start=D(2021, 3, 1),
        )
    check(got.event, positions.POSITION_TAKEN, actor=officer, obj=p, about=world.member)
    assert english(got.event) == "Position Village head at Thôn Đông Hạ from 01/03/2021"


def test_a_refused_position_records_nothing(world, officer):
    with no_event(), pytest.raises(ValidationError):
        services.position_create(
            actor=officer, member=world.member, kind=PositionKind.SECRETARY, start=D(2020, 1, 1)
        )  # a party post without its unit


# Events ------------------------------------------------------------------------------------


def test_event_writes_each_record_one_event_about_the_member(world, officer):
    member = world.member
    with one_event() as got:
        e = services.event_create(
            actor=officer, member=member, kind=EventKind.REPRIMAND, date=D(2020, 3, 4)
        )
    check(
        got.event,
        events.EVENT_RECORDED,
        actor=officer,
        obj=e,
        about=member,
        kind={"t": "Disciplined: reprimand"},
        date="04/03/2020",
    )
    assert english(got.event) == "Event recorded: Disciplined: reprimand on 04/03/2020"

    with one_event() as got:
        services.event_update(actor=officer, event=e, date=D(2020, 3, 5))
    check(got.event, events.EVENT_CHANGED, actor=officer, obj=e, about=member, date="05/03/2020")

    with one_event() as got:
        services.event_delete(actor=officer, event=e)
    check(got.event, events.EVENT_DELETED, actor=officer, obj=e, about=member)
    assert english(got.event) == "Event deleted: Disciplined: reprimand on 05/03/2020"

    with one_event() as got:
        services.event_restore(actor=officer, event=e)
    check(got.event, events.EVENT_RESTORED, actor=officer, obj=e, about=member)


def test_a_refused_event_records_nothing(world, officer):
    with no_event(), pytest.raises(ValidationError):
        services.event_create(
            actor=officer, member=world.member, kind=EventKind.REPRIMAND, date=D(2999, 1, 1)
        )
    admitted = world.member.events.get(kind=EventKind.ADMITTED)
    with no_event(), pytest.raises(ValidationError):
        services.event_delete(actor=officer, event=admitted)  # official recognition follows it


# The record --------------------------------------------------------------------------------


def test_a_new_record_is_one_event_not_one_per_placement_and_event(world, officer):
    with one_event() as got:
        member = services.member_create(
            actor=officer,
            profile={
                "code": "DV-AUDIT-1",
                "full_name": "Vũ Thị Lan",
                "gender": "female",
                "birth_date": D(1990, 4, 5),
                "phone": "0912345678",
                "national_id": "001190012345",
            },
            unit=world.cell,
            placed_since=D(2018, 6, 1),
            admitted_on=D(2018, 5, 19),
            official_on=D(2019, 5, 19),
        )
    check(
        got.event,
        records.CREATED,
        actor=officer,
        obj=member,
        about=member,
        unit="Chi bộ thôn Đông",
        start="01/06/2018",
        admitted="19/05/2018",
        official="19/05/2019",
    )
    assert english(got.event) == "Record created in Chi bộ thôn Đông, admitted on 19/05/2018"
    # What it wrote beside it: a placement and two events, each with its history row.
    assert member.placements.count() == 1 and member.events.count() == 2
    assert "0912345678" not in str(got.event.facts)
    assert "001190012345" not in str(got.event.facts)


def test_record_update_names_the_fields_changed_never_their_values(world, officer):
    member = world.member
    with one_event() as got:
        services.member_update(
            actor=officer, member=member, profile={"phone": "0987654321", "ethnicity": "Tày"}
        )
    check(got.event, records.UPDATED, actor=officer, obj=member, about=member)
    assert got.event.facts["fields"] == "ethnicity, phone"
    assert "0987654321" not in str(got.event.facts)
    assert english(got.event) == "Record details updated"


def test_record_delete_and_restore(world, officer):
    member = world.member
    with one_event() as got:
        services.member_delete(actor=officer, member=member)
    check(got.event, records.DELETED, actor=officer, obj=member, about=member)
    assert english(got.event) == "Record deleted"
    with one_event() as got:
        services.member_restore(actor=officer, member=member)
    check(got.event, records.RESTORED, actor=officer, obj=member, about=member)
    assert english(got.event) == "Record restored"


def test_a_refused_record_records_nothing(world, officer):
    with no_event(), pytest.raises(ValidationError):
        services.member_create(
            actor=officer,
            profile={
                "code": world.member2.code,  # taken
                "full_name": "Vũ Thị Lan",
                "gender": "female",
                "birth_date": D(1990, 4, 5),
            },
            unit=world.cell,
            placed_since=D(2018, 6, 1),
            admitted_on=D(2018, 5, 19),
        )
    assert not Member.all_objects.filter(full_name="Vũ Thị Lan").exists()


# Transfers ---------------------------------------------------------------------------------


def _send(world, officer, **kw):
    given = {
        "kind": PlacementKind.OFFICIAL,
        "sent_on": D(2025, 6, 10),
        "letter_number": "15-GGT/ĐU",
        **kw,
    }
    return transfers.transfer_send(
        actor=officer, member=world.member, to_unit=world.other_cell, **given
    )


def test_an_official_transfer_sent_then_received(world, officer, cast):
    with one_event() as got:
        t = _send(world, officer)
    check(
        got.event,
        transfers.TRANSFER_SENT,
        actor=officer,
        obj=t,
        about=world.member,
        source="Chi bộ thôn Đông",
        target="Chi bộ khu phố 1",
        date="10/06/2025",
        kind=OFFICIAL,
    )
    assert english(got.event) == (
        "Transfer from Chi bộ thôn Đông to Chi bộ khu phố 1 sent on 10/06/2025 (Official)"
    )

    # Received: a new placement and a "transferred" event, one audit event.
    receiver = cast.outsider
    with one_event() as got:
        transfers.transfer_accept(actor=receiver, transfer=t, received_on=D(2025, 6, 20))
    check(
        got.event,
        transfers.TRANSFERRED,
        actor=receiver,
        obj=t,
        about=world.member,
        source="Chi bộ thôn Đông",
        target="Chi bộ khu phố 1",
        date="20/06/2025",
        sent="10/06/2025",
    )
    assert english(got.event) == (
        "Transferred from Chi bộ thôn Đông to Chi bộ khu phố 1, received on 20/06/2025"
    )


def test_a_transfer_sent_and_received_at_once_is_one_event(world, officer):
    with one_event() as got:
        placement = transfers.member_transfer(
            actor=officer, member=world.member, to_unit=world.cell2, left_on=D(2024, 1, 15)
        )
    t = placement.transfer
    check(
        got.event,
        transfers.TRANSFERRED,
        actor=officer,
        obj=t,
        about=world.member,
        source="Chi bộ thôn Đông",
        target="Chi bộ trường Tiểu học",
        date="15/01/2024",
    )
    assert english(got.event) == (
        "Transferred from Chi bộ thôn Đông to Chi bộ trường Tiểu học, received on 15/01/2024"
    )


def test_a_temporary_transfer_received_then_ended(world, officer):
    t = _send(world, officer, kind=PlacementKind.TEMPORARY, until=D(2025, 12, 31))
    with one_event() as got:
        transfers.transfer_accept(actor=officer, transfer=t, received_on=D(2025, 6, 15))
    check(
        got.event,
        transfers.TRANSFERRED_TEMPORARILY,
        actor=officer,
        obj=t,
        about=world.member,
        date="15/06/2025",
        until="31/12/2025",
        kind=TEMPORARY,
    )
    assert english(got.event) == (
        "Transferred temporarily from Chi bộ thôn Đông to Chi bộ khu phố 1: 15/06/2025 – 31/12/2025"
    )
    with one_event() as got:
        transfers.temporary_end(actor=officer, transfer=t, on=D(2025, 9, 1))
    check(
        got.event,
        transfers.TEMPORARY_ENDED,
        actor=officer,
        obj=t,
        about=world.member,
        target="Chi bộ khu phố 1",
        date="01/09/2025",
    )
    assert english(got.event) == "Temporary transfer to Chi bộ khu phố 1 ended on 01/09/2025"


def test_a_cancelled_transfer(world, officer):
    t = _send(world, officer)
    with one_event() as got:
        transfers.transfer_cancel(actor=officer, transfer=t)
    check(
        got.event,
        transfers.TRANSFER_CANCELLED,
        actor=officer,
        obj=t,
        about=world.member,
        source="Chi bộ thôn Đông",
        target="Chi bộ khu phố 1",
    )
    assert english(got.event) == "Transfer from Chi bộ thôn Đông to Chi bộ khu phố 1 cancelled"


def test_refused_transfers_record_nothing(world, officer):
    with no_event(), pytest.raises(ValidationError):
        _send(world, officer, letter_number="")
    t = _send(world, officer)
    with no_event(), pytest.raises(ValidationError):
        transfers.transfer_accept(actor=officer, transfer=t, received_on=D(2025, 6, 1))
    with no_event(), pytest.raises(ValidationError):
        transfers.temporary_end(actor=officer, transfer=t, on=D(2025, 7, 1))


# The member page ---------------------------------------------------------------------------


@pytest.fixture
def lived(world, officer, cast):
    """A member created, transferred, given a position, an event deleted and restored."""
    member = services.member_create(
        actor=officer,
        profile={
            "code": "DV-AUDIT-2",
            "full_name": "Hoàng Văn Sơn",
            "gender": "male",
            "birth_date": D(1985, 2, 3),
        },
        unit=world.cell,
        placed_since=D(2015, 3, 2),
        admitted_on=D(2015, 3, 2),
        official_on=D(2016, 3, 2),
    )
    transfers.member_transfer(
        actor=officer, member=member, to_unit=world.cell2, left_on=D(2020, 2, 1)
    )
    services.position_create(
        actor=officer,
        member=member,
        kind=PositionKind.SECRETARY,
        unit=world.cell2,
        start=D(2021, 1, 4),
    )
    e = services.event_create(
        actor=officer, member=member, kind=EventKind.REPRIMAND, date=D(2022, 8, 9)
    )
    services.event_delete(actor=officer, event=e)
    services.event_restore(actor=officer, event=e)
    return member


def _sentences(language: str) -> list[str]:
    """The sentences as a reader of `language` reads them, from the catalogue and the facts
    the test wrote (not from the events)."""
    with translation.override(language):
        t = gettext
        return [
            t("Record created in %(unit)s, admitted on %(admitted)s")
            % {"unit": "Chi bộ thôn Đông", "admitted": "02/03/2015"},
            t("Transferred from %(source)s to %(target)s, received on %(date)s")
            % {
                "source": "Chi bộ thôn Đông",
                "target": "Chi bộ trường Tiểu học",
                "date": "01/02/2020",
            },
            t("Position %(kind)s at %(place)s from %(start)s")
            % {"kind": t("Secretary"), "place": "Chi bộ trường Tiểu học", "start": "04/01/2021"},
            t("Event deleted: %(kind)s on %(date)s")
            % {"kind": t("Disciplined: reprimand"), "date": "09/08/2022"},
            t("Event restored: %(kind)s on %(date)s")
            % {"kind": t("Disciplined: reprimand"), "date": "09/08/2022"},
        ]


def _history(html: str) -> str:
    start = html.index('id="history-h"')
    return html[start : html.index("</ol>", start)]


def test_the_member_page_tells_the_history_in_words_in_vietnamese(lived, cast, client_for):
    html = client_for(cast.base_officer).get(reverse("members:detail", args=[lived.pk]))
    history = _history(html.content.decode())
    for sentence in _sentences("vi"):
        assert sentence in history
    assert "Bí thư" in history and "Kỷ luật: khiển trách" in history  # choices translated
    # Newest first, each with who did it.
    sentences = _sentences("vi")
    assert history.index(sentences[-1]) < history.index(sentences[0])
    assert history.count("· base ·") == 6


def test_the_member_page_tells_the_history_in_words_in_english(lived, cast, en):
    html = en(cast.base_officer).get(reverse("members:detail", args=[lived.pk]))
    history = _history(html.content.decode())
    for sentence in _sentences("en"):
        assert sentence in history
    assert "Position Secretary at Chi bộ trường Tiểu học from 04/01/2021" in history
