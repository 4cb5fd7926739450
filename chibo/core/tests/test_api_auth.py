"""The API as a whole: who gets in (session, bearer token), the answer every endpoint gives to
each persona, wrong methods, error shapes and languages, and the OpenAPI schema."""

import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from chibo.accounts.models import ApiToken
from chibo.members import services as member_services
from chibo.members.models import (
    EventKind,
    MemberEvent,
    Placement,
    PlacementKind,
    Position,
    PositionKind,
)
from chibo.org import services as org_services
from chibo.org.models import Kind, OrgUnit, Village
from chibo.testing import factories as f
from chibo.testing.api import EN, call, fingerprint


def bearer(user) -> Client:
    """A client with a token issued by the `chibo token` command, as an integrator would."""
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return Client(headers={"Authorization": f"Bearer {out.getvalue().strip()}"})


@dataclass
class Things:
    empty_cell: OrgUnit
    sub_base: OrgUnit
    village: Village
    event: MemberEvent
    temporary: Placement
    position: Position


@pytest.fixture
def things(world) -> Things:
    return Things(
        empty_cell=f.unit(Kind.CELL, world.base, code="X01-CB09"),
        sub_base=f.unit(Kind.BASE_COMMITTEE, world.base, code="X01-B1"),
        village=org_services.village_create(
            actor=None, cell=world.cell, name="Thôn Đông", kind="village"
        ),
        event=member_services.event_create(
            actor=None, member=world.member, kind=EventKind.EXEMPTED, date=dt.date(2024, 1, 1)
        ),
        temporary=member_services.placement_create(
            actor=None,
            member=world.member,
            unit=world.cell2,
            start=dt.date(2024, 1, 1),
            kind=PlacementKind.TEMPORARY,
        ),
        position=member_services.position_create(
            actor=None,
            member=world.member,
            kind=PositionKind.COMMITTEE_MEMBER,
            unit=world.cell,
            start=dt.date(2020, 1, 1),
        ),
    )


# (name, method, path, body, status on success). Paths and bodies take (world, things).
ENDPOINTS = [
    ("unit-list", "GET", lambda w, t: "/units", None, 200),
    ("unit-read", "GET", lambda w, t: f"/units/{w.cell.pk}", None, 200),
    (
        "unit-create",
        "POST",
        lambda w, t: "/units",
        lambda w, t: {
            "code": "X01-CB10",
            "name": "Chi bộ mới",
            "kind": "cell",
            "parent": w.base.pk,
        },
        201,
    ),
    ("unit-update", "PATCH", lambda w, t: f"/units/{w.cell.pk}", lambda w, t: {"name": "A"}, 200),
    ("unit-delete", "DELETE", lambda w, t: f"/units/{t.empty_cell.pk}", None, 204),
    ("unit-children", "GET", lambda w, t: f"/units/{w.base.pk}/children", None, 200),
    ("unit-counts", "GET", lambda w, t: f"/units/{w.base.pk}/counts", None, 200),
    (
        "unit-move",
        "POST",
        lambda w, t: f"/units/{w.cell2.pk}/move",
        lambda w, t: {"parent": t.sub_base.pk, "on": "2025-01-01"},
        200,
    ),
    ("village-list", "GET", lambda w, t: "/villages", None, 200),
    ("village-read", "GET", lambda w, t: f"/villages/{t.village.pk}", None, 200),
    (
        "village-create",
        "POST",
        lambda w, t: "/villages",
        lambda w, t: {"cell": w.cell.pk, "name": "Thôn Tây"},
        201,
    ),
    (
        "village-update",
        "PATCH",
        lambda w, t: f"/villages/{t.village.pk}",
        lambda w, t: {"kind": "quarter"},
        200,
    ),
    ("village-delete", "DELETE", lambda w, t: f"/villages/{t.village.pk}", None, 204),
    ("member-list", "GET", lambda w, t: "/members", None, 200),
    ("member-read", "GET", lambda w, t: f"/members/{w.member.pk}", None, 200),
    (
        "member-create",
        "POST",
        lambda w, t: "/members",
        lambda w, t: {
            "code": "DV-NEW",
            "full_name": "Võ Thị Sáu",
            "gender": "female",
            "birth_date": "1990-01-01",
            "unit": w.cell.pk,
            "admitted_on": "2020-01-01",
        },
        201,
    ),
    (
        "member-update",
        "PATCH",
        lambda w, t: f"/members/{w.member.pk}",
        lambda w, t: {"phone": "0912 345 678"},
        200,
    ),
    ("member-delete", "DELETE", lambda w, t: f"/members/{w.member.pk}", None, 204),
    (
        "member-transfer",
        "POST",
        lambda w, t: f"/members/{w.member2.pk}/transfer",
        lambda w, t: {"to_unit": w.cell.pk, "left_on": "2024-06-01"},
        201,
    ),
    ("event-list", "GET", lambda w, t: "/events", None, 200),
    ("event-read", "GET", lambda w, t: f"/events/{t.event.pk}", None, 200),
    (
        "event-create",
        "POST",
        lambda w, t: "/events",
        lambda w, t: {"member": w.member.pk, "kind": "reprimand", "date": "2023-05-05"},
        201,
    ),
    (
        "event-update",
        "PATCH",
        lambda w, t: f"/events/{t.event.pk}",
        lambda w, t: {"note": "x"},
        200,
    ),
    ("event-delete", "DELETE", lambda w, t: f"/events/{t.event.pk}", None, 204),
    ("placement-list", "GET", lambda w, t: "/placements", None, 200),
    ("placement-read", "GET", lambda w, t: f"/placements/{t.temporary.pk}", None, 200),
    (
        "placement-create",
        "POST",
        lambda w, t: "/placements",
        lambda w, t: {
            "member": w.member2.pk,
            "unit": w.cell.pk,
            "kind": "temporary",
            "start": "2024-01-01",
        },
        201,
    ),
    (
        "placement-update",
        "PATCH",
        lambda w, t: f"/placements/{t.temporary.pk}",
        lambda w, t: {"note": "x"},
        200,
    ),
    ("placement-delete", "DELETE", lambda w, t: f"/placements/{t.temporary.pk}", None, 204),
    ("position-list", "GET", lambda w, t: "/positions", None, 200),
    ("position-read", "GET", lambda w, t: f"/positions/{t.position.pk}", None, 200),
    (
        "position-create",
        "POST",
        lambda w, t: "/positions",
        lambda w, t: {
            "member": w.member2.pk,
            "kind": "secretary",
            "unit": w.cell2.pk,
            "start": "2024-01-01",
        },
        201,
    ),
    (
        "position-update",
        "PATCH",
        lambda w, t: f"/positions/{t.position.pk}",
        lambda w, t: {"decision_number": "12-QĐ/ĐU"},
        200,
    ),
    ("position-delete", "DELETE", lambda w, t: f"/positions/{t.position.pk}", None, 204),
]
ALL = [pytest.param(*e[1:], id=e[0]) for e in ENDPOINTS]
WRITES = [pytest.param(*e[1:], id=e[0]) for e in ENDPOINTS if e[1] != "GET"]
READS = [pytest.param(*e[1:], id=e[0]) for e in ENDPOINTS if e[1] == "GET"]
ONE_OBJECT = [pytest.param(*e[1:], id=e[0]) for e in ENDPOINTS if not e[0].endswith("-list")]


def _request(client, method, path, body, world, things):
    return call(client, method, path(world, things), body(world, things) if body else None)


@pytest.mark.parametrize("method,path,body,ok", ALL)
@pytest.mark.parametrize("how", ["session", "bearer"])
def test_the_right_persona_gets_through(
    world, cast, things, client_for, how, method, path, body, ok
):
    client = client_for(cast.base_officer) if how == "session" else bearer(cast.base_officer)
    before = fingerprint()
    r = _request(client, method, path, body, world, things)
    assert r.status_code == ok, r.content
    assert (fingerprint() != before) == (method != "GET")  # writes write, reads do not


@pytest.mark.parametrize("method,path,body,ok", ALL)
def test_anonymous_and_bad_tokens_get_401(world, cast, things, method, path, body, ok):
    before = fingerprint()
    for client in [
        Client(),
        Client(headers={"Authorization": "Bearer chibo_not-a-real-token"}),
        Client(headers={"Authorization": "Bearer "}),
    ]:
        r = _request(client, method, path, body, world, things)
        assert r.status_code == 401, r.content
        assert r.json()["detail"]
        assert r["WWW-Authenticate"].startswith("Bearer")
    assert fingerprint() == before


@pytest.mark.parametrize("method,path,body,ok", ONE_OBJECT)
def test_an_outsider_gets_404(world, cast, things, client_for, method, path, body, ok):
    before = fingerprint()
    r = _request(client_for(cast.outsider), method, path, body, world, things)
    assert r.status_code == 404, r.content
    assert r.json() == {"detail": "Not found."}
    assert fingerprint() == before


@pytest.mark.parametrize("method,path,body,ok", WRITES)
def test_a_viewer_gets_403_on_writes(world, cast, things, client_for, method, path, body, ok):
    before = fingerprint()
    r = _request(client_for(cast.viewer), method, path, body, world, things)
    assert r.status_code == 403, r.content
    assert r.json() == {"detail": "You may read this but not change it."}
    assert fingerprint() == before


@pytest.mark.parametrize("method,path,body,ok", ALL)
def test_a_viewer_reads(world, cast, things, client_for, method, path, body, ok):
    if method == "GET":
        assert (
            _request(client_for(cast.viewer), method, path, body, world, things).status_code == 200
        )


@pytest.mark.parametrize("method,path,body,ok", ALL)
def test_wrong_method_gets_405(world, cast, things, client_for, method, path, body, ok):
    # No endpoint takes PUT (updates are PATCH); collections take no DELETE, objects no POST.
    client = client_for(cast.base_officer)
    url = path(world, things)
    assert call(client, "PUT", url, {}).status_code == 405
    other = "DELETE" if url.count("/") == 1 else "POST"
    if not url.endswith(("/move", "/transfer")):
        assert call(client, other, url, {}).status_code == 405


def test_a_bad_token_is_refused_even_with_a_session(world, cast, client_for):
    client = client_for(cast.base_officer)
    assert call(client, "GET", "/units").status_code == 200
    r = call(client, "GET", "/units", Authorization="Bearer chibo_wrong")
    assert r.status_code == 401
    assert r.json() == {"detail": "The API token is not valid."}


def test_a_token_stops_working_when_the_user_is_deactivated(world, cast):
    client = bearer(cast.base_officer)
    assert call(client, "GET", "/units").status_code == 200
    cast.base_officer.is_active = False
    cast.base_officer.save()
    assert call(client, "GET", "/units").status_code == 401


def test_the_token_command_stores_only_a_hash(world, cast):
    out = io.StringIO()
    call_command("token", "base", "--name", "script", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=cast.base_officer)
    assert raw.startswith("chibo_") and token.name == "script"
    assert token.digest == ApiToken.hash(raw) and raw not in token.digest


def test_a_bearer_write_is_recorded_against_the_user(world, cast):
    r = call(bearer(cast.base_officer), "PATCH", f"/units/{world.cell.pk}", {"name": "Mới"})
    assert r.status_code == 200
    assert world.cell.history.latest().history_user == cast.base_officer


def test_session_writes_need_the_csrf_token(world, cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.base_officer)
    before = fingerprint()
    body = {"name": "Mới"}
    r = call(client, "PATCH", f"/units/{world.cell.pk}", body)
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]
    assert fingerprint() == before
    # Reads need no token; a write with the cookie's token in the header goes through.
    assert call(client, "GET", f"/units/{world.cell.pk}").status_code == 200
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    r = call(client, "PATCH", f"/units/{world.cell.pk}", body, **{"X-CSRFToken": secret})
    assert r.status_code == 200
    # A token does not need CSRF: no cookie is involved.
    r = call(bearer(cast.base_officer), "PATCH", f"/units/{world.cell.pk}", {"name": "B"})
    assert r.status_code == 200


def test_an_anonymous_write_is_401_not_a_csrf_403(world):
    client = Client(enforce_csrf_checks=True)
    assert call(client, "POST", "/units", {"code": "Z"}).status_code == 401


def test_openapi_schema_and_docs_are_served(world):
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["info"] == {
        "title": "Chibo API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    paths = set(schema["paths"])
    for p in [
        "/api/v1/units",
        "/api/v1/units/{unit_id}",
        "/api/v1/units/{unit_id}/children",
        "/api/v1/units/{unit_id}/counts",
        "/api/v1/units/{unit_id}/move",
        "/api/v1/villages",
        "/api/v1/villages/{village_id}",
        "/api/v1/members",
        "/api/v1/members/{member_id}",
        "/api/v1/members/{member_id}/transfer",
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/placements",
        "/api/v1/placements/{placement_id}",
        "/api/v1/positions",
        "/api/v1/positions/{position_id}",
    ]:
        assert p in paths
    assert set(schema["paths"]["/api/v1/units/{unit_id}"]) == {"get", "patch", "delete"}
    # Both ways in are documented; internal fields are not.
    assert set(schema["components"]["securitySchemes"]) == {"BearerAuth", "SessionAuth"}
    assert "deleted_by" not in json.dumps(schema)
    assert Client().get("/api/v1/docs").status_code == 200


def test_messages_are_vietnamese_by_default_and_english_on_request(world, cast, client_for):
    client = client_for(cast.base_officer)
    with translation.override("vi"):
        vietnamese = translation.gettext("This field is required.")
    assert vietnamese != "This field is required."
    for headers, msg, language in [
        ({}, vietnamese, "vi"),
        ({"Accept-Language": "vi-VN,vi;q=0.9"}, vietnamese, "vi"),
        (EN, "This field is required.", "en"),
        ({"Accept-Language": "en-GB,en;q=0.8"}, "This field is required.", "en"),
    ]:
        r = client.post("/api/v1/units", data={}, content_type="application/json", headers=headers)
        assert r.status_code == 422
        assert {"type": "missing", "loc": ["body", "code"], "msg": msg} in r.json()["detail"]
        assert r["Content-Language"] == language


def test_a_body_that_is_not_json_is_422(world, cast, client_for):
    client = client_for(cast.base_officer)
    before = fingerprint()
    # Broken syntax, and text in a legacy 8-bit encoding rather than UTF-8.
    for raw in [b"{not json", '{"name": "Thôn Đông"}'.encode("cp1258")]:
        r = client.post("/api/v1/units", data=raw, content_type="application/json", headers=EN)
        assert r.status_code == 422
        assert r.json() == {
            "detail": [
                {
                    "type": "json_invalid",
                    "loc": ["body"],
                    "msg": "The request body is not valid JSON.",
                }
            ]
        }
    r = call(client, "POST", "/units", [1, 2])
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body"]
    assert fingerprint() == before


def test_unknown_fields_and_bad_query_values_are_422(world, cast, client_for):
    client = client_for(cast.base_officer)
    r = call(client, "PATCH", f"/units/{world.cell.pk}", {"name": "X", "code": "NEW"})
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "extra_forbidden",
            "loc": ["body", "code"],
            "msg": "This field is not accepted here.",
        }
    ]
    r = call(client, "GET", "/units?limit=0")
    assert r.json()["detail"] == [
        {
            "type": "greater_than_equal",
            "loc": ["query", "limit"],
            "msg": "Ensure this value is greater than or equal to 1.",
        }
    ]
    r = call(client, "GET", "/units/abc")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["path", "unit_id"]


def test_null_characters_are_refused_not_a_server_error(world, cast, client_for):
    # PostgreSQL cannot store NUL in text; the API says so instead of failing.
    client = client_for(cast.base_officer)
    before = fingerprint()
    r = call(client, "PATCH", f"/units/{world.cell.pk}", {"name": "Chi bộ\x00"})
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "null_characters",
            "loc": ["body", "name"],
            "msg": "Null characters are not allowed.",
        }
    ]
    for query in ["q=%00", "org=X01%00"]:
        r = call(client, "GET", f"/members?{query}")
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][0] == "query"
    assert fingerprint() == before


def test_json_is_utf8_text(world, cast, client_for):
    r = call(client_for(cast.base_officer), "GET", f"/units/{world.cell.pk}")
    assert r["Content-Type"] == "application/json; charset=utf-8"
    assert "Chi bộ thôn Đông".encode() in r.content  # not \u escapes
