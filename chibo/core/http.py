"""What a request says about where it comes from."""

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, the one place Chibo reads it (the login throttle, the
    password-reset limit). Behind a reverse proxy, the proxy's own address unless the
    deployment rewrites REMOTE_ADDR from a trusted X-Forwarded-For (docs/deploy.md)."""
    return request.META.get("REMOTE_ADDR") or None
