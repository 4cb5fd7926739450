"""The client's address and scheme behind a reverse proxy (chibo.core.proxy): believed from
the proxies of CHIBO_TRUSTED_PROXIES only."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from chibo.accounts.views import client_address
from chibo.core.proxy import TrustedProxyMiddleware

PROXIES = ["10.0.0.0/24", "::1/128"]


def seen(remote: str, **headers: str) -> dict:
    """What the view behind the middleware sees: its address, as accounts reads it."""
    request = RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)
    out: dict = {}

    def view(req):
        out["address"] = client_address(req)
        out["secure"] = req.is_secure()
        out["meta"] = dict(req.META)
        return HttpResponse()

    with override_settings(CHIBO_TRUSTED_PROXIES=PROXIES):
        TrustedProxyMiddleware(view)(request)
    return out


def test_it_runs_first():
    assert settings.MIDDLEWARE[0] == "chibo.core.proxy.TrustedProxyMiddleware"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored():
    out = seen("203.0.113.7", x_forwarded_for="198.51.100.1", x_forwarded_proto="https")
    assert out["address"] == "203.0.113.7"
    assert out["secure"] is False
    # Removed, so that nothing further down reads them.
    assert "HTTP_X_FORWARDED_FOR" not in out["meta"]
    assert "HTTP_X_FORWARDED_PROTO" not in out["meta"]


def test_a_trusted_proxys_header_is_honoured():
    out = seen("10.0.0.5", x_forwarded_for="198.51.100.1", x_forwarded_proto="https")
    assert out["address"] == "198.51.100.1"
    assert out["secure"] is True
    assert out["meta"]["CHIBO_PROXY_ADDR"] == "10.0.0.5"


def test_what_the_client_wrote_left_of_the_proxy_proves_nothing():
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
    out = seen("10.0.0.5", x_forwarded_for="1.2.3.4, 198.51.100.1")
    assert out["address"] == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop():
    out = seen("::1", x_forwarded_for="1.2.3.4, 198.51.100.1, 10.0.0.9")
    assert out["address"] == "198.51.100.1"


def test_garbage_in_the_header_stops_at_the_proxy():
    assert seen("10.0.0.5", x_forwarded_for="not-an-address")["address"] == "10.0.0.5"
    assert seen("10.0.0.5", x_forwarded_for="")["address"] == "10.0.0.5"


def test_an_ipv4_client_through_an_ipv6_socket():
    assert seen("::ffff:10.0.0.5", x_forwarded_for="198.51.100.1")["address"] == "198.51.100.1"


def test_no_trusted_proxy_at_all():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", headers={"x-forwarded-for": "1.2.3.4"}
    )
    with override_settings(CHIBO_TRUSTED_PROXIES=[]):
        TrustedProxyMiddleware(lambda req: HttpResponse())(request)
    assert client_address(request) == "127.0.0.1"


@pytest.mark.django_db
@override_settings(CHIBO_TRUSTED_PROXIES=PROXIES, SECURE_SSL_REDIRECT=True)
def test_the_ssl_redirect_believes_only_a_trusted_proxy():
    """Behind the proxy a request that came in over HTTPS is served; plain HTTP, or a
    client claiming HTTPS on its own, is sent to HTTPS."""
    login = "/accounts/login/"
    via_proxy = Client(REMOTE_ADDR="10.0.0.5")
    assert via_proxy.get(login, headers={"x-forwarded-proto": "https"}).status_code == 200
    assert via_proxy.get(login, headers={"x-forwarded-proto": "http"}).status_code == 301
    direct = Client(REMOTE_ADDR="203.0.113.7")
    response = direct.get(login, headers={"x-forwarded-proto": "https"})
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
