"""The caller's own API tokens: /api/v1/me/tokens (list, create, revoke)."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from chibo.core.api import InSchema

from . import services
from .authentication import user_of
from .models import ApiToken

me = Router(tags=["me"])


class TokenOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None = Field(
        description="Noted at most every five minutes, so up to five minutes behind."
    )
    expires_at: dt.datetime
    expired: bool

    @staticmethod
    def resolve_expired(obj: ApiToken) -> bool:
        return obj.is_expired


class TokenIn(InSchema):
    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(
        None,
        ge=1,
        description="How long the token lasts; CHIBO_TOKEN_DAYS (90) by default, at most "
        "CHIBO_TOKEN_MAX_DAYS (365). A token made with a token lasts no longer than it.",
    )


class TokenCreated(Schema):
    token: TokenOut
    secret: str = Field(description="The token itself (Bearer ...): shown only in this answer.")


@me.get("/tokens", response=list[TokenOut])
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    """The caller's own tokens, newest first (a person has few: not paginated)."""
    return services.tokens_of(user_of(request))


@me.post("/tokens", response={201: TokenCreated})
def token_create(request: HttpRequest, payload: TokenIn) -> tuple[int, dict]:
    user = user_of(request)
    caller = getattr(request, "api_token", None)
    raw = services.token_issue(
        actor=user,
        user=user,
        name=payload.name,
        days=payload.days or settings.CHIBO_TOKEN_DAYS,
        not_after=caller.expires_at if caller is not None else None,
    )
    token = ApiToken.objects.get(digest=ApiToken.hash(raw))
    return 201, {"token": token, "secret": raw}


@me.delete("/tokens/{token_id}", response={204: None})
def token_revoke(request: HttpRequest, token_id: int) -> tuple[int, None]:
    """Only the caller's own tokens: another person's is 404, as if it did not exist."""
    token = get_object_or_404(
        services.tokens_of(user_of(request)).select_related("user"), pk=token_id
    )
    services.token_revoke(actor=user_of(request), token=token)
    return 204, None
