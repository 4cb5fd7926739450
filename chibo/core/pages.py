"""The one shape of every create/edit: bind the form, call a service, redirect or show the
errors (status 422 so that scripts and tests can tell).

A page made of sections extends it: an HTMX request gets its section back (a template
partial) instead of the page, and a change refused as stale (someone else saved first) can be
answered apart from the form's own errors."""

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.middleware import HtmxDetails

from chibo.core.forms import apply_validation_error
from chibo.core.versions import Stale, is_stale, shown_stale

# The context of the page shown: given, or built by a function only when something is shown
# (never before a redirect). The function gets the form to show again with its errors, or
# None after an HTMX save, when the partial shows new, empty forms.
Context = Mapping[str, Any] | Callable[[BaseForm | None], Mapping[str, Any]]


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for type checking)."""

    htmx: HtmxDetails


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    template: str,
    success: Callable[[Any], str],
    message: str,
    context: Context | None = None,
    partial: str | None = None,
    stale: Callable[[ValidationError], HttpResponse] | None = None,
) -> HttpResponse:
    """`partial`: the template partial (its name after `#`) an HTMX request gets back instead
    of the page: after saving, status 200 with `message` as `saved`; with the errors, 422.
    `stale`: the answer to a change refused as stale; without it, the form again with the
    person's input, the message and the record's current values (core.versions)."""
    htmx = partial is not None and bool(getattr(request, "htmx", False))
    shown = f"{template}#{partial}" if htmx else template
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as e:
            if stale is not None and is_stale(e):
                return stale(e)
            if isinstance(e, Stale):
                shown_stale(form, e)
            else:
                apply_validation_error(form, e)
        else:
            if not htmx:
                messages.success(request, message)
                return redirect(success(result))
            return render(request, shown, {**_built(context, None), "saved": message})
    status = 422 if form.is_bound and form.errors else 200
    return render(request, shown, {"form": form, **_built(context, form)}, status=status)


def _built(context: Context | None, form: BaseForm | None) -> Mapping[str, Any]:
    if callable(context):
        return context(form)
    return context or {}
