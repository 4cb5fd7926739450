"""The receiving side is told when a member is sent to it; once, and only them."""

import datetime as dt

from chibo.accounts.models import Role
from chibo.members import transfers
from chibo.members.models import PlacementKind
from chibo.members.reminders import TRANSFER_SENT
from chibo.notices.models import Notice
from chibo.testing import factories as f


def test_sending_tells_the_receiving_cell_and_its_base_office(world, cast):
    cell2_secretary = f.user(username="sec2", grants=[(Role.SECRETARY, world.cell2)])
    member = f.member(world.other_cell, admitted_on=dt.date(2010, 1, 1))
    t = transfers.transfer_send(
        actor=None,
        member=member,
        kind=PlacementKind.OFFICIAL,
        to_unit=world.cell2,
        letter_number="12-GT/ĐU",
        sent_on=dt.date(2026, 10, 1),
    )
    told = set(Notice.objects.filter(kind=TRANSFER_SENT).values_list("user__username", flat=True))
    # cell2's secretary and the office of its base committee; not the sending side, not the
    # province office (not the nearest base committee), not the viewer.
    assert told == {cell2_secretary.username, cast.base_officer.username}
    notice = Notice.objects.filter(kind=TRANSFER_SENT).first()
    assert notice.url == f"/members/transfers/{t.pk}/"
    assert "12-GT/ĐU" in notice.params["letter"] and notice.params["day"] == "01/10/2026"


def test_a_transfer_recorded_as_received_tells_no_one(world, cast):
    f.user(username="sec2", grants=[(Role.SECRETARY, world.cell2)])
    member = f.member(world.cell, admitted_on=dt.date(2010, 1, 1))
    transfers.member_transfer(
        actor=None,
        member=member,
        to_unit=world.cell2,
        left_on=dt.date(2026, 10, 1),
        letter_number="1-GT",
    )
    assert not Notice.objects.filter(kind=TRANSFER_SENT).exists()
