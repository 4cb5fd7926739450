"""The evaluation's forms: opening a year's campaign, the cell's proposals and the committee's
decisions (one form for a whole cell, a row per member), an override of a check, and the
member's self-assessment. Forms only clean input; the services judge it (the rules of the year,
the verdict on each member, the order of the stages)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField

from .models import Level

YEAR_MIN, YEAR_MAX = 2000, 2100
REASON_MAX = 2000
ANSWER_MAX = 10000
LEVEL_CHOICES = [("", "—"), *Level.choices]


def default_year(today: dt.date) -> int:
    """The year to open: the one ending (evaluations run from December), or, in the first half
    of a year, the one just ended."""
    return today.year if today.month >= 7 else today.year - 1


def default_deadlines(year: int) -> dict[str, dt.date]:
    """Self-assessments by 10/12, the cells' proposals by 25/12, the committee's decisions by
    15/01 and publication by 31/01 of the next year: the usual calendar of a base committee
    (a Chibo default; the office changes any of them)."""
    return {
        "self_due": dt.date(year, 12, 10),
        "cell_due": dt.date(year, 12, 25),
        "decision_due": dt.date(year + 1, 1, 15),
        "publish_due": dt.date(year + 1, 1, 31),
    }


class CampaignOpenForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year rated"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    self_due = DateField(label=_("Self-assessments due"))
    cell_due = DateField(label=_("Cell proposals due"))
    decision_due = DateField(label=_("Committee decisions due"))
    publish_due = DateField(label=_("Publication due"))

    @classmethod
    def initial_for(cls, today: dt.date) -> dict[str, Any]:
        year = default_year(today)
        return {"year": year, **default_deadlines(year)}


class RowsForm(BootstrapForm):
    """A form with a few fields per row, named `<name>_<id>`. A row is an Evaluation, or a
    board row (chibo.evaluation.queries.BoardRow) with the same fields: `id` and the levels,
    votes and dates already recorded, which the fields start from, and the row's `version`
    (hidden: each row is saved from the version read, core.versions)."""

    row_fields: Sequence[str] = ()
    shown_level = "level"  # what a stale row says it is now

    def __init__(self, *args: Any, rows: Iterable[Any], **kwargs: Any) -> None:
        self.row_list = list(rows)
        super().__init__(*args, **kwargs)
        for row in self.row_list:
            self.add_row_fields(row)
            self.fields[f"version_{row.id}"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, required=False
            )
            self.initial.setdefault(f"version_{row.id}", row.version)

    def add_row_fields(self, row: Any) -> None:
        raise NotImplementedError

    def names(self) -> tuple[str, ...]:
        return (*self.row_fields, "version")

    def rows(self) -> list[tuple[Any, dict[str, forms.BoundField]]]:
        return [
            (row, {name: self[f"{name}_{row.id}"] for name in self.names()})
            for row in self.row_list
        ]

    def fields_by_id(self) -> dict[int, dict[str, forms.BoundField]]:
        return {row.id: fields for row, fields in self.rows()}

    def row_values(self) -> list[tuple[Any, dict[str, Any]]]:
        data = self.cleaned_data
        return [
            (row, {name: data.get(f"{name}_{row.id}") for name in self.names()})
            for row in self.row_list
        ]

    def stale(self, row_id: int, current: Any) -> None:
        """A row someone else changed since the form was read (core.versions): say so on the
        row with what it is now, and take its current version, so that saving again (after
        reading it) is a deliberate change. The person's input is kept."""
        if current is None:
            self.add_error(f"level_{row_id}", _("Someone else removed this row meanwhile."))
            return
        level = getattr(current, self.shown_level)
        now = Level(level).label if level else _("(empty)")
        self.add_error(
            f"level_{row_id}",
            _(
                "Someone else changed this row since you opened the board (now: %(level)s), so"
                " nothing was saved. Your input is kept: save again to make your change."
            )
            % {"level": now},
        )
        data = QueryDict(mutable=True)
        data.update(self.data)  # a QueryDict keeps every value of a field
        data[self.add_prefix(f"version_{row_id}")] = str(current.version)
        self.data = data


def _small(field: forms.Field, number: bool = False) -> forms.Field:
    if number:
        field.widget.attrs.update({"class": "form-control form-control-sm", "inputmode": "numeric"})
    else:
        field.widget.attrs["class"] = "form-select form-select-sm"
    return field


class ProposalForm(RowsForm):
    """The cell's proposal for each of its members, voted at its meeting: the level and the
    votes for it, out of the members voting (one count for the meeting). A row left without a
    level is not proposed yet."""

    row_fields = ("level", "votes")
    shown_level = "proposed_level"

    on = DateField(label=_("Meeting date"))
    voters = forms.IntegerField(label=_("Members voting"), min_value=1, max_value=10000)

    def add_row_fields(self, row: Any) -> None:
        self.fields[f"level_{row.id}"] = _small(
            forms.ChoiceField(label=_("Proposed level"), choices=LEVEL_CHOICES, required=False)
        )
        self.fields[f"votes_{row.id}"] = _small(
            forms.IntegerField(label=_("Votes for"), min_value=0, max_value=10000, required=False),
            number=True,
        )
        self.initial.setdefault(f"level_{row.id}", row.proposed_level)
        self.initial.setdefault(f"votes_{row.id}", row.proposed_votes)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        voters = data.get("voters")
        for row in self.row_list:
            level, votes = data.get(f"level_{row.id}"), data.get(f"votes_{row.id}")
            if level and votes is None:
                self.add_error(f"votes_{row.id}", _("Enter the votes for the proposal."))
            elif votes is not None and not level:
                self.add_error(f"level_{row.id}", _("Choose the level proposed."))
            elif votes is not None and voters is not None and votes > voters:
                self.add_error(
                    f"votes_{row.id}",
                    _("More votes for than members voting (%(n)s).") % {"n": voters},
                )
        return data


class DecisionForm(RowsForm):
    """The committee's decision for each row of a cell (members) or of a parent (units): the
    level and, under 366-QĐ/TW, the score. A row left without a level is not decided yet."""

    on = DateField(label=_("Decision date"))

    def __init__(self, *args: Any, scored: bool = False, **kwargs: Any) -> None:
        self.scored = scored
        self.row_fields = ("level", "score") if scored else ("level",)
        super().__init__(*args, **kwargs)

    def add_row_fields(self, row: Any) -> None:
        self.fields[f"level_{row.id}"] = _small(
            forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
        )
        self.initial.setdefault(f"level_{row.id}", row.level or row.proposed_level)
        if self.scored:
            self.fields[f"score_{row.id}"] = _small(
                forms.IntegerField(label=_("Score"), min_value=0, max_value=100, required=False),
                number=True,
            )
            self.initial.setdefault(f"score_{row.id}", row.score)


class OverrideForm(BootstrapForm):
    check_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    reason = forms.CharField(
        label=_("Reason for going ahead"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SelfAssessmentForm(BootstrapForm):
    """The member's own review: a text under each criterion of the year's form (`criteria`:
    (key, label, help)), under 366-QĐ/TW the two scores and the tasks, then strengths,
    shortcomings, remedies and the level proposed. Drafts may be incomplete; the service says
    what a submission lacks."""

    general_score = forms.IntegerField(label=_("General criteria"), min_value=0, required=False)
    results_score = forms.IntegerField(label=_("Results of tasks"), min_value=0, required=False)
    tasks_all_done = forms.TypedChoiceField(
        label=_("All tasks completed"),
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )
    exceeded_share = forms.IntegerField(
        label=_("Share of tasks exceeded (%)"), min_value=0, max_value=100, required=False
    )
    strengths = forms.CharField(
        label=_("Strengths"), max_length=ANSWER_MAX, required=False, widget=forms.Textarea
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings and their causes"),
        max_length=ANSWER_MAX,
        required=False,
        widget=forms.Textarea,
    )
    remedies = forms.CharField(
        label=_("How I will remedy them"),
        max_length=ANSWER_MAX,
        required=False,
        widget=forms.Textarea,
    )
    proposed_level = forms.ChoiceField(
        label=_("Level I propose"), choices=LEVEL_CHOICES, required=False
    )
    # The version read (core.versions); 0: none was saved yet, so that a first save from two
    # devices at once does not overwrite the other.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    SCORE_FIELDS = ("general_score", "results_score", "tasks_all_done", "exceeded_share")

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[tuple[str, str, str]],
        points: dict[str, int] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria_keys = [key for key, _label, _help in criteria]
        answers: dict[str, forms.Field] = {}
        for key, label, help_text in criteria:
            answers[f"answer_{key}"] = forms.CharField(
                label=label,
                help_text=help_text,
                max_length=ANSWER_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )
        # The criteria first, in the form's order.
        self.fields = {**answers, **self.fields}
        if points:
            general = cast(forms.IntegerField, self.fields["general_score"])
            results = cast(forms.IntegerField, self.fields["results_score"])
            for field, top in ((general, points.get("general")), (results, points.get("results"))):
                if top is not None:
                    field.max_value = top
                    field.validators.append(MaxValueValidator(top))
                    field.widget.attrs["max"] = top
            general.label = _("General criteria (out of %(n)s)") % {"n": points.get("general")}
            results.label = _("Results of tasks (out of %(n)s)") % {"n": points.get("results")}
        else:
            for name in self.SCORE_FIELDS:
                del self.fields[name]
        for name in ("general_score", "results_score", "exceeded_share"):
            if name in self.fields:
                self.fields[name].widget.attrs["inputmode"] = "numeric"
        for name in ("strengths", "shortcomings", "remedies"):
            self.fields[name].widget.attrs["rows"] = 3

    def answers(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"answer_{k}", "").strip() for k in self.criteria_keys}

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[f"answer_{k}"] for k in self.criteria_keys]

    def score_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.SCORE_FIELDS if n in self.fields]
