"""Candidates brought to a given stage through the services, with dates that pass every rule
unless a test says otherwise."""

import datetime as dt
import itertools

from chibo.development import services
from chibo.development.models import Candidate, Stage
from chibo.members.models import Member
from chibo.org.models import OrgUnit

_codes = itertools.count(1)
ORDER = [Stage.PROPOSED, Stage.CLASS_DONE, Stage.INTRODUCED, Stage.VOTED, Stage.DECIDED]


def candidate(
    cell: OrgUnit,
    stage: str = Stage.PROPOSED,
    *,
    introducers: tuple[Member, Member] | None = None,
    name: str = "Lê Thị Mai",
    born: dt.date = dt.date(1995, 4, 12),
    proposed: dt.date = dt.date(2024, 9, 2),
    class_on: dt.date = dt.date(2024, 11, 20),
    introduced: dt.date = dt.date(2025, 2, 10),
    since: dt.date = dt.date(2020, 1, 6),
    vote: dt.date = dt.date(2025, 3, 5),
    votes: tuple[int, int] = (6, 9),
    decided: dt.date = dt.date(2025, 3, 20),
    ceremony: dt.date | None = None,
) -> Candidate:
    """`stage` up to DECIDED; pass `ceremony` for ADMITTED."""
    c = services.candidate_create(
        cell=cell,
        full_name=name,
        gender="female",
        birth_date=born,
        proposed_on=proposed,
        actor=None,
    )
    reached = ORDER.index(Stage(stage)) if stage in ORDER else len(ORDER) - 1
    if reached >= 1:
        c = services.candidate_class_done(
            candidate=c, completed_on=class_on, certificate="LCT-1", actor=None
        )
    if reached >= 2:
        assert introducers, "give two official members"
        c = services.candidate_introduce(
            candidate=c,
            introduced_on=introduced,
            introducer_1=introducers[0],
            introducer_1_since=since,
            introducer_2=introducers[1],
            introducer_2_since=since,
            actor=None,
        )
    if reached >= 3:
        c = services.candidate_vote(
            candidate=c, vote_on=vote, votes_for=votes[0], votes_eligible=votes[1], actor=None
        )
    if reached >= 4:
        c = services.candidate_decide(
            candidate=c,
            decision_number=f"{next(_codes)}-QĐ/ĐU",
            decision_on=decided,
            code=f"KN{next(_codes):05d}",
            actor=None,
        )
    if ceremony:
        services.candidate_ceremony(candidate=c, ceremony_on=ceremony, actor=None)
    return Candidate.objects.select_related("member").get(pk=c.pk)
