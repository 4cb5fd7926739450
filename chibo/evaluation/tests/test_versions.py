"""A rating row (Evaluation) carries a version (chibo.core.versions): the cell's proposal and
the committee's decision are made from the version read, so that a secretary and an office,
or two offices, saving the same row at once lose nothing. A save from an old version is
refused (the board: the group's form again, the person's input kept, the row saying what it
is now; the API: 409) and nothing is written. So is a self-assessment, which its member may
have open on two devices (version 0: none saved yet)."""

import pytest
from django.urls import reverse

from chibo.core.models import AuditEvent
from chibo.core.versions import Stale
from chibo.evaluation import services
from chibo.evaluation.models import Campaign, Evaluation, Level, SelfAssessment
from chibo.testing.api import call
from chibo.testing.versions import postgres_only, race

from .test_views import (
    DEC,
    JAN,
    YEAR,
    day,
    open_campaign,
    propose_all,
    row,
    secretary_member,
    self_data,
)

STALE_EN = "Someone else changed this record since you opened it"
STALE_ROW_EN = "Someone else changed this row since you opened the board"
STALE_SELF_EN = "This self-assessment was saved elsewhere (another device or window)"


@pytest.fixture
def campaign(world, cast) -> Campaign:
    return open_campaign(world.base, cast.base_officer)


def written() -> tuple[int, int, int]:
    """Every proposal, decision or self-assessment saved leaves a history row and an audit
    event."""
    return (
        Evaluation.history.model.objects.count(),  # type: ignore[attr-defined]
        SelfAssessment.history.model.objects.count(),  # type: ignore[attr-defined]
        AuditEvent.objects.count(),
    )


def save_self(campaign, member, version, **changes):
    values = {
        "answers": {"qualities": "Giữ vững lập trường.", "duties": "Hoàn thành các nhiệm vụ."},
        "general_score": 25,
        "results_score": 60,
        "tasks_all_done": True,
        "strengths": "Nhiệt tình.",
    } | changes
    return services.self_assessment_save(
        campaign=campaign, member=member, version=version, actor=None, **values
    )


def test_api_proposal_and_decision_name_the_version(world, cast, campaign, client_for):
    e = row(campaign, world.member)
    path = f"/evaluation/evaluations/{e.pk}"
    secretary, office = client_for(cast.secretary), client_for(cast.base_officer)
    assert call(secretary, "GET", path).json()["version"] == 1
    proposal = {"level": "good", "votes": 2, "voters": 2, "on": DEC.isoformat()}
    r = call(secretary, "PUT", f"{path}/proposal", {**proposal, "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2
    # A second proposal from the version read before the first: refused, nothing written.
    before = written()
    r = call(office, "PUT", f"{path}/proposal", {**proposal, "level": "excellent", "version": 1})
    assert r.status_code == 409 and STALE_EN in r.json()["detail"]
    assert written() == before
    decision = {"level": "good", "score": 85, "on": JAN.isoformat()}
    r = call(office, "PUT", f"{path}/decision", {**decision, "version": 1})
    assert r.status_code == 409
    assert written() == before
    e.refresh_from_db()
    assert (e.proposed_level, e.level, e.version) == (Level.GOOD, "", 2)
    r = call(office, "PUT", f"{path}/decision", {**decision, "version": 2})
    assert r.status_code == 200 and (r.json()["level"], r.json()["version"]) == ("good", 3)
    # Without a version: applied to the row as it is now (an older client).
    r = call(office, "PUT", f"{path}/decision", {**decision, "level": "complete"})
    assert r.status_code == 200 and r.json()["version"] == 4
    # The board's rows give it too.
    rows = call(office, "GET", f"/evaluation/campaigns/{campaign.pk}").json()["rows"]
    assert {x["id"]: x["version"] for x in rows}[e.pk] == 4


def test_two_decisions_from_the_same_version_the_second_refused(world, cast, campaign):
    propose_all(campaign, cast, world)
    first_read = row(campaign, world.member)
    second_read = Evaluation.objects.get(pk=first_read.pk)
    services.evaluation_decide(
        evaluation=first_read,
        level=Level.GOOD,
        on=JAN,
        version=first_read.version,
        actor=cast.base_officer,
    )
    before = written()
    with pytest.raises(Stale):
        services.evaluation_decide(
            evaluation=second_read,
            level=Level.EXCELLENT,
            on=JAN,
            version=second_read.version,
            actor=cast.province_officer,
        )
    assert written() == before
    e = row(campaign, world.member)
    assert (e.level, e.decided_by, e.version) == (Level.GOOD, cast.base_officer, 3)


def test_stale_decision_on_the_board(world, cast, campaign, en):
    propose_all(campaign, cast, world)
    a, b = row(campaign, world.member), row(campaign, secretary_member(cast))
    c = en(cast.base_officer)
    p = f"d{world.cell.pk}"
    board = c.get(reverse("evaluation:campaign", args=[campaign.pk])).text
    assert f'name="{p}-version_{a.pk}" value="2"' in board
    # Another office decides the first member meanwhile.
    services.evaluation_decide(
        evaluation=a, level=Level.COMPLETE, on=JAN, actor=cast.province_officer
    )
    before = written()
    data = {
        f"{p}-on": day(JAN),
        f"{p}-level_{a.pk}": Level.GOOD,
        f"{p}-score_{a.pk}": "85",
        f"{p}-version_{a.pk}": "2",
        f"{p}-level_{b.pk}": Level.GOOD,
        f"{p}-score_{b.pk}": "",
        f"{p}-version_{b.pk}": "2",
    }
    url = reverse("evaluation:decide", args=[campaign.pk, world.cell.pk])
    r = c.post(url, data, headers={"HX-Request": "true"})
    assert r.status_code == 422
    assert STALE_ROW_EN in r.text and "(now: Completed duties)" in r.text
    # The input kept, the row's version now the current one; the other row unchanged.
    assert 'value="85"' in r.text
    assert f'name="{p}-version_{a.pk}" value="3"' in r.text
    assert f'name="{p}-version_{b.pk}" value="2"' in r.text
    assert written() == before
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.level, a.decided_by, b.level) == (Level.COMPLETE, cast.province_officer, "")
    # Saving again after reading it is a deliberate change.
    r = c.post(url, {**data, f"{p}-version_{a.pk}": "3"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "2 decisions recorded." in r.text
    a.refresh_from_db()
    assert (a.level, a.score, a.version) == (Level.GOOD, 85, 4)


def test_stale_proposal_on_the_board(world, cast, campaign, en):
    a = row(campaign, world.member)
    p = f"p{world.cell.pk}"
    data = {
        f"{p}-on": day(DEC),
        f"{p}-voters": "2",
        f"{p}-level_{a.pk}": Level.GOOD,
        f"{p}-votes_{a.pk}": "2",
        f"{p}-version_{a.pk}": "1",
    }
    services.evaluation_propose(
        evaluation=a, level=Level.EXCELLENT, votes=2, voters=2, on=DEC, actor=cast.base_officer
    )
    before = written()
    url = reverse("evaluation:propose", args=[campaign.pk, world.cell.pk])
    r = en(cast.secretary).post(url, data)
    assert r.status_code == 422
    assert STALE_ROW_EN in r.text and "(now: Excellently completed duties)" in r.text
    assert written() == before
    a.refresh_from_db()
    assert (a.proposed_level, a.version) == (Level.EXCELLENT, 2)


# The self-assessment --------------------------------------------------------------------------


def test_self_put_names_the_version(world, cast, campaign, client_for):
    c = client_for(cast.member)
    path = f"/evaluation/self/{YEAR}"
    assert call(c, "GET", path).json()["version"] == 0  # none saved yet
    body = {"answers": {"duties": "Hoàn thành các nhiệm vụ."}, "strengths": "Nhiệt tình."}
    r = call(c, "PUT", path, {**body, "version": 0})
    assert r.status_code == 200 and r.json()["version"] == 1
    # The other device, opened before that save: refused, nothing written.
    before = written()
    r = call(c, "PUT", path, {**body, "strengths": "Gương mẫu.", "version": 0})
    assert r.status_code == 409 and STALE_EN in r.json()["detail"]
    assert written() == before
    r = call(c, "PUT", path, {**body, "strengths": "Gương mẫu.", "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = call(c, "PUT", path, {**body, "version": 1})
    assert r.status_code == 409
    # Without a version: the save replaces what is saved (an older client).
    r = call(c, "PUT", path, body)
    assert r.status_code == 200 and (r.json()["strengths"], r.json()["version"]) == (
        "Nhiệt tình.",
        3,
    )


def test_two_self_saves_from_the_same_version_the_second_refused(world, campaign):
    first = save_self(campaign, world.member, 0)
    save_self(campaign, world.member, first.version, strengths="Gương mẫu.")
    before = written()
    with pytest.raises(Stale):
        save_self(campaign, world.member, first.version, strengths="Chậm.")
    with pytest.raises(Stale):
        save_self(campaign, world.member, 0, strengths="Chậm.")  # a first save, too late
    assert written() == before
    saved = SelfAssessment.objects.get(member=world.member)
    assert (saved.strengths, saved.version) == ("Gương mẫu.", 2)


def test_stale_self_assessment_page(world, cast, campaign, en):
    c = en(cast.member)
    url = reverse("evaluation:me")
    assert 'name="version" value="0"' in c.get(url).text
    save_self(campaign, world.member, 0)  # from the phone, meanwhile
    before = written()
    data = self_data(proposed_level="", strengths="Viết trên máy tính.", version="0")
    r = c.post(url, data)
    assert r.status_code == 422
    assert STALE_SELF_EN in r.text
    assert "Viết trên máy tính." in r.text and 'name="version" value="1"' in r.text
    assert written() == before
    assert SelfAssessment.objects.get(member=world.member).strengths == "Nhiệt tình."
    # Saving again replaces it, deliberately.
    r = c.post(url, {**data, "version": "1"})
    assert r.status_code == 302
    saved = SelfAssessment.objects.get(member=world.member)
    assert (saved.strengths, saved.version) == ("Viết trên máy tính.", 2)


# Two connections (PostgreSQL) ------------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_self_saves_at_once(world, cast, campaign):
    def save(strengths):
        return lambda: save_self(campaign, world.member, 0, strengths=strengths)

    first, second = race(save("Trên điện thoại."), save("Trên máy tính."))
    assert isinstance(first, SelfAssessment) and isinstance(second, Stale), (first, second)
    saved = SelfAssessment.objects.get(member=world.member)
    assert (saved.strengths, saved.version) == ("Trên điện thoại.", 1)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_connections_at_once(world, cast, campaign):
    propose_all(campaign, cast, world)
    pk = row(campaign, world.member).pk

    def decide(level, actor):
        def run():
            e = Evaluation.objects.get(pk=pk)  # read before the first save commits
            return services.evaluation_decide(
                evaluation=e, level=level, on=JAN, version=2, actor=actor
            )

        return run

    first, second = race(
        decide(Level.GOOD, cast.base_officer), decide(Level.EXCELLENT, cast.province_officer)
    )
    assert isinstance(first, Evaluation) and isinstance(second, Stale), (first, second)
    e = Evaluation.objects.get(pk=pk)
    assert (e.level, e.version) == (Level.GOOD, 3)
