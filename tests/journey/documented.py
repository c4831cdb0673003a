"""The journey may use only documented calls: every request the test client makes is recorded
and, at the end, matched against the operations of the app's own `/openapi.json`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from httpx import AsyncClient, Request

_PARAMETER = re.compile(r"\\\{[^}]+\\\}")


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + _PARAMETER.sub("[^/]+", re.escape(template)) + "$")


@dataclass
class Documented:
    """Records `METHOD path` of every request; `undocumented()` lists those no operation of
    the OpenAPI document describes."""

    operations: list[tuple[str, re.Pattern[str]]]
    calls: list[str] = field(default_factory=list)

    @classmethod
    async def watching(cls, http: AsyncClient) -> Documented:
        document: dict[str, Any] = (await http.get("/openapi.json")).json()
        operations = [
            (method.upper(), _pattern(path))
            for path, item in document["paths"].items()
            for method in item
        ]
        recorder = cls(operations)
        http.event_hooks["request"].append(recorder.record)
        return recorder

    async def record(self, request: Request) -> None:
        self.calls.append(f"{request.method} {request.url.path}")

    def undocumented(self) -> list[str]:
        def known(call: str) -> bool:
            method, path = call.split(" ", 1)
            return any(m == method and p.match(path) for m, p in self.operations)

        return sorted({call for call in self.calls if not known(call)})
