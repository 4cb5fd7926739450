"""The published OpenAPI schema describes the API truthfully (issue 14, item 8): one
component per name, and every operation's error answers documented."""

import enum
import json
import typing
from collections import defaultdict

import pydantic
import pytest
from ninja.openapi import schema as ninja_schema

from chibo.site.api import api


@pytest.fixture
def definitions(monkeypatch) -> dict[str, set[str]]:
    """Every definition ninja files under each component name while it builds the schema.
    ninja keeps the last one it is given, so the published JSON alone cannot show a clash."""
    seen: dict[str, set[str]] = defaultdict(set)
    add = ninja_schema.OpenAPISchema.add_schema_definitions

    def recording(self, found: dict) -> None:
        for name, definition in found.items():
            seen[name].add(json.dumps(definition, sort_keys=True))
        add(self, found)

    monkeypatch.setattr(ninja_schema.OpenAPISchema, "add_schema_definitions", recording)
    api.get_openapi_schema()
    return seen


def test_no_component_name_stands_for_two_schemas(definitions):
    clashes = {name: len(found) for name, found in definitions.items() if len(found) > 1}
    assert clashes == {}


def _types(annotation, into: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation not in into:
            into.add(annotation)
            for field in annotation.model_fields.values():
                _types(field.annotation, into)
    elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        into.add(annotation)
    for arg in typing.get_args(annotation):
        _types(arg, into)


def test_no_two_of_our_schema_classes_share_a_name():
    """Also when they happen to have the same fields today (they would part tomorrow)."""
    reached: set[type] = set()
    for router in api._get_bound_routers():
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _types(model, reached)
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in reached:
        # Enums are the models' choices, renamed where they meet (SchemaName); the first
        # test holds those.
        if cls.__module__.startswith("chibo.") and issubclass(cls, pydantic.BaseModel):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {n: c for n, c in by_name.items() if len(c) > 1} == {}


def test_a_unit_is_created_with_a_unit_kind():
    schema = api.get_openapi_schema()
    body = schema["paths"]["/api/v1/units"]["post"]["requestBody"]["content"]["application/json"]
    unit_in = schema["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[1]]
    kind = unit_in["properties"]["kind"]["$ref"].rsplit("/", 1)[1]
    assert kind == "UnitKind"
    assert "cell" in schema["components"]["schemas"][kind]["enum"]
    assert "regular" in schema["components"]["schemas"]["MeetingKind"]["enum"]


def _operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation, schema


def test_every_operation_documents_its_error_answers():
    missing = []
    for path, method, operation, _schema in _operations():
        expected = {"401", "403", "422"}
        if "{" in path:
            expected.add("404")
        documented = {str(status) for status in operation["responses"]}
        if not expected <= documented:
            missing.append((method, path, sorted(expected - documented)))
    assert missing == []


def test_error_answers_have_their_shape():
    for _path, _method, operation, _schema in _operations():
        responses = {str(k): v for k, v in operation["responses"].items()}
        shape = responses["422"]["content"]["application/json"]["schema"]
        # Invalid, or one of the shapes when the operation has its own 422 (bad rows).
        refs = [s["$ref"] for s in shape.get("anyOf", [shape])]
        assert "#/components/schemas/Invalid" in refs
        assert responses["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    problem = api.get_openapi_schema()["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"type", "loc", "msg"}


def test_a_write_with_a_version_documents_the_conflict():
    conflicts = {(m, p) for p, m, op, _ in _operations() if "409" in map(str, op["responses"])}
    assert ("POST", "/api/v1/meetings/{meeting_id}/move") in conflicts
    assert ("PUT", "/api/v1/meetings/{meeting_id}/quality") in conflicts
    assert ("GET", "/api/v1/meetings/{meeting_id}") not in conflicts
    assert all(method != "GET" for method, _ in conflicts)


def _takes_a_version(operation: dict, schema: dict) -> bool:
    """Read off the published schema itself: a `version` query parameter, or a `version`
    property of the JSON body."""
    if any(p["name"] == "version" for p in operation.get("parameters", [])):
        return True
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is None or "$ref" not in body["schema"]:
        return False
    name = body["schema"]["$ref"].rsplit("/", 1)[1]
    return "version" in schema["components"]["schemas"][name].get("properties", {})


def test_every_write_that_takes_a_version_documents_the_conflict():
    """CI's fuzzer met an undocumented 409 on a DELETE whose version is in the query."""
    undocumented = [
        (method, path)
        for path, method, operation, schema in _operations()
        if method != "GET"
        and _takes_a_version(operation, schema)
        and "409" not in map(str, operation["responses"])
    ]
    assert undocumented == []
    takers = {(m, p) for p, m, op, schema in _operations() if _takes_a_version(op, schema)}
    assert ("DELETE", "/api/v1/meetings/{meeting_id}/guests/{guest_id}") in takers
