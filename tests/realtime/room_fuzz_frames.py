"""Random frames for the live room, drawn from its AsyncAPI document: each command's example
(valid), and that example broken in every way a client could break it (wrong types, missing or
odd ids, huge numbers, deep nesting, long strings, unknown commands, non-object JSON, text that
is not UTF-8, binary frames)."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from typing import Any

# Commands never sent, even broken (a broken one may still parse): they end the room or split
# it into groups, and the fuzzer checks that the room stays whole and alive.
NEVER_SENT = frozenset({"session.end", "breakout.start"})
ODD_VALUES: tuple[Any, ...] = (
    None,
    True,
    0,
    -1,
    10**30,
    -(10**30),
    1.5e308,
    "",
    "x" * 5000,
    "\u0000\ud7ff\U0001f600",
    [],
    {},
    [1, "a", None],
    {"nested": {"deeper": [1, 2, 3]}},
)


@dataclass(frozen=True)
class Fuzzed:
    """One frame: what to send, and the `id` an answer must echo (None: none readable)."""

    kind: str
    data: str | bytes
    text: bool = True
    echo: str | None = None


def commands(asyncapi: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each command's example payload, by type, from the document's `sendCommand`."""
    messages = asyncapi["components"]["messages"]
    names = [
        ref["$ref"].rsplit("/", 1)[1] for ref in asyncapi["operations"]["sendCommand"]["messages"]
    ]
    return {name: dict(messages[name]["examples"][0]["payload"]) for name in names}


def _text(kind: str, frame: Any, echo: str | None = None) -> Fuzzed:
    return Fuzzed(kind, json.dumps(frame), echo=echo)


def _id() -> str:
    return "f-" + uuid.uuid4().hex[:12]


def draw(rng: random.Random, examples: dict[str, dict[str, Any]]) -> Fuzzed:
    name = rng.choice(sorted(set(examples) - NEVER_SENT))
    frame = examples[name] | {"id": _id()}
    fields = [k for k in frame if k not in ("type", "id")]
    choice = rng.randrange(16)
    if choice <= 2:
        return _text("valid", frame, frame["id"])
    if choice == 3 and fields:
        field = rng.choice(fields)
        return _text("wrong type", frame | {field: rng.choice(ODD_VALUES)}, frame["id"])
    if choice == 4:
        dropped = rng.choice([*fields, "type", "id"])
        broken = {k: v for k, v in frame.items() if k != dropped}
        return _text("missing " + dropped, broken, broken.get("id"))
    if choice == 5:
        odd = rng.choice([None, 17, "", "i" * 65, ["a"], {"a": 1}])
        return _text("odd id", frame | {"id": odd})
    if choice == 6:
        return _text("unknown type", frame | {"type": rng.choice(["", "chat", "x" * 300, 5])})
    if choice == 7:
        return _text("extra field", frame | {"sneaky": rng.choice(ODD_VALUES)}, frame["id"])
    if choice == 8:
        field = rng.choice(fields or ["extra"])
        raw = json.dumps(frame | {field: 0}).replace(f'"{field}": 0', f'"{field}": 1e999')
        return Fuzzed("huge number", raw, echo=frame["id"])
    if choice == 9:
        depth = rng.choice([50, 2000, 10000])
        deep = "[" * depth + "]" * depth
        raw = json.dumps(frame | {"nested": 0}).replace('"nested": 0', f'"nested": {deep}')
        return Fuzzed(f"nested {depth}", raw)
    if choice == 10:
        return _text("non-object", rng.choice([[], [frame], 1, "chat.send", None, True]))
    if choice == 11:
        return Fuzzed("not JSON", rng.choice(["{", "", "\x00", "{'type': 'ping'}", "NaN"]))
    if choice == 12:
        return Fuzzed("invalid UTF-8", b'{"type": "ping", "id": "\xff\xfe"}', text=True)
    if choice == 13:
        return Fuzzed("binary", rng.randbytes(rng.randrange(1, 200)), text=False)
    if choice == 14:
        field = rng.choice(fields or ["text"])
        size = rng.choice([3000, 60000, 70000])
        return _text(f"long string {size}", frame | {field: "é" * (size // 2)})
    return _text("ping", {"type": "ping", "id": frame["id"]}, frame["id"])
