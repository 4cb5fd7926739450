"""A form renderer that writes the common widgets in Python.

Django renders each widget through a template, and each option of a select through another
(django/forms/widgets/*.html): about 0.1 ms a widget and 0.02 ms an option. The meeting page
shows a dozen forms whose selects name every member of the cell, so at 45 members the widget
templates were a third of the page's CPU. This renderer writes the same HTML, byte for byte
(tests/test_forms_renderer.py compares them), for the inputs, textareas and selects; any other
widget (or a project override of these templates) goes through the templates as before.
Errors, aria-invalid and aria-describedby are attributes that BoundField passes in: they come
out the same."""

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

_W = "django/forms/widgets/"
# Widgets whose template is exactly {% include "django/forms/widgets/input.html" %}.
_INPUTS = "input checkbox color date datetime email hidden number password search tel text time url"


def _s(value: Any) -> str:
    """{{ value|stringformat:'s' }} under autoescape."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _v(value: Any) -> str:
    """{{ value }} under autoescape: localized, then escaped."""
    return conditional_escape(value if isinstance(value, str) else localize(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_v(name)}" if value is True else f' {_v(name)}="{_s(value)}"')
    return "".join(out)


def _input(w: dict[str, Any]) -> str:
    value = "" if w["value"] is None else f' value="{_s(w["value"])}"'
    return f'<input type="{_v(w["type"])}" name="{_v(w["name"])}"{value}{_attrs(w["attrs"])}>'


def _textarea(w: dict[str, Any]) -> str:
    value = _v(w["value"]) if w["value"] else ""
    return f'<textarea name="{_v(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>'


def _select(w: dict[str, Any]) -> str | None:
    out = [f'<select name="{_v(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, options, _index in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_v(group_name)}">')
        for o in options:
            if o["template_name"] != _W + "select_option.html":
                return None  # an option of its own template: rendered by the templates
            value, label = _s(o["value"]), _v(o["label"])
            out.append(f'\n  <option value="{value}"{_attrs(o["attrs"])}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


_WRITERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **{f"{_W}{name}.html": _input for name in _INPUTS.split()},
    _W + "textarea.html": _textarea,
    _W + "select.html": _select,
}


class FastWidgets(DjangoTemplates):
    """Django's default renderer, with the widgets of _WRITERS written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        write = _WRITERS.get(template_name)
        html = write(context["widget"]) if write is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return html


RENDERER = FastWidgets()
