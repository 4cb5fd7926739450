"""What the apps above members add to a member's page: a link to each app's own page about
the member (the evaluation history, ...). An app registers its links in its own `units.py`,
beside its unit page links (chibo.org.hooks); the members app knows none of them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise

from chibo.core.registry import Registry

from .models import Member


@dataclass(frozen=True)
class MemberLink:
    """A link from the member page: `url(member)` (None: not for this member) and, when
    given, whether this reader may follow it (`allowed(request, member)`)."""

    label: str | Promise
    url: Callable[[Member], str | None]
    order: int = 100
    allowed: Callable[[HttpRequest, Member], bool] | None = None


LINKS: Registry[MemberLink] = Registry("member page links", discover="units")


def links(request: HttpRequest, member: Member) -> list[tuple[str | Promise, str]]:
    """(label, url) of the links that apply to this member and reader."""
    out = []
    for link in LINKS.sorted(key=lambda k: k.order):
        url = link.url(member)
        if url is None or (link.allowed is not None and not link.allowed(request, member)):
            continue
        out.append((link.label, url))
    return out
