"""The meeting page as a whole: its parts, each folded to a one-line summary, the part in
progress open (by the meeting's state), a bar with the state and the next step. A closed
part ships no body: its sections are built only when it is opened (an HTMX request for the
partial part_<name>, or the page again with ?open=<name> without JS)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import State
from .page import Page
from .sections import SECTIONS, head, summaries

# The parts of the page that fold to a one-line summary, in order, each made of sections. A
# closed part ships no body: it is fetched when opened (HTMX), or the page is opened again
# with ?open=<part> (without JS). "move" is always built: a small folded form of its own.
GROUPS: dict[str, tuple[str, ...]] = {
    "prepare": ("prepare",),
    "roster": ("roster",),
    "guests": ("guests",),
    "votes": ("votes",),
    "record": ("review", "tasks", "speeches", "dues", "proposals"),
    "minutes": ("minutes",),
    "quality": ("quality",),
}
ALWAYS = ("move",)
# The parts whose sections read the roster's rows (the others name people from a lighter read).
READ_ROSTER = {"roster", "votes", "quality"}
GROUP_OF = {section: group for group, sections in GROUPS.items() for section in sections}
# A form sent back with its errors opens its part.
FORM_GROUP = {
    "agenda_form": "prepare",
    "agenda_add_form": "prepare",
    "draft_form": "prepare",
    "officers_form": "prepare",
    "document_form": "prepare",
    "mark_all_form": "roster",
    "guest_form": "guests",
    "vote_form": "votes",
    "review_form": "record",
    "task_form": "record",
    "speech_form": "record",
    "dues_form": "record",
    "proposal_form": "record",
    "answer_form": "record",
    "hold_form": "minutes",
    "amend_form": "minutes",
    "quality_form": "quality",
    "confirm_form": "quality",
}


def group_context(page: Page, group: str) -> dict[str, Any]:
    """One part of the page, opened: its sections, for the partial of the same name."""
    context: dict[str, Any] = {"meeting": page.meeting, "can_write": page.can_write}
    for name in GROUPS[group]:
        context.update(SECTIONS[name](page))
    return context


def opened_groups(page: Page, asked: str | None) -> set[str]:
    """The parts shown open: the one asked for (?open=, or "all"), else the one in progress;
    and any whose form comes back with its errors."""
    if asked == "all":
        opened = set(GROUPS)
    elif asked in GROUPS:
        opened = {asked}
    else:
        opened = set(progress(page)["open"])
    opened |= {FORM_GROUP[name] for name in page.forms if name in FORM_GROUP}
    return opened


def page_context(page: Page, asked: str | None = None) -> dict[str, Any]:
    """The whole page: its head, its bar, the summary of every part, and the sections of the
    parts open (the others are not built)."""
    opened = opened_groups(page, asked)
    context = {
        "meeting": page.meeting,
        "can_write": page.can_write,
        **head(page),
        "opened": opened,
        "summary": summaries(page),
        "progress": progress(page),
    }
    if opened & READ_ROSTER:
        _ = page.roster  # read whole once: the people named in the forms come from it too
    for name in ALWAYS:
        context.update(SECTIONS[name](page))
    for group in GROUPS:
        if group in opened:
            context.update(group_context(page, group))
    return context


# What each part says when folded, and what to do next --------------------------------------


def progress(page: Page) -> dict[str, Any]:
    """Where the meeting is and the next step, with the part of the page that takes it
    (open by default): before the day, the preparation; on the day, the attendance; then the
    holding; once held, the score and the adoption of the minutes."""
    m, n = page.meeting, page.counts
    today = timezone.localdate()
    step, group = "", ""
    if m.state == State.CANCELLED:
        pass
    elif m.state == State.PLANNED:
        if m.day > today:
            step, group = _("Prepare the agenda and post the documents"), "prepare"
        elif not n["roster"]:
            step, group = _("Freeze the roster and take attendance"), "roster"
        elif n["unmarked"]:
            step, group = _("Take attendance"), "roster"
        else:
            step, group = _("Record the votes, then the meeting as held"), "minutes"
    elif page.score_total is None:
        step, group = _("Score the meeting"), "quality"
    elif m.state == State.HELD:
        step, group = _("Adopt the minutes"), "minutes"
    opened = [group] if group else []
    if m.state == State.HELD:
        opened.append("record")  # the tasks, speeches and dues are written up after the meeting
    return {"state": m.get_state_display(), "step": step, "group": group, "open": opened}
