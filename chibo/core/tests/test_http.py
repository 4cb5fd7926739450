from django.test import RequestFactory

from chibo.core.http import client_address


def test_the_client_address_is_the_connections():
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")) == "198.51.100.7"
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="")) is None
