"""Nothing lost when two people edit a member's record at once (chibo.core.versions): every
edited record (member, event, position, placement, transfer) carries a version; a save made
from an old one is refused (the page: the form again with the message; the API: 409), and a
PATCH without one writes only the fields it sends, on the record as it is now."""

import datetime as dt

import pytest
from django.urls import reverse

from chibo.core.versions import Stale
from chibo.members import services, transfers
from chibo.members.models import (
    EventKind,
    Member,
    MemberEvent,
    Placement,
    PlacementKind,
    PositionKind,
    Transfer,
    TransferState,
)
from chibo.testing.api import call, fingerprint
from chibo.testing.versions import postgres_only, race

STALE_EN = "Someone else changed this record since you opened it"


def _member_form(m: Member, **change) -> dict:
    data = {
        "code": m.code,
        "full_name": m.full_name,
        "gender": m.gender,
        "birth_date": m.birth_date.strftime("%d/%m/%Y"),
        "ethnicity": m.ethnicity,
        "phone": m.phone,
        "email": m.email,
        "national_id": m.national_id or "",
        "card_number": m.card_number or "",
        "version": m.version,
    }
    return {**data, **change}


def _send(member, to_unit, sent_on=dt.date(2024, 5, 6)) -> Transfer:
    return transfers.transfer_send(
        actor=None,
        member=member,
        kind=PlacementKind.OFFICIAL,
        to_unit=to_unit,
        letter_number="15-GGT/ĐU",
        sent_on=sent_on,
    )


# The member record: API ------------------------------------------------------------------------


def test_member_read_gives_the_version_and_each_change_raises_it(world, cast, client_for):
    c = client_for(cast.base_officer)
    m = world.member
    assert call(c, "GET", f"/members/{m.pk}").json()["version"] == 1
    r = call(c, "PATCH", f"/members/{m.pk}", {"phone": "0912345678", "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = call(c, "PATCH", f"/members/{m.pk}", {"email": "hung@example.vn"})  # no version: fine
    assert r.status_code == 200 and r.json()["version"] == 3


def test_member_patch_from_an_old_version_is_409_and_writes_nothing(world, cast, client_for):
    c = client_for(cast.base_officer)
    m = world.member
    read = call(c, "GET", f"/members/{m.pk}").json()
    assert call(c, "PATCH", f"/members/{m.pk}", {"phone": "0912345678"}).status_code == 200
    before = fingerprint()
    r = call(c, "PATCH", f"/members/{m.pk}", {"email": "x@example.vn", "version": read["version"]})
    assert r.status_code == 409
    assert STALE_EN in r.json()["detail"]
    assert fingerprint() == before
    m.refresh_from_db()
    assert (m.phone, m.email, m.version) == ("0912345678", "", 2)


def test_member_patch_version_is_a_number(world, cast, client_for):
    c = client_for(cast.base_officer)
    r = call(c, "PATCH", f"/members/{world.member.pk}", {"phone": "09", "version": None})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "version"]


def test_two_interleaved_updates_of_different_fields_both_stay(world, cast):
    # The second person read the record before the first one saved: without a version, their
    # change of the e-mail must not write back the phone as it was when they read it.
    m = world.member
    second_read = Member.objects.get(pk=m.pk)
    services.member_update(actor=cast.base_officer, member=m, profile={"phone": "0912345678"})
    services.member_update(
        actor=cast.secretary, member=second_read, profile={"email": "hung@example.vn"}
    )
    m.refresh_from_db()
    assert (m.phone, m.email, m.version) == ("0912345678", "hung@example.vn", 3)


def test_interleaved_updates_naming_the_same_version_the_second_is_refused(world, cast):
    m = world.member
    second_read = Member.objects.get(pk=m.pk)
    services.member_update(
        actor=cast.base_officer, member=m, profile={"phone": "0912345678"}, version=1
    )
    with pytest.raises(Stale) as refused:
        services.member_update(
            actor=cast.secretary,
            member=second_read,
            profile={"email": "hung@example.vn"},
            version=second_read.version,
        )
    assert refused.value.current.version == 2
    m.refresh_from_db()
    assert (m.phone, m.email) == ("0912345678", "")


# The member record: the page -------------------------------------------------------------------


def test_stale_profile_form_is_refused_with_the_input_kept(world, cast, en):
    m = world.member
    office = en(cast.base_officer)
    url = reverse("members:edit", args=[m.pk])
    assert f'name="version" value="{m.version}"' in office.get(url).text
    # Someone else saves first.
    services.member_update(actor=cast.secretary, member=m, profile={"phone": "0988000111"})
    before = fingerprint()
    r = office.post(url, _member_form(m, phone="0912345678", ethnicity="Tày", version=1))
    assert r.status_code == 422
    assert STALE_EN in r.text
    assert "Now: Ethnicity: Kinh; Phone: 0988000111." in r.text  # what it is now
    assert 'value="0912345678"' in r.text and 'value="Tày"' in r.text  # the input, kept
    assert 'name="version" value="2"' in r.text  # saving again is a deliberate overwrite
    assert fingerprint() == before
    m.refresh_from_db()
    assert (m.phone, m.ethnicity, m.version) == ("0988000111", "Kinh", 2)
    r = office.post(url, _member_form(m, phone="0912345678", version=2))
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.phone, m.version) == ("0912345678", 3)


def test_stale_profile_form_in_english(world, cast, en):
    m = world.member
    services.member_update(actor=cast.secretary, member=m, profile={"phone": "0988000111"})
    r = en(cast.base_officer).post(
        reverse("members:edit", args=[m.pk]), _member_form(m, phone="09", version=1)
    )
    assert r.status_code == 422
    assert STALE_EN in r.text and "Now: Phone: 0988000111." in r.text


# Events, positions, placements -----------------------------------------------------------------


def test_event_position_placement_stale_api(world, cast, client_for):
    c = client_for(cast.base_officer)
    m = world.member
    event = MemberEvent.objects.get(member=m, kind=EventKind.ADMITTED)
    placement = Placement.objects.get(member=m)
    position = services.position_create(
        actor=None,
        member=m,
        kind=PositionKind.SECRETARY,
        unit=world.cell,
        start=dt.date(2020, 1, 1),
    )
    for path, change in [
        (f"/events/{event.pk}", {"decision_number": "12-QĐ/ĐU"}),
        (f"/placements/{placement.pk}", {"letter_number": "7-GGT"}),
        (f"/positions/{position.pk}", {"decision_number": "3-QĐ/ĐU"}),
    ]:
        assert call(c, "GET", path).json()["version"] == 1
        r = call(c, "PATCH", path, {**change, "version": 1})
        assert r.status_code == 200 and r.json()["version"] == 2, path
        before = fingerprint()
        stale = {"note": ""} if "events" in path else {"end": None}
        r = call(c, "PATCH", path, {**stale, "version": 1})
        assert r.status_code == 409 and STALE_EN in r.json()["detail"], path
        assert fingerprint() == before


def test_placement_interleaved_updates(world, cast):
    placement = Placement.objects.get(member=world.member)
    second_read = Placement.objects.get(pk=placement.pk)
    services.placement_update(actor=None, placement=placement, letter_number="7-GGT")
    services.placement_update(actor=None, placement=second_read, note="chuyển về")
    placement.refresh_from_db()
    assert (placement.letter_number, placement.note) == ("7-GGT", "chuyển về")
    with pytest.raises(Stale):
        services.placement_update(actor=None, placement=second_read, note="x", version=2)


def test_stale_placement_and_event_pages(world, cast, en):
    c = en(cast.base_officer)
    m = world.member
    placement = Placement.objects.get(member=m)
    services.placement_update(actor=None, placement=placement, letter_number="7-GGT")
    r = c.post(
        reverse("members:placement_edit", args=[placement.pk]),
        {
            "unit": world.cell.code,
            "kind": "official",
            "start": placement.start.strftime("%d/%m/%Y"),
            "letter_number": "",
            "note": "ghi chú",
            "version": 1,
        },
    )
    assert r.status_code == 422 and STALE_EN in r.text and 'value="ghi chú"' in r.text
    assert "Letter number: 7-GGT" in r.text
    placement.refresh_from_db()
    assert (placement.note, placement.version) == ("", 2)
    event = MemberEvent.objects.get(member=m, kind=EventKind.ADMITTED)
    services.event_update(actor=None, event=event, note="sửa")
    r = c.post(
        reverse("members:event_edit", args=[event.pk]),
        {"kind": "admitted", "date": event.date.strftime("%d/%m/%Y"), "note": "", "version": 1},
    )
    assert r.status_code == 422 and STALE_EN in r.text
    event.refresh_from_db()
    assert event.note == "sửa"


# Transfers -------------------------------------------------------------------------------------


def test_transfer_steps_name_the_version(world, cast, client_for):
    c = client_for(cast.base_officer)
    t = _send(world.member, world.cell2)
    assert call(c, "GET", f"/transfers/{t.pk}").json()["version"] == 1
    # Accepted by someone else meanwhile.
    transfers.transfer_accept(actor=None, transfer=t, received_on=dt.date(2024, 5, 8))
    before = fingerprint()
    r = call(c, "POST", f"/transfers/{t.pk}/cancel?version=1")
    assert r.status_code == 409 and STALE_EN in r.json()["detail"]
    r = call(c, "POST", f"/transfers/{t.pk}/accept", {"received_on": "2024-05-09", "version": 1})
    assert r.status_code == 409
    assert fingerprint() == before
    t.refresh_from_db()
    assert (t.state, t.received_on, t.version) == (TransferState.ACCEPTED, dt.date(2024, 5, 8), 2)


def test_transfer_accept_with_the_current_version(world, cast, client_for):
    c = client_for(cast.base_officer)
    t = _send(world.member, world.cell2)
    r = call(c, "POST", f"/transfers/{t.pk}/accept", {"received_on": "2024-05-09", "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2


def test_stale_transfer_pages(world, cast, en):
    c = en(cast.base_officer)
    t = _send(world.member, world.cell2)
    page = c.get(reverse("members:transfer_detail", args=[t.pk])).text
    assert page.count('name="version" value="1"') == 2  # accept and cancel
    transfers.transfer_accept(actor=None, transfer=t, received_on=dt.date(2024, 5, 8))
    r = c.post(reverse("members:transfer_cancel", args=[t.pk]), {"version": 1})
    assert r.status_code == 422 and STALE_EN in r.text
    r = c.post(
        reverse("members:transfer_accept", args=[t.pk]),
        {"received_on": "09/05/2024", "version": 1},
    )
    assert r.status_code == 422 and STALE_EN in r.text
    t.refresh_from_db()
    assert (t.state, t.received_on) == (TransferState.ACCEPTED, dt.date(2024, 5, 8))


# Two connections at once (PostgreSQL) ----------------------------------------------------------


def _update_member_from_a_fresh_read(pk: int, version: int | None, **profile):
    def update():
        member = Member.objects.get(pk=pk)  # read before the first save commits
        return services.member_update(actor=None, member=member, profile=profile, version=version)

    return update


# One transactional test for all the races: each empties the database and puts back what the
# migrations wrote (serialized_rollback), which takes a while.
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_connections_at_once(world):
    pk = world.member.pk
    # Two saves from the same version: exactly one wins, the other is refused.
    first, second = race(
        _update_member_from_a_fresh_read(pk, 1, phone="0912345678"),
        _update_member_from_a_fresh_read(pk, 1, email="hung@example.vn"),
    )
    assert isinstance(first, Member), first
    assert isinstance(second, Stale), second
    m = Member.objects.get(pk=pk)
    assert (m.phone, m.email, m.version) == ("0912345678", "", 2)

    # Two PATCHes of different fields without a version: both stay.
    first, second = race(
        _update_member_from_a_fresh_read(pk, None, phone="0988000111"),
        _update_member_from_a_fresh_read(pk, None, email="hung@example.vn"),
    )
    assert isinstance(first, Member) and isinstance(second, Member), (first, second)
    m = Member.objects.get(pk=pk)
    assert (m.phone, m.email, m.version) == ("0988000111", "hung@example.vn", 4)

    # A placement.
    placement_pk = Placement.objects.get(member_id=pk).pk

    def save(**fields):
        def update():
            placement = Placement.objects.get(pk=placement_pk)
            return services.placement_update(actor=None, placement=placement, version=1, **fields)

        return update

    first, second = race(save(letter_number="7-GGT"), save(note="chuyển về"))
    assert isinstance(first, Placement) and isinstance(second, Stale), (first, second)
    p = Placement.objects.get(pk=placement_pk)
    assert (p.letter_number, p.note, p.version) == ("7-GGT", "", 2)

    # A transfer: accepted and cancelled at once.
    transfer_pk = _send(world.member, world.cell2).pk

    def accept():
        t = Transfer.objects.get(pk=transfer_pk)
        return transfers.transfer_accept(
            actor=None, transfer=t, received_on=dt.date(2024, 5, 8), version=1
        )

    def cancel():
        t = Transfer.objects.get(pk=transfer_pk)
        return transfers.transfer_cancel(actor=None, transfer=t, version=1)

    first, second = race(accept, cancel)
    assert isinstance(first, Transfer) and isinstance(second, Stale), (first, second)
    t = Transfer.objects.get(pk=transfer_pk)
    assert (t.state, t.version) == (TransferState.ACCEPTED, 2)
