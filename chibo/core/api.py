"""What every API module shares: the error shapes, pagination and small schema helpers
(authentication is chibo.accounts.authentication). The endpoints themselves live in each
app's `api.py`."""

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.client import responses as http_responses
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer
from ninja.schema import NinjaGenerateJsonSchema
from ninja.types import DictStrAny
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from chibo.core import formats
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
    if kind == "date_out_of_range":
        return error["msg"]  # already translated, with the range
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
    """NinjaAPI whose schema errors look like the service errors (see below), and whose
    OpenAPI schema documents the error answers too."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Described(self, path_prefix)

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


class Error(Schema):
    """401, 403, 404, 409: one message for a person."""

    detail: str


class Problem(Schema):
    type: str = Field(description='What kind of problem: "missing", "invalid", ...')
    loc: list[str] = Field(description='Where: ["body", field], ["query", parameter], ...')
    msg: str = Field(description="The reason, for a person (Accept-Language).")


class Invalid(Schema):
    """422: every problem found in the input."""

    detail: list[Problem]


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def error_responses(
    *, methods: Any, takes_input: bool, authenticated: bool, versioned: bool
) -> dict:
    """The error answers an operation can give, by the rules of docs/api.md: 401 without a
    login or token, 403 for what the account may not do (reads too: a member asking for an
    office's list), 404 for an id that does not exist or is out of scope (in the path, a
    query parameter such as `unit`, or the body: `parent`, `member`), 409 for a stale
    `version`, 422 for bad input (a query parameter included)."""
    out: dict[int, type[Schema]] = {403: Error, 422: Invalid}
    if authenticated:
        out[401] = Error
    if takes_input:
        out[404] = Error
    if versioned and WRITES & set(methods):
        out[409] = Error
    return out


def _input_fields(operation: Operation) -> set[str]:
    """The names of the JSON body's fields and of the query parameters given as a schema
    (ninja wraps each in a model of its own, one field per parameter): a DELETE carries its
    `version` in the query."""
    names: set[str] = set()
    for model in operation.models:
        if model.__ninja_param_source__ not in ("body", "query"):
            continue
        for name, field in model.model_fields.items():
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
                names |= set(field.annotation.model_fields)
            else:  # a parameter of its own (`version: int`)
                names.add(name)
    return names


class _Described(OpenAPISchema):
    """ninja's OpenAPI schema, with every operation's error answers (error_responses). They
    are added to the description only: the views return their success, and the errors are
    made by the handlers below, so ninja's per-operation `response=` stays as it is (an
    operation with a single status answers it without saying so)."""

    def responses(self, operation: Operation) -> dict[int, DictStrAny]:
        result = super().responses(operation)
        errors = error_responses(
            methods=operation.methods,
            takes_input=bool(operation.models),
            authenticated=bool(operation.auth_callbacks),
            versioned="version" in _input_fields(operation),
        )
        media = self.api.renderer.media_type
        for status, model in errors.items():
            if status not in result:
                result[status] = {
                    "description": http_responses[status],
                    "content": {media: {"schema": self._ref(model)}},
                }
            elif status == 422 and "content" in result[status]:
                # An operation's own 422 (a statement's bad rows) or a bad parameter.
                content = result[status]["content"][media]
                content["schema"] = {"anyOf": [content["schema"], self._ref(model)]}
        return dict(sorted(result.items()))

    def _ref(self, model: type[Schema]) -> DictStrAny:
        schema = model.model_json_schema(
            ref_template=REF_TEMPLATE,
            schema_generator=NinjaGenerateJsonSchema,
            mode="serialization",
        )
        self.add_schema_definitions({**schema.pop("$defs", {}), model.__name__: schema})
        return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


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


# Dates, years and schemas ----------------------------------------------------------------------


def _in_calendar(value: dt.date) -> dt.date:
    try:
        return formats.check_day(value)
    except formats.ParseError as e:
        raise PydanticCustomError("date_out_of_range", str(e)) from None


# A date or a year the API accepts: FIRST_DAY..LAST_DAY (1900-2100). Every date of an input
# schema (InSchema, Filters) is checked the same way by _NoNulls below; a date or year taken
# as a parameter of the view function is typed with these.
Day = Annotated[dt.date, AfterValidator(_in_calendar)]
Year = Annotated[int, Field(ge=formats.FIRST_YEAR, le=formats.LAST_YEAR)]


def _check_value(value: Any) -> None:
    # PostgreSQL refuses NUL in text: without this, a stray \x00 would be a 500.
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("null_characters", _("Null characters are not allowed."))
    if isinstance(value, dt.date):
        _in_calendar(value)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _check_value(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(key)
            _check_value(item)


class _NoNulls(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def no_null_characters(cls, value: Any) -> Any:
        """No NUL in text, no date outside 1900-2100 (date arithmetic near year 9999
        overflows), at any depth of a field's value."""
        _check_value(value)
        return value


class InSchema(_NoNulls):
    """Input: unknown fields are an error, so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Filters(_NoNulls):
    """Query parameters of a list."""


class SchemaName:
    """`Annotated[Kind, SchemaName("UnitKind")]`: the OpenAPI component of a type under
    another name. ninja names a component after the class alone, so two apps' `Kind`
    (a unit's, a meeting's) would share one entry and one of them would be documented with
    the other's values. For our own schemas the class is simply named uniquely; this is for
    the models' choices, whose names are fine inside their app.
    (chibo/site/tests/test_api_schema.py holds every component name to one type.)"""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        if schema.get("type") == "definition-ref":
            schema = handler.resolve_ref_schema(schema)
        # pydantic names a definition after the last dotted part of its ref (before ":").
        return {**schema, "ref": f"chibo.api.{self.name}:{id(source)}"}  # type: ignore[return-value]

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        handler.resolve_ref_schema(json_schema)["title"] = self.name
        return json_schema


def unset() -> Any:
    """Default for a PATCH field: absent means "leave as is". Typed as the field's own type
    so that an explicit null is rejected unless the field is declared `| None`."""
    return Field(default=None)


def patch_data(payload: Schema) -> dict[str, Any]:
    """Only the fields the client sent."""
    return payload.model_dump(exclude_unset=True)


PAGE_MAX = 500
# Far beyond any list (a country has a few million members), far below the databases' 2^63:
# a larger offset is refused (422), not sent to SQL where it overflows (500).
OFFSET_MAX = 1_000_000_000


class Page(LimitOffsetPagination):
    """?limit=&offset=; answers {"items": [...], "count": total}."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=PAGE_MAX)
        offset: int = Field(0, ge=0, le=OFFSET_MAX)

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
