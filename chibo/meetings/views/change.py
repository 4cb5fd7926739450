"""A change made on the meeting page, through core.pages.form_page.

Every change carries the version the person saw. When someone else saved first the service
refuses it as stale: the page says so and reloads instead of overwriting the other person's
change (HTMX: status 409 and the section with the message)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from chibo.core.pages import HtmxHttpRequest, form_page

from ..models import Meeting
from .page import PAGE, Page
from .parts import page_context
from .sections import section_context


def page_form(
    request: HtmxHttpRequest,
    meeting: Meeting,
    form: BaseForm,
    *,
    name: str,
    save: Callable[[dict[str, Any]], Any],
    message: str,
    section: str | None = None,
    extra: dict[str, Any] | None = None,
    can_write: bool | None = True,
) -> HttpResponse:
    """Bind, call the service, then: without HTMX, a redirect to the page, or the whole page
    with the form (its context `name`) and its errors (422). With HTMX and a `section`, that
    section alone: saved (200, the meeting's new version in a header so that the page's
    other forms stay current), stale (409), refused (422). `extra`: more context for the
    errors (which proposal's answer was refused)."""
    htmx = section is not None and bool(request.htmx)
    pages: list[Page] = []

    def context(shown: BaseForm | None) -> dict[str, Any]:
        forms = {name: shown} if shown is not None else {}
        page = Page(request, meeting.pk, whole=not htmx, forms=forms, can_write=can_write)
        pages.append(page)
        built = section_context(page, section) if htmx and section else page_context(page)
        if shown is not None:
            built.update(extra or {})
            if section is not None and built.get(name) is not shown:
                # The form is not on the page (the minutes are locked, the meeting not
                # held): its refusal is said instead. Only sections with HTMX forms do, as
                # before; the page's other forms still drop it (a stale tab, rare).
                said = " ".join(str(e) for e in shown.non_field_errors())
                if htmx:
                    built["section_error"] = said
                else:
                    messages.error(request, said)
        return built

    def stale(error: ValidationError) -> HttpResponse:
        said = " ".join(error.messages)
        if not htmx:
            messages.error(request, said)
            return redirect("meetings:detail", meeting.pk)
        shown = {**context(None), "section_stale": said}
        return render(request, f"{PAGE}#{section}", shown, status=409)

    response = form_page(
        request,
        form,
        save=save,
        template=PAGE,
        partial=section,
        success=lambda _result: reverse("meetings:detail", args=[meeting.pk]),
        message=message,
        context=context,
        stale=stale,
    )
    if htmx and response.status_code == 200:
        response["X-Meeting-Version"] = str(pages[-1].meeting.version)
    return response
