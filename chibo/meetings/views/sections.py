"""The sections of the meeting page, each with its own context builder.

The whole page composes them; an HTMX change builds and renders only its own section, the
partial of meetings/meeting_detail.html of the same name. A section builds a form only when
it offers it (the reader writes, the meeting is open to that change): the page builds the
forms it shows and nothing else."""

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .. import services
from ..forms import (
    AgendaForm,
    AgendaItemAddForm,
    AmendForm,
    CancelForm,
    DocumentForm,
    DuesForm,
    GuestForm,
    HoldForm,
    MoveForm,
    OfficersForm,
    ProposalForm,
    ResolutionDraftForm,
    SpeechForm,
    TaskForm,
    VoteForm,
)
from ..models import (
    Attendance,
    MeetingDocument,
    Outcome,
    Presence,
    QualityScore,
    Rating,
    Section,
    State,
)
from ..services import prepare as preparing
from ..services import quality as scoring
from ..services.attendance import EXEMPT_REASON
from .page import Page, follows_of, part_labels, quality_form, scoring_rules


def _reverse_or_none(name: str, pk: int) -> str | None:
    """Word downloads come from the documents app; until it has them the page goes without."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def head(page: Page) -> dict[str, Any]:
    """The top of the page (whole page only): where the meeting sits, its downloads, and the
    refusal of a button (freeze, adopt, remove a guest) that has no form of its own."""
    m = page.meeting
    return {
        "cell": m.cell,
        "ancestors": page.ancestors,
        "minutes_docx": _reverse_or_none("documents:minutes_docx", m.pk),
        "resolution_docx": _reverse_or_none("documents:resolution_docx", m.pk),
        "action_form": page.forms.get("action_form"),
    }


def move(page: Page) -> dict[str, Any]:
    m = page.meeting
    shown = page.can_write and m.state == State.PLANNED
    time = timezone.localtime(m.planned_at).time()
    return {
        "move_form": page.form(
            "move_form",
            shown,
            lambda: MoveForm(initial={**page.version, "date": m.day, "time": time}),
        ),
        "cancel_form": page.form("cancel_form", shown, lambda: CancelForm(initial=page.version)),
    }


def prepare(page: Page) -> dict[str, Any]:
    m = page.meeting
    items, template = preparing.agenda_and_template(m, page.province_id)
    documents = list(
        MeetingDocument.objects.filter(meeting=m)
        .defer("content")
        .select_related("agenda_item", "posted_by")
    )
    by_item: dict[int | None, list[MeetingDocument]] = {}
    for doc in documents:
        by_item.setdefault(doc.agenda_item_id, []).append(doc)
    for item in items:
        item.docs = by_item.get(item.pk, []) if item.pk else []  # type: ignore[attr-defined]
    # Content items get their own controls (up, down, remove); the ends cannot go further.
    content = [i for i in items if i.section == Section.CONTENT]
    for item in content:
        item.first = item is content[0]  # type: ignore[attr-defined]
        item.last = item is content[-1]  # type: ignore[attr-defined]
    is_open = m.state not in (State.CANCELLED, State.ADOPTED)
    shown = page.can_write and is_open
    officers = {"chair": m.chair_id, "minute_taker": m.minute_taker_id}
    return {
        "pre_meetings": list(m.pre_meetings.all()),
        "agenda": items,
        "agenda_saved": bool(items) and items[0].pk is not None,
        "agenda_template": template,
        "documents": documents,
        "documents_timely": preparing.documents_timely(m) if documents else None,
        "prepare_open": is_open,
        "agenda_form": page.form(
            "agenda_form", shown, lambda: AgendaForm(initial=page.version, items=items)
        ),
        "agenda_add_form": page.form(
            "agenda_add_form", shown, lambda: AgendaItemAddForm(initial=page.version)
        ),
        "draft_form": page.form(
            "draft_form",
            shown,
            lambda: ResolutionDraftForm(initial={**page.version, "resolution": m.resolution}),
        ),
        "officers_form": page.form(
            "officers_form",
            shown,
            lambda: OfficersForm(initial={**page.version, **officers}, people=page.people),
        ),
        "document_form": page.form("document_form", shown, lambda: DocumentForm(items=items)),
    }


def roster_rows(page: Page) -> list[Attendance]:
    """The roster, each row with its `mark`: the choice its select shows (an exempt member
    absent as exempt is "exempt", not "excused"), and what its row shows, worked out here
    once rather than by the template row by row (the attendance of 45 members was a third
    of the page): the row's URL, the labels named for the member, the select's options."""
    rows = page.roster
    # One reverse for every row: the member's id goes where the placeholder is.
    head, _sep, tail = reverse("meetings:attendance", args=[page.meeting.pk, _ANY]).rpartition(
        str(_ANY)
    )
    options: dict[tuple[bool, bool, str], SafeString] = {}
    for r in rows:
        exempt = r.exempt and r.presence == Presence.EXCUSED and r.reason == EXEMPT_REASON
        r.mark = "exempt" if exempt else r.presence  # type: ignore[attr-defined]
        r.url = f"{head}{r.member_id}{tail}"  # type: ignore[attr-defined]
        name = r.member.full_name
        r.presence_label = _("Attendance: %(name)s") % {"name": name}  # type: ignore[attr-defined]
        r.reason_label = _("Reason: %(name)s") % {"name": name}  # type: ignore[attr-defined]
        r.options = row_options(r, options)  # type: ignore[attr-defined]
    return rows


_ANY = 987_654_321  # a member id in the URL reversed once, replaced by each row's


def row_options(r: Attendance, made: dict[tuple[bool, bool, str], SafeString]) -> SafeString:
    """The options of a row's select, the row's mark selected: "not marked" while it is not,
    "exempt" for an exempt member. Few rows differ, so they are written once each (`made`)."""
    mark: str = r.mark  # type: ignore[attr-defined]
    key = (bool(r.presence), r.exempt, mark)
    if key not in made:
        choices: list[tuple[str, Any]] = []
        if not r.presence:
            choices.append(("", _("— not marked —")))
        if r.exempt:
            choices.append(("exempt", _("Exempt (not attending)")))
        choices += Presence.choices
        made[key] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if v == mark else "", label) for v, label in choices),
        )
    return made[key]


def roster(page: Page) -> dict[str, Any]:
    rows = roster_rows(page)
    return {
        "roster": rows,
        "turnout": services.turnout(page.meeting) if rows else None,
        "counted": services.counted_for_vote(page.meeting) if rows else None,
        "unmarked": sum(1 for r in rows if not r.presence),
        "summary": summaries(page),
    }


def guests(page: Page) -> dict[str, Any]:
    m = page.meeting
    shown = page.can_write and not m.locked and m.state != State.CANCELLED
    return {
        "summary": summaries(page),
        "guests": list(m.guests.all()),
        "guest_form": page.form(
            "guest_form",
            shown,
            lambda: GuestForm(initial=page.version, follows=follows_of(m)),
        ),
    }


def votes(page: Page) -> dict[str, Any]:
    m = page.meeting
    shown = page.can_write and not m.locked and m.state != State.CANCELLED and bool(page.roster)
    voters = [r for r in page.roster if r.present] if shown else []
    return {
        "summary": summaries(page),
        "votes": list(m.votes.all()),
        "vote_form": page.form(
            "vote_form", shown, lambda: VoteForm(initial=page.version, voters=voters)
        ),
    }


def minutes(page: Page) -> dict[str, Any]:
    """Holding the meeting, its length, and the minutes: adopted, then amended."""
    m = page.meeting
    started, ended = (t and timezone.localtime(t).time() for t in (m.started_at, m.ended_at))
    hold = {"date": m.day, "started": started, "ended": ended, "resolution": m.resolution}
    # services.long_enough, without reading the rules a second time.
    minimum = services.minimum_minutes(m) if m.started_at else None
    length = m.duration_minutes
    return {
        "minimum": minimum,
        "long_enough": None if minimum is None or length is None else length >= minimum,
        "amendments": list(m.amendments.select_related("by")) if m.locked else [],
        "hold_form": page.form(
            "hold_form",
            page.can_write and not m.locked and m.state != State.CANCELLED,
            lambda: HoldForm(initial={**page.version, **hold}),
        ),
        "amend_form": page.form(
            "amend_form",
            page.can_write and m.locked,
            lambda: AmendForm(initial={**page.version, "value": m.resolution}),
        ),
        # The confirm step of adoption, rendered on the page (no script): what to check first.
        "adoption_warnings": services.adoption_warnings(m)
        if page.can_write and m.state == State.HELD
        else [],
    }


# The record of the meeting (biên bản) and its quality score ---------------------------------


def review(page: Page) -> dict[str, Any]:
    """Last month's tasks: brought in by the cell (tasks_carry), each given its outcome."""
    m = page.meeting
    reviews = m.task_reviews.select_related(
        "task", "task__member", "task__group", "task__meeting"
    ).order_by("task__due_on", "task_id")
    return {
        "record_open": page.record_open,
        "can_carry": m.state in (State.PLANNED, State.HELD),
        "reviews": list(reviews) if page.has("reviews") else [],
        "outcomes": Outcome.choices,
        "review_form": page.forms.get("review_form"),
    }


def tasks(page: Page) -> dict[str, Any]:
    rows = page.meeting.tasks.select_related("member", "group").order_by("due_on", "pk")
    return {
        "tasks": list(rows) if page.has("tasks") else [],
        "task_form": page.form(
            "task_form",
            page.can_write and page.record_open,
            lambda: TaskForm(initial=page.version, people=page.people, groups=page.groups),
        ),
    }


def speeches(page: Page) -> dict[str, Any]:
    rows = page.meeting.speeches.select_related("member")
    return {
        "speeches": list(rows) if page.has("speeches") else [],
        "speech_form": page.form(
            "speech_form",
            page.can_write and page.record_open,
            lambda: SpeechForm(initial=page.version, people=page.people),
        ),
    }


def dues(page: Page) -> dict[str, Any]:
    m = page.meeting
    month = {"month": f"{m.day:%m/%Y}"}
    return {
        "dues": list(m.dues.select_related("member")) if page.has("dues") else [],
        "dues_form": page.form(
            "dues_form",
            page.can_write and page.record_open,
            lambda: DuesForm(initial={**page.version, **month}, people=page.people),
        ),
    }


def proposals(page: Page) -> dict[str, Any]:
    """Proposals, and their answers: follow-up that goes on after the minutes are adopted."""
    rows = page.meeting.proposals.select_related("member", "answered_by")
    return {
        "proposals": list(rows) if page.has("proposals") else [],
        "answer_form": page.forms.get("answer_form"),
        "proposal_form": page.form(
            "proposal_form",
            page.can_write and page.record_open,
            lambda: ProposalForm(initial=page.version, people=page.people),
        ),
    }


def quality(page: Page) -> dict[str, Any]:
    """The score of a held meeting on the rules of its day, confirmed by the superior
    follower who attended."""
    m, user = page.meeting, page.request.user
    r = scoring_rules(m)
    score = (
        QualityScore.objects.select_related("filled_by", "confirmed_by").filter(meeting=m).first()
        if r is not None
        else None
    )
    ruled = r is not None and r.quality_max is not None
    most = (r.quality_max if r else None) or {}
    initial: dict[str, Any] = dict(page.version)
    parts, rating, conditions, by_points = [], None, [], None
    if score is not None:
        labels = part_labels()
        for part, points in score.points.items():
            initial[f"part_{part}"] = points
            parts.append({"label": labels.get(part, part), "points": points, "max": most.get(part)})
        _ = page.roster  # the rating reads meeting.roster: fetched once, onto the meeting
        rating = scoring.meeting_rating(m)
        by_points = scoring.rating(score.total, r) if ruled and r is not None else None
        if by_points == Rating.GOOD and r is not None and r.good_meeting_attendance is not None:
            # Why the meeting is (or is not) Tốt besides its points: attendance, absences.
            conditions = scoring.good_conditions(m, r)
    # Scores are given and changed until the cell's year is rated (services.quality).
    closed = ruled and scoring.year_closed(cell=m.cell, year=m.day.year)
    return {
        "score": score,
        "score_parts": parts,
        "score_rating": rating,
        "score_rule": ruled,
        "score_max": sum(most.values()) if most else None,
        "can_confirm": score is not None
        and score.confirmed_by_id is None
        and score.filled_by_id != user.pk
        and m.guests.filter(follow__follower_id=user.pk).exists(),
        "score_by_points": by_points,
        "good_conditions": conditions,
        "year_closed": closed,
        "quality_form": page.form(
            "quality_form",
            page.can_write and ruled and not closed,
            lambda: quality_form(r, initial=initial),
        ),
        "confirm_form": page.forms.get("confirm_form"),
    }


# The page --------------------------------------------------------------------------------------

SECTIONS: dict[str, Callable[[Page], dict[str, Any]]] = {
    "move": move,
    "prepare": prepare,
    "roster": roster,
    "guests": guests,
    "votes": votes,
    "review": review,
    "tasks": tasks,
    "speeches": speeches,
    "dues": dues,
    "proposals": proposals,
    "minutes": minutes,
    "quality": quality,
}


def section_context(page: Page, name: str) -> dict[str, Any]:
    """One section alone, for its partial."""
    return {"meeting": page.meeting, "can_write": page.can_write, **SECTIONS[name](page)}


def summaries(page: Page) -> dict[str, Any]:
    """The one-line summary of every part, from one query of counts (and the stored turnout)."""
    m, n = page.meeting, page.counts
    return {
        "agenda": n["agenda"],
        "documents": n["documents"],
        "roster": n["roster"],
        "unmarked": n["unmarked"],
        "present": m.present_count,
        "expected": m.expected_count,
        "guests": n["guests"],
        "votes": n["votes"],
        "votes_passed": n["votes_passed"],
        "record": {k: n[k] for k in ("reviews", "tasks", "speeches", "dues", "proposals")},
        "score": page.score_total,
    }
