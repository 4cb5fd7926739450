"""API tokens: a name and an expiry; an expired token is refused with its own message; a
person lists, creates and revokes their own tokens, on their account page and in the API,
and nobody else's (404)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.accounts.models import ApiToken
from chibo.accounts.services import token_issue
from chibo.core.models import AuditEvent


def bearer(raw: str, **headers) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}", **headers})


def test_a_token_expires_after_the_default_term(world, cast, settings):
    settings.CHIBO_TOKEN_DAYS = 30
    raw = token_issue(actor=None, user=cast.base_officer, name="báo cáo")
    token = ApiToken.objects.get(user=cast.base_officer)
    assert token.name == "báo cáo"
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(
        minutes=1
    )
    assert bearer(raw).get("/api/v1/units").status_code == 200


def test_an_expired_token_is_refused_with_a_clear_401(world, cast):
    raw = token_issue(actor=None, user=cast.base_officer, name="old")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = bearer(raw, **{"Accept-Language": "en"}).get("/api/v1/units")
    assert r.status_code == 401
    assert "expired on" in r.json()["detail"]
    assert timezone.localdate().strftime("%d/%m/%Y") in r.json()["detail"]
    assert r["WWW-Authenticate"].startswith("Bearer")
    # Not the message of a token that never was.
    r = bearer("chibo_nothing", **{"Accept-Language": "en"}).get("/api/v1/units")
    assert r.status_code == 401 and "expired" not in r.json()["detail"]


def test_token_term_is_bounded(world, cast, settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_issue(
            actor=None, user=cast.base_officer, name="x", days=settings.CHIBO_TOKEN_MAX_DAYS + 1
        )
    with pytest.raises(ValidationError):
        token_issue(actor=None, user=cast.base_officer, name="x", days=0)


def test_command_names_and_dates_the_token(world, cast):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "base", "--name", "thống kê", "--days", "7", stdout=out, stderr=err)
    token = ApiToken.objects.get(user=cast.base_officer)
    assert token.name == "thống kê"
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 7
    assert timezone.localtime(token.expires_at).strftime("%d/%m/%Y") in err.getvalue()
    last_day = timezone.localdate() + dt.timedelta(days=10)
    call_command(
        "token", "base", "--expires", last_day.strftime("%d/%m/%Y"), stdout=out, stderr=err
    )
    newest = ApiToken.objects.filter(user=cast.base_officer).latest("pk")
    # Through the whole of the last day, and no longer.
    assert timezone.localtime(newest.expires_at) == timezone.make_aware(
        dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
    )
    with pytest.raises(CommandError):
        call_command("token", "base", "--expires", "31/02/2027", stdout=out, stderr=err)
    with pytest.raises(CommandError):
        call_command("token", "base", "--days", "5000", stdout=out, stderr=err)


# The account page --------------------------------------------------------------------------


def test_create_list_and_revoke_own_tokens_on_the_page(world, cast, en):
    c = en(cast.viewer)
    url = reverse("accounts:tokens")
    r = c.get(url)
    assert r.status_code == 200 and 'id="no-tokens"' in r.text
    r = c.post(url, {"name": "", "days": 30})
    assert r.status_code == 422 and not ApiToken.objects.exists()
    r = c.post(url, {"name": "Sổ tay", "days": 30})
    assert r.status_code == 302
    r = c.get(url)
    raw = re.search(r"(chibo_[A-Za-z0-9_-]+)", r.text).group(1)
    assert "Sổ tay" in r.text and 'id="new-token"' in r.text
    assert 'id="new-token"' not in c.get(url).text  # shown once
    assert bearer(raw).get("/api/v1/units").status_code == 200
    token = ApiToken.objects.get(user=cast.viewer)
    r = c.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert r.status_code == 302 and not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(kind="accounts.token_revoked").count() == 1
    assert bearer(raw).get("/api/v1/units").status_code == 401


def test_an_outsider_cannot_see_or_revoke_anothers_token(world, cast, client_for):
    token_issue(actor=None, user=cast.base_officer, name="của văn phòng")
    token = ApiToken.objects.get()
    c = client_for(cast.outsider)
    assert "của văn phòng" not in c.get(reverse("accounts:tokens")).text
    assert c.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert c.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_pages_need_a_login(db):
    assert Client().get(reverse("accounts:tokens")).status_code == 302


# The API -------------------------------------------------------------------------------------


def test_api_lists_creates_and_revokes_own_tokens(world, cast):
    raw = token_issue(actor=None, user=cast.base_officer, name="chính", days=30)
    c = bearer(raw)
    r = c.get("/api/v1/me/tokens")
    assert r.status_code == 200
    assert [t["name"] for t in r.json()] == ["chính"] and r.json()[0]["expired"] is False
    r = c.post("/api/v1/me/tokens", {"name": "phụ", "days": 300}, content_type="application/json")
    assert r.status_code == 201
    created = r.json()
    assert created["secret"].startswith("chibo_") and created["token"]["name"] == "phụ"
    # A token made with a token lasts no longer than it.
    main = ApiToken.objects.get(name="chính")
    assert ApiToken.objects.get(name="phụ").expires_at == main.expires_at
    assert bearer(created["secret"]).get("/api/v1/me/tokens").status_code == 200
    r = c.post("/api/v1/me/tokens", {"name": ""}, content_type="application/json")
    assert r.status_code == 422
    r = c.delete(f"/api/v1/me/tokens/{created['token']['id']}")
    assert r.status_code == 204
    assert bearer(created["secret"]).get("/api/v1/me/tokens").status_code == 401


def test_api_outsider_gets_404_on_anothers_token(world, cast):
    token_issue(actor=None, user=cast.base_officer, name="của văn phòng")
    theirs = ApiToken.objects.get()
    mine = token_issue(actor=None, user=cast.outsider, name="của tôi")
    c = bearer(mine)
    assert [t["name"] for t in c.get("/api/v1/me/tokens").json()] == ["của tôi"]
    assert c.delete(f"/api/v1/me/tokens/{theirs.pk}").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert Client().get("/api/v1/me/tokens").status_code == 401
    assert c.put("/api/v1/me/tokens").status_code == 405


def test_api_session_created_token_gets_the_asked_term(world, cast, client_for, settings):
    c = client_for(cast.member)
    r = c.post("/api/v1/me/tokens", {"name": "điện thoại"}, content_type="application/json")
    assert r.status_code == 201
    token = ApiToken.objects.get(user=cast.member)
    assert token.expires_at > timezone.now() + dt.timedelta(days=settings.CHIBO_TOKEN_DAYS - 1)
