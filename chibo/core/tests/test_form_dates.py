"""Every date, time and date-time field of every Chibo form reads what people type (06122026,
6/12/26, 1930, 19h30) through chibo.core.formats, and refuses with the expected format."""

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation

import chibo
from chibo.core import forms as core_forms

TEMPORAL = (forms.DateField, forms.TimeField, forms.DateTimeField, forms.SplitDateTimeField)


def chibo_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in Chibo's code (not its tests), wherever it lives."""
    for info in pkgutil.walk_packages(chibo.__path__, "chibo."):
        parts = info.name.split(".")
        if not {"tests", "migrations", "testing"} & set(parts) and parts[-1] != "wsgi":
            importlib.import_module(info.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("chibo.") and ".tests." not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def fields_of(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The fields of a form as built, so that fields added in __init__ count: required
    keyword arguments get today or None; a form that cannot be built so gives its declared
    fields (the source check below covers what it would add)."""
    kwargs = {}
    for name, p in inspect.signature(form_class.__init__).parameters.items():
        if p.kind is p.KEYWORD_ONLY and p.default is p.empty:
            kwargs[name] = timezone.localdate() if name == "today" else None
    try:
        return dict(form_class(**kwargs).fields)
    except Exception:
        return dict(form_class.base_fields)


def reads_typed(field: forms.Field) -> bool:
    """The field understands the spellings people type; False for Django's own fields."""
    samples = {
        forms.DateField: ("06122026", dt.date(2026, 12, 6)),
        forms.TimeField: ("1930", dt.time(19, 30)),
        forms.DateTimeField: ("06122026 19h30", dt.datetime(2026, 12, 6, 19, 30)),
    }
    for kind, (typed, meant) in samples.items():
        if isinstance(field, kind):
            try:
                value = field.clean(typed)
            except ValidationError:
                return False
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                value = timezone.make_naive(value)
            return value == meant
    return False  # SplitDateTimeField and anything else temporal: not Chibo's


def test_the_check_can_fail():
    assert not reads_typed(forms.DateField())
    assert not reads_typed(forms.TimeField())
    assert not reads_typed(forms.DateTimeField())
    assert reads_typed(core_forms.DateField())
    assert reads_typed(core_forms.TimeField())
    assert reads_typed(core_forms.DateTimeField())


@pytest.mark.django_db
def test_every_date_and_time_field_of_every_form_reads_typed_spellings():
    classes = chibo_form_classes()
    seen: dict[type, int] = {forms.DateField: 0, forms.TimeField: 0}
    wrong = []
    for form_class in classes:
        for name, field in fields_of(form_class).items():
            if not isinstance(field, TEMPORAL):
                continue
            for kind in seen:
                seen[kind] += isinstance(field, kind)
            if not reads_typed(field):
                wrong.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}")
    assert wrong == []
    # The walk found the forms: the member, candidate, meeting and rules forms have dozens.
    assert len(classes) > 50
    assert seen[forms.DateField] > 40 and seen[forms.TimeField] >= 5, seen


def test_no_code_builds_a_django_date_or_time_field_directly():
    """A field added in a form's __init__ is invisible to the walk when the form cannot be
    built without its arguments: the source must use chibo.core.forms' fields."""
    root = Path(chibo.__file__).parent
    pattern = re.compile(r"\bforms\.(Date|Time|DateTime|SplitDateTime)Field\(")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path != Path(core_forms.__file__)
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_a_model_form_gets_chibo_fields():
    class Thing(models.Model):
        born = models.DateField()
        at = models.TimeField()
        seen = models.DateTimeField()

        class Meta:
            app_label = "core"
            managed = False

    class ThingForm(core_forms.BootstrapModelForm):
        class Meta(core_forms.BootstrapModelForm.Meta):
            model = Thing
            fields = ["born", "at", "seen"]

    fields = ThingForm.base_fields
    assert type(fields["born"]) is core_forms.DateField
    assert type(fields["at"]) is core_forms.TimeField
    assert type(fields["seen"]) is core_forms.DateTimeField


class MoveLike(core_forms.BootstrapForm):
    date = core_forms.DateField()
    time = core_forms.TimeField()
    birth = core_forms.DateField(past=True, required=False)


def test_refusals_say_the_format_with_an_example():
    today = timezone.localdate().strftime("%d/%m/%Y")
    form = MoveLike({"date": "31/02/2026", "time": "25:61"})
    with translation.override("en"):
        assert form.errors == {
            "date": [f"Date as dd/mm/yyyy, e.g. {today}"],
            "time": ["Time as hh:mm, e.g. 19:30"],
        }
    form = MoveLike({"date": "31/02/2026", "time": "25:61"})
    with translation.override("vi"):
        assert form.errors == {
            "date": [f"Ngày dạng dd/mm/yyyy, ví dụ {today}"],
            "time": ["Giờ dạng hh:mm, ví dụ 19:30"],
        }


def test_a_birth_date_with_a_two_digit_year_is_never_in_the_future():
    next_year = timezone.localdate().year + 1
    form = MoveLike({"date": "6/12/26", "time": "19h", "birth": f"1/1/{next_year % 100:02d}"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "date": dt.date(2026, 12, 6),
        "time": dt.time(19, 0),
        "birth": dt.date(next_year - 100, 1, 1),
    }


def test_the_widgets_show_dd_mm_yyyy_and_let_the_server_judge():
    form = MoveLike(initial={"date": dt.date(2026, 12, 6), "time": dt.time(7, 5)})
    html = str(form["date"]) + str(form["time"])
    assert 'value="06/12/2026"' in html and 'value="07:05"' in html
    assert "pattern=" not in html  # the browser would refuse 06122026 before we see it
