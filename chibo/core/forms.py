"""Form pieces shared by every app: date fields that read dd/mm/yyyy and phone-friendly inputs."""

from django import forms

from chibo.core.formats import DATE_INPUT_FORMATS


class DateInput(forms.DateInput):
    """Dates typed and shown as dd/mm/yyyy whatever the browser's locale (a native date
    picker would show the phone's format, e.g. mm/dd/yyyy on an English phone)."""

    def __init__(self, attrs=None):
        defaults = {
            "class": "form-control",
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


class BootstrapForm(forms.Form):
    """Adds Bootstrap classes to every field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class BootstrapModelForm(forms.ModelForm):
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
