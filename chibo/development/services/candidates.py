"""The candidate's steps, from the proposal to the admission ceremony."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit, formats
from chibo.core.search import fold
from chibo.members import services as member_services
from chibo.members.models import EventKind, Gender, Member, MemberEvent, Status
from chibo.org.models import OrgUnit
from chibo.rules.calendar import add_months, add_years

from ..models import Candidate, Stage
from .common import (
    check_votes,
    lock,
    not_before,
    not_future,
    one_line,
    require_stage,
    rule,
    short_of_majority,
)

PROFILE_FIELDS = ("full_name", "gender", "birth_date", "ethnicity", "proposed_on")

PROPOSED = audit.kind(
    "development.proposed", gettext_lazy("Proposed as a candidate by %(cell)s on %(date)s")
)
CORRECTED = audit.kind("development.corrected", gettext_lazy("Candidate's profile corrected"))
CLASS_DONE = audit.kind(
    "development.class_done", gettext_lazy("Completed the Party class on %(date)s")
)
INTRODUCED = audit.kind(
    "development.introduced", gettext_lazy("Introduced on %(date)s by %(first)s and %(second)s")
)
VOTED = audit.kind(
    "development.voted",
    gettext_lazy(
        "The cell voted for the admission on %(date)s: %(votes_for)s of %(votes_eligible)s"
    ),
)
# About the member record the decision creates: the first line of its history.
ADMITTED = audit.kind(
    "development.admitted", gettext_lazy("Admitted by decision %(number)s of %(date)s")
)
CEREMONY = audit.kind("development.ceremony", gettext_lazy("Admission ceremony held on %(date)s"))
# Without the reason: it may say why about the person (illness...), and an event outlives a
# correction of the record; the record and its field-level history keep it.
DROPPED = audit.kind("development.dropped", gettext_lazy("No longer a candidate since %(date)s"))


def _check_cell(cell: OrgUnit) -> None:
    if not cell.holds_members or cell.is_deleted:
        raise ValidationError({"cell": _("A candidate is proposed by a cell that holds members.")})


def _clean_profile(candidate: Candidate) -> None:
    candidate.full_name = one_line(candidate.full_name)
    candidate.ethnicity = one_line(candidate.ethnicity) or "Kinh"
    candidate.search_name = fold(candidate.full_name)
    if not candidate.full_name:
        raise ValidationError({"full_name": _("This field is required.")})
    if candidate.gender not in Gender.values:
        raise ValidationError({"gender": _("Choose a gender.")})
    not_future(candidate.proposed_on, "proposed_on")
    if candidate.birth_date >= candidate.proposed_on:
        raise ValidationError({"birth_date": _("The birth date must be before the proposal.")})
    done = candidate.class_completed_on
    if done and candidate.proposed_on > done:
        raise ValidationError(
            {
                "proposed_on": _(
                    "The proposal must come before the Party class was completed (%(date)s)."
                )
                % {"date": formats.date(done)}
            }
        )
    candidate.full_clean(exclude=["search_name", "member", "introducer_1", "introducer_2"])


@audit.write
def candidate_create(
    *,
    cell: OrgUnit,
    full_name: str,
    gender: str,
    birth_date: dt.date,
    proposed_on: dt.date,
    ethnicity: str = "Kinh",
    actor,
) -> Candidate:
    """A cell proposes a candidate (quần chúng ưu tú)."""
    _check_cell(cell)
    candidate = Candidate(
        cell=cell,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        ethnicity=ethnicity,
        proposed_on=proposed_on,
    )
    _clean_profile(candidate)
    candidate.save()
    audit.record(PROPOSED, actor=actor, obj=candidate, cell=cell.name, date=candidate.proposed_on)
    return candidate


@audit.write
def candidate_update(
    *, candidate: Candidate, actor, version: int | None = None, **fields: Any
) -> Candidate:
    """Correct the profile or the proposal date, until the admission decision (from then on
    the member record is the one to correct). `version`: the one the person read."""
    candidate = lock(candidate, version)
    if candidate.decision_on:
        raise ValidationError(_("The candidate has been admitted: correct the member record."))
    before = {key: getattr(candidate, key) for key in PROFILE_FIELDS}
    for key, value in fields.items():
        if key not in PROFILE_FIELDS:
            raise ValueError(key)
        setattr(candidate, key, value)
    _clean_profile(candidate)
    if candidate.vote_on:
        _check_age(candidate, candidate.vote_on, candidate.over_age_approval)
    candidate.save()
    # The field names only: what they were and became is in the field-level history.
    changed = [key for key in PROFILE_FIELDS if getattr(candidate, key) != before[key]]
    audit.record(CORRECTED, actor=actor, obj=candidate, fields=", ".join(changed))
    return candidate


# The steps ----------------------------------------------------------------------------------


@audit.write
def candidate_class_done(
    *, candidate: Candidate, completed_on: dt.date, certificate: str = "", actor
) -> Candidate:
    """The candidate completed the class on the Party (lớp cảm tình Đảng)."""
    candidate = lock(candidate)
    require_stage(candidate, {Stage.PROPOSED, Stage.CLASS_DONE})
    not_future(completed_on, "completed_on")
    not_before(
        completed_on,
        candidate.proposed_on,
        "completed_on",
        _("The class cannot be completed before the proposal (%(date)s)."),
    )
    candidate.class_completed_on = completed_on
    candidate.class_certificate = one_line(certificate)
    candidate.full_clean(exclude=["search_name"])
    candidate.save()
    audit.record(CLASS_DONE, actor=actor, obj=candidate, date=completed_on)
    return candidate


def _check_introducer(member: Member, since: dt.date | None, on: dt.date, field: str) -> None:
    name = member.full_name
    if since is None:
        raise ValidationError(
            {
                f"{field}_since": _("Say since when %(name)s has worked with the candidate.")
                % {"name": name}
            }
        )
    status = Member.objects.with_status(on).filter(pk=member.pk).values_list("status", flat=True)
    if list(status) != [Status.OFFICIAL]:
        raise ValidationError(
            {
                field: _("%(name)s was not an official member on %(date)s: an introducer must be.")
                % {"name": name, "date": formats.date(on)}
            }
        )
    months = rule(on, "introducer_min_months")
    latest = add_months(on, -months)
    if since > latest:
        raise ValidationError(
            {
                f"{field}_since": _(
                    "%(name)s must have worked with the candidate for at least %(months)s months "
                    "by %(date)s, that is since %(latest)s or earlier."
                )
                % {
                    "name": name,
                    "months": months,
                    "date": formats.date(on),
                    "latest": formats.date(latest),
                }
            }
        )


@audit.write
def candidate_introduce(
    *,
    candidate: Candidate,
    introduced_on: dt.date,
    introducer_1: Member,
    introducer_1_since: dt.date | None,
    introducer_2: Member | None = None,
    introducer_2_since: dt.date | None = None,
    union_introduction: str = "",
    actor,
) -> Candidate:
    """Two official members introduce the candidate (one may be replaced by the Youth
    Union's or the Trade Union's introduction)."""
    candidate = lock(candidate)
    require_stage(candidate, {Stage.CLASS_DONE, Stage.INTRODUCED})
    not_future(introduced_on, "introduced_on")
    assert candidate.class_completed_on is not None  # the stage says so
    not_before(
        introduced_on,
        candidate.class_completed_on,
        "introduced_on",
        _("The introduction cannot come before the Party class was completed (%(date)s)."),
    )
    union = one_line(union_introduction)
    if introducer_2 is None and not union:
        raise ValidationError(
            {
                "introducer_2": _(
                    "Name a second introducer, or the union's introduction in place of one."
                )
            }
        )
    if introducer_2 is not None and introducer_2.pk == introducer_1.pk:
        raise ValidationError({"introducer_2": _("The two introducers must be different people.")})
    _check_introducer(introducer_1, introducer_1_since, introduced_on, "introducer_1")
    if introducer_2 is not None:
        _check_introducer(introducer_2, introducer_2_since, introduced_on, "introducer_2")
    candidate.introduced_on = introduced_on
    candidate.introducer_1, candidate.introducer_1_since = introducer_1, introducer_1_since
    candidate.introducer_2 = introducer_2
    candidate.introducer_2_since = introducer_2_since if introducer_2 is not None else None
    candidate.union_introduction = union
    candidate.full_clean(exclude=["search_name"])
    candidate.save()
    audit.record(
        INTRODUCED,
        actor=actor,
        obj=candidate,
        date=introduced_on,
        first=introducer_1.full_name,
        second=introducer_2.full_name if introducer_2 is not None else union,
    )
    return candidate


def _check_age(candidate: Candidate, vote_on: dt.date, approval: str) -> None:
    """Between the minimum and the maximum age on the day of the vote, each age reached on
    its birthday (born on 29/02: on 28/02 in a common year). Over the maximum needs the
    approval of a higher level; under the minimum is refused."""
    low, high = rule(vote_on, "admission_min_age"), rule(vote_on, "admission_max_age")
    born = candidate.birth_date
    if vote_on < add_years(born, low):
        raise ValidationError(
            {
                "vote_on": _(
                    "The candidate turns %(age)s only on %(date)s: too young on the day of the "
                    "vote."
                )
                % {"age": low, "date": formats.date(add_years(born, low))}
            }
        )
    if vote_on > add_years(born, high) and not approval:
        raise ValidationError(
            {
                "over_age_approval": _(
                    "The candidate was over %(age)s on the day of the vote: give the higher "
                    "level's approval."
                )
                % {"age": high}
            }
        )


@audit.write
def candidate_vote(
    *,
    candidate: Candidate,
    vote_on: dt.date,
    votes_for: int,
    votes_eligible: int,
    over_age_approval: str = "",
    actor,
) -> Candidate:
    """The cell's vote on the admission: at least two thirds of its official members."""
    candidate = lock(candidate)
    require_stage(candidate, {Stage.INTRODUCED, Stage.VOTED})
    not_future(vote_on, "vote_on")
    assert candidate.introduced_on is not None
    not_before(
        vote_on,
        candidate.introduced_on,
        "vote_on",
        _("The vote cannot come before the introduction (%(date)s)."),
    )
    approval = one_line(over_age_approval)
    _check_age(candidate, vote_on, approval)
    check_votes(votes_for, votes_eligible)
    short = short_of_majority(votes_for, votes_eligible, vote_on)
    if short:
        raise ValidationError(
            {
                "votes_for": _(
                    "%(for)s of %(eligible)s official members voted for the admission: at "
                    "least %(needed)s (%(share)s) are needed."
                )
                % short
            }
        )
    candidate.vote_on, candidate.votes_for, candidate.votes_eligible = (
        vote_on,
        votes_for,
        votes_eligible,
    )
    candidate.over_age_approval = approval
    candidate.full_clean(exclude=["search_name"])
    candidate.save()
    audit.record(
        VOTED,
        actor=actor,
        obj=candidate,
        date=vote_on,
        votes_for=votes_for,
        votes_eligible=votes_eligible,
    )
    return candidate


@audit.write
def candidate_decide(
    *, candidate: Candidate, decision_number: str, decision_on: dt.date, code: str, actor
) -> Candidate:
    """The admission decision: the candidate becomes a probationary member, with a record
    (`code`, given by the office) held by the proposing cell from the decision date."""
    candidate = lock(candidate)
    require_stage(candidate, {Stage.VOTED})
    number = one_line(decision_number)
    if not number:
        raise ValidationError({"decision_number": _("This field is required.")})
    if not one_line(code):
        raise ValidationError({"code": _("This field is required.")})
    not_future(decision_on, "decision_on")
    assert candidate.vote_on is not None
    not_before(
        decision_on,
        candidate.vote_on,
        "decision_on",
        _("The decision cannot come before the cell's vote (%(date)s)."),
    )
    _check_cell(candidate.cell)
    member = member_services.member_create(
        actor=actor,
        profile={
            "code": code,
            "full_name": candidate.full_name,
            "gender": candidate.gender,
            "birth_date": candidate.birth_date,
            "ethnicity": candidate.ethnicity,
        },
        unit=candidate.cell,
        placed_since=decision_on,
        admitted_on=decision_on,
        admission_decision=number,
    )
    candidate.decision_number, candidate.decision_on, candidate.member = number, decision_on, member
    candidate.save()
    audit.record(
        ADMITTED,
        actor=actor,
        obj=candidate,
        about=member,
        number=number,
        date=decision_on,
        cell=candidate.cell.name,
    )
    return candidate


@audit.write
def candidate_ceremony(*, candidate: Candidate, ceremony_on: dt.date, actor) -> MemberEvent:
    """The admission ceremony (lễ kết nạp). One held after its deadline is still recorded:
    the pages flag it late."""
    candidate = lock(candidate)
    require_stage(candidate, {Stage.DECIDED})
    assert candidate.member is not None and candidate.decision_on is not None
    not_future(ceremony_on, "ceremony_on")
    not_before(
        ceremony_on,
        candidate.decision_on,
        "ceremony_on",
        _("The ceremony cannot come before the admission decision (%(date)s)."),
    )
    try:
        event = member_services.event_create(
            actor=actor,
            member=candidate.member,
            kind=EventKind.CEREMONY,
            date=ceremony_on,
        )
    except ValidationError as e:
        if hasattr(e, "error_dict") and "date" in e.error_dict:
            raise ValidationError({"ceremony_on": e.error_dict["date"]}) from None
        raise
    candidate.member.refresh_from_db()
    # On the member's record, like the decision (the candidate's page shows both).
    audit.record(CEREMONY, actor=actor, obj=event, about=candidate.member, date=ceremony_on)
    return event


@audit.write
def candidate_drop(*, candidate: Candidate, dropped_on: dt.date, reason: str, actor) -> Candidate:
    """The person is no longer a candidate (moved away, withdrew, did not qualify)."""
    candidate = lock(candidate)
    if candidate.dropped_on:
        raise ValidationError(_("This person is no longer a candidate."))
    if candidate.decision_on:
        raise ValidationError(
            _("The candidate has been admitted: record the change on the member record.")
        )
    reason = one_line(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    not_future(dropped_on, "dropped_on")
    not_before(
        dropped_on,
        candidate.proposed_on,
        "dropped_on",
        _("The date cannot be before the proposal (%(date)s)."),
    )
    candidate.dropped_on, candidate.drop_reason = dropped_on, reason
    candidate.full_clean(exclude=["search_name"])
    candidate.save()
    audit.record(DROPPED, actor=actor, obj=candidate, date=dropped_on)
    return candidate
