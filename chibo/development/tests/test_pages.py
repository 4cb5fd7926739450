"""The pages: the board, a candidate and its steps, the reviews; who may do what."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.development import services
from chibo.development.models import Candidate, OfficialReview, Stage
from chibo.members import services as member_services
from chibo.members.models import EventKind, Member
from chibo.rules.calendar import add_years
from chibo.testing import factories as f

from .builders import candidate

D = dt.date


@pytest.fixture
def introducers(world):
    return world.member, f.member(world.cell, full_name="Đỗ Văn Giới", admitted_on=D(2012, 6, 1))


def counts(html: str) -> dict[str, int]:
    found = re.findall(
        r'data-stage="(\w+)".*?class="badge text-bg-secondary stage-count">([\d.]+)<', html, re.S
    )
    return {stage: int(n.replace(".", "")) for stage, n in found}


def test_board_counts_per_stage(world, cast, introducers, en):
    today = timezone.localdate()
    ago = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    recent = {
        "proposed": ago(120),
        "class_on": ago(100),
        "introduced": ago(80),
        "vote": ago(60),
        "decided": ago(50),
    }
    candidate(world.cell, Stage.PROPOSED, name="A1")
    candidate(world.cell, Stage.PROPOSED, name="A2")
    candidate(world.cell, Stage.CLASS_DONE, name="B1")
    candidate(world.cell, Stage.INTRODUCED, introducers=introducers, name="C1")
    candidate(world.cell2, Stage.VOTED, introducers=introducers, name="D1")
    waiting = candidate(
        world.cell2,
        Stage.DECIDED,
        introducers=introducers,
        name="E1",
        proposed=D(2025, 3, 2),
        class_on=D(2025, 4, 1),
        introduced=D(2025, 6, 2),
        vote=D(2025, 12, 1),
        decided=D(2026, 1, 20),
    )
    candidate(
        world.cell2, Stage.DECIDED, introducers=introducers, name="F1", ceremony=ago(40), **recent
    )
    candidate(
        world.cell2, Stage.DECIDED, introducers=introducers, name="F0", ceremony=D(2025, 4, 2)
    )
    services.candidate_drop(
        candidate=candidate(world.cell2, name="G1", proposed=ago(30)),
        dropped_on=ago(10),
        reason="x",
        actor=None,
    )
    services.candidate_drop(
        candidate=candidate(world.cell2, name="G0"),
        dropped_on=D(2025, 1, 1),
        reason="y",
        actor=None,
    )
    candidate(world.other_cell, name="Z1")  # another base committee: not on this board
    # Hand count: the old admission (F0) and the old drop (G0) only with "all".
    expected = {
        "proposed": 2,
        "class_done": 1,
        "introduced": 1,
        "voted": 1,
        "decided": 1,
        "admitted": 1,
        "dropped": 1,
    }
    page = reverse("development:board", args=[world.base.pk])
    c = en(cast.base_officer)
    r = c.get(page)
    assert r.status_code == 200
    assert counts(r.text) == expected
    assert counts(c.get(page + "?all=on").text) == {**expected, "admitted": 2, "dropped": 2}
    assert counts(c.get(page + f"?cell={world.cell.pk}").text) == {
        **dict.fromkeys(expected, 0),
        "proposed": 2,
        "class_done": 1,
        "introduced": 1,
    }
    # The decision of 20/01/2026 had its ceremony due by 10/03/2026: overdue since.
    assert "10/03/2026" in r.text and "overdue" in r.text
    assert reverse("development:candidate", args=[waiting.pk]) in r.text
    # HTMX asks for the board alone.
    part = c.get(page, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text and counts(part.text) == expected


def test_board_access(world, cast, en):
    page = reverse("development:board", args=[world.base.pk])
    assert en(cast.viewer).get(page).status_code == 200
    assert en(cast.province_officer).get(page).status_code == 200
    assert en(cast.outsider).get(page).status_code == 404
    assert en(cast.member).get(page).status_code == 403
    assert en(cast.secretary).get(page).status_code == 404  # the secretary reads the cell only
    cell_page = reverse("development:board", args=[world.cell.pk])
    r = en(cast.secretary).get(cell_page)
    assert r.status_code == 200 and 'id="propose"' in r.text
    assert 'id="propose"' not in en(cast.viewer).get(page).text
    assert en(cast.base_officer).post(page).status_code == 405


def test_propose_a_candidate(world, cast, en):
    page = reverse("development:candidate_create") + f"?cell={world.cell.pk}"
    data = {
        "cell": world.cell.pk,
        "full_name": "Trịnh  Thị Hoa",
        "gender": "female",
        "birth_date": "02/09/2000",
        "ethnicity": "Kinh",
        "proposed_on": "01/10/2025",
    }
    assert en(cast.outsider).get(page).status_code == 404
    assert en(cast.viewer).get(page).status_code == 403
    assert en(cast.viewer).post(page, data).status_code == 403
    sec = en(cast.secretary)
    assert sec.get(page).status_code == 200
    assert sec.put(page).status_code == 405
    r = sec.post(page, {**data, "proposed_on": "01/10/2099"})
    assert r.status_code == 422 and "cannot be in the future" in r.text
    assert not Candidate.objects.exists()
    r = sec.post(page, data)
    c = Candidate.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("development:candidate", args=[c.pk])
    assert (c.cell, c.full_name, c.birth_date) == (world.cell, "Trịnh Thị Hoa", D(2000, 9, 2))
    # Without ?cell the form offers the writable cells: the secretary's one cell.
    r = sec.get(reverse("development:candidate_create"))
    assert r.status_code == 200 and world.cell.name in r.text and world.cell2.name not in r.text
    assert en(cast.viewer).get(reverse("development:candidate_create")).status_code == 403


def step(pk: int, name: str) -> str:
    return reverse("development:candidate_step", args=[pk, name])


def test_steps_through_the_pages(world, cast, introducers, en):
    c = candidate(world.cell, proposed=D(2024, 9, 2))
    detail = reverse("development:candidate", args=[c.pk])
    sec, office, viewer = en(cast.secretary), en(cast.base_officer), en(cast.viewer)
    assert en(cast.outsider).get(detail).status_code == 404
    r = viewer.get(detail)
    assert r.status_code == 200 and 'id="step-class"' not in r.text
    r = sec.get(detail)
    assert 'id="step-class"' in r.text and 'id="step-drop"' in r.text
    assert viewer.post(step(c.pk, "class"), {"class-completed_on": "20/11/2024"}).status_code == 403
    assert en(cast.outsider).post(step(c.pk, "class"), {}).status_code == 404
    assert sec.get(step(c.pk, "class")).status_code == 405
    assert sec.post(step(c.pk, "nonsense"), {}).status_code == 404
    r = sec.post(step(c.pk, "class"), {"class-completed_on": "01/09/2024"})
    assert r.status_code == 422 and "before the proposal (02/09/2024)" in r.text
    r = sec.post(
        step(c.pk, "class"), {"class-completed_on": "20/11/2024", "class-certificate": "7"}
    )
    assert r.status_code == 302
    a, b = introducers
    data = {
        "introducers-introduced_on": "10/02/2025",
        "introducers-introducer_1": a.pk,
        "introducers-introducer_1_since": "11/02/2024",
        "introducers-introducer_2": b.pk,
        "introducers-introducer_2_since": "01/01/2020",
    }
    r = sec.post(step(c.pk, "introducers"), data)
    assert r.status_code == 422 and "since 10/02/2024 or earlier" in r.text
    r = sec.post(
        step(c.pk, "introducers"), {**data, "introducers-introducer_1_since": "10/02/2024"}
    )
    assert r.status_code == 302
    vote = {"vote-vote_on": "05/03/2025", "vote-votes_for": 5, "vote-votes_eligible": 9}
    r = sec.post(step(c.pk, "vote"), vote)
    assert r.status_code == 422 and "5 of 9 official members" in r.text
    assert sec.post(step(c.pk, "vote"), {**vote, "vote-votes_for": 6}).status_code == 302
    # The decision is the office's above the cell, not the secretary's.
    r = sec.get(detail)
    assert 'id="step-decision"' not in r.text and 'id="waiting-above"' in r.text
    decision = {
        "decision-decision_number": "15-QĐ/ĐU",
        "decision-decision_on": "20/03/2025",
        "decision-code": "KN2025-01",
    }
    assert sec.post(step(c.pk, "decision"), decision).status_code == 403
    assert 'id="step-decision"' in office.get(detail).text
    assert office.post(step(c.pk, "decision"), decision).status_code == 302
    c.refresh_from_db()
    assert c.member.code == "KN2025-01"
    assert (
        sec.post(step(c.pk, "ceremony"), {"ceremony-ceremony_on": "01/04/2025"}).status_code == 403
    )
    r = office.post(step(c.pk, "ceremony"), {"ceremony-ceremony_on": "01/04/2025"})
    assert r.status_code == 302
    r = office.get(detail)
    assert r.status_code == 200 and 'id="stage"' in r.text and "Ceremony held" in r.text
    assert 'id="ceremony-flag"' not in r.text


def test_late_ceremony_flagged_on_the_page(world, cast, introducers, en):
    c = candidate(
        world.cell,
        Stage.DECIDED,
        introducers=introducers,
        proposed=D(2025, 3, 2),
        class_on=D(2025, 4, 1),
        introduced=D(2025, 6, 2),
        vote=D(2025, 12, 1),
        decided=D(2026, 1, 20),
    )
    office = en(cast.base_officer)
    detail = reverse("development:candidate", args=[c.pk])
    assert "Ceremony overdue" in office.get(detail).text
    r = office.post(step(c.pk, "ceremony"), {"ceremony-ceremony_on": "11/03/2026"})
    assert r.status_code == 302
    r = office.get(detail)
    assert "Ceremony held late" in r.text and "10/03/2026" in r.text


def test_edit_page(world, cast, en):
    c = candidate(world.cell)
    page = reverse("development:candidate_edit", args=[c.pk])
    assert en(cast.viewer).get(page).status_code == 403
    assert en(cast.outsider).get(page).status_code == 404
    data = {
        "full_name": "Lê Thị Mai",
        "gender": "female",
        "birth_date": "12/04/1995",
        "ethnicity": "Mường",
        "proposed_on": "02/09/2024",
    }
    assert en(cast.secretary).post(page, data).status_code == 302
    c.refresh_from_db()
    assert c.ethnicity == "Mường"


@pytest.fixture
def probation(world):
    """Three probationary members of `cell` on a day after all of them: ceremony 29/02/2024
    (probation ended 28/02/2025), and two with a ceremony relative to today."""
    today = timezone.localdate()

    def member(name, ceremony):
        m = f.member(
            world.cell,
            full_name=name,
            admitted_on=ceremony - dt.timedelta(days=20),
            official_on=None,
        )
        member_services.event_create(actor=None, member=m, kind=EventKind.CEREMONY, date=ceremony)
        return Member.objects.get(pk=m.pk)

    return {
        "ended": member("Mai Văn Nhuận", D(2024, 2, 29)),
        # Probation ends in 10 days: a year and 10 days less the year from the ceremony.
        "ending": member("Cao Thị Sắp", add_years(today, -1) + dt.timedelta(days=10)),
        "later": member("Phan Văn Xa", add_years(today, -1) + dt.timedelta(days=45)),
    }


def test_reviews_page(world, cast, probation, en):
    page = reverse("development:reviews", args=[world.base.pk])
    office = en(cast.base_officer)
    r = office.get(page)
    assert r.status_code == 200
    ended = r.text.split('id="ended"')[1].split("</table>")[0]
    ending = r.text.split('id="ending"')[1].split("</table>")[0]
    assert f'data-member="{probation["ended"].pk}"' in ended and "14/04/2025" in ended
    assert "overdue" in ended  # its review was due by 14/04/2025
    assert f'data-member="{probation["ending"].pk}"' in ending
    assert f'data-member="{probation["later"].pk}"' not in r.text  # beyond 30 days
    assert en(cast.outsider).get(page).status_code == 404
    assert en(cast.member).get(page).status_code == 403
    assert office.post(page).status_code == 405


def test_review_vote_and_decision_pages(world, cast, probation, en):
    m = probation["ended"]
    page = reverse("development:review_member", args=[m.pk])
    sec, office, viewer = en(cast.secretary), en(cast.base_officer), en(cast.viewer)
    assert en(cast.outsider).get(page).status_code == 404
    r = viewer.get(page)
    assert r.status_code == 200 and 'id="vote-form"' not in r.text and "overdue" in r.text
    vote = {"vote_on": "10/03/2025", "votes_for": 5, "votes_eligible": 9, "outcome": "recognise"}
    assert viewer.post(page, vote).status_code == 403
    assert 'id="vote-form"' in sec.get(page).text
    r = sec.post(page, vote)
    assert r.status_code == 422 and "5 of 9 official members voted for recognition" in r.text
    assert not OfficialReview.objects.exists()
    assert sec.post(page, {**vote, "votes_for": 6}).status_code == 302
    review = OfficialReview.objects.get()
    r = sec.get(page)
    assert 'id="decision-form"' not in r.text and 'id="waiting-above"' in r.text
    decide = reverse("development:review_decide", args=[review.pk])
    data = {"decision_number": "3-QĐ/ĐU", "decision_on": "20/03/2025"}
    assert sec.post(decide, data).status_code == 403
    assert office.get(decide).status_code == 405
    r = office.post(decide, {**data, "decision_on": "09/03/2025"})
    assert r.status_code == 422 and "before the cell&#x27;s vote" in r.text
    assert office.post(decide, data).status_code == 302
    m.refresh_from_db()
    assert m.official_on == D(2025, 2, 28)
    # Decided: off the lists.
    r = office.get(reverse("development:reviews", args=[world.base.pk]))
    assert f'data-member="{m.pk}"' not in r.text


def test_lists_cost_the_same_whatever_their_length(world, cast, introducers, probation, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.testing.api import call

    office = client_for(cast.base_officer)
    board = reverse("development:board", args=[world.base.pk]) + "?all=on"  # old admissions too
    reviews = reverse("development:reviews", args=[world.base.pk])

    def cost() -> list[int]:
        out = []
        for get in (
            lambda: office.get(board),
            lambda: office.get(reviews),
            lambda: call(office, "GET", "/candidates"),
            lambda: call(office, "GET", f"/official-reviews/due?unit={world.base.pk}"),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert get().status_code == 200
            out.append(len(ctx))
        return out

    def add(n: int) -> None:
        for i in range(n):
            candidate(world.cell, Stage.PROPOSED, name=f"P{n}{i}")
            candidate(world.cell2, Stage.DECIDED, introducers=introducers, name=f"Q{n}{i}")
            candidate(
                world.cell2,
                Stage.DECIDED,
                introducers=introducers,
                name=f"R{n}{i}",
                ceremony=D(2025, 4, 1),
            )
            m = f.member(world.cell, admitted_on=D(2024, 1, 2 + i), official_on=None)
            member_services.event_create(
                actor=None, member=m, kind=EventKind.CEREMONY, date=D(2024, 2, 1 + i)
            )

    add(1)
    few = cost()
    add(4)
    assert cost() == few
