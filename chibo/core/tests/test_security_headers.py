"""Security headers on pages and on the API: the Content-Security-Policy (Django's), frame
denial, Referrer-Policy, HSTS over HTTPS; and no template that the policy would break."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

CSP = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in response[CSP].split(";") if part.strip())
    }


def check_headers(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("http" in value for values in policy.values() for value in values)  # no CDN
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_page_and_the_login_page(world, cast, client_for):
    check_headers(Client().get("/accounts/login/"))
    response = client_for(cast.base_officer).get("/members/")
    assert response.status_code == 200
    check_headers(response)


@pytest.mark.django_db
def test_the_api(world, cast, client_for):
    check_headers(Client().get("/api/v1/members"))  # 401
    response = client_for(cast.base_officer).get("/api/v1/members")
    assert response.status_code == 200
    check_headers(response)
    check_headers(Client().get("/api/v1/openapi.json"))


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_over_https_only():
    assert "Strict-Transport-Security" not in Client().get("/accounts/login/")
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # Behind the reverse proxy on the same machine, which says the client used HTTPS.
    behind = Client(REMOTE_ADDR="127.0.0.1").get(
        "/api/v1/openapi.json", headers={"x-forwarded-proto": "https"}
    )
    assert behind["Strict-Transport-Security"].startswith("max-age=31536000")


def templates() -> list[Path]:
    root = Path(settings.BASE_DIR) / "chibo"
    return sorted(root.glob("templates/**/*.html")) + sorted(root.glob("*/templates/**/*.html"))


def test_no_template_has_inline_script_or_style():
    """What the policy refuses: inline event handlers, <script> blocks with code, style=""
    attributes and <style> blocks. (A <script type="application/json"> data block is fine.)"""
    found = []
    for path in templates():
        text = path.read_text()
        for pattern in (
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            r"<style[\s>]",
            r"<script(?![^>]*\ssrc=)(?![^>]*application/json)[^>]*>",
            r"javascript:",
        ):
            found += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert len(templates()) > 50
    assert found == []
