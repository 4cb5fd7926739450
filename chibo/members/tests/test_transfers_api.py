"""The transfers API: send, accept, cancel, end, one transfer and the lists of a unit, with
who may do what (both sides read; the sending side cancels, the receiving side accepts)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chibo.members import transfers
from chibo.members.models import Placement, PlacementKind, Transfer
from chibo.testing import factories as f
from chibo.testing.api import all_pages, call

from .test_transfers import moves, send, where, written  # noqa: F401  (moves: a fixture)

D = dt.date


def one_error(r, field: str, msg: str, where_: str = "body") -> None:
    assert r.status_code == 422, r.content
    assert {"loc": [where_, field], "msg": msg} in [
        {"loc": e["loc"], "msg": e["msg"]} for e in r.json()["detail"]
    ], r.json()


def unit_ref(u) -> dict:
    return {"id": u.pk, "code": u.code, "name": u.name}


def test_send_and_read(world, cast, client_for):
    client = client_for(cast.secretary)
    body = {
        "member": world.member.pk,
        "kind": "official",
        "to_unit": world.other_cell.pk,  # outside the secretary's scope: named by the letter
        "letter_number": " 21-GGT/ĐU ",
        "sent_on": "2025-06-10",
        "note": "theo gia đình",
    }
    r = call(client, "POST", "/transfers", body)
    assert r.status_code == 201, r.content
    t = Transfer.objects.get(member=world.member)
    expected = {
        "id": t.pk,
        "member": {
            "id": world.member.pk,
            "code": world.member.code,
            "full_name": "Nguyễn Văn Hùng",
        },
        "kind": "official",
        "from_unit": unit_ref(world.cell),
        "to_unit": unit_ref(world.other_cell),
        "letter_number": "21-GGT/ĐU",
        "sent_on": "2025-06-10",
        "received_on": None,
        "until": None,
        "state": "pending",
        "note": "theo gia đình",
        "placement": None,
        "days_in_transit": (timezone.localdate() - D(2025, 6, 10)).days,
        "version": 1,
    }
    assert r.json() == expected
    # Both sides read it; the receiving side sees who comes, not the full record yet.
    assert call(client_for(cast.outsider), "GET", f"/transfers/{t.pk}").json() == expected
    assert call(client_for(cast.outsider), "GET", f"/members/{world.member.pk}").status_code == 404
    assert call(client_for(cast.member), "GET", f"/transfers/{t.pk}").status_code == 200  # own
    assert where(world.member, D(2025, 6, 10), world.cell, world.other_cell) == set()


@pytest.mark.parametrize(
    "change,field,msg",
    [
        ({"to_unit": 999999}, "to_unit", "There is no cell with that id."),
        ({"to_unit": "base"}, "to_unit", "Members are placed in a cell or a base cell."),
        ({"letter_number": ""}, "letter_number", "Give the number of the transfer letter."),
        ({"sent_on": "2099-01-01"}, "sent_on", "The date cannot be in the future."),
        ({"sent_on": ...}, "sent_on", "This field is required."),
        ({"sent_on": "10/06/2025"}, "sent_on", "Enter a valid date."),
        ({"kind": "temporary"}, "until", "Give the date the temporary transfer ends."),
        (
            {"kind": "forever"},
            "kind",
            "Select a valid choice. forever is not one of the available choices.",
        ),
        ({"until": "2025-09-01"}, "until", "Only a temporary transfer has an end date."),
        ({"received_on": "2025-06-10"}, "received_on", "This field is not accepted here."),
    ],
)
def test_send_rejects_bad_input(world, cast, client_for, change, field, msg):
    body = {
        "member": world.member.pk,
        "to_unit": world.cell2.pk,
        "letter_number": "21-GGT",
        "sent_on": "2025-06-10",
    }
    for key, value in change.items():
        if value is ...:
            del body[key]
        else:
            body[key] = world.base.pk if value == "base" else value
    before = written()
    one_error(call(client_for(cast.base_officer), "POST", "/transfers", body), field, msg)
    assert written() == before


def test_send_needs_write_access_to_the_member(world, cast, client_for):
    body = {
        "member": world.member.pk,
        "to_unit": world.cell2.pk,
        "letter_number": "21-GGT",
        "sent_on": "2025-06-10",
    }
    before = written()
    assert call(client_for(cast.outsider), "POST", "/transfers", body).status_code == 404
    assert call(client_for(cast.viewer), "POST", "/transfers", body).status_code == 403
    assert call(client_for(cast.member), "POST", "/transfers", body).status_code == 403
    assert written() == before
    assert call(client_for(cast.secretary), "POST", "/transfers", body).status_code == 201


@pytest.fixture
def outgoing(world):
    """member (in the secretary's cell) sent to other_cell (the outsider's base committee)."""
    return send(world.member, world.other_cell, D(2025, 6, 10))


def test_receiving_office_accepts_sending_secretary_cannot(world, cast, client_for, outgoing):
    path = f"/transfers/{outgoing.pk}/accept"
    before = written()
    for persona in ("secretary", "viewer", "member", "base_officer"):
        client = client_for(getattr(cast, persona))
        assert call(client, "POST", path, {"received_on": "2025-06-20"}).status_code == 403
    receiving = client_for(cast.outsider)
    one_error(
        call(receiving, "POST", path, {"received_on": "2025-06-09"}),
        "received_on",
        "The receiving date is before the sending date.",
    )
    one_error(call(receiving, "POST", path, {}), "received_on", "This field is required.")
    assert call(receiving, "GET", path).status_code == 405
    assert written() == before
    r = call(receiving, "POST", path, {"received_on": "2025-06-20"})
    assert r.status_code == 200, r.content
    new = Placement.objects.get(member=world.member, unit=world.other_cell)
    body = r.json()
    assert (body["state"], body["received_on"], body["placement"], body["days_in_transit"]) == (
        "accepted",
        "2025-06-20",
        new.pk,
        10,
    )
    # Now the record is theirs.
    assert call(receiving, "GET", f"/members/{world.member.pk}").status_code == 200
    one_error(
        call(receiving, "POST", path, {"received_on": "2025-06-20"}),
        "__all__",
        "Only a transfer waiting to be received can be accepted.",
    )


def test_sending_side_cancels_receiving_side_cannot(world, cast, client_for, outgoing):
    path = f"/transfers/{outgoing.pk}/cancel"
    before = written()
    assert call(client_for(cast.outsider), "POST", path).status_code == 403
    assert call(client_for(cast.viewer), "POST", path).status_code == 403
    assert written() == before
    r = call(client_for(cast.secretary), "POST", path)
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert r.json()["days_in_transit"] is None
    assert where(world.member, D(2025, 6, 15), world.cell, world.other_cell) == {"X01-CB01"}


def test_end_a_temporary_transfer(world, cast, client_for):
    t = send(world.member, world.other_cell, D(2025, 3, 1), kind="temporary", until=D(2025, 9, 1))
    path = f"/transfers/{t.pk}/end"
    one_error(
        call(client_for(cast.secretary), "POST", path, {"on": "2025-05-01"}),
        "__all__",
        "Only a received temporary transfer can be ended early.",
    )
    transfers.transfer_accept(actor=None, transfer=t, received_on=D(2025, 3, 2))
    assert call(client_for(cast.viewer), "POST", path, {"on": "2025-05-01"}).status_code == 403
    one_error(
        call(client_for(cast.outsider), "POST", path, {"on": "2025-09-01"}),
        "on",
        "The temporary transfer already ends on 01/09/2025.",
    )
    r = call(client_for(cast.outsider), "POST", path, {"on": "2025-05-01"})
    assert r.status_code == 200 and r.json()["until"] == "2025-05-01"
    assert Placement.objects.get(pk=r.json()["placement"]).end == D(2025, 5, 1)


def test_outsider_gets_404_on_a_transfer_inside_another_commune(world, cast, client_for):
    t = send(world.member, world.cell2, D(2025, 6, 10))
    outsider = client_for(cast.outsider)
    before = written()
    assert call(outsider, "GET", f"/transfers/{t.pk}").status_code == 404
    for action in ("accept", "cancel", "end"):
        body = {"received_on": "2025-06-20"} if action == "accept" else None
        if action == "end":
            body = {"on": "2025-06-20"}
        r = call(outsider, "POST", f"/transfers/{t.pk}/{action}", body)
        assert r.status_code == 404, action
    assert call(outsider, "GET", "/transfers/999999").status_code == 404
    assert call(client_for(cast.base_officer), "PUT", f"/transfers/{t.pk}").status_code == 405
    assert written() == before
    assert t.pk not in [i["id"] for i in all_pages(outsider, "/transfers?from=2025-01-01")]


def test_unit_list(world, cast, client_for, moves):  # noqa: F811
    client = client_for(cast.viewer)
    names = {t.pk: k for k, t in moves.items()}

    def got(query: str) -> list[tuple]:
        items = all_pages(client, f"/transfers?from=2025-01-01&to=2025-06-30{query}")
        return [
            (names[i["id"]], i["direction"], i["state_on_date"], i["days_in_transit"])
            for i in items
        ]

    # As in test_transfers: days and order by hand.
    assert got(f"&unit={world.base.pk}") == [
        ("c", "in", "pending", 46),
        ("b", "internal", "pending", 29),
        ("a", "out", "accepted", 10),
        ("d", "internal", "accepted", 35),
        ("f", "out", "cancelled", None),
    ]
    assert got(f"&unit={world.base.pk}&direction=internal") == [
        ("b", "internal", "pending", 29),
        ("d", "internal", "accepted", 35),
    ]
    assert [x[0] for x in got(f"&unit={world.base.pk}&state=pending")] == ["c", "b"]
    assert [x[0] for x in got(f"&unit={world.cell.pk}")] == ["b", "a", "d"]
    # Without a unit: every transfer touching the scope, no direction.
    assert {x[0] for x in got("")} == {"a", "b", "c", "d", "f"}
    assert {x[1] for x in got("")} == {None}
    item = call(client, "GET", f"/transfers?unit={world.base.pk}&to=2025-06-30&limit=1").json()
    first = item["items"][0]
    assert (first["as_of"], first["state"], first["state_on_date"]) == (
        "2025-06-30",
        "accepted",  # c is received now (20/07/2025), but was in transit on 30/06
        "pending",
    )
    # The outsider's base sees its side only; a unit outside the scope is 404.
    outsider = client_for(cast.outsider)
    items = all_pages(
        outsider, f"/transfers?unit={world.other_base.pk}&from=2025-01-01&to=2025-06-30"
    )
    assert [(names[i["id"]], i["direction"]) for i in items] == [
        ("c", "out"),
        ("a", "in"),
        ("f", "in"),
    ]
    assert call(outsider, "GET", f"/transfers?unit={world.base.pk}").status_code == 404


def test_unit_list_rejects_bad_filters(world, cast, client_for):
    client = client_for(cast.viewer)
    one_error(
        call(client, "GET", "/transfers?direction=in"),
        "direction",
        "Give a unit to filter by direction.",
    )
    one_error(
        call(client, "GET", f"/transfers?unit={world.base.pk}&from=2025-07-01&to=2025-06-30"),
        "from",
        "The start of the period is after its end.",
    )
    r = call(client, "GET", "/transfers?state=lost")
    assert r.status_code == 422


def test_unit_list_query_count_does_not_grow(world, cast, client_for):
    client = client_for(cast.base_officer)
    path = f"/transfers?unit={world.base.pk}&from=2025-01-01&limit=50"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = call(client, "GET", path)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        send(f.member(world.cell), world.cell2, D(2025, 3, 1))
    few = queries()
    for _ in range(5):
        send(
            f.member(world.cell2),
            world.other_cell,
            D(2025, 4, 1),
            kind=PlacementKind.TEMPORARY,
            until=D(2025, 8, 1),
        )
    assert len(call(client, "GET", path).json()["items"]) == 7
    assert queries() == few
