"""Rows of the candidates sheet, written through the services of the development pipeline:
each step is checked as on its page, with the rules in force on the step's own date
(introducer months, age, two-thirds vote, ...).

A candidates row holds the steps one person went through, as far as they got. A new row
records them in order; a row matching a candidate already in Chibo records the steps not
there yet (the later steps of a candidate imported before), and changes a step only the way
its page can (the latest step, until the decision)."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from chibo.core.formats import date
from chibo.core.search import fold
from chibo.core.sheets import (
    CREATE,
    DATE,
    NUMBER,
    UNCHANGED,
    UPDATE,
    Context,
    Handler,
    Key,
    Values,
    changes,
    fail,
    kept,
    merged,
    on_column,
    record,
)
from chibo.core.sheets import Outcome as RowOutcome
from chibo.members.importing import readable_member
from chibo.members.models import Member
from chibo.org.importing import writable_unit

from .. import services as dev
from ..access import Level, candidates_for
from ..models import Candidate, Stage
from .sheets import CANDIDATES


@dataclass(frozen=True)
class Step:
    stage: Stage  # named in messages
    columns: tuple[str, ...]
    required: tuple[str, ...]
    final: bool = False  # no page changes it once recorded
    above: bool = False  # recorded by the office of the committee above the cell


STEPS = (
    Step(Stage.CLASS_DONE, ("class_completed_on", "class_certificate"), ("class_completed_on",)),
    Step(
        Stage.INTRODUCED,
        (
            "introduced_on",
            "introducer_1_code",
            "introducer_1_since",
            "introducer_2_code",
            "introducer_2_since",
            "union_introduction",
        ),
        ("introduced_on", "introducer_1_code"),
    ),
    Step(
        Stage.VOTED,
        ("vote_on", "votes_for", "votes_eligible", "over_age_approval"),
        ("vote_on", "votes_for", "votes_eligible"),
    ),
    Step(
        Stage.DECIDED,
        ("decision_number", "decision_on", "member_code"),
        ("decision_number", "decision_on", "member_code"),
        final=True,
        above=True,
    ),
    Step(Stage.ADMITTED, ("ceremony_on",), ("ceremony_on",), final=True, above=True),
    Step(Stage.DROPPED, ("dropped_on", "drop_reason"), ("dropped_on", "drop_reason"), final=True),
)
# The name and the birth date are the key: a name matched without accents keeps the
# spelling Chibo has (a file typed without accents must not strip them).
PROFILE = ("gender", "ethnicity", "proposed_on")
STEP_COLUMNS = tuple(c for step in STEPS for c in step.columns)


def candidate_key(v: Values) -> Key:
    return (v["cell_code"].upper(), fold(v["full_name"]), v["birth_date"])


def _blank() -> dict[str, Any]:
    """A new candidate's stored values: nothing recorded yet."""
    return {
        key: None if CANDIDATES.column(key).type in (DATE, NUMBER) else ""
        for key in (*PROFILE, *STEP_COLUMNS)
    }


def _stored(c: Candidate) -> dict[str, Any]:
    member = c.member
    return {
        **{key: getattr(c, key) for key in PROFILE},
        "class_completed_on": c.class_completed_on,
        "class_certificate": c.class_certificate,
        "introduced_on": c.introduced_on,
        "introducer_1_code": c.introducer_1.code if c.introducer_1 else "",
        "introducer_1_since": c.introducer_1_since,
        "introducer_2_code": c.introducer_2.code if c.introducer_2 else "",
        "introducer_2_since": c.introducer_2_since,
        "union_introduction": c.union_introduction,
        "vote_on": c.vote_on,
        "votes_for": c.votes_for,
        "votes_eligible": c.votes_eligible,
        "over_age_approval": c.over_age_approval,
        "decision_number": c.decision_number,
        "decision_on": c.decision_on,
        "member_code": member.code if member else "",
        "ceremony_on": member.ceremony_on if member else None,
        "dropped_on": c.dropped_on,
        "drop_reason": c.drop_reason,
    }


def _find(cell, v: Values) -> Candidate | None:
    found = list(
        Candidate.objects.filter(
            cell=cell, search_name=fold(v["full_name"]), birth_date=v["birth_date"]
        ).select_related("introducer_1", "introducer_2", "member")[:2]
    )
    if len(found) > 1:
        fail(
            _(
                "Chibo has several candidates of this name and birth date in this cell; an "
                "import cannot tell which one the row means."
            ),
            "full_name",
        )
    return found[0] if found else None


def _apply_candidate(ctx: Context, v: Values) -> RowOutcome:
    cell = writable_unit(ctx, v["cell_code"], "cell_code")
    label = record(cell.code, v["full_name"], date(v["birth_date"]))
    candidate = _find(cell, v)
    current = _blank() if candidate is None else _stored(candidate)
    wanted = merged(v, current)
    if candidate is None:
        candidate = dev.candidate_create(
            cell=cell,
            full_name=v["full_name"],
            gender=v["gender"],
            birth_date=v["birth_date"],
            proposed_on=v["proposed_on"],
            ethnicity=v["ethnicity"] or "Kinh",
            actor=ctx.actor,
        )
        status = CREATE
    else:
        status = UPDATE
        profile = {key: wanted[key] for key in PROFILE if wanted[key] != current[key]}
        if profile:
            with on_column(next(iter(profile))):
                candidate = dev.candidate_update(candidate=candidate, **profile, actor=ctx.actor)
    for step in STEPS:
        changed = [key for key in step.columns if wanted[key] != current[key]]
        if changed:
            candidate = _record_step(ctx, candidate, step, changed, current, wanted)
    diff = changes(current, wanted)
    if status == UPDATE and not diff:
        return RowOutcome(UNCHANGED, label)
    return RowOutcome(status, label, diff if status == UPDATE else [])


def _record_step(
    ctx: Context,
    candidate: Candidate,
    step: Step,
    changed: list[str],
    current: dict[str, Any],
    wanted: dict[str, Any],
) -> Candidate:
    recorded = any(current[key] not in ("", None) for key in step.required)
    if recorded and step.final:
        key = changed[0]
        kept(CANDIDATES, key, current[key])
    for key in step.required:
        if wanted[key] in ("", None):
            fail(_("Required to record this step: %(step)s.") % {"step": step.stage.label}, key)
    if step.above and not candidates_for(ctx.user, Level.ABOVE).filter(pk=candidate.pk).exists():
        fail(
            _(
                "The admission decision and the ceremony are recorded by the office of the "
                "committee above the cell."
            ),
            changed[0],
        )
    w = wanted
    with on_column(changed[0]):
        if step.stage == Stage.CLASS_DONE:
            return dev.candidate_class_done(
                candidate=candidate,
                completed_on=w["class_completed_on"],
                certificate=w["class_certificate"],
                actor=ctx.actor,
            )
        if step.stage == Stage.INTRODUCED:
            second = w["introducer_2_code"]
            return dev.candidate_introduce(
                candidate=candidate,
                introduced_on=w["introduced_on"],
                introducer_1=readable_member(ctx, w["introducer_1_code"], "introducer_1_code"),
                introducer_1_since=w["introducer_1_since"],
                introducer_2=readable_member(ctx, second, "introducer_2_code") if second else None,
                introducer_2_since=w["introducer_2_since"],
                union_introduction=w["union_introduction"],
                actor=ctx.actor,
            )
        if step.stage == Stage.VOTED:
            return dev.candidate_vote(
                candidate=candidate,
                vote_on=w["vote_on"],
                votes_for=w["votes_for"],
                votes_eligible=w["votes_eligible"],
                over_age_approval=w["over_age_approval"],
                actor=ctx.actor,
            )
        if step.stage == Stage.DECIDED:
            if Member.all_objects.filter(code=w["member_code"]).exists():
                fail(
                    _(
                        "The record code %(code)s is already in use. The admission decision "
                        "creates the member's record: leave a member admitted through this "
                        "sheet out of the members sheet."
                    )
                    % {"code": w["member_code"]},
                    "member_code",
                )
            return dev.candidate_decide(
                candidate=candidate,
                decision_number=w["decision_number"],
                decision_on=w["decision_on"],
                code=w["member_code"],
                actor=ctx.actor,
            )
        if step.stage == Stage.ADMITTED:
            dev.candidate_ceremony(
                candidate=candidate, ceremony_on=w["ceremony_on"], actor=ctx.actor
            )
            return Candidate.objects.select_related("member").get(pk=candidate.pk)
        return dev.candidate_drop(
            candidate=candidate,
            dropped_on=w["dropped_on"],
            reason=w["drop_reason"],
            actor=ctx.actor,
        )


CANDIDATE_HANDLER = Handler(
    sheet=CANDIDATES,
    key=candidate_key,
    apply=_apply_candidate,
    fields={
        **{key: key for key in (*PROFILE, *STEP_COLUMNS, "birth_date")},
        "cell": "cell_code",
        "completed_on": "class_completed_on",
        "certificate": "class_certificate",
        "introducer_1": "introducer_1_code",
        "introducer_2": "introducer_2_code",
        # The member record the decision creates.
        "code": "member_code",
        "admitted_on": "decision_on",
        "start": "decision_on",
        "unit": "cell_code",
        "reason": "drop_reason",
    },
)
