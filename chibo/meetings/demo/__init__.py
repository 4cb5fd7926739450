"""Meetings in the demo (chibo.core.demo): twelve months of every cell's meetings with their
rosters, votes, tasks and scores (`months`, `tasks`, `texts`), written in bulk; the dues paid
at them (`dues`, from the ledger chibo.dues.demo planned); then, through the services, what
the personas' own cell shows beyond them (`persona_cell`)."""

from chibo.accounts.demo import SECRETARY
from chibo.accounts.models import User
from chibo.core.demo import Plan, planner
from chibo.core.formats import number
from chibo.dues.demo import LEDGER
from chibo.members.demo import CAST, PEOPLE
from chibo.org.demo import TREE

from .dues import dues_collect
from .months import meetings_write
from .persona_cell import persona_cell_write


# After the personas: the quality scores are filled by the secretary persona
# (QualityScore.filled_by is required), the one demo user who scores meetings.
@planner("meetings", after=["members", "members.personas"])
def plan_meetings(plan: Plan) -> None:
    filler = User.objects.get(username=SECRETARY.username).pk
    count = meetings_write(
        plan.writer,
        plan.rng("meetings"),
        plan[TREE],
        plan[PEOPLE],
        as_of=plan.as_of,
        ids=plan.ids,
        extra=plan.rng("tasks"),
        filler=filler,
    )
    plan.report(f"{number(count)} meetings")


@planner("meetings.dues", after=["meetings", "dues"])
def plan_meeting_dues(plan: Plan) -> None:
    count = dues_collect(plan.writer, plan.rng("meetings.dues"), plan[LEDGER], ids=plan.ids)
    plan.report(f"{number(count)} dues collected at meetings")


@planner("meetings.persona_cell", after=["meetings"])
def plan_persona_cell(plan: Plan) -> None:
    # Through the services, whose rows take their ids from the sequences: move them first.
    plan.writer.finish()
    if plan.personas:
        persona_cell_write(plan[CAST].cell.id, plan.as_of)
