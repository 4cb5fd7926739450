"""The writes of the annual evaluation: opening a campaign by the regulation of the year,
the self-assessment (scored under 366-QĐ/TW), the cell's vote, the committee's decision, an
override then publication, publication refused listing what is wrong."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from chibo.core.models import AuditEvent
from chibo.evaluation import ratable, services
from chibo.evaluation.models import Campaign, Evaluation, Level, Override, SelfAssessment
from chibo.members.models import EventKind
from chibo.org.models import Kind
from chibo.testing import factories as f

from .helpers import D, campaign, event, member, members, row, set_level

DUES = {
    "self_due": D(2025, 12, 5),
    "cell_due": D(2025, 12, 15),
    "decision_due": D(2025, 12, 25),
    "publish_due": D(2025, 12, 31),
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def messages(excinfo) -> list[str]:
    return excinfo.value.messages


def test_open_lists_members_and_units_with_the_rule_of_each(world, cast):
    young = member(world.cell, "Mới Kết Nạp", D(2025, 8, 1))
    gone_cell = f.unit(Kind.CELL, world.base, founded_on=D(2025, 9, 1))
    c = services.campaign_open(unit=world.base, year=2025, actor=cast.base_officer, **DUES)
    assert c.regulation == "Quy định 366-QĐ/TW (30/8/2025), Hướng dẫn 43-HD/BTCTW"
    assert (c.opened_by, c.imported, c.published) == (cast.base_officer, False, False)
    rows = Evaluation.objects.filter(campaign=c)
    secretary = cast.secretary.member
    listed = {(r.member_id, r.unit_id, r.cell_id, r.not_rated, r.year) for r in rows.order_by("pk")}
    assert listed == {
        (world.member.pk, None, world.cell.pk, "", 2025),
        (secretary.pk, None, world.cell.pk, "", 2025),
        (young.pk, None, world.cell.pk, ratable.ADMITTED, 2025),
        (world.member2.pk, None, world.cell2.pk, "", 2025),
        (None, world.cell.pk, None, "", 2025),
        (None, world.cell2.pk, None, "", 2025),
        (None, gone_cell.pk, None, ratable.FOUNDED, 2025),
    }
    event_ = AuditEvent.objects.get(kind="evaluation.opened")
    assert event_.actor == cast.base_officer and event_.facts["year"] == 2025


def test_regulation_read_on_31_12_even_when_opened_before_124(world, monkeypatch):
    """A campaign of 2023 opened on 01/09/2023, before 124-QĐ/TW (04/10/2023): the year is
    rated by the rules of 31/12/2023."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2023, 9, 1))
    c = services.campaign_open(
        unit=world.base,
        year=2023,
        self_due=D(2023, 12, 1),
        cell_due=D(2023, 12, 10),
        decision_due=D(2023, 12, 20),
        publish_due=D(2024, 1, 15),
        actor=None,
    )
    assert c.regulation == "Quy định 124-QĐ/TW (04/10/2023)"
    assert ratable.year_rules(2023, world.base).evaluation_form == "124"
    assert ratable.year_rules(2022, world.base).evaluation_form == "132"


def test_open_refusals(world):
    with pytest.raises(ValidationError) as e:
        services.campaign_open(unit=world.cell, year=2025, actor=None, **DUES)
    assert messages(e) == ["A campaign is opened by a province, district or base organisation."]
    with pytest.raises(ValidationError) as e:
        services.campaign_open(
            unit=world.base, year=2025, actor=None, **{**DUES, "cell_due": D(2025, 12, 1)}
        )
    assert e.value.message_dict == {
        "cell_due": ["The deadlines follow the stages: this one is before the one before."]
    }
    with pytest.raises(ValidationError) as e:
        services.campaign_open(
            unit=world.base, year=2025, actor=None, **{**DUES, "self_due": D(2024, 12, 31)}
        )
    assert list(e.value.message_dict) == ["self_due"]
    with pytest.raises(ValidationError) as e:
        services.campaign_open(
            unit=world.base,
            year=2017,
            actor=None,
            **{k: v.replace(year=2017) for k, v in DUES.items()},
        )
    assert messages(e) == ["No evaluation regulation was in force in 2017."]
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as e:
        services.campaign_open(
            unit=world.base,
            year=next_year,
            actor=None,
            **{k: v.replace(year=next_year) for k, v in DUES.items()},
        )
    assert messages(e) == ["The evaluation of a year opens in that year."]
    assert not Campaign.objects.exists() and not Evaluation.objects.exists()


def test_one_campaign_a_year_along_a_branch(world):
    commune = campaign(world.base, 2025)
    with pytest.raises(ValidationError) as e:
        campaign(world.base, 2025)
    assert messages(e) == [
        "Đảng bộ xã An Hòa already has the evaluation of 2025; it covers this unit."
    ]
    # The province opens over it: it lists what the commune's campaign leaves, the base
    # organisations themselves (their parent rates them) and the commune without a campaign.
    province = campaign(world.province, 2025)
    listed = Evaluation.objects.filter(campaign=province)
    assert set(listed.exclude(unit=None).values_list("unit_id", flat=True)) == {
        world.base.pk,
        world.other_base.pk,
        world.other_cell.pk,
    }
    assert set(listed.exclude(member=None).values_list("member_id", flat=True)) == {
        world.other_member.pk
    }
    assert not Evaluation.objects.filter(campaign=commune, unit=world.base).exists()
    # Below a campaign that covers it, none opens.
    with pytest.raises(ValidationError) as e:
        campaign(world.other_base, 2025)
    assert messages(e) == [
        "Đảng bộ tỉnh Thử already has the evaluation of 2025; it covers this unit."
    ]
    campaign(world.province, 2024)
    with pytest.raises(ValidationError):
        campaign(world.base, 2024)
    assert Campaign.objects.count() == 3


def test_refresh_adds_drops_and_keeps_decided(world):
    leaving, staying = members(world.cell, 2)
    c = campaign(world.base, 2025)
    arrived = member(world.cell2, "Chuyển Đến", D(2015, 1, 1))
    set_level(c, staying, Level.GOOD)
    # Both leave before the listing day: the undecided row goes, the decided one stays.
    event(leaving, EventKind.DECEASED, D(2025, 10, 1))
    event(staying, EventKind.DECEASED, D(2025, 10, 2))
    event(world.member, EventKind.SUSPENDED, D(2025, 11, 1))
    services.campaign_refresh(campaign=c, actor=None)
    members_listed = set(
        c.evaluations.filter(member__isnull=False).values_list("member_id", flat=True)
    )
    assert arrived.pk in members_listed and staying.pk in members_listed
    assert leaving.pk not in members_listed
    assert row(c, world.member).not_rated == ratable.SUSPENDED


def test_self_assessment_scored_under_366(world, cast):
    c = campaign(world.base, 2025)
    base = {
        "campaign": c,
        "member": world.member,
        "answers": {"qualities": "Tốt", "duties": "Hoàn thành 12/12 nhiệm vụ"},
        "tasks_all_done": True,
        "actor": cast.member,
    }
    with pytest.raises(ValidationError) as e:
        services.self_assessment_save(**base, general_score=31, results_score=71)
    assert e.value.message_dict == {
        "general_score": ["Between 0 and 30 points."],
        "results_score": ["Between 0 and 70 points."],
    }
    # 92 points with 30% exceeded: excellent; with 29%, good.
    with pytest.raises(ValidationError) as e:
        services.self_assessment_save(
            **base,
            general_score=28,
            results_score=64,
            exceeded_share=29,
            proposed_level=Level.EXCELLENT,
            submit=True,
        )
    assert e.value.message_dict["proposed_level"] == [
        "A score of 92 gives Well completed duties (Quy định 366-QĐ/TW (30/8/2025), Hướng dẫn"
        " 43-HD/BTCTW), not Excellently completed duties."
    ]
    with pytest.raises(ValidationError) as e:
        services.self_assessment_save(**base, general_score=28, submit=True)
    assert set(e.value.message_dict) == {"proposed_level", "results_score"}
    with pytest.raises(ValidationError) as e:
        services.self_assessment_save(**{**base, "answers": {"bogus": "x"}})
    assert e.value.message_dict == {"answers": ["Unknown criteria: bogus."]}
    assert not SelfAssessment.objects.exists()
    draft = services.self_assessment_save(**base, general_score=28)
    assert draft.submitted_at is None and draft.form == "366"
    s = services.self_assessment_save(
        **base,
        general_score=28,
        results_score=64,
        exceeded_share=30,
        proposed_level=Level.EXCELLENT,
        submit=True,
        strengths=" Gương mẫu ",
    )
    assert (s.pk, s.score, s.strengths, s.submitted_at is not None) == (
        draft.pk,
        92,
        "Gương mẫu",
        True,
    )
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["evaluation.self_saved", "evaluation.self_submitted"]


def test_self_assessment_not_scored_before_366(world):
    c = campaign(world.base, 2024)
    with pytest.raises(ValidationError) as e:
        services.self_assessment_save(
            campaign=c, member=world.member, answers={}, general_score=20, actor=None
        )
    assert e.value.message_dict == {
        "general_score": [
            "The self-assessment of 2024 is not scored (Quy định 124-QĐ/TW (04/10/2023))."
        ]
    }
    s = services.self_assessment_save(
        campaign=c,
        member=world.member,
        answers={"duties": "Hoàn thành"},
        proposed_level=Level.GOOD,
        submit=True,
        actor=None,
    )
    assert s.form == "124" and s.score is None


def test_exempt_member_rated_once_submitted(world):
    exempt = member(world.cell, "Miễn Sinh Hoạt")
    event(exempt, EventKind.EXEMPTED, D(2024, 1, 1))
    c = campaign(world.base, 2024)
    assert row(c, exempt).not_rated == ratable.EXEMPT_NO_SELF
    services.self_assessment_save(
        campaign=c,
        member=exempt,
        answers={"duties": "…"},
        proposed_level=Level.COMPLETE,
        submit=True,
        actor=None,
    )
    assert row(c, exempt).not_rated == ""


VOTED_ON = D(2025, 12, 12)


def vote(c, subject, level=Level.GOOD, votes=1, voters=1, on=VOTED_ON):
    return services.evaluation_propose(
        evaluation=row(c, subject), level=level, votes=votes, voters=voters, on=on, actor=None
    )


def test_cell_vote_needs_more_than_half(world, cast):
    extra = members(world.cell, 2)  # the cell: 2 + secretary + member = 4 official members
    c = campaign(world.base, 2025)
    with pytest.raises(ValidationError) as e:
        vote(c, world.member, votes=2, voters=4)
    assert e.value.message_dict == {
        "votes": ["2 of 4 votes is not more than half: the proposal is not adopted."]
    }
    with pytest.raises(ValidationError) as e:
        vote(c, world.member, votes=5, voters=5)
    assert e.value.message_dict == {
        "voters": ["5 members voting, but the cell has 4 official members."]
    }
    e2 = vote(c, world.member, votes=3, voters=4)
    assert (e2.proposed_level, e2.proposed_votes, e2.proposed_voters) == ("good", 3, 4)
    assert extra


def test_proposal_not_above_what_the_rules_allow(world):
    event(world.member, EventKind.REPRIMAND, D(2025, 3, 1))
    young = member(world.cell, "Mới", D(2025, 9, 1))
    c = campaign(world.base, 2025)
    with pytest.raises(ValidationError) as e:
        vote(c, world.member, Level.GOOD)
    assert e.value.message_dict == {
        "level": [
            "Nguyễn Văn Hùng can be rated Completed duties at best: Disciplined: reprimand in the"
            " year: Completed duties at best (Quy định 366-QĐ/TW)"
        ]
    }
    vote(c, world.member, Level.COMPLETE)
    with pytest.raises(ValidationError) as e:
        vote(c, young)
    assert messages(e) == [
        "Mới is not rated this year: Admitted on 01/09/2025, less than 6 months before 31/12"
        " (Quy định 366-QĐ/TW)"
    ]


def test_decision_after_the_proposal(world, cast):
    c = campaign(world.base, 2025)
    e = row(c, world.member)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_decide(evaluation=e, level=Level.GOOD, on=D(2025, 12, 20), actor=None)
    assert messages(exc) == ["The cell has not proposed Nguyễn Văn Hùng's level yet."]
    vote(c, world.member, Level.GOOD, on=D(2025, 12, 12))
    e.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.evaluation_decide(evaluation=e, level=Level.GOOD, on=D(2025, 12, 11), actor=None)
    assert exc.value.message_dict == {
        "on": ["The decision is on or after the cell's proposal (12/12/2025)."]
    }
    with pytest.raises(ValidationError) as exc:
        services.evaluation_decide(
            evaluation=e, level=Level.GOOD, score=65, on=D(2025, 12, 20), actor=None
        )
    assert exc.value.message_dict == {
        "level": ["A score of 65 gives Completed duties at best, not Well completed duties."]
    }
    services.evaluation_decide(
        evaluation=e, level=Level.GOOD, score=85, on=D(2025, 12, 20), actor=cast.base_officer
    )
    e.refresh_from_db()
    assert (e.level, e.score, e.decided_by) == ("good", 85, cast.base_officer)
    # Decided: the cell no longer proposes.
    with pytest.raises(ValidationError):
        vote(c, world.member, Level.COMPLETE)


def decide_all(c, level=Level.GOOD):
    for e in Evaluation.objects.filter(campaign=c, not_rated=""):
        e.proposed_level = e.proposed_level or level
        e.save()
        services.evaluation_decide(
            evaluation=e, level=e.proposed_level, on=D(2025, 12, 20), actor=None
        )


def test_publication_refused_then_overridden(world, cast):
    people = members(world.cell2, 3)
    c = campaign(world.base, 2025)
    with pytest.raises(ValidationError) as e:
        services.campaign_publish(campaign=c, actor=cast.base_officer)
    assert messages(e)[0].startswith("Not decided yet: 8 (")
    # Two excellent for three good in the school's cell, and the cell excellent too.
    for person in people[:2]:
        set_level(c, person, Level.EXCELLENT, proposed=True)
    decide_all(c)
    with pytest.raises(ValidationError) as e:
        services.campaign_publish(campaign=c, actor=cast.base_officer)
    assert messages(e) == [
        "Chi bộ trường Tiểu học: 2 excellent / 2 good (100,00%) above 20%",
    ]
    assert not Campaign.objects.get(pk=c.pk).published
    with pytest.raises(ValidationError) as e:
        services.override_record(campaign=c, check_key="cap:cell:0", reason="x", actor=None)
    assert e.value.message_dict == {"check_key": ["There is no such check on this campaign."]}
    with pytest.raises(ValidationError) as e:
        services.override_record(
            campaign=c, check_key=f"cap:cell:{world.cell2.pk}", reason="  ", actor=None
        )
    assert e.value.message_dict == {"reason": ["Give the reason for the override."]}
    o = services.override_record(
        campaign=c,
        check_key=f"cap:cell:{world.cell2.pk}",
        reason="Hai đồng chí đạt giải giáo viên giỏi cấp tỉnh",
        actor=cast.base_officer,
    )
    assert o.decided_by_name == "base"
    with pytest.raises(ValidationError):
        services.override_record(
            campaign=c, check_key=o.check_key, reason="again", actor=cast.base_officer
        )
    services.campaign_publish(campaign=c, actor=cast.base_officer)
    c.refresh_from_db()
    assert c.published and c.published_by == cast.base_officer
    assert AuditEvent.objects.filter(kind="evaluation.published").get().facts["rated"] == 8
    # Published: closed.
    for write in (
        lambda: services.campaign_publish(campaign=c, actor=None),
        lambda: services.campaign_refresh(campaign=c, actor=None),
        lambda: services.self_assessment_save(
            campaign=c, member=world.member, answers={}, actor=None
        ),
    ):
        with pytest.raises(ValidationError):
            write()
    assert Override.objects.count() == 1
