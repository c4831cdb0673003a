"""The AsyncAPI 3 document of the live room, generated from `app.live.protocol`: the models
that parse and send the messages are the ones described, so the document cannot drift."""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from app.core.schema_examples import example
from app.live import protocol
from app.live.protocol import CloseCode

SCHEMAS = "#/components/schemas/{model}"
CHANNEL = "liveRoom"

# 1007 is the WebSocket layer's (RFC 6455), sent before the app reads the frame.
INVALID_TEXT = 1007
CLOSE_CODES: dict[int, str] = {
    INVALID_TEXT: "a text frame that is not UTF-8: do not send it again",
    CloseCode.POLICY_VIOLATION: "policy violation: Origin not allowed",
    CloseCode.FRAME_TOO_BIG: "frame larger than the limit (64 KiB by default)",
    CloseCode.SERVER_ERROR: "server error",
    CloseCode.RESTARTING: "server restarting: reconnect and resume",
    CloseCode.TICKET: "ticket missing, invalid, expired or reused: get a new one",
    CloseCode.NOT_ALLOWED: "not allowed in this room, or removed: do not reconnect",
    CloseCode.NOT_FOUND: "session not found, cancelled, ended, or room not open",
    CloseCode.SLOW_DOWN: "rate limit or slow consumer: reconnect with backoff, resume",
}


# What each group's messages have in common, added to each one's own description.
HOW = {
    "sendCommand": (
        "Sent by a client with an `id` of its choice. Answered to the sender with `ack` `{id}` "
        "once applied, or `error` `{id, code, message}` when refused (`message` in the "
        "connection's language: `?lang=` or the upgrade's `Accept-Language`)."
    ),
    "receiveRoomEvent": (
        "Broadcast to every member of the room, carrying the room's `seq` and `epoch`; "
        "replayed to a client that resumes with `last_seq` and `epoch`."
    ),
    "receiveDirectEvent": "Sent to one connection only, never replayed.",
}


# What each command does (its model's docstring says who may send it).
COMMAND_SUMMARIES = {
    "chat.send": "Send a chat message to the room",
    "chat.delete": "Delete a chat message",
    "poll.start": "Start a poll",
    "poll.vote": "Vote in the running poll",
    "poll.close": "Close the running poll",
    "breakout.start": "Split the learners present into breakout groups",
    "breakout.end": "End the breakout groups",
    "member.mute": "Mute a learner's chat for some minutes",
    "member.remove": "Remove a learner from the room for good",
    "hand.raise": "Raise your hand",
    "hand.lower": "Lower a raised hand",
    "reaction.send": "Send a reaction (an emoji)",
    "session.end": "End the session for everyone",
    "activity.start": "Start an activity of the session's plan",
    "activity.end": "End the running activity",
    "quiz.answer": "Answer a question of the running quiz",
    "wordcloud.submit": "Add words to the running word cloud",
    "glossary.add": "Add a term and its translations to the exchange's glossary",
    "ping": "Check the connection is alive",
}


def _doc(model: type[BaseModel]) -> str:
    return inspect.cleandoc(model.__dict__.get("__doc__") or "")  # its own, never BaseModel's


def _summary(model: type[BaseModel]) -> str:
    """A command's summary says what it does; an event's is its docstring's first sentence."""
    name = protocol.message_type(model)
    first = _doc(model).split("\n\n", 1)[0].replace("\n", " ")
    for stop in (". ", ": ", "; "):
        first = first.split(stop, 1)[0]
    sentence = first.rstrip(".") + "."
    return COMMAND_SUMMARIES.get(name) or sentence


def _message(
    model: type[BaseModel], operation: str, payload: dict[str, Any], schemas: dict[str, Any]
) -> dict[str, Any]:
    """One message: its summary and description from the model's docstring, its example
    from its schema (the model's own examples first)."""
    name = protocol.message_type(model)
    return {
        "name": name,
        "title": name,
        "summary": _summary(model),
        "description": f"{_doc(model)}\n\n{HOW[operation]}".strip(),
        "contentType": "application/json",
        "payload": payload,
        "examples": [
            {"name": name, "summary": f"A {name} message", "payload": example(payload, schemas)}
        ],
    }


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
    schemas: dict[str, Any] = definitions.get("$defs", {})
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for operation, action, summary, models, mode in groups:
        names = []
        for model in models:
            name = protocol.message_type(model)
            names.append(name)
            messages[name] = _message(model, operation, refs[(model, mode)], schemas)
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
                                "lang": {
                                    "type": "string",
                                    "description": (
                                        "The language of `error` messages: en, fr, it, de, "
                                        "es or fi (else the Accept-Language header, else en)"
                                    ),
                                },
                            },
                        },
                        "bindingVersion": "0.1.0",
                    }
                },
                "x-close-codes": {str(int(c)): t for c, t in CLOSE_CODES.items()},
            }
        },
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
