"""Form pieces shared by every app: date, time and date-time fields that read what people type
(chibo.core.formats: 06/12/2026, 06122026, 6/12/26; 19:30, 1930, 19h30) and phone-friendly
inputs. Every date or time field of a Chibo form is one of these (a test walks every form)."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import from_current_timezone

from chibo.core import formats


class DateInput(forms.DateInput):
    """Dates typed and shown as dd/mm/yyyy whatever the browser's locale (a native date
    picker would show the phone's format, e.g. mm/dd/yyyy on an English phone). No `pattern`:
    the browser would refuse 06122026 before the server could read it."""

    def __init__(self, attrs=None):
        defaults = {
            "class": "form-control",
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class TimeInput(forms.TimeInput):
    """HH:MM typed as text: a native time picker would show 12-hour clocks on some phones."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": "hh:mm", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y %H:%M")


def _text(value: Any) -> str:
    return str(value).strip()


class DateField(forms.DateField):
    """`past=True` for a date that cannot be after today (a birth date): a two-digit year is
    then read as the latest such year (6/12/30 is 1930, not 2030)."""

    widget = DateInput

    def __init__(self, *, past: bool = False, **kwargs):
        self.past = past
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return formats.parse_date(_text(value), past=self.past)
        except formats.ParseError as e:
            raise ValidationError(str(e), code=e.code) from None


class TimeField(forms.TimeField):
    widget = TimeInput

    def to_python(self, value: Any) -> dt.time | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        try:
            return formats.parse_time(_text(value))
        except formats.ParseError as e:
            raise ValidationError(str(e), code=e.code) from None


class DateTimeField(forms.DateTimeField):
    """Naive as typed, then made aware in the current time zone (as Django's own field)."""

    widget = DateTimeInput

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return from_current_timezone(value)
        if isinstance(value, dt.date):
            return from_current_timezone(dt.datetime.combine(value, dt.time()))
        try:
            return from_current_timezone(formats.parse_datetime(_text(value)))
        except formats.ParseError as e:
            raise ValidationError(str(e), code=e.code) from None


# A model's date and time columns become the fields above in a model form.
_MODEL_FIELDS: dict[type[models.Field], type[forms.Field]] = {
    models.DateTimeField: DateTimeField,  # before DateField: it is a DateField's subclass
    models.DateField: DateField,
    models.TimeField: TimeField,
}


def formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    for model_field, form_field in _MODEL_FIELDS.items():
        if isinstance(db_field, model_field):
            return db_field.formfield(form_class=form_field, **kwargs)
    return db_field.formfield(**kwargs)


class BootstrapForm(forms.Form):
    """Adds Bootstrap classes to every field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class BootstrapModelForm(forms.ModelForm):
    class Meta:  # a subclass's Meta inherits it: class Meta(BootstrapModelForm.Meta)
        formfield_callback = staticmethod(formfield)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


def style_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        widget.attrs.setdefault("class", css)
    # Django itself marks fields with errors aria-invalid and links their help text.


def apply_validation_error(form: forms.BaseForm, error) -> None:
    """Put a service's ValidationError onto the form, field by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
