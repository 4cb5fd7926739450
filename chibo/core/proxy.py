"""Who the client is, behind a reverse proxy.

Behind nginx every request comes from nginx's address: the login throttle, the audit trail and
the logs would see one client. A proxy says who its client was in X-Forwarded-For, and which
scheme it used in X-Forwarded-Proto; anyone can send those headers too. So they are believed
only from the peers listed in CHIBO_TRUSTED_PROXIES (addresses or networks), and removed from
every other request before anything reads them: REMOTE_ADDR becomes the client's address, and
Django's SECURE_PROXY_SSL_HEADER (X-Forwarded-Proto) is safe to use.
"""

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_REAL_IP")


@lru_cache(maxsize=8)
def networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry) for entry in entries)


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:192.0.2.1) is that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted(address: str, trusted: Iterable[Network]) -> bool:
    parsed = parse_address(address)
    return parsed is not None and any(parsed in network for network in trusted)


def client_address(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client's address: the rightmost X-Forwarded-For entry that no trusted proxy added.

    Each proxy appends the address it saw to the right; what stands left of the first
    untrusted hop was written by the client and proves nothing."""
    client = peer
    hops = [hop for hop in (h.strip() for h in forwarded_for.split(",")) if hop]
    while hops and is_trusted(client, trusted):
        hop = parse_address(hops.pop())
        if hop is None:  # garbage where a proxy writes an address: stop at the proxy
            break
        client = str(hop)
    return client


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = networks(tuple(settings.CHIBO_TRUSTED_PROXIES))
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if peer and is_trusted(peer, trusted):
            forwarded_for = meta.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded_for:
                meta["CHIBO_PROXY_ADDR"] = peer
                meta["REMOTE_ADDR"] = client_address(peer, forwarded_for, trusted)
        else:
            for header in FORWARDING_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
