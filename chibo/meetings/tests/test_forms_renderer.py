"""The meeting forms' widgets written in Python (forms_renderer.py) are the HTML that Django's
widget templates write, byte for byte: new, filled, refused with errors (aria-invalid, the
red border and autofocus of the first error), with names and values that need escaping."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.test import RequestFactory

from chibo.meetings import forms as mf
from chibo.meetings.forms_renderer import RENDERER, FastWidgets

PEOPLE = [(1, "Nguyễn Văn <An>"), (2, 'Trần "Bình" & Co'), (3, "Lê Thị Cúc")]
ITEMS = [SimpleNamespace(pk=7, order=1, title="Khai mạc", section="opening", notes="a < b")]
VOTERS = [SimpleNamespace(member_id=pk, member=SimpleNamespace(full_name=n)) for pk, n in PEOPLE]
FOLLOWS = [SimpleNamespace(pk=4, follower_name="Đồng chí <Theo dõi>")]

# Each form of the meeting page, with the arguments the page gives it.
MADE = {
    "move": lambda **kw: mf.MoveForm(**kw),
    "cancel": lambda **kw: mf.CancelForm(**kw),
    "attendance": lambda **kw: mf.AttendanceForm(**kw),
    "guest": lambda **kw: mf.GuestForm(follows=FOLLOWS, **kw),
    "vote": lambda **kw: mf.VoteForm(voters=VOTERS, **kw),
    "hold": lambda **kw: mf.HoldForm(**kw),
    "amend": lambda **kw: mf.AmendForm(**kw),
    "checkin": lambda **kw: mf.CheckInForm(**kw),
    "review": lambda **kw: mf.TaskReviewForm(**kw),
    "task": lambda **kw: mf.TaskForm(people=PEOPLE, groups=[(9, "Tổ 1")], **kw),
    "speech": lambda **kw: mf.SpeechForm(people=PEOPLE, **kw),
    "dues": lambda **kw: mf.DuesForm(people=PEOPLE, **kw),
    "proposal": lambda **kw: mf.ProposalForm(people=PEOPLE, **kw),
    "answer": lambda **kw: mf.AnswerForm(**kw),
    "quality": lambda **kw: mf.QualityForm(parts={"a": 10, "b": 5}, labels={"a": "A&B"}, **kw),
    "agenda": lambda **kw: mf.AgendaForm(items=ITEMS, **kw),
    "agenda_add": lambda **kw: mf.AgendaItemAddForm(**kw),
    "agenda_item": lambda **kw: mf.AgendaItemForm(**kw),
    "draft": lambda **kw: mf.ResolutionDraftForm(**kw),
    "officers": lambda **kw: mf.OfficersForm(people=PEOPLE, **kw),
    "document": lambda **kw: mf.DocumentForm(items=ITEMS, **kw),
    "create": lambda **kw: mf.MeetingCreateForm(**kw),
    "schedule": lambda **kw: mf.ScheduleForm(**kw),
}
FILLED = {
    "version": "3",
    "date": "32/13/2026",  # refused: an error on the field
    "time": "19:30",
    "reason": 'Trùng "lịch" <b>',
    "member": "2",
    "group": "9",
    "text": "Việc <một>\nhai",
    "summary": "",
    "month": "12/2026",
    "amount": "50.000",
    "presence": "present",
    "late": "on",
    "ballot_1": "for",
    "ballot_3": "against",
    "method": "named",
    "part_a": "11",
    "title_0": "Khai mạc & chào cờ",
    "section_0": "opening",
    "delete_0": "on",
    "resolution": "Nghị quyết\n<ul>",
    "chair": "1",
    "follow": "4",
}
PAGE = Template("{% include 'includes/form.html' %}")


def render(form, renderer) -> str:
    form.renderer = renderer
    request = RequestFactory().get("/")  # the first error takes the focus once per request
    return PAGE.render(Context({"form": form, "request": request}))


@pytest.mark.parametrize("name", MADE)
@pytest.mark.parametrize("state", ["new", "initial", "refused"])
def test_the_written_widgets_are_the_templates_html(db, name, state):
    kw: dict = {}
    if state == "initial":
        kw["initial"] = {"version": 2, "date": dt.date(2026, 12, 10), "member": 3, "reason": "<x>"}
    elif state == "refused":
        kw["data"] = FILLED
    fast, slow = MADE[name](**kw), MADE[name](**kw)
    assert fast.renderer is RENDERER  # the meeting forms use it by default
    if state == "refused":
        fast.is_valid(), slow.is_valid()
    html = render(fast, RENDERER)
    assert html == render(slow, DjangoTemplates())
    assert "<input" in html or "<select" in html or "<textarea" in html


def test_other_widgets_still_go_through_their_templates():
    class Other(forms.Form):
        picked = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )
        kind = forms.ChoiceField(choices=[("x", [("1", "One"), ("2", "Two")])])
        when = forms.SplitDateTimeField()

    for field in ("picked", "kind", "when"):
        fast = Other(renderer=FastWidgets(), initial={"picked": ["b"], "kind": "2"})
        slow = Other(renderer=DjangoTemplates(), initial={"picked": ["b"], "kind": "2"})
        assert str(fast[field]) == str(slow[field])
