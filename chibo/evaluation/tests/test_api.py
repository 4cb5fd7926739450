"""/api/v1/evaluation: each persona, the board's figures against counts made here, the
stages through the API, and the errors (422 with the service's message, 403, 404, 405)."""

from collections import Counter

from chibo.evaluation.models import Campaign, Evaluation, Level, Override, SelfAssessment
from chibo.testing.api import all_pages, call

from .helpers import D, campaign, members

OPEN = {
    "year": 2025,
    "self_due": "2025-12-05",
    "cell_due": "2025-12-15",
    "decision_due": "2025-12-25",
    "publish_due": "2025-12-31",
}


def test_open_by_an_office_only(world, cast, client_for):
    body = {**OPEN, "unit": world.base.pk}
    for user, status in (
        (cast.member, 403),
        (cast.viewer, 403),
        (cast.secretary, 404),  # the commune is not in the cell's scope
        (cast.outsider, 404),
    ):
        assert call(client_for(user), "POST", "/evaluation/campaigns", body).status_code == status
    assert not Campaign.objects.exists()
    r = call(client_for(cast.base_officer), "POST", "/evaluation/campaigns", body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert (out["unit"], out["unit_name"], out["year"], out["imported"]) == (
        world.base.pk,
        "Đảng bộ xã An Hòa",
        2025,
        False,
    )
    assert out["regulation"].startswith("Quy định 366-QĐ/TW")
    # The same commune twice: refused (the province may open over it, for what it leaves).
    r = call(client_for(cast.base_officer), "POST", "/evaluation/campaigns", body)
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "invalid",
            "loc": ["body", "__all__"],
            "msg": "Đảng bộ xã An Hòa already has the evaluation of 2025; it covers this unit.",
        }
    ]
    r = call(
        client_for(cast.base_officer),
        "POST",
        "/evaluation/campaigns",
        {**body, "unit": world.other_base.pk},
    )
    assert r.status_code == 404
    r = call(
        client_for(cast.outsider),
        "POST",
        "/evaluation/campaigns",
        {**body, "unit": world.other_base.pk, "cell_due": "2025-12-01"},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "cell_due"]
    r = call(client_for(cast.base_officer), "POST", "/evaluation/campaigns", {**body, "bogus": 1})
    assert r.status_code == 422


def test_list_and_board_by_scope(world, cast, client_for):
    extra = members(world.cell2, 3, "Trường")
    c = campaign(world.base, 2025)
    other = campaign(world.other_base, 2025)
    path = "/evaluation/campaigns"
    assert [x["id"] for x in all_pages(client_for(cast.base_officer), path)] == [c.pk]
    assert [x["id"] for x in all_pages(client_for(cast.secretary), path)] == [c.pk]
    assert {x["id"] for x in all_pages(client_for(cast.province_officer), path)} == {c.pk, other.pk}
    assert [
        x["id"]
        for x in all_pages(client_for(cast.province_officer), f"{path}?unit={world.cell.pk}")
    ] == [c.pk]
    assert call(client_for(cast.member), "GET", path).status_code == 403
    # The whole board for the commune's office, the cell's rows for its secretary.
    r = call(client_for(cast.base_officer), "GET", f"{path}/{c.pk}")
    assert r.status_code == 200, r.content
    board = r.json()
    rows = Evaluation.objects.filter(campaign=c)
    assert len(board["rows"]) == rows.count() == 8
    expected = Counter(
        "self" if e.member_id else "cell"
        for e in rows  # nothing submitted, nothing proposed
    )
    assert board["counts"] == {
        "self": expected["self"],
        "cell": expected["cell"],
        "decision": 0,
        "published": 0,
        "done": 0,
        "not_rated": 0,
    }
    missing = {m["cell_name"]: sorted(m["names"]) for m in board["missing"]}
    assert missing == {
        "Chi bộ thôn Đông": sorted([world.member.full_name, cast.secretary.member.full_name]),
        "Chi bộ trường Tiểu học": sorted([world.member2.full_name, *(m.full_name for m in extra)]),
    }
    mine = call(client_for(cast.secretary), "GET", f"{path}/{c.pk}").json()
    assert {x["name"] for x in mine["rows"]} == {
        world.member.full_name,
        cast.secretary.member.full_name,
        world.cell.name,
    }
    assert call(client_for(cast.outsider), "GET", f"{path}/{c.pk}").status_code == 404
    assert call(client_for(cast.member), "GET", f"{path}/{c.pk}").status_code == 403
    assert call(client_for(cast.base_officer), "DELETE", f"{path}/{c.pk}").status_code == 405
    assert call(client_for(cast.base_officer), "GET", f"{path}/{c.pk}/publish").status_code == 405


def test_stages_through_the_api(world, cast, client_for):
    c = campaign(world.base, 2025)
    row = Evaluation.objects.get(campaign=c, member=world.member)
    member = client_for(cast.member)
    # The member's own self-assessment.
    r = call(member, "GET", "/evaluation/self/2025")
    assert r.status_code == 200, r.content
    form = r.json()
    assert (form["form"], form["points"], form["id"]) == (
        "366",
        {"general": 30, "results": 70},
        None,
    )
    assert [x["key"] for x in form["criteria"]][:2] == ["qualities", "duties"]
    r = call(member, "PUT", "/evaluation/self/2025", {"general_score": 31})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "Between 0 and 30 points."
    body = {
        "answers": {"duties": "Hoàn thành 10/10 nhiệm vụ"},
        "general_score": 27,
        "results_score": 60,
        "tasks_all_done": True,
        "exceeded_share": 10,
        "proposed_level": "good",
        "submit": True,
    }
    r = call(member, "PUT", "/evaluation/self/2025", body)
    assert r.status_code == 200, r.content
    assert (r.json()["score"], r.json()["submitted_at"] is not None) == (87, True)
    assert call(member, "GET", "/evaluation/self/2019").status_code == 404
    assert call(client_for(cast.outsider), "GET", "/evaluation/self/2025").status_code == 404
    assert call(member, "POST", "/evaluation/self/2025", body).status_code == 405
    mine = SelfAssessment.objects.get(member=world.member)
    assert (
        call(
            client_for(cast.base_officer), "GET", f"/evaluation/self-assessments/{mine.pk}"
        ).status_code
        == 200
    )
    assert (
        call(
            client_for(cast.outsider), "GET", f"/evaluation/self-assessments/{mine.pk}"
        ).status_code
        == 404
    )
    # The cell's proposal: its secretary; a viewer reads but does not propose.
    proposal = {"level": "good", "votes": 2, "voters": 2, "on": "2025-12-12"}
    path = f"/evaluation/evaluations/{row.pk}"
    assert call(client_for(cast.viewer), "PUT", f"{path}/proposal", proposal).status_code == 403
    assert call(client_for(cast.outsider), "PUT", f"{path}/proposal", proposal).status_code == 404
    r = call(client_for(cast.secretary), "PUT", f"{path}/proposal", {**proposal, "votes": 1})
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "type": "invalid",
            "loc": ["body", "votes"],
            "msg": "1 of 2 votes is not more than half: the proposal is not adopted.",
        }
    ]
    r = call(client_for(cast.secretary), "PUT", f"{path}/proposal", proposal)
    assert r.status_code == 200 and r.json()["proposed_level"] == "good"
    # The decision: the commune's office, not the secretary.
    decision = {"level": "good", "score": 87, "on": "2025-12-20"}
    assert call(client_for(cast.secretary), "PUT", f"{path}/decision", decision).status_code == 403
    r = call(client_for(cast.base_officer), "PUT", f"{path}/decision", decision)
    assert r.status_code == 200 and (r.json()["level"], r.json()["score"]) == ("good", 87)
    assert call(client_for(cast.secretary), "GET", path).json()["level"] == "good"
    # History, with the self-assessment, once published.
    r = call(member, "GET", f"/evaluation/members/{world.member.pk}/history")
    assert r.status_code == 200
    (entry,) = r.json()
    assert (entry["year"], entry["level"], entry["published"]) == (2025, "", False)
    assert entry["self_assessment"]["score"] == 87
    assert (
        call(
            client_for(cast.outsider), "GET", f"/evaluation/members/{world.member.pk}/history"
        ).status_code
        == 404
    )


def test_override_then_publish(world, cast, client_for):
    people = members(world.cell, 5)
    c = campaign(world.base, 2025)
    for e in Evaluation.objects.filter(campaign=c):
        e.proposed_level = e.level = Level.GOOD
        e.save()
    for person in people[:2]:
        e = Evaluation.objects.get(campaign=c, member=person)
        e.level = Level.EXCELLENT
        e.save()
    path = f"/evaluation/campaigns/{c.pk}"
    office = client_for(cast.base_officer)
    r = call(office, "POST", f"{path}/publish")
    assert r.status_code == 422
    assert [x["msg"] for x in r.json()["detail"]] == [
        "Chi bộ thôn Đông: 2 excellent / 5 good (40,00%) above 20%"
    ]
    (check,) = call(office, "GET", path).json()["checks"]
    assert (check["key"], check["severity"], check["override"]) == (
        f"cap:cell:{world.cell.pk}",
        "refuse",
        None,
    )
    override = {"check_key": check["key"], "reason": "Quyết định của Ban Thường vụ"}
    assert (
        call(client_for(cast.secretary), "POST", f"{path}/overrides", override).status_code == 403
    )
    assert call(client_for(cast.viewer), "POST", f"{path}/publish").status_code == 403
    r = call(office, "POST", f"{path}/overrides", override)
    assert r.status_code == 201 and r.json()["decided_by_name"] == "base"
    r = call(office, "POST", f"{path}/publish")
    assert r.status_code == 200 and r.json()["published_at"]
    assert Override.objects.get().check_key == check["key"]
    board = call(office, "GET", path).json()
    assert board["counts"]["done"] == Evaluation.objects.filter(campaign=c, not_rated="").count()
    assert board["checks"][0]["override"]["reason"] == "Quyết định của Ban Thường vụ"
    r = call(office, "POST", f"{path}/refresh")
    assert r.status_code == 422
    history = call(
        client_for(cast.member), "GET", f"/evaluation/members/{world.member.pk}/history"
    ).json()
    assert history[0]["level"] == "good" and history[0]["published"]
    assert D(2025, 1, 1)
