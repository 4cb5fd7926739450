"""What every API module shares: the error shapes, pagination and small schema helpers
(authentication is chibo.accounts.authentication). The endpoints themselves live in each
app's `api.py`."""

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from chibo.core.versions import is_stale


class Utf8JSONRenderer(JSONRenderer):
    # Vietnamese names as text, not \u escapes: readable with curl, and a third shorter.
    json_dumps_params = {"ensure_ascii": False}


# Errors --------------------------------------------------------------------------------------


def _error(loc: list[str], msg: str, type_: str = "invalid") -> dict[str, Any]:
    return {"type": type_, "loc": loc, "msg": msg}


def _pydantic_message(error: Mapping[str, Any]) -> str:
    """pydantic's English message, replaced by a translated one for the usual cases (with
    Django's own wording where it has one, so the API speaks like the forms)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if error.get("input", "") is None:
        return _("This field cannot be null.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date.")
    if kind.startswith("int"):
        return _("Enter a whole number.")
    if kind in ("enum", "literal_error"):
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {
            "value": error.get("input", "")
        }
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge")
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le")
        }
    if kind == "extra_forbidden":
        return _("This field is not accepted here.")
    if kind in ("string_type", "bool_type", "bool_parsing", "dict_type", "model_attributes_type"):
        return _("Enter a valid value.")
    return error["msg"]


class ChiboAPI(NinjaAPI):
    """NinjaAPI whose schema errors look like the service errors (see below)."""

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> NinjaValidationError:
        """ninja's 422, with translated messages and body locations without the parameter
        name (["body", "name"], not ["body", "payload", "name"]), like service errors."""
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            source = model.__ninja_param_source__
            for e in context.pydantic_validation_error.errors(include_url=False):
                loc = model.__ninja_flatten_map_reverse__.get(e["loc"], e["loc"])
                if source == "body":
                    loc = loc[1:]
                errors.append(_error([source, *map(str, loc)], _pydantic_message(e), e["type"]))
        return NinjaValidationError(errors)


def install_error_handlers(api: NinjaAPI) -> None:
    # `exc: Any`: ninja types a handler's argument as "the exception or its class".
    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = _("You may read this but not change it.")
        return api.create_response(request, {"detail": detail}, status=403)

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = exc.message
        if detail == "Unauthorized":  # ninja's default, untranslated
            detail = _("Log in, or send an API token in the Authorization header.")
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="chibo"'
        return response

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        if is_stale(exc):
            # Made from an old version: a conflict, not bad input (core.versions).
            detail = " ".join(exc.messages)
            return api.create_response(request, {"detail": detail}, status=409)
        return api.create_response(request, {"detail": service_errors(exc)}, status=422)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status_code == 400 and exc.__cause__ is not None:
            # ninja's only 400: a body that is not JSON (or not UTF-8). Still bad input: 422.
            error = _error(["body"], _("The request body is not valid JSON."), "json_invalid")
            return api.create_response(request, {"detail": [error]}, status=422)
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(DjangoValidationError, invalid)
    api.add_exception_handler(HttpError, http_error)


def service_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """A service's ValidationError in ninja's shape: one item per message, located at the
    body field it names, or at ["body", "__all__"] when it is about the whole request."""
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: [exc]}
    out = []
    for field, errors in by_field.items():
        for error in errors:
            for message in error.messages:
                out.append(_error(["body", field], message, error.code or "invalid"))
    return out


@contextmanager
def fields_as(**names: str) -> Iterator[None]:
    """Services name fields after the model (`date`, `start`); an endpoint whose input calls
    them differently (`admitted_on`, `placed_since`) renames them for the client."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(k, k): v for k, v in exc.error_dict.items()}
        ) from None


# Schemas and pagination ----------------------------------------------------------------------


class _NoNulls(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def no_null_characters(cls, value: Any) -> Any:
        # PostgreSQL refuses NUL in text: without this, a stray \x00 would be a 500.
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("null_characters", _("Null characters are not allowed."))
        return value


class InSchema(_NoNulls):
    """Input: unknown fields are an error, so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Filters(_NoNulls):
    """Query parameters of a list."""


def unset() -> Any:
    """Default for a PATCH field: absent means "leave as is". Typed as the field's own type
    so that an explicit null is rejected unless the field is declared `| None`."""
    return Field(default=None)


def patch_data(payload: Schema) -> dict[str, Any]:
    """Only the fields the client sent."""
    return payload.model_dump(exclude_unset=True)


PAGE_MAX = 500


class Page(LimitOffsetPagination):
    """?limit=&offset=; answers {"items": [...], "count": total}."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=PAGE_MAX)
        offset: int = Field(0, ge=0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=PAGE_MAX, **kwargs)


def today() -> dt.date:
    return timezone.localdate()


class UnitRef(Schema):
    id: int
    code: str
    name: str


class Conflict(Schema):
    """409: the change names a version of the record that someone else has changed since."""

    detail: str


def versioned_patch(payload: Schema) -> tuple[dict[str, Any], int | None]:
    """The fields a PATCH sent, and the version it names (None: no check, see docs/api.md)."""
    data = patch_data(payload)
    return data, data.pop("version", None)


def version_field() -> Any:
    """The optional `version` of a PATCH body (core.versions)."""
    return Field(
        None,
        description="The version read (GET); if someone changed the record since, 409 and "
        "nothing is written. Without it the change is applied to the record as it is now.",
    )
