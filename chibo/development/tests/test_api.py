"""/api/v1/candidates and /api/v1/official-reviews: scoping, steps, errors in English."""

import datetime as dt

import pytest

from chibo.development.models import Candidate, OfficialReview, Stage
from chibo.members import services as member_services
from chibo.members.models import EventKind, Member
from chibo.testing import factories as f
from chibo.testing.api import all_pages, call, fingerprint, ids

from .builders import candidate

D = dt.date


@pytest.fixture
def introducers(world):
    return world.member, f.member(world.cell, full_name="Đỗ Văn Giới", admitted_on=D(2012, 6, 1))


def written() -> tuple[int, ...]:
    """Everything the pipeline writes leaves a history row somewhere."""
    return (
        *fingerprint(),
        Candidate.history.model.objects.count(),  # type: ignore[attr-defined]
        OfficialReview.history.model.objects.count(),  # type: ignore[attr-defined]
    )


def test_candidate_through_the_api(world, cast, introducers, client_for):
    sec, office = client_for(cast.secretary), client_for(cast.base_officer)
    body = {
        "cell": world.cell.pk,
        "full_name": "Bùi  Thị Thu",
        "gender": "female",
        "birth_date": "2001-05-04",
        "proposed_on": "2024-09-02",
    }
    assert call(client_for(cast.outsider), "POST", "/candidates", body).status_code == 404
    assert call(client_for(cast.viewer), "POST", "/candidates", body).status_code == 403
    before = written()
    r = call(sec, "POST", "/candidates", {**body, "proposed_on": "2001-05-03"})
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "invalid",
            "loc": ["body", "birth_date"],
            "msg": "The birth date must be before the proposal.",
        }
    ]
    assert written() == before
    r = call(sec, "POST", "/candidates", body)
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    assert r.json()["full_name"] == "Bùi Thị Thu" and r.json()["stage"] == "proposed"
    base = f"/candidates/{cid}"
    assert call(sec, "DELETE", base).status_code == 405
    assert call(client_for(cast.outsider), "GET", base).status_code == 404
    assert call(client_for(cast.viewer), "GET", base).status_code == 200
    r = call(client_for(cast.viewer), "POST", f"{base}/class", {"completed_on": "2024-11-20"})
    assert r.status_code == 403
    r = call(sec, "POST", f"{base}/class", {"completed_on": "2024-11-20", "certificate": "LCT-9"})
    assert r.status_code == 200 and r.json()["stage"] == "class_done"
    a, b = introducers
    intro = {
        "introduced_on": "2025-02-10",
        "introducer_1": a.pk,
        "introducer_1_since": "2024-02-11",
        "introducer_2": b.pk,
        "introducer_2_since": "2020-01-01",
    }
    r = call(sec, "POST", f"{base}/introducers", intro)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "introducer_1_since"]
    assert "since 10/02/2024 or earlier" in r.json()["detail"][0]["msg"]
    outsider_member = {**intro, "introducer_1": world.other_member.pk}
    assert call(sec, "POST", f"{base}/introducers", outsider_member).status_code == 404
    r = call(sec, "POST", f"{base}/introducers", {**intro, "introducer_1_since": "2024-02-10"})
    assert r.status_code == 200 and r.json()["introducer_1"] == a.pk
    vote = {"vote_on": "2025-03-05", "votes_for": 5, "votes_eligible": 9}
    r = call(sec, "POST", f"{base}/vote", vote)
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == (
        "5 of 9 official members voted for the admission: at least 6 (2/3) are needed."
    )
    r = call(sec, "POST", f"{base}/vote", {**vote, "votes_for": -1})
    assert r.status_code == 422
    assert call(sec, "POST", f"{base}/vote", {**vote, "votes_for": 6}).status_code == 200
    decision = {"decision_number": "15-QĐ/ĐU", "decision_on": "2025-03-20", "code": "KN-API-1"}
    assert call(sec, "POST", f"{base}/decision", decision).status_code == 403
    r = call(office, "POST", f"{base}/decision", decision)
    assert r.status_code == 200 and r.json()["stage"] == "decided"
    assert r.json()["ceremony_deadline"] == "2025-05-06"
    member = Member.objects.get(code="KN-API-1")
    assert r.json()["member"] == member.pk
    assert call(sec, "POST", f"{base}/ceremony", {"ceremony_on": "2025-04-01"}).status_code == 403
    r = call(office, "POST", f"{base}/ceremony", {"ceremony_on": "2025-03-19"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "ceremony_on"]
    r = call(office, "POST", f"{base}/ceremony", {"ceremony_on": "2025-04-01"})
    assert r.status_code == 200
    assert (r.json()["stage"], r.json()["ceremony_on"], r.json()["ceremony_flag"]) == (
        "admitted",
        "2025-04-01",
        "",
    )
    r = call(office, "POST", f"{base}/drop", {"dropped_on": "2025-05-01", "reason": "x"})
    assert r.status_code == 422 and "member record" in r.json()["detail"][0]["msg"]
    r = call(office, "PATCH", base, {"full_name": "Khác"})
    assert r.status_code == 422


def test_decided_30_working_days(world, cast, introducers, client_for):
    """The deadline the API gave above, counted by hand: decision on Thursday 20/03/2025,
    21/03 (1), 24-28/03 (6), 31/03-4/04 (11), 7/04 Giỗ Tổ, 8-11/04 (15), 14-18/04 (20),
    21-25/04 (25), Saturday 26/04 worked in exchange for Friday 2/05 (26), 28-29/04 (28),
    30/04-2/05 off, 5/05 (29), 6/05 (30)."""
    c = candidate(world.cell, Stage.DECIDED, introducers=introducers, decided=D(2025, 3, 20))
    r = call(client_for(cast.viewer), "GET", f"/candidates/{c.pk}")
    assert r.json()["ceremony_deadline"] == "2025-05-06"


def test_list_filters_and_scope(world, cast, introducers, client_for):
    p1 = candidate(world.cell, name="Một")
    p2 = candidate(world.cell2, name="Hai")
    v = candidate(world.cell2, Stage.VOTED, introducers=introducers, name="Ba")
    o = candidate(world.other_cell, name="Bốn")
    office = client_for(cast.base_officer)
    assert ids(all_pages(office, "/candidates")) == {p1.pk, p2.pk, v.pk}
    assert ids(all_pages(client_for(cast.province_officer), "/candidates")) == {
        p1.pk,
        p2.pk,
        v.pk,
        o.pk,
    }
    assert ids(all_pages(client_for(cast.secretary), "/candidates")) == {p1.pk}
    assert ids(all_pages(office, "/candidates?stage=voted")) == {v.pk}
    assert ids(all_pages(office, "/candidates?stage=proposed")) == {p1.pk, p2.pk}
    assert ids(all_pages(office, f"/candidates?unit={world.cell2.pk}")) == {p2.pk, v.pk}
    assert ids(all_pages(office, "/candidates?q=mot")) == {p1.pk}
    assert call(office, "GET", f"/candidates?unit={world.other_base.pk}").status_code == 404
    assert call(office, "GET", "/candidates?stage=bogus").status_code == 422
    assert call(client_for(cast.member), "GET", "/candidates").json()["count"] == 0
    assert call(client_for(cast.outsider), "GET", f"/candidates/{p1.pk}").status_code == 404


@pytest.fixture
def leap(world):
    m = f.member(
        world.cell, full_name="Mai Văn Nhuận", admitted_on=D(2024, 1, 15), official_on=None
    )
    member_services.event_create(actor=None, member=m, kind=EventKind.CEREMONY, date=D(2024, 2, 29))
    return Member.objects.get(pk=m.pk)


def test_reviews_through_the_api(world, cast, leap, client_for):
    sec, office = client_for(cast.secretary), client_for(cast.base_officer)
    body = {
        "member": leap.pk,
        "vote_on": "2025-03-10",
        "votes_for": 6,
        "votes_eligible": 9,
        "outcome": "recognise",
    }
    r = call(office, "GET", f"/official-reviews/due?unit={world.base.pk}")
    assert r.status_code == 200
    assert [(x["member"], x["state"], x["review_deadline"]) for x in r.json()] == [
        (leap.pk, "overdue", "2025-04-14")
    ]
    assert (
        call(
            client_for(cast.outsider), "GET", f"/official-reviews/due?unit={world.base.pk}"
        ).status_code
        == 404
    )
    assert call(client_for(cast.outsider), "POST", "/official-reviews", body).status_code == 404
    assert call(client_for(cast.viewer), "POST", "/official-reviews", body).status_code == 403
    before = written()
    r = call(sec, "POST", "/official-reviews", {**body, "vote_on": "2025-02-27"})
    assert r.status_code == 422
    assert r.json()["detail"][0] == {
        "type": "invalid",
        "loc": ["body", "vote_on"],
        "msg": "The probation ends on 28/02/2025: the cell votes from then on.",
    }
    assert written() == before
    r = call(sec, "POST", "/official-reviews", body)
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert (r.json()["probation_ended_on"], r.json()["review_deadline"]) == (
        "2025-02-28",
        "2025-04-14",
    )
    assert call(sec, "POST", "/official-reviews", body).status_code == 422  # one open at a time
    r = call(office, "GET", f"/official-reviews/due?unit={world.base.pk}")
    assert [(x["state"], x["review"]) for x in r.json()] == [("awaiting_decision", rid)]
    assert [
        x["id"] for x in call(office, "GET", "/official-reviews?open=true").json()["items"]
    ] == [rid]
    assert call(client_for(cast.outsider), "GET", "/official-reviews").json()["count"] == 0
    assert call(client_for(cast.outsider), "GET", f"/official-reviews/{rid}").status_code == 404
    decision = {"decision_number": "3-QĐ/ĐU", "decision_on": "2025-03-20"}
    assert call(sec, "POST", f"/official-reviews/{rid}/decision", decision).status_code == 403
    assert call(office, "DELETE", f"/official-reviews/{rid}").status_code == 405
    r = call(office, "POST", f"/official-reviews/{rid}/decision", decision)
    assert r.status_code == 200 and r.json()["decision_on"] == "2025-03-20"
    event = leap.events.get(kind=EventKind.OFFICIAL)
    assert r.json()["event"] == event.pk and event.date == D(2025, 2, 28)
    assert call(office, "GET", "/official-reviews?open=false").json()["count"] == 1
    r = call(client_for(cast.member), "GET", f"/official-reviews/{rid}")
    assert r.status_code == 404  # a plain member reads only their own
    assert call(office, "GET", f"/official-reviews/due?unit={world.base.pk}").json() == []
