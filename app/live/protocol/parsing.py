"""Parsing one text frame into a command: a pure function, no I/O and no permission check
(that is `app.live.apply`'s). A frame that is not a command answers an `error` event."""

from __future__ import annotations

import json

from pydantic import ValidationError

from app.live.protocol.client import COMMAND_TYPES, COMMANDS, ClientCommand
from app.live.protocol.server import Error


def parse_command(text: str | None) -> ClientCommand | Error:
    """The command a frame holds, or the `error` that answers it (with the frame's `id` when
    one could be read)."""
    if text is None:
        return Error(
            id=None, code="invalid_json", message="Send text frames holding one JSON object."
        )
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        return Error(id=None, code="invalid_json", message="The frame is not valid JSON.")
    if not isinstance(raw, dict):
        return Error(id=None, code="invalid_json", message="A command is a JSON object.")
    given_id = raw.get("id")
    command_id = given_id if isinstance(given_id, str) and 0 < len(given_id) <= 64 else None
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in COMMAND_TYPES:
        return Error(
            id=command_id, code="unknown_type", message=f"Unknown command type: {kind!r}."[:200]
        )
    try:
        return COMMANDS.validate_json(text, strict=True)
    except ValidationError as exc:
        return _invalid(command_id, exc)


def _invalid(command_id: str | None, exc: ValidationError) -> Error:
    details = [
        {"field": ".".join(str(p) for p in err["loc"][1:]) or "type", "message": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]
    fields = ", ".join(sorted({d["field"] for d in details}))
    return Error(
        id=command_id, code="invalid_message", message=f"Invalid fields: {fields}.", details=details
    )
