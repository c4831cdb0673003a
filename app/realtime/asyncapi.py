"""The AsyncAPI 3 document of the live room, generated from `app.live.protocol`: the models
that parse and send the messages are the ones described, so the document cannot drift."""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from app.live import protocol
from app.live.protocol import CloseCode

SCHEMAS = "#/components/schemas/{model}"
CHANNEL = "liveRoom"

CLOSE_CODES = {
    CloseCode.POLICY_VIOLATION: "policy violation: Origin not allowed",
    CloseCode.FRAME_TOO_BIG: "frame larger than the limit (64 KiB by default)",
    CloseCode.SERVER_ERROR: "server error",
    CloseCode.RESTARTING: "server restarting: reconnect and resume",
    CloseCode.TICKET: "ticket missing, invalid, expired or reused: get a new one",
    CloseCode.NOT_ALLOWED: "not allowed in this room, or removed: do not reconnect",
    CloseCode.NOT_FOUND: "session not found, cancelled, ended, or room not open",
    CloseCode.SLOW_DOWN: "rate limit or slow consumer: reconnect with backoff, resume",
}


def _summary(model: type[BaseModel]) -> str:
    doc = inspect.cleandoc(model.__dict__.get("__doc__") or "")  # its own, never BaseModel's
    return doc.split("\n\n", 1)[0].replace("\n", " ")


def build_document() -> dict[str, Any]:
    groups: list[tuple[str, str, str, tuple[type[BaseModel], ...], JsonSchemaMode]] = [
        (
            "sendCommand",
            "receive",
            "Commands a client sends",
            protocol.COMMAND_MODELS,
            "validation",
        ),
        (
            "receiveRoomEvent",
            "send",
            "Room events, broadcast to every member, numbered by `seq`",
            protocol.ROOM_EVENT_MODELS,
            "serialization",
        ),
        (
            "receiveDirectEvent",
            "send",
            "Frames for one connection: welcome, ack, error, pong",
            protocol.DIRECT_EVENT_MODELS,
            "serialization",
        ),
    ]
    refs, definitions = models_json_schema(
        [(model, mode) for *_, models, mode in groups for model in models],
        ref_template=SCHEMAS,
    )
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for operation, action, summary, models, mode in groups:
        names = []
        for model in models:
            name = protocol.message_type(model)
            names.append(name)
            messages[name] = {
                "name": name,
                "title": name,
                "summary": _summary(model) or name,
                "contentType": "application/json",
                "payload": refs[(model, mode)],
            }
        operations[operation] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{CHANNEL}"},
            "summary": summary,
            "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{n}"} for n in names],
        }
    codes = "\n".join(f"- `{int(code)}`: {text}" for code, text in CLOSE_CODES.items())
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Passerelle live rooms",
            "version": "1.0.0",
            "description": (
                "One room per session. Text frames, one JSON object each. Every room event "
                "carries `seq` (+1 per event) within the room's `epoch`; reconnect with "
                "`last_seq` and `epoch` to receive what you missed (`recovered: true`) or a "
                "fresh state (`recovered: false`). Commands carry an `id`: a repeated id is "
                f"acknowledged again and applied once.\n\nClose codes:\n{codes}"
            ),
        },
        "defaultContentType": "application/json",
        "channels": {
            CHANNEL: {
                "address": "/ws/sessions/{session_id}",
                "title": "A session's live room",
                "parameters": {"session_id": {"description": "The session's id (a UUID)."}},
                "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in messages},
                "bindings": {
                    "ws": {
                        "method": "GET",
                        "query": {
                            "type": "object",
                            "required": ["ticket"],
                            "properties": {
                                "ticket": {
                                    "type": "string",
                                    "description": "From POST /api/v1/sessions/{id}/tickets",
                                },
                                "last_seq": {"type": "integer", "minimum": 0},
                                "epoch": {"type": "string"},
                            },
                        },
                        "bindingVersion": "0.1.0",
                    }
                },
                "x-close-codes": {str(int(c)): t for c, t in CLOSE_CODES.items()},
            }
        },
        "operations": operations,
        "components": {"messages": messages, "schemas": definitions.get("$defs", {})},
    }
