"""The members of the demo (chibo.core.demo), placed in the tree chibo.org.demo planned: their
profiles and party lives by the rules of their day (`people`, `timeline`), the rarer stories
(`lifecycle`), the cells' committees and village heads (`positions`), the rows members'
services would leave (`rows`), and where the demo logins sit (`personas`).

The planners of the apps above read what is planned here: the people, their rows, the rules'
calendar (`plan[PEOPLE]`, `plan[ROWS]`, `plan[LIFE]`) and the personas' cell; and they may
take a part in the members' disciplines (`DISCIPLINES`)."""

from chibo.accounts.demo import personas_create, personas_delete
from chibo.accounts.models import RoleGrant
from chibo.core.demo import Key, Namer, Plan, planner
from chibo.core.formats import number
from chibo.members.models import (
    Member,
    MemberEvent,
    Placement,
    Position,
    StatusPeriod,
    Transfer,
)
from chibo.org.demo import TREE

from .lifecycle import DISCIPLINES, Stories, plan_probations, plan_stories
from .people import RECENT_DAYS, RESIDENTIAL, Person, Rosters, plan_people
from .personas import Cast, pick_cast, seats
from .positions import Posts, plan_positions
from .rows import PeopleRows, people_rows, transfer_rows
from .timeline import DAY, Timeline

__all__ = [
    "CAST",
    "DAY",
    "DISCIPLINES",
    "LIFE",
    "PEOPLE",
    "POSTS",
    "RECENT_DAYS",
    "RESIDENTIAL",
    "ROWS",
    "Cast",
    "PeopleRows",
    "Person",
    "Rosters",
    "Stories",
    "Timeline",
]

LIFE: Key[Timeline] = Key("members.life")  # the rules and working days, read once
PEOPLE: Key[list[Person]] = Key("members.people")
POSTS: Key[Posts] = Key("members.posts")
ROWS: Key[PeopleRows] = Key("members.rows")  # their members, placements, events, periods
CAST: Key[Cast] = Key("members.cast")  # where the demo logins sit


@planner("members", after=["org"], roots=[Member])
def plan_members(plan: Plan) -> None:
    tree, ids, as_of = plan[TREE], plan.ids, plan.as_of
    life = Timeline(as_of)
    people = plan_people(
        plan.rng("people"), tree, as_of=as_of, ids=ids, namers=plan.namer, life=life
    )
    # The lifecycle's stories: the probations before the posts are drawn (they decide who
    # can serve), the rest after, for members who hold none.
    story = plan.rng("lifecycle")
    plan_probations(story, life, tree, people)
    posts = plan_positions(plan.rng("posts"), tree, people, as_of=as_of, ids=ids)
    plan_stories(story, life, tree, people, posts=posts.rows)
    rows = people_rows(people, ids)
    transfers, transfer_history = transfer_rows(people, rows.placements, ids)

    writer = plan.writer
    writer.insert(Member, rows.members)
    writer.insert(Placement, rows.placements, history=rows.placement_history)
    writer.insert(MemberEvent, rows.events)
    writer.insert(StatusPeriod, rows.periods)
    writer.insert(Position, posts.rows)
    writer.insert(Transfer, transfers, history=transfer_history)
    plan.put(LIFE, life)
    plan.put(PEOPLE, people)
    plan.put(POSTS, posts)
    plan.put(ROWS, rows)
    plan.report(
        f"{number(len(people))} members, {number(len(posts.rows))} posts, "
        f"{number(len(transfers))} transfers"
    )


@planner("members.personas", after=["members"], roots=[RoleGrant], forget=personas_delete)
def plan_personas(plan: Plan) -> None:
    """The demo logins, seated in the first commune with a fitting village cell. A province
    generated after the first of a country has the same seats, with no login."""
    tree, posts = plan[TREE], plan[POSTS]
    cast = pick_cast(tree, plan[PEOPLE], posts.secretaries, posts.rows)
    if plan.personas:  # the logins sit in the first province of a country only
        first = tree.provinces[0].province
        namer = Namer(plan.rng("personas"), province_code=first.code, codename=first.codename)
        personas_create(seats(cast, namer))
    plan.put(CAST, cast)
