"""Meeting forms: they only clean input; the rules live in services.py."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField, TimeField
from chibo.core.versions import VersionForm
from chibo.members.models import Member
from chibo.org.models import OrgUnit

from .forms_renderer import RENDERER
from .models import Choice, Kind, Meeting, Outcome, Presence, Section, VoteKind, VoteMethod
from .services.attendance import EXEMPT_REASON
from .services.prepare import ItemChange


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class PageForm(BootstrapForm):
    """One of several forms on a page: its ids are prefixed so that they stay unique (the
    field names are not, so that each endpoint reads plain names)."""

    id_prefix = "form"
    # The page shows many of them, selects of every member: widgets written in Python.
    default_renderer = RENDERER

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class VersionedForm(PageForm):
    """Every change to a meeting names the version the person saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ScheduleForm(PageForm, VersionForm):
    """The version: of the schedule the person read, 0 before the first (a first save from
    two devices at once does not overwrite the other)."""

    id_prefix = "schedule"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    day = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=28)
    time = TimeField(label=_("Time"))
    place = forms.CharField(label=_("Place"), max_length=200)


class MeetingCreateForm(PageForm):
    id_prefix = "create"
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    date = DateField(label=_("Date"))
    time = TimeField(label=_("Time"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    combined = forms.BooleanField(label=_("Held together with the monthly meeting"), required=False)
    prepares = forms.ModelChoiceField(
        label=_("Prepares the meeting (committee pre-meeting)"),
        queryset=Meeting.objects.none(),
        required=False,
    )

    def __init__(self, *args, cell=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cell is not None:
            self.fields["prepares"].queryset = Meeting.objects.filter(cell=cell).exclude(
                kind=Kind.COMMITTEE
            )

    def meeting_data(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "planned_at": aware(d["date"], d["time"]),
            "place": d["place"],
            "topic": d["topic"],
            "combined": d["combined"],
            "prepares": d["prepares"],
        }


class MoveForm(VersionedForm):
    id_prefix = "move"
    date = DateField(label=_("New date"))
    time = TimeField(label=_("New time"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CancelForm(VersionedForm):
    id_prefix = "cancel"
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AttendanceForm(VersionedForm):
    """One roster row. "exempt" (offered for exempt members) is an excused absence whose
    reason is the exemption, as the minute book writes it."""

    id_prefix = "attendance"
    presence = forms.ChoiceField(
        label=_("Attendance"), choices=[*Presence.choices, ("exempt", _("Exempt (not attending)"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    late = forms.BooleanField(label=_("Arrived late"), required=False)
    left_early = forms.BooleanField(label=_("Left early"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("presence") == "exempt":
            data["presence"], data["reason"] = Presence.EXCUSED, EXEMPT_REASON
        return data


class GuestForm(VersionedForm):
    id_prefix = "guest"
    follow = forms.TypedChoiceField(
        label=_("Assigned superior follower"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Or name another guest below."),
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)

    def __init__(self, *args, follows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow"].choices = [
            ("", "---------"),
            *[(a.pk, a.follower_name) for a in follows],
        ]


class VoteForm(VersionedForm):
    id_prefix = "vote"
    subject = forms.CharField(label=_("Subject"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=VoteKind.choices)
    on_resolution = forms.BooleanField(
        label=_("This is the vote on the meeting's resolution"), required=False
    )
    method = forms.ChoiceField(label=_("Method"), choices=VoteMethod.choices)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    abstained = forms.IntegerField(label=_("Abstained"), min_value=0, required=False)

    def __init__(self, *args, voters=(), **kwargs):
        """`voters`: the roster rows of those present, one ballot select each (vote by name)."""
        super().__init__(*args, **kwargs)
        self.ballot_fields = []
        for row in voters:
            name = f"ballot_{row.member_id}"
            self.fields[name] = forms.ChoiceField(
                label=row.member.full_name,
                choices=[("", "—"), *Choice.choices],
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.ballot_fields.append(name)

    def ballots(self) -> list:
        return [self[name] for name in self.ballot_fields]

    def vote_data(self) -> dict:
        d = self.cleaned_data
        data = {
            "subject": d["subject"],
            "kind": d["kind"],
            "method": d["method"],
            "on_resolution": d["on_resolution"],
        }
        if d["method"] == VoteMethod.NAMED:
            data["ballots"] = {
                int(name.removeprefix("ballot_")): d[name] for name in self.ballot_fields if d[name]
            }
        else:
            data["votes_for"] = d["votes_for"] or 0
            data["votes_against"] = d["votes_against"] or 0
            data["abstained"] = d["abstained"] or 0
        return data


class HoldForm(VersionedForm):
    id_prefix = "hold"
    date = DateField(label=_("Date held"))
    started = TimeField(label=_("Started at"))
    ended = TimeField(label=_("Ended at"))
    resolution = forms.CharField(
        label=_("Resolution or conclusion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AmendForm(VersionedForm):
    id_prefix = "amend"
    value = forms.CharField(
        label=_("Corrected resolution"), widget=forms.Textarea(attrs={"rows": 5})
    )
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=300)


class CheckInForm(PageForm):
    id_prefix = "checkin"
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


# The record of the meeting and its quality score ---------------------------------------------


class PeopleForm(VersionedForm):
    """A form naming a member of the cell: the choices are given by the view (the roster, or
    those placed in the cell that day) so one list serves every form on the page."""

    member_required = False

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = forms.TypedChoiceField(
            label=_("Member"),
            choices=[("", "—"), *people],
            coerce=int,
            empty_value=None,
            required=self.member_required,
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        self.order_fields(["member", *self.field_order_after_member])

    field_order_after_member: list[str] = []

    def chosen_member(self):
        pk = self.cleaned_data.get("member")
        return Member.all_objects.filter(pk=pk).first() if pk else None


class TaskReviewForm(VersionedForm):
    id_prefix = "review"
    task = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TaskForm(PeopleForm):
    id_prefix = "task"
    text = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    group = forms.TypedChoiceField(
        label=_("or a party group"), coerce=int, empty_value=None, required=False
    )
    due_on = DateField(label=_("Due on"))
    field_order_after_member = ["group", "text", "due_on"]

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "—"), *groups]  # type: ignore[attr-defined]

    def chosen_group(self):
        pk = self.cleaned_data.get("group")
        return OrgUnit.objects.filter(pk=pk).first() if pk else None


class SpeechForm(PeopleForm):
    id_prefix = "speech"
    speaker = forms.CharField(label=_("or someone not a member"), max_length=120, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order_after_member = ["speaker", "summary"]


class MonthField(forms.CharField):
    """A month typed mm/yyyy, cleaned to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            month, year = (int(x) for x in text.split("/"))
            return dt.date(year, month, 1)
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Give the month as mm/yyyy.")) from None


class AmountField(forms.CharField):
    """Đồng as a whole number; the thousands dots people type (50.000) are accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        digits = text.replace(".", "").replace(" ", "").removesuffix("đ")
        if not digits.isdigit():
            raise forms.ValidationError(_("Give the amount in đồng, a whole number from 0."))
        return int(digits)


class DuesForm(PeopleForm):
    id_prefix = "dues"
    member_required = True
    month = MonthField(label=_("Month paid for"))
    amount = AmountField(label=_("Amount (đồng)"))
    field_order_after_member = ["month", "amount"]


class ProposalForm(PeopleForm):
    id_prefix = "proposal"
    source = forms.CharField(label=_("or from the public (who)"), max_length=200, required=False)
    text = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 3}))
    addressed_to = forms.CharField(label=_("Addressed to"), max_length=200)
    field_order_after_member = ["source", "text", "addressed_to"]


class AnswerForm(PageForm):
    id_prefix = "answer"
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class QualityForm(VersionedForm):
    """One field per part of the checklist in force on the meeting day, up to its maximum."""

    id_prefix = "quality"

    def __init__(self, *args, parts: dict[str, int] | None = None, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        for part, most in (parts or {}).items():
            label = (labels or {}).get(part, part)
            self.fields[f"part_{part}"] = forms.IntegerField(
                label=_("%(part)s (at most %(max)s)") % {"part": label, "max": most},
                min_value=0,
                max_value=most,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )
        self.parts = list(parts or {})

    def points(self) -> dict[str, int]:
        return {part: self.cleaned_data[f"part_{part}"] for part in self.parts}


# Preparation ----------------------------------------------------------------------------------


class AgendaForm(VersionedForm):
    """The whole agenda in one form: a row per item (pk, part, title, notes, remove) and a few
    empty rows to add items. Rows are numbered 0..n in the order shown."""

    id_prefix = "agenda"
    EXTRA = 3

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        count = len(items) + self.EXTRA
        if self.is_bound:
            count = max(count, self._bound_rows())
        for n in range(count):
            item = items[n] if n < len(items) else None
            self.fields[f"pk_{n}"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
            self.fields[f"section_{n}"] = forms.ChoiceField(
                label=_("Part"), choices=Section.choices, required=False
            )
            self.fields[f"title_{n}"] = forms.CharField(
                label=_("Item"), max_length=300, required=False
            )
            self.fields[f"notes_{n}"] = forms.CharField(
                label=_("Notes"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
            )
            self.fields[f"section_{n}"].widget.attrs["class"] = "form-select form-select-sm"
            self.fields[f"title_{n}"].widget.attrs["class"] = "form-control form-control-sm"
            self.fields[f"delete_{n}"] = forms.BooleanField(
                label=_("Remove"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            for name in ("section", "title", "notes", "delete"):
                label = self.fields[f"{name}_{n}"].label
                self.fields[f"{name}_{n}"].widget.attrs["aria-label"] = f"{label} {n + 1}"
            if item is not None and not self.is_bound:
                self.initial.update(
                    {
                        f"pk_{n}": item.pk,
                        f"section_{n}": item.section,
                        f"title_{n}": item.title,
                        f"notes_{n}": item.notes,
                    }
                )
            elif not self.is_bound:
                self.initial[f"section_{n}"] = Section.CONTENT
        self.row_count = count

    def _bound_rows(self) -> int:
        rows = [k.split("_", 1)[1] for k in self.data if k.startswith("title_")]
        return max((int(r) + 1 for r in rows if r.isdigit() and int(r) < 100), default=0)

    def rows(self) -> list[dict]:
        return [
            {name: self[f"{name}_{n}"] for name in ("pk", "section", "title", "notes", "delete")}
            for n in range(self.row_count)
        ]

    def changes(self) -> list:
        out = []
        for n in range(self.row_count):
            c = self.cleaned_data
            pk, title = c.get(f"pk_{n}"), c.get(f"title_{n}") or ""
            if pk is None and not title.strip():
                continue
            out.append(
                ItemChange(
                    pk=pk,
                    section=c.get(f"section_{n}") or "",
                    title=title,
                    notes=c.get(f"notes_{n}") or "",
                    delete=bool(c.get(f"delete_{n}")),
                )
            )
        return out


class AgendaItemAddForm(VersionedForm):
    """A content item added at the end of the content, before the closing items."""

    id_prefix = "agenda_add"
    title = forms.CharField(label=_("New content item"), max_length=300)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgendaItemForm(VersionedForm):
    """One content item moved up, down, or removed (the item by its place on the agenda)."""

    id_prefix = "agenda_item"
    order = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("up", "up"), ("down", "down"), ("remove", "remove")])


class ResolutionDraftForm(VersionedForm):
    id_prefix = "draft"
    resolution = forms.CharField(
        label=_("Draft resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Agreed by the cell committee before the meeting; edited during it."),
    )


class OfficersForm(VersionedForm):
    id_prefix = "officers"
    chair = forms.TypedChoiceField(
        label=_("Chaired by"), coerce=int, required=False, empty_value=None
    )
    minute_taker = forms.TypedChoiceField(
        label=_("Minute-taker"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "---------"), *people]
        self.fields["chair"].choices = choices
        self.fields["minute_taker"].choices = choices


class DocumentForm(PageForm):
    id_prefix = "document"
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the file's name."),
    )
    file = forms.FileField(label=_("File"))
    item = forms.TypedChoiceField(
        label=_("Agenda item"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            ("", _("The whole meeting")),
            *[(i.order, f"{i.order}. {i.title}") for i in items],
        ]


class AgendaTemplateForm(BootstrapForm):
    effective_from = DateField(label=_("In force from"))
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("The document that sets this agenda, e.g. Hướng dẫn 05-HD/TU ngày 10/3/2026."),
    )
    opening = forms.CharField(
        label=_("Opening"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One item a line."),
    )
    content = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("One item a line."),
    )
    closing = forms.CharField(
        label=_("Closing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item a line."),
    )
