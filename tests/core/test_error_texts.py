"""The error catalogue covers every code the app raises, in all six languages, with the same
placeholders as English; and how a message is picked from it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.rules import error_texts
from app.core.rules.error_texts import (
    activities,
    exchanges,
    fields,
    kernel,
    live,
    people,
    webhooks,
)
from app.core.rules.languages import LANGUAGES
from app.error_handlers import HTTP_CODES

APP = Path(__file__).resolve().parents[2] / "app"

# Codes the scan below cannot see: they are built at run time.
INDIRECT_CODES = {
    "http_error",  # app/error_handlers.py: a status HTTP_CODES does not name
    "session_cancelled",  # app/live/tickets.py `_closed_room`: (message, code) pairs
    "session_ended",
    "room_not_open",
}


def _trees() -> Iterator[ast.Module]:
    for path in sorted(APP.rglob("*.py")):
        yield ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _scan() -> tuple[set[str], set[str], set[str]]:
    """Every error code, every `not_found("<thing>")` and every `InvalidInput` kind in app/."""
    codes: set[str] = set()
    things: set[str] = set()
    kinds: set[str] = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):  # `code = "..."` in an error class
                for statement in node.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and [_name(t) for t in statement.targets] == ["code"]
                        and (code := _text(statement.value))
                    ):
                        codes.add(code)
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            first = _text(node.args[0]) if node.args else None
            for keyword in node.keywords:
                if keyword.arg == "code" and (code := _text(keyword.value)):
                    codes.add(code)
                if (
                    name in ("InvalidInput", "__init__")  # a subclass names its kind
                    and keyword.arg == "kind"
                    and (kind := _text(keyword.value))
                ):
                    kinds.add(kind)
            if first and name in ("CommandRefused", "Refusal", "error_body"):
                codes.add(first)
            if first and name == "not_found":
                things.add(first)
    return codes, things, kinds


CODES, THINGS, KINDS = _scan()
ALL_CODES = CODES | set(HTTP_CODES.values()) | INDIRECT_CODES


def test_the_scan_finds_the_codes_it_should() -> None:
    # A guard on the scan itself: one code of each way of raising.
    assert {"email_taken", "refresh_token_reused", "muted", "learner_decides"} <= CODES
    assert {"cors_refused", "payload_too_large", "internal_error", "not_ready"} <= CODES
    assert {"Class", "Calendar feed", "Check-in"} <= THINGS
    assert {"field_not_allowed", "unknown_parameter", "range_reversed"} <= KINDS
    source = "".join(p.read_text(encoding="utf-8") for p in APP.rglob("*.py"))
    assert all(f'"{code}"' in source for code in INDIRECT_CODES)


def _complete(texts: dict[str, str] | None) -> list[str]:
    """What is wrong with one entry: missing languages, or placeholders English lacks."""
    if texts is None:
        return ["missing"]
    problems = [f"no {lang}" for lang in LANGUAGES if not (texts.get(lang) or "").strip()]
    if problems:
        return problems
    english = error_texts.placeholders(texts["en"])
    return [
        f"{lang} placeholders {sorted(error_texts.placeholders(texts[lang]))}"
        for lang in LANGUAGES
        if error_texts.placeholders(texts[lang]) != english
    ]


def test_every_error_code_has_all_six_languages() -> None:
    problems = {
        code: wrong
        for code in sorted(ALL_CODES)
        if (wrong := _complete(dict(error_texts.CATALOGUE.get(code, {})) or None))
    }
    assert problems == {}


def test_every_thing_not_found_has_all_six_languages() -> None:
    problems = {
        thing: wrong
        for thing in sorted(THINGS)
        if (
            wrong := _complete(
                dict(error_texts.CATALOGUE.get(error_texts.not_found_key(thing), {})) or None
            )
        )
    }
    assert problems == {}


def test_every_field_error_kind_has_its_message() -> None:
    missing = {kind for kind in KINDS if kind not in error_texts.FIELDS}
    assert missing == set()
    problems = {kind: wrong for kind, texts in fields.FIELDS.items() if (wrong := _complete(texts))}
    assert problems == {}
    assert set(fields.ALIASES.values()) <= set(fields.FIELDS)


def test_every_entry_is_complete_and_translated() -> None:
    problems = {
        key: wrong
        for key, texts in error_texts.CATALOGUE.items()
        if (wrong := _complete(dict(texts)))
    }
    assert problems == {}
    untranslated = [
        key for key, texts in error_texts.CATALOGUE.items() if texts["fr"] == texts["en"]
    ]
    assert untranslated == []


def test_no_key_is_in_two_modules() -> None:
    modules = [
        kernel.CODES,
        kernel.NOT_FOUND,
        people.CODES,
        exchanges.CODES,
        live.CODES,
        activities.CODES,
        webhooks.CODES,
    ]
    assert sum(len(m) for m in modules) == len(error_texts.CATALOGUE)


def test_a_missing_language_fails_the_check() -> None:
    texts = dict(kernel.CODES["conflict"])
    del texts["fi"]
    assert _complete(texts) == ["no fi"]
    texts = dict(kernel.CODES["validation_error"]) | {"de": "Ungültige Eingabe: {feld}."}
    assert _complete(texts) == ["de placeholders ['feld']"]


def test_message_fills_placeholders_or_gives_up() -> None:
    fields_ = {"fields": "body.email"}
    assert error_texts.message("validation_error", "fr", fields_) == (
        "Saisie non valide : body.email."
    )
    assert error_texts.message("validation_error", "fr") is None  # no value for {fields}
    assert error_texts.message("no_such_code", "fr") is None


def test_localise_keeps_the_raise_sites_english() -> None:
    assert error_texts.localise("Class not found.", "en", "not_found.class") == (
        "Class not found.",
        "en",
    )
    assert error_texts.localise("Class not found.", "fi", "not_found.class") == (
        "Luokkaa ei löytynyt.",
        "fi",
    )
    # an unknown key falls back to the next, then to the English
    assert error_texts.localise("Thing not found.", "de", "not_found.thing", "not_found") == (
        "Die angeforderte Ressource wurde nicht gefunden.",
        "de",
    )
    assert error_texts.localise("Odd.", "it", "no_such_code") == ("Odd.", "en")


@pytest.mark.parametrize(
    ("kind", "language", "ctx", "expected"),
    [
        ("missing", "de", {}, "Pflichtfeld."),
        ("string_too_long", "es", {"max_length": 80}, "Número máximo de caracteres: 80."),
        ("greater_than_equal", "it", {"ge": 1}, "Deve essere maggiore o uguale a 1."),
        ("uuid_type", "fi", {}, "Arvon on oltava kelvollinen UUID-tunniste."),
        (
            "literal_error",
            "fr",
            {"expected": "'a', 'b' or 'c'"},
            "Valeur attendue : 'a', 'b' ou 'c'.",
        ),
        ("value_error", "de", {"error": ValueError("x")}, "Ungültiger Wert."),
        ("some_future_type", "fr", {}, "Valeur non valide."),
        ("string_too_short", "fr", {}, "Valeur non valide."),  # no ctx: generic, never a KeyError
    ],
)
def test_field_message(kind: str, language: str, ctx: dict[str, object], expected: str) -> None:
    assert error_texts.field_message(kind, language, ctx) == expected


def test_clean_drops_pydantics_wording() -> None:
    assert error_texts.clean("Value error, not an IANA time zone") == "not an IANA time zone"
    assert error_texts.clean("body: Assertion failed, nope") == "body: nope"
    assert error_texts.clean("Field required") == "Field required"
