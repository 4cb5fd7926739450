"""A forgotten password: the login page leads to Django's reset by e-mail; without an e-mail
address the pages say whom to ask."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from chibo.testing import factories as f


def test_login_page_offers_the_reset_and_says_whom_to_ask(db):
    c = Client()
    r = c.get(reverse("accounts:login"))
    assert reverse("accounts:password_reset") in r.text
    assert "bí thư chi bộ" in r.text  # whom to ask without an e-mail address
    r = c.get(reverse("accounts:password_reset"))
    assert r.status_code == 200 and 'id="password-ask"' in r.text


def test_reset_by_email_sets_a_new_password(db, settings):
    settings.CHIBO_BASE_URL = "https://chibo.example.vn"
    user = f.user(username="hung")
    user.email = "hung@example.vn"
    user.set_password("old-password-1")
    user.save()
    c = Client()
    r = c.post(reverse("accounts:password_reset"), {"email": "HUNG@example.vn"})
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hung@example.vn"]
    assert "Chibo" in message.subject
    assert "hung" in message.body  # the login, to remind it
    link = re.search(r"https://chibo\.example\.vn(/accounts/password/reset/\S+/)", message.body)
    assert link, message.body
    r = c.get(link.group(1), follow=True)  # Django swaps the token for a session marker
    assert r.status_code == 200 and "new_password1" in r.text
    r = c.post(
        r.redirect_chain[-1][0],
        {"new_password1": "Hoa-sen-2026!", "new_password2": "Hoa-sen-2026!"},
    )
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Hoa-sen-2026!") and not user.check_password("old-password-1")
    # The link works once.
    r = c.get(link.group(1), follow=True)
    assert 'id="link-invalid"' in r.text
    assert Client().login(username="hung", password="Hoa-sen-2026!")


def test_reset_for_an_unknown_address_sends_nothing_and_tells_nothing(db):
    f.user(username="nomail")  # an account without an e-mail address
    r = Client().post(reverse("accounts:password_reset"), {"email": "who@example.vn"}, follow=True)
    assert r.status_code == 200
    assert mail.outbox == []
    assert 'id="password-ask"' in r.text  # says whom to ask instead


def test_reset_email_in_the_readers_language(db):
    user = f.user(username="dao")
    user.email = "dao@example.vn"
    user.save()
    c = Client()
    c.cookies["django_language"] = "vi"
    c.post(reverse("accounts:password_reset"), {"email": "dao@example.vn"})
    assert "đặt mật khẩu mới" in mail.outbox[0].subject
    assert "Tên đăng nhập: dao" in mail.outbox[0].body
