"""The checks each fuzzed answer passes: schemathesis's, and the contract's own.

Schemathesis's `positive_data_acceptance` is replaced by `content_rule_only`: the JSON Schema
cannot say every rule (a country must be an ISO 3166 code, a time zone an IANA name, ...), so a
schema-valid request may be refused with 422, but only for such a content rule: never for a
missing field or a wrong type, and never with a 5xx. docs/testing.md lists the content rules.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.routers.responses import declared_codes

SCHEMATHESIS_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# What the schema itself says: a schema-valid request never breaks one of these.
SCHEMA_TYPES = frozenset(
    {
        "missing",
        "extra_forbidden",
        "json_invalid",
        "body_invalid",
        "model_type",
        "model_attributes_type",
        "dict_type",
        "list_type",
        "string_type",
        "int_type",
        "int_parsing",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "uuid_type",
        "uuid_parsing",
        "literal_error",
        "enum",
        "string_too_short",
        "string_too_long",
        "too_short",
        "too_long",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "unknown_parameter",
    }
)
ANONYMOUS = "anonymous"
BAD_TOKEN = "bad_token"
AUTH_PROBES = {ANONYMOUS: {}, BAD_TOKEN: {"Authorization": "Bearer not-a-token"}}

AnyCase = Case[Any]
Send = Callable[[AnyCase, str], httpx.Response]


class ContractFailure(AssertionError):
    pass


def _request(case: AnyCase, role: str, response: httpx.Response) -> str:
    return (
        f"{case.method} {response.request.url} as {role}: {response.status_code} "
        f"{response.text[:400]}\n  body sent: {str(case.body)[:300]}"
    )


def _empty_form_field(case: AnyCase, detail: dict[str, Any]) -> bool:
    """A form field sent empty is a missing one (HTML forms: FastAPI reads `username=` as
    absent), though the schema's `string` allows ""."""
    if detail.get("type") != "missing" or not isinstance(case.body, dict):
        return False
    name = str(detail.get("field", "")).removeprefix("body.")
    return case.media_type == "application/x-www-form-urlencoded" and case.body.get(name) == ""


class ContractChecks:
    def __init__(self, document: dict[str, Any], send: Send) -> None:
        self.declared = declared_codes(document)
        self.send = send
        self.auth_probed: set[str] = set()
        self.lock = threading.Lock()

    def check(self, case: AnyCase, role: str, response: httpx.Response) -> None:
        try:
            case.validate_response(response, checks=SCHEMATHESIS_CHECKS)
        except Exception as exc:
            raise ContractFailure(f"{exc}\n  {_request(case, role, response)}") from None
        if response.status_code >= 400:
            self.error_shape(case, role, response)
        if case.meta is not None and case.meta.generation.mode is GenerationMode.POSITIVE:
            self.content_rule_only(case, role, response)
        if response.is_success:
            self.auth_required(case)

    def error_shape(self, case: AnyCase, role: str, response: httpx.Response) -> None:
        body = response.json()
        error = body.get("error") if isinstance(body, dict) else None
        if set(body) != {"error"} or not isinstance(error, dict):
            raise ContractFailure(f"not the error shape: {_request(case, role, response)}")
        if set(error) != {"code", "message", "details"} or not error["message"]:
            raise ContractFailure(f"not the error shape: {_request(case, role, response)}")
        codes = self.declared[(case.method.lower(), case.operation.path)].get(
            response.status_code, set()
        )
        if error["code"] not in codes:
            raise ContractFailure(f"undeclared code: {_request(case, role, response)}")

    def content_rule_only(self, case: AnyCase, role: str, response: httpx.Response) -> None:
        if response.status_code >= 500:
            raise ContractFailure(f"valid request, server error: {_request(case, role, response)}")
        if response.status_code != 422:
            return
        details = response.json()["error"]["details"] or []
        broken = {
            str(d.get("type"))
            for d in details
            if isinstance(d, dict) and not _empty_form_field(case, d)
        } & SCHEMA_TYPES
        if broken:
            raise ContractFailure(
                f"schema-valid request refused for {sorted(broken)}: "
                f"{_request(case, role, response)}"
            )

    def auth_required(self, case: AnyCase) -> None:
        """Once per operation behind a login: the same request without a token, and with a
        bad one, is 401 (schemathesis's `ignored_auth`, through our client)."""
        if not case.operation.definition.raw.get("security"):
            return
        with self.lock:
            if case.operation.label in self.auth_probed:
                return
            self.auth_probed.add(case.operation.label)
        for probe in AUTH_PROBES:
            answer = self.send(case, probe)
            if answer.status_code != 401:
                raise ContractFailure(f"auth ignored: {_request(case, probe, answer)}")
