"""{% field_widget field %}: a form field's input with its error state for the eye and for
screen readers. Django marks an invalid input aria-invalid and points aria-describedby at
"<id>_error" (and "<id>_helptext"); this adds Bootstrap's red border and `autofocus` on the
first invalid field of the page, so that a refused form opens at its first error (HTMX
focuses an autofocus field of swapped content too; chibo/static/form-errors.js scrolls)."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_FOCUS_TAKEN = "_chibo_error_focus"  # set on the request once a field has taken the focus


@register.simple_tag(takes_context=True)
def field_widget(context: template.Context, field: BoundField) -> SafeString:
    if not field.errors:
        return field.as_widget()
    css = field.field.widget.attrs.get("class", "")
    attrs: dict[str, str | bool] = {"class": f"{css} is-invalid".strip()}
    request = context.get("request")
    if request is not None and not getattr(request, _FOCUS_TAKEN, False):
        setattr(request, _FOCUS_TAKEN, True)
        attrs["autofocus"] = True
    return field.as_widget(attrs=attrs)
