"""form_page, the one shape of a create/edit: redirect after saving, 422 with the errors; a
context built only when shown; an HTMX partial instead of the page; a stale change answered
apart."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import translation
from django_htmx.middleware import HtmxDetails

from chibo.core.pages import form_page, is_stale

PAGE = (
    "<main>{{ title }}{% partialdef part inline %}<p>{{ saved }}|{{ form.errors.name.0 }}"
    "{{ form.non_field_errors.0 }}|{{ shown }}</p>{% endpartialdef %}</main>"
)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [("django.template.loaders.locmem.Loader", {"page.html": PAGE})],
        },
    }
]
pytestmark = pytest.mark.usefixtures("templates")


@pytest.fixture
def templates():
    with override_settings(TEMPLATES=TEMPLATES), translation.override("en"):
        yield


class NameForm(forms.Form):
    name = forms.CharField(max_length=5)


def post(data: dict, *, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().post("/x/", data, headers=headers)
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


class Calls:
    """A context function that records what it was given."""

    def __init__(self) -> None:
        self.given: list = []

    def __call__(self, form):
        self.given.append(form)
        return {"title": "T", "shown": "fresh" if form is None else "again"}


def page(request, *, save, **kw) -> HttpResponse:
    return form_page(
        request,
        NameForm(request.POST),
        save=save,
        template="page.html",
        success=lambda result: f"/done/{result}/",
        message="Saved.",
        **kw,
    )


def test_saved_redirects_without_building_the_context():
    request, context = post({"name": "An"}), Calls()
    r = page(request, save=lambda d: d["name"], context=context)
    assert (r.status_code, r["Location"]) == (302, "/done/An/")
    assert [str(m) for m in get_messages(request)] == ["Saved."]
    assert context.given == []


def test_errors_show_the_page_again_with_422():
    context = Calls()
    r = page(post({"name": "too long"}), save=lambda d: pytest.fail("not saved"), context=context)
    assert r.status_code == 422
    assert "<main>T<p>|Ensure this value has at most 5 characters" in r.text
    assert context.given and context.given[0].is_bound
    refused = ValidationError({"name": "Taken."})
    r = page(post({"name": "An"}), save=lambda d: raise_(refused), context={"title": "T"})
    assert r.status_code == 422 and "|Taken.|" in r.text


def test_htmx_gets_the_partial_saved_or_refused():
    context = Calls()
    r = page(post({"name": "An"}, htmx=True), save=lambda d: 1, context=context, partial="part")
    assert (r.status_code, r.text) == (200, "<p>Saved.||fresh</p>")
    assert context.given == [None]
    r = page(post({"name": "too long"}, htmx=True), save=lambda d: 1, partial="part")
    assert r.status_code == 422 and r.text.startswith("<p>|Ensure")
    # A partial named, but not an HTMX request: the redirect, as always.
    r = page(post({"name": "An"}), save=lambda d: 1, partial="part")
    assert r.status_code == 302


def test_stale_is_answered_apart():
    stale = ValidationError("Someone else saved first.", code="stale")
    other = ValidationError("Refused.")
    assert is_stale(stale) and not is_stale(other)
    assert not is_stale(ValidationError({"name": ValidationError("x", code="stale")}))
    answered = HttpResponse("reload", status=409)
    r = page(post({"name": "An"}), save=lambda d: raise_(stale), stale=lambda e: answered)
    assert r is answered
    # Without a handler, or for another refusal: an error on the form.
    r = page(post({"name": "An"}), save=lambda d: raise_(stale))
    assert r.status_code == 422 and "Someone else saved first." in r.text
    r = page(post({"name": "An"}), save=lambda d: raise_(other), stale=lambda e: answered)
    assert r.status_code == 422 and "Refused." in r.text


def raise_(error: Exception):
    raise error
