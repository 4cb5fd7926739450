"""Each write of the pipeline records one audit event: who, what, on which record, about whose
record, with the facts of the sentence; a refused write records none."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from chibo.core import audit
from chibo.core.models import AuditEvent
from chibo.development import services
from chibo.development.models import OfficialReview, Outcome
from chibo.members.models import EventKind, Member, MemberEvent
from chibo.testing import factories as f

from .builders import candidate

D = dt.date


@pytest.fixture
def introducers(world):
    return world.member, f.member(world.cell, full_name="Đỗ Văn Giới", admitted_on=D(2012, 6, 1))


def mark() -> int:
    """Events recorded so far (the fixtures' own, whatever they are)."""
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def since(start: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=start).order_by("pk"))


def only(start: int) -> AuditEvent:
    events = since(start)
    assert len(events) == 1, [e.kind for e in events]
    return events[0]


def is_(event: AuditEvent, obj, about) -> bool:
    return (event.object_type.model_class(), event.object_id, event.about_type.model_class()) == (
        type(obj),
        obj.pk,
        type(about),
    ) and event.about_id == about.pk


def sentence(event: AuditEvent, language: str = "en") -> str:
    with translation.override(language):
        return audit.sentence(event)


def test_each_step_of_a_candidacy_is_one_event_about_the_candidate(world, cast, introducers):
    sec = cast.secretary
    start = mark()
    c = services.candidate_create(
        cell=world.cell,
        full_name="Bùi  Thị Thu",
        gender="female",
        birth_date=D(1998, 5, 4),
        proposed_on=D(2024, 9, 2),
        actor=sec,
    )
    e = only(start)
    assert (e.kind, e.actor, is_(e, c, c)) == ("development.proposed", sec, True)
    assert e.facts == {"cell": "Chi bộ thôn Đông", "date": "02/09/2024"}
    assert sentence(e) == "Proposed as a candidate by Chi bộ thôn Đông on 02/09/2024"

    start = mark()
    services.candidate_update(candidate=c, full_name="Bùi Thị Thu Hà", ethnicity="Tày", actor=sec)
    e = only(start)
    assert (e.kind, e.actor, is_(e, c, c)) == ("development.corrected", sec, True)
    assert e.facts == {"fields": "full_name, ethnicity"}  # the names; the values are in history

    start = mark()
    services.candidate_class_done(candidate=c, completed_on=D(2024, 11, 20), actor=sec)
    e = only(start)
    assert (e.kind, e.actor, is_(e, c, c), e.facts) == (
        "development.class_done",
        sec,
        True,
        {"date": "20/11/2024"},
    )

    start = mark()
    services.candidate_introduce(
        candidate=c,
        introduced_on=D(2025, 2, 10),
        introducer_1=introducers[0],
        introducer_1_since=D(2020, 1, 6),
        introducer_2=introducers[1],
        introducer_2_since=D(2020, 1, 6),
        actor=sec,
    )
    e = only(start)
    assert (e.kind, e.actor, is_(e, c, c)) == ("development.introduced", sec, True)
    assert e.facts == {"date": "10/02/2025", "first": "Nguyễn Văn Hùng", "second": "Đỗ Văn Giới"}
    assert sentence(e) == "Introduced on 10/02/2025 by Nguyễn Văn Hùng and Đỗ Văn Giới"

    start = mark()
    services.candidate_vote(
        candidate=c, vote_on=D(2025, 3, 5), votes_for=6, votes_eligible=9, actor=sec
    )
    e = only(start)
    assert (e.kind, e.actor, is_(e, c, c)) == ("development.voted", sec, True)
    assert e.facts == {"date": "05/03/2025", "votes_for": 6, "votes_eligible": 9}
    assert sentence(e) == "The cell voted for the admission on 05/03/2025: 6 of 9"


def test_the_decision_is_the_first_event_of_the_new_members_record(world, cast, introducers):
    c = candidate(world.cell, "voted", introducers=introducers, vote=D(2025, 3, 5))
    start = mark()
    c = services.candidate_decide(
        candidate=c,
        decision_number=" 12-QĐ/ĐU ",
        decision_on=D(2025, 3, 20),
        code="KN0001",
        actor=cast.base_officer,
    )
    member = Member.objects.get(code="KN0001")
    # One event for the whole write, though it creates the member record with its placement.
    e = only(start)
    assert (e.kind, e.actor, is_(e, c, member)) == (
        "development.admitted",
        cast.base_officer,
        True,
    )
    assert e.facts == {"number": "12-QĐ/ĐU", "date": "20/03/2025", "cell": "Chi bộ thôn Đông"}
    assert sentence(e) == "Admitted by decision 12-QĐ/ĐU of 20/03/2025"
    assert list(audit.about([member])) == [e]

    start = mark()
    ceremony = services.candidate_ceremony(
        candidate=c, ceremony_on=D(2025, 4, 2), actor=cast.base_officer
    )
    e = only(start)
    event = MemberEvent.objects.get(member=member, kind=EventKind.CEREMONY)
    assert ceremony == event
    assert (e.kind, e.actor, is_(e, event, member), e.facts) == (
        "development.ceremony",
        cast.base_officer,
        True,
        {"date": "02/04/2025"},
    )
    # The member's history, newest first, starts (at the bottom) with the admission.
    assert [x.kind for x in audit.about([member])] == [
        "development.ceremony",
        "development.admitted",
    ]


def test_a_drop_and_a_union_introduction(world, cast, introducers):
    c = candidate(world.cell, "class_done")
    start = mark()
    services.candidate_introduce(
        candidate=c,
        introduced_on=D(2025, 2, 10),
        introducer_1=introducers[0],
        introducer_1_since=D(2020, 1, 6),
        union_introduction="Đoàn Thanh niên xã, Nghị quyết 3",
        actor=cast.secretary,
    )
    assert only(start).facts["second"] == "Đoàn Thanh niên xã, Nghị quyết 3"
    start = mark()
    services.candidate_drop(
        candidate=c, dropped_on=D(2025, 3, 1), reason="Chuyển đi  nơi khác", actor=cast.secretary
    )
    e = only(start)
    assert (e.kind, e.actor, is_(e, c, c), e.facts) == (
        "development.dropped",
        cast.secretary,
        True,
        {"date": "01/03/2025"},  # not the reason: it may be about the person's health
    )


def test_a_refused_step_records_nothing(world, cast, introducers):
    c = candidate(world.cell, "introduced", introducers=introducers)
    start = mark()
    with pytest.raises(ValidationError):
        services.candidate_vote(
            candidate=c, vote_on=D(2025, 3, 5), votes_for=5, votes_eligible=9, actor=cast.secretary
        )
    assert since(start) == []
    c = candidate(world.cell, "voted", introducers=introducers, name="Hoàng Văn Nam")
    start = mark()
    with pytest.raises(ValidationError):  # the member record's code is taken: refused inside
        services.candidate_decide(
            candidate=c,
            decision_number="12-QĐ/ĐU",
            decision_on=D(2025, 3, 20),
            code=world.member.code,
            actor=cast.base_officer,
        )
    with pytest.raises(ValidationError):
        services.candidate_drop(
            candidate=c, dropped_on=D(2025, 3, 1), reason="  ", actor=cast.secretary
        )
    assert since(start) == []
    assert not Member.objects.filter(full_name="Hoàng Văn Nam").exists()


# The review at the end of probation -----------------------------------------------------------


@pytest.fixture
def probationer(world, introducers) -> Member:
    """Admitted through the pipeline: ceremony 29/02/2024, probation ended 28/02/2025."""
    c = candidate(
        world.cell,
        "decided",
        introducers=introducers,
        name="Mai Văn Nhuận",
        proposed=D(2023, 3, 1),
        class_on=D(2023, 5, 2),
        introduced=D(2023, 9, 4),
        vote=D(2023, 12, 4),
        decided=D(2024, 1, 15),
        ceremony=D(2024, 2, 29),
    )
    assert c.member is not None
    return Member.objects.get(pk=c.member.pk)


def test_the_review_vote_and_the_recognition_are_events_about_the_member(cast, probationer):
    start = mark()
    review = services.review_vote(
        member=probationer,
        vote_on=D(2025, 3, 10),
        votes_for=6,
        votes_eligible=9,
        outcome=Outcome.RECOGNISE,
        actor=cast.secretary,
    )
    e = only(start)
    assert (e.kind, e.actor, is_(e, review, probationer)) == (
        "development.review_voted",
        cast.secretary,
        True,
    )
    assert e.facts == {
        "date": "10/03/2025",
        "votes_for": 6,
        "votes_eligible": 9,
        "outcome": {"t": "Recognise as official member"},
    }
    assert sentence(e) == (
        "End of probation: the cell voted on 10/03/2025, 6 of 9 for recognition; it proposes: "
        "Recognise as official member"
    )
    start = mark()
    # One event, though the decision writes the OFFICIAL event on the member's record.
    services.review_decide(
        review=review,
        decision_number="5-QĐ/ĐU",
        decision_on=D(2025, 3, 20),
        actor=cast.base_officer,
    )
    e = only(start)
    assert (e.kind, e.actor, is_(e, review, probationer)) == (
        "development.recognised",
        cast.base_officer,
        True,
    )
    assert e.facts == {"number": "5-QĐ/ĐU", "date": "28/02/2025", "decided_on": "20/03/2025"}
    assert sentence(e) == (
        "Recognised as an official member from 28/02/2025 by decision 5-QĐ/ĐU of 20/03/2025"
    )
    # Decided once: a second decision is refused and records nothing.
    start = mark()
    with pytest.raises(ValidationError):
        services.review_decide(
            review=review, decision_number="6", decision_on=D(2025, 3, 21), actor=cast.base_officer
        )
    assert since(start) == []


def test_a_removal_at_the_end_of_probation(cast, probationer):
    review = services.review_vote(
        member=probationer,
        vote_on=D(2025, 3, 10),
        votes_for=5,
        votes_eligible=9,
        outcome=Outcome.REMOVE,
        actor=cast.secretary,
    )
    start = mark()
    services.review_decide(
        review=review,
        decision_number="9-QĐ/ĐU",
        decision_on=D(2025, 4, 2),
        actor=cast.base_officer,
    )
    e = only(start)
    assert (e.kind, is_(e, review, probationer), e.facts) == (
        "development.not_recognised",
        True,
        {"number": "9-QĐ/ĐU", "date": "02/04/2025", "decided_on": "02/04/2025"},
    )
    assert sentence(e) == (
        "Not recognised at the end of probation: removed by decision 9-QĐ/ĐU of 02/04/2025"
    )


def test_a_refused_review_vote_records_nothing(cast, probationer):
    start = mark()
    with pytest.raises(ValidationError):
        services.review_vote(
            member=probationer,
            vote_on=D(2025, 3, 10),
            votes_for=5,
            votes_eligible=9,
            outcome=Outcome.RECOGNISE,
            actor=cast.secretary,
        )
    assert since(start) == [] and not OfficialReview.objects.exists()


# On the pages ---------------------------------------------------------------------------------


def test_the_pages_say_what_was_done_in_vietnamese_and_in_english(
    world, cast, introducers, client_for, en
):
    c = candidate(world.cell, "voted", introducers=introducers, vote=D(2025, 3, 5))
    services.candidate_decide(
        candidate=c,
        decision_number="12-QĐ/ĐU",
        decision_on=D(2025, 3, 20),
        code="KN0001",
        actor=cast.base_officer,
    )
    member = Member.objects.get(code="KN0001")
    candidate_page = reverse("development:candidate", args=[c.pk])
    member_page = reverse("members:detail", args=[member.pk])

    english = en(cast.base_officer)
    page = english.get(candidate_page).text
    assert html.escape("Proposed as a candidate by Chi bộ thôn Đông on 02/09/2024") in page
    assert html.escape("The cell voted for the admission on 05/03/2025: 6 of 9") in page
    # The decision is written on the member's record; the candidate's page shows it too.
    assert html.escape("Admitted by decision 12-QĐ/ĐU of 20/03/2025") in page
    assert f"{cast.base_officer.username} · " in page
    page = english.get(member_page).text
    assert html.escape("Admitted by decision 12-QĐ/ĐU of 20/03/2025") in page
    assert "Proposed as a candidate" not in page  # the candidacy's steps stay on its page

    vietnamese = client_for(cast.base_officer)
    with translation.override("vi"):
        admitted = gettext("Admitted by decision %(number)s of %(date)s") % {
            "number": "12-QĐ/ĐU",
            "date": "20/03/2025",
        }
        voted = gettext(
            "The cell voted for the admission on %(date)s: %(votes_for)s of %(votes_eligible)s"
        ) % {"date": "05/03/2025", "votes_for": 6, "votes_eligible": 9}
    assert html.escape(admitted) in vietnamese.get(member_page).text
    page = vietnamese.get(candidate_page).text
    assert html.escape(admitted) in page and html.escape(voted) in page


def test_the_review_outcome_is_shown_in_the_readers_language(cast, probationer, client_for, en):
    services.review_vote(
        member=probationer,
        vote_on=D(2025, 3, 10),
        votes_for=6,
        votes_eligible=9,
        outcome=Outcome.RECOGNISE,
        actor=cast.secretary,
    )
    page = reverse("members:detail", args=[probationer.pk])
    assert "it proposes: Recognise as official member" in en(cast.base_officer).get(page).text
    with translation.override("vi"):
        label = gettext("Recognise as official member")
    assert label != "Recognise as official member"  # kept as its msgid, shown translated
    assert label in client_for(cast.base_officer).get(page).text
