"""The demo generator: plan a province in memory from a seed, then write it in bulk."""

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chibo.accounts.models import User
from chibo.badges.models import BadgeAward
from chibo.development.models import Candidate, OfficialReview
from chibo.meetings.models import Attendance, Meeting, QualityScore, Task, TaskReview, Vote
from chibo.members.models import (
    Member,
    MemberEvent,
    Placement,
    Position,
    StatusPeriod,
    Transfer,
)
from chibo.org.models import Ancestry, Kind, OrgUnit, Village

from .awards import plan_awards
from .candidacies import plan_candidacies
from .lifecycle import Rosters, plan_probations, plan_stories, review_rows, transfer_rows
from .meetings import meetings_write
from .names import Namer
from .people import people_rows, plan_people
from .persona_cell import persona_cell_write
from .personas import SECRETARY, personas_create, pick_cast
from .positions import plan_positions
from .timeline import Timeline
from .tree import plan_tree
from .writer import BulkWriter, Ids, analyze

DEFAULT_MEMBERS = 2000
DEFAULT_SEED = 1
MIN_MEMBERS = 50


@dataclass
class Summary:
    provinces: int
    base_committees: int
    cells: int
    party_groups: int
    villages: int
    members: int
    positions: int
    candidates: int
    transfers: int
    badges: int
    rows: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.members:,} members in {self.cells:,} cells ({self.party_groups} party "
            f"groups, {self.villages:,} villages) under {self.base_committees} base committees "
            f"in {self.provinces} province(s); {self.positions:,} posts; {self.candidates:,} "
            f"candidates, {self.transfers:,} transfers, {self.badges:,} badges; {self.rows:,} "
            f"rows written in {self.seconds:.1f} s"
        )


def demo_generate(
    *, members: int = DEFAULT_MEMBERS, seed: int = DEFAULT_SEED, as_of: dt.date | None = None
) -> Summary:
    """Generate the demo into an empty tree. The same seed and `as_of` (default: today, which
    places the recent admissions) give the same data, row for row."""
    if members < MIN_MEMBERS:
        raise ValueError(f"The demo needs at least {MIN_MEMBERS} members.")
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()

    def stage(name: str) -> random.Random:
        # One generator per stage, so that changing how posts are drawn leaves names alone.
        return random.Random(f"{seed}:{name}")

    with transaction.atomic():
        ids = Ids()
        tree = plan_tree(stage("tree"), members=members, ids=ids)
        namers = {
            u.province.code: Namer(
                stage(f"names:{u.province.code}"),
                province_code=u.province.code,
                codename=u.province.codename,
            )
            for u in tree.provinces
        }
        life = Timeline(as_of)
        people = plan_people(stage("people"), tree, as_of=as_of, ids=ids, namers=namers, life=life)
        # The lifecycle's stories: the probations before the posts are drawn (they decide who
        # can serve), the rest after, for members who hold none.
        story = stage("lifecycle")
        plan_probations(story, life, tree, people)
        posts, secretaries = plan_positions(stage("posts"), tree, people, as_of=as_of, ids=ids)
        plan_stories(story, life, tree, people, posts=posts)
        rows = people_rows(people, ids)
        rosters = Rosters(people)
        candidates, candidate_history = plan_candidacies(
            stage("candidates"), life, tree, people, rosters, namers, ids
        )
        reviews, review_history = review_rows(
            stage("reviews"), life, people, rosters, rows.events, ids
        )
        transfers, transfer_history = transfer_rows(people, rows.placements, ids)
        awards = plan_awards(stage("badges"), life, people, rows.periods, ids)

        writer = BulkWriter(timezone.now(), ids)
        writer.insert(OrgUnit, [u.row() for u in tree.units])
        writer.insert(Ancestry, tree.closure_rows(ids))
        writer.insert(Village, [v.row() for v in tree.villages])
        writer.insert(Member, rows.members)
        writer.insert(Placement, rows.placements, history=rows.placement_history)
        writer.insert(MemberEvent, rows.events)
        writer.insert(StatusPeriod, rows.periods)
        writer.insert(Position, posts)
        writer.insert(Transfer, transfers, history=transfer_history)
        writer.insert(Candidate, candidates, history=candidate_history)
        writer.insert(OfficialReview, reviews, history=review_history)
        writer.insert(BadgeAward, awards)

        # The logins first: the meetings' quality scores are filled by the secretary persona
        # (QualityScore.filled_by is required), the one demo user who scores meetings.
        cast = pick_cast(tree, people, secretaries, posts)
        first = tree.provinces[0].province
        personas_create(
            cast, Namer(stage("personas"), province_code=first.code, codename=first.codename)
        )
        filler = User.objects.get(username=SECRETARY.username).pk
        meetings_write(
            writer,
            stage("meetings"),
            tree,
            people,
            as_of=as_of,
            ids=ids,
            extra=stage("tasks"),
            filler=filler,
        )
        writer.finish()
        persona_cell_write(cast.cell.id, as_of)
        analyze(
            [OrgUnit, Ancestry, Member, Placement, MemberEvent, StatusPeriod, Position, Meeting]
            + [Attendance, Vote, Task, TaskReview, QualityScore]
            + [Transfer, Candidate, OfficialReview, BadgeAward]
        )
    kinds = [u.kind for u in tree.units]
    return Summary(
        provinces=kinds.count(Kind.PROVINCE),
        base_committees=kinds.count(Kind.BASE_COMMITTEE),
        cells=kinds.count(Kind.CELL) + kinds.count(Kind.BASE_CELL),
        party_groups=kinds.count(Kind.PARTY_GROUP),
        villages=len(tree.villages),
        members=len(people),
        positions=len(posts),
        candidates=len(candidates),
        transfers=len(transfers),
        badges=len(awards),
        rows=sum(writer.written.values()),
        seconds=time.perf_counter() - started,
    )
