"""An example value for a JSON Schema: the OpenAPI's and the AsyncAPI's examples.

A model's own examples win (`model_config = ConfigDict(json_schema_extra={"examples": [...]})`,
or a field's `Field(examples=[...])`); otherwise a plausible value is built from the schema:
its default, constant or first allowed value, its format (uuid, date-time, e-mail, ...), its
bounds, and for a few well-known field names (country, timezone, language) a real value.
A test validates every example against the operation's own pydantic model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]

_UUIDS = (
    "0b6b2f0e-8a53-4c1d-9a7e-3f1c2d4e5a60",
    "5d1e9c7a-2b4f-4e8a-b6c3-7a9f0e1d2c34",
    "9a7f3e21-6c4d-4b5a-8e2f-1d0c9b8a7f65",
)
_FORMATS = {
    "date-time": "2026-03-02T09:00:00Z",
    "date": "2026-03-02",
    "time": "09:00:00",
    "email": "m.rossi@school.example",
    "uri": "https://passerelle.example/api/v1/",
    "duration": "PT1H",
}
# Field names whose values clients recognise better than "string".
_NAMED: Mapping[str, Any] = {
    "country": "FR",
    "timezone": "Europe/Paris",
    "language": "fr",
    "code": "fr",
    "level": "B1",
    "field": "1013",
    "email": "m.rossi@school.example",
    "password": "a long passphrase, 12+",
    "display_name": "Marta Rossi",
    "name": "Hotel and catering 2B",
    "title": "Our towns and their food",
    "city": "Lyon",
    "text": "Bonjour à tous !",
    "reason": "The partner school is closed that day.",
    "rrule": "FREQ=WEEKLY;COUNT=6",
    "start": "09:00",
    "end": "11:00",
    "token_type": "bearer",
    "id": "c-17",
    "epoch": "k3v9q2",
    "ends_at": "2026-03-02T10:30:00Z",
    "term_start": "2026-02-02",
    "term_end": "2026-06-26",
    "starts_on": "2026-04-06",
    "ends_on": "2026-05-01",
    "from": "2026-04-01",
    "to": "2026-06-30",
    "valid_until": "2027-03-01",
    "expires_at": "2026-03-02T09:15:00Z",
}
_MAX_DEPTH = 20
_ALTERNATIVES = re.compile(r"^\^\(([\w|-]+)\)\$$")


def example(schema: Schema, components: Mapping[str, Schema], *, name: str = "") -> Any:
    """A value valid for `schema` (whose `$ref`s point into `components`)."""
    return _example(schema, components, name, 0)


def _example(schema: Schema, components: Mapping[str, Schema], name: str, depth: int) -> Any:
    if "$ref" in schema:
        target = components[str(schema["$ref"]).rsplit("/", 1)[-1]]
        return _example(target, components, name, depth + 1)
    given = _given(schema)
    if given is not None:
        return given[0]
    if "default" in schema and schema["default"] is None and _nullable(schema):
        return None  # an optional field, left out
    if depth > _MAX_DEPTH:
        return None
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            variants = [v for v in schema[combinator] if v.get("type") != "null"]
            if variants:
                return _example(variants[0], components, name, depth + 1)
            return None
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        return _object(schema, components, depth)
    if kind == "array":
        return _array(schema, components, name, depth)
    if kind == "string":
        return _string(schema, name)
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return True
    return None


def _given(schema: Schema) -> tuple[Any] | None:
    """The schema's own example, default, constant or first allowed value."""
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return (examples[0],)
    if "example" in schema:
        return (schema["example"],)
    if "const" in schema:
        return (schema["const"],)
    if schema.get("enum"):
        return (schema["enum"][0],)
    if schema.get("default") not in (None, [], {}):
        return (schema["default"],)
    return None


def _nullable(schema: Schema) -> bool:
    variants = schema.get("anyOf", schema.get("oneOf", []))
    return any(v.get("type") == "null" for v in variants) or "null" in list(schema.get("type", []))


def _object(schema: Schema, components: Mapping[str, Schema], depth: int) -> dict[str, Any]:
    properties: Mapping[str, Schema] = schema.get("properties", {})
    if not properties and schema.get("patternProperties"):  # keys such as `^[a-z]{2}$`
        values = list(schema["patternProperties"].values())
        return {"en": "kitchen", "fr": "cuisine"} if values[0].get("type") == "string" else {}
    if not properties and isinstance(schema.get("additionalProperties"), dict):
        value = _example(schema["additionalProperties"], components, "", depth + 1)
        key = _example(schema.get("propertyNames", {"examples": ["en"]}), components, "", depth)
        return {str(key): value} if value is not None else {}
    answer = {}
    for key, sub in properties.items():
        value = _example(sub, components, key, depth + 1)
        if value is not None or key in schema.get("required", ()):
            answer[key] = value
    return answer


def _array(schema: Schema, components: Mapping[str, Schema], name: str, depth: int) -> list[Any]:
    item = _example(schema.get("items", {}), components, name.rstrip("s"), depth + 1)
    if item is None:
        return []
    return [item] * max(1, int(schema.get("minItems", 1)))


def _string(schema: Schema, name: str) -> str:
    if schema.get("format") in ("date", "date-time") and name in _NAMED:
        return str(_NAMED[name])
    choice = _ALTERNATIVES.match(str(schema.get("pattern", "")))
    if choice:  # `^(start|end)$`
        return choice.group(1).split("|")[0]
    if schema.get("format") == "uuid":
        return _UUIDS[len(name) % len(_UUIDS)]
    if schema.get("format") in _FORMATS:
        return _FORMATS[str(schema["format"])]
    text = str(_NAMED.get(name, name.replace("_", " ") or "text"))
    minimum = int(schema.get("minLength", 0))
    maximum = int(schema.get("maxLength", max(minimum, len(text))))
    return (
        (text * (minimum // max(1, len(text)) + 1))[:maximum]
        if len(text) < minimum
        else text[:maximum]
    )


def _number(schema: Schema, *, integer: bool) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if low is not None and high is not None:
        value: float = (float(low) + float(high)) / 2
    elif low is not None:
        value = float(low) + 1
    elif high is not None:
        value = min(float(high) - 1, 1)
    else:
        value = 1
    return round(value) if integer else round(value, 2)
