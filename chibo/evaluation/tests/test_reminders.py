"""The evaluation on the deadline board (each stage still waiting, with its deadline), on the
member's timeline (their self-assessment due) and in their history (the level published)."""

from django.urls import reverse

from chibo.evaluation import services
from chibo.evaluation.models import Evaluation, Level
from chibo.testing.api import call

from .helpers import D, campaign, members


def submit(c, m):
    services.self_assessment_save(
        campaign=c,
        member=m,
        answers={"duties": "…"},
        general_score=20,
        results_score=55,
        tasks_all_done=True,
        proposed_level=Level.GOOD,
        submit=True,
        actor=None,
    )


def test_stages_on_the_board_and_the_timeline(world, cast, client_for):
    extra = members(world.cell2, 2)
    c = campaign(world.base, 2025)
    submit(c, world.member)
    office = client_for(cast.base_officer)
    body = call(office, "GET", f"/deadlines?unit={world.base.pk}&on=2025-12-10").json()
    stages = {s["stage"]: s for s in body["evaluation"]}
    members_listed = Evaluation.objects.filter(campaign=c, member__isnull=False).count()
    assert stages["self"] == {
        "campaign": c.pk,
        "unit": world.base.pk,
        "unit_name": "Đảng bộ xã An Hòa",
        "year": 2025,
        "stage": "self",
        "due": "2025-12-05",
        "waiting": members_listed - 1,
        "overdue": True,
    }
    # The submitted member and the two cells wait for their cell's proposal.
    assert (stages["cell"]["waiting"], stages["cell"]["overdue"]) == (3, False)
    assert set(stages) == {"self", "cell"}
    # The secretary's board counts the cell's rows only.
    mine = call(client_for(cast.secretary), "GET", f"/deadlines?unit={world.cell.pk}&on=2025-12-10")
    waits = {s["stage"]: s["waiting"] for s in mine.json()["evaluation"]}
    assert waits == {"self": 1, "cell": 2}  # the secretary; the member submitted, and the cell
    page = client_for(cast.base_officer)
    page.cookies["django_language"] = "en"
    r = page.get(reverse("deadlines:unit", args=[world.base.pk]), {"on": "10/12/2025"})
    assert r.status_code == 200 and "due 05/12/2025 · waiting: " in r.text
    r = office.get(reverse("deadlines:export", args=[world.base.pk]), {"on": "10/12/2025"})
    assert r.status_code == 200
    # The members' own: due until submitted.
    timeline = f"/deadlines/timeline/{world.member2.pk}?on=2025-12-10"
    assert call(office, "GET", timeline).json()["due"]["self_assessment"] == {
        "campaign": c.pk,
        "year": 2025,
        "due": "2025-12-05",
        "draft": False,
        "overdue": True,
    }
    timeline = f"/deadlines/timeline/{world.member.pk}?on=2025-12-10"
    assert call(office, "GET", timeline).json()["due"]["self_assessment"] is None
    assert extra


def test_publication_waits_then_the_level_is_in_the_history(world, cast, client_for):
    c = campaign(world.base, 2025)
    for e in Evaluation.objects.filter(campaign=c):
        e.proposed_level = e.level = Level.GOOD
        e.save()
    office = client_for(cast.base_officer)
    body = call(office, "GET", f"/deadlines?unit={world.base.pk}&on=2025-12-28").json()
    assert [(s["stage"], s["due"]) for s in body["evaluation"]] == [("published", "2025-12-31")]
    services.campaign_publish(campaign=c, actor=cast.base_officer)
    body = call(office, "GET", f"/deadlines?unit={world.base.pk}&on=2025-12-28").json()
    assert body["evaluation"] == []
    entries = call(office, "GET", f"/deadlines/timeline/{world.member.pk}").json()["entries"]
    rated = [e for e in entries if e["what"] == "evaluation"]
    assert [(e["day"], e["title"]) for e in rated] == [
        ("2025-12-31", "Rated for 2025: Well completed duties")
    ]
    assert D(2025, 1, 1)
