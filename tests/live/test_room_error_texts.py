"""Every code a live room's `error` event can carry has its message in the six languages."""

from __future__ import annotations

import ast
from pathlib import Path

from app.core.rules.error_texts import CATALOGUE
from app.core.rules.languages import LANGUAGES

APP = Path(__file__).resolve().parents[2] / "app"
ROOM_PACKAGES = ("live", "realtime", "activities")


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def room_error_codes() -> set[str]:
    """The codes of `CommandRefused(...)`, `Refusal(...)` and `Error(code=...)` in the room's
    packages: what a refused frame or command is answered with."""
    codes: set[str] = set()
    for package in ROOM_PACKAGES:
        for path in (APP / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in ("CommandRefused", "Refusal") and node.args:
                    codes.add(_text(node.args[0]) or "")
                if name == "Error":
                    codes |= {_text(k.value) or "" for k in node.keywords if k.arg == "code"}
    return codes - {""}


def test_the_scan_finds_the_room_codes() -> None:
    codes = room_error_codes()
    assert {"invalid_json", "unknown_type", "forbidden", "muted", "rate_limited"} <= codes
    assert {"poll_closed", "internal_error", "room_closed"} <= codes


def test_every_room_error_code_speaks_the_six_languages() -> None:
    missing = {
        code: sorted(set(LANGUAGES) - set(CATALOGUE.get(code, {})))
        for code in sorted(room_error_codes())
    }
    assert {code: langs for code, langs in missing.items() if langs} == {}
