"""403, 404 and 500 pages: Chibo's layout, the reader's language, a way home; the 500 page
renders even when the database and the context processors fail. With DEBUG off, as in
production (pytest-django runs the tests so)."""

import copy

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

BOOM = "chibo.site.tests.boom_urls"


def client(language: str | None = None, user=None) -> Client:
    c = Client(raise_request_exception=False)
    if language:
        c.cookies["django_language"] = language
    if user is not None:
        c.force_login(user)
    return c


def test_debug_is_off():
    assert settings.DEBUG is False


@pytest.mark.parametrize(
    ("language", "title", "home"),
    [
        ("vi", "Không tìm thấy trang", "Về trang chủ"),
        ("en", "Page not found", "Go to the home page"),
    ],
)
def test_404_in_the_readers_language_with_the_menu(world, cast, language, title, home):
    r = client(language, cast.secretary).get(reverse("org:unit", args=[world.province.pk]))
    assert r.status_code == 404
    html = r.content.decode()
    assert f'<html lang="{language}">' in html
    assert title in html and home in html
    assert (
        'id="error-home" href="/"' in html
        or f'href="{reverse("site:home")}" id="error-home"' in html
    )
    assert 'id="nav"' in html  # Chibo's layout, with the reader's menu
    assert "Not Found</h1>" not in html  # not Django's bare page


def test_404_for_an_address_that_does_not_exist_anonymous():
    r = client().get("/no/such/page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "Không tìm thấy trang" in html and reverse("accounts:login") in html


@pytest.mark.parametrize(("language", "title"), [("vi", "Không được phép"), ("en", "Not allowed")])
def test_403_in_the_readers_language(world, cast, language, title):
    r = client(language, cast.viewer).get(reverse("org:unit_edit", args=[world.cell.pk]))
    assert r.status_code == 403
    html = r.content.decode()
    assert title in html and 'id="error-home"' in html and 'id="nav"' in html


@pytest.mark.urls(BOOM)
@pytest.mark.parametrize(
    ("language", "title"),
    [(None, "Đã xảy ra lỗi"), ("vi", "Đã xảy ra lỗi"), ("en", "Something went wrong")],
)
def test_500_in_the_readers_language(db, language, title):
    r = client(language).get("/boom/")
    assert r.status_code == 500
    html = r.content.decode()
    assert title in html and 'id="error-home"' in html
    assert f'<html lang="{language or "vi"}">' in html
    assert "chibo.css" in html  # the layout's look


@pytest.mark.urls(BOOM)
def test_500_renders_without_the_database():
    # No `db` fixture: any query raises, as when the database is down.
    r = client("en").get("/boom-db/")
    assert r.status_code == 500
    assert "Something went wrong" in r.content.decode()


@pytest.mark.urls(BOOM)
def test_500_renders_when_a_context_processor_fails(db, world, cast, settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(f"{BOOM}.failing_processor")
    settings.TEMPLATES = templates
    c = client("vi", cast.secretary)
    # An ordinary page now fails in its layout...
    assert c.get(reverse("org:unit", args=[world.cell.pk])).status_code == 500
    # ...and the 500 page still says so in Vietnamese.
    r = c.get("/boom/")
    assert r.status_code == 500 and "Đã xảy ra lỗi" in r.content.decode()


@pytest.mark.urls(BOOM)
def test_500_last_resort_when_the_template_fails(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr("chibo.site.errors.render_to_string", broken)
    r = client().get("/boom/")
    assert r.status_code == 500 and "Về trang chủ" in r.content.decode()


def test_expired_form_page_in_the_readers_language(db):
    c = Client(enforce_csrf_checks=True)
    c.cookies["django_language"] = "vi"
    r = c.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert r.status_code == 403
    html = r.content.decode()
    assert "Biểu mẫu đã hết hạn" in html and 'id="error-home"' in html
