import datetime as dt

from django.db.models import F
from django.urls import reverse

from chibo.accounts.models import LoginFailure
from chibo.testing.factories import PASSWORD


def test_home_for_each_persona(world, cast, client_for):
    r = client_for(cast.base_officer).get(reverse("site:home"))
    assert (
        r.status_code == 200
        and "Đảng bộ xã An Hòa" in r.text
        and "Đảng bộ phường Bắc" not in r.text
    )
    r = client_for(cast.member).get(reverse("site:home"))
    assert "Nguyễn Văn Hùng" in r.text and "Chi bộ thôn Đông" in r.text


def test_vietnamese_by_default_english_by_switch(world, cast, client_for):
    c = client_for(cast.base_officer)
    r = c.get(reverse("site:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="vi">' in r.text
    r = c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert r.status_code == 302
    r = c.get(reverse("site:home"))
    assert '<html lang="en">' in r.text and "Hello" in r.text


def test_login_is_rate_limited(world, cast, client):
    """Wrong passwords slow the next try from the same place (the throttle itself:
    chibo/accounts/tests/test_logins.py); it no longer locks the account for everyone."""
    url = reverse("accounts:login")
    client.cookies["django_language"] = "en"
    for _ in range(3):
        r = client.post(url, {"username": "base", "password": "wrong"})
        assert r.status_code == 200
    # The next try comes too soon, even with the right password.
    r = client.post(url, {"username": "base", "password": PASSWORD})
    assert r.status_code == 429 and "Too many failed attempts" in r.text
    assert "_auth_user_id" not in client.session
    LoginFailure.objects.update(at=F("at") - dt.timedelta(minutes=1))
    r = client.post(url, {"username": "base", "password": PASSWORD})
    assert r.status_code == 302


def test_login_works_and_clears_failures(world, cast, client):
    url = reverse("accounts:login")
    client.post(url, {"username": "base", "password": "wrong"})
    r = client.post(url, {"username": "base", "password": PASSWORD})
    assert r.status_code == 302
    # Kept on record, no longer counted against this address and name.
    assert LoginFailure.objects.get(username="base").cleared


def test_trash_is_scoped(world, cast, client_for):
    from chibo.members.services import member_delete

    member_delete(member=world.other_member, actor=cast.outsider)
    r = client_for(cast.base_officer).get(reverse("site:trash"))
    assert "Lê Đức Anh" not in r.text
    r = client_for(cast.outsider).get(reverse("site:trash"))
    assert "Lê Đức Anh" in r.text
    assert (
        client_for(cast.outsider)
        .get(reverse("site:restore", args=["member", world.other_member.pk]))
        .status_code
        == 405
    )
