"""Error messages in the six languages: the catalogue, and how a message is picked from it.

Pure. Each error `code` (and each `not_found.<thing>`) has one message per language; a field's
error inside a validation error's `details` has one per pydantic error type or `InvalidInput`
kind. Placeholders (`{fields}`) are filled from the parameters a raise site passes; every
language of an entry names the same placeholders (a test checks).

English is the language code is written in: an English message is the raise site's own, often
more precise ("Class not found.", "The exchange is active; ..."). The catalogue's English is the
reference the other languages translate, and what a test compares placeholders with.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from app.core.rules.error_texts import (
    activities,
    exchanges,
    fields,
    kernel,
    live,
    people,
    webhooks,
)
from app.core.rules.languages import DEFAULT_LANGUAGE, LANGUAGES

Params = Mapping[str, object]

CATALOGUE: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    kernel.CODES
    | kernel.NOT_FOUND
    | people.CODES
    | exchanges.CODES
    | live.CODES
    | activities.CODES
    | webhooks.CODES
)
FIELDS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(fields.FIELDS)
FIELD_ALIASES: Final = MappingProxyType(fields.ALIASES)

# What pydantic puts before a validator's own words.
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")
_OR: Final = {"en": "or", "fr": "ou", "it": "o", "de": "oder", "es": "o", "fi": "tai"}


def placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def _fill(text: str, params: Params) -> str | None:
    try:
        return text.format_map(dict(params))
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


def message(key: str, language: str, params: Params | None = None) -> str | None:
    """The catalogue's message for `key` in `language`, its placeholders filled; None when the
    key is not in the catalogue or a placeholder has no parameter (the caller then keeps the
    raise site's English)."""
    text = CATALOGUE.get(key, {}).get(language)
    return None if text is None else _fill(text, params or {})


def localise(
    english: str, language: str, *keys: str, params: Params | None = None
) -> tuple[str, str]:
    """The message to send and its language: the first of `keys` the catalogue has in
    `language`, else the raise site's `english` (always, when English is asked for)."""
    if language != DEFAULT_LANGUAGE:
        for key in keys:
            text = message(key, language, params)
            if text is not None:
                return text, language
    return english, DEFAULT_LANGUAGE


def not_found_key(what: str) -> str:
    """The key of "<what> not found." (`Calendar feed` -> `not_found.calendar_feed`)."""
    return "not_found." + what.lower().replace(" ", "_").replace("-", "_")


def clean(text: str) -> str:
    """A message without pydantic's own wording before a validator's ("Value error, ")."""
    for prefix in _PYDANTIC_PREFIXES:
        text = text.replace(prefix, "")
    return text


def field_message(kind: str, language: str, ctx: Params | None = None) -> str:
    """One field's error in `language`, by pydantic error type or `InvalidInput` kind; a
    generic "invalid value" for a kind without its own message."""
    texts = FIELDS.get(FIELD_ALIASES.get(kind, kind), FIELDS["invalid"])
    values = {name: str(value) for name, value in (ctx or {}).items()}
    if "expected" in values:  # pydantic writes "'a', 'b' or 'c'"
        head, sep, tail = values["expected"].rpartition(" or ")
        if sep:
            values["expected"] = f"{head} {_OR.get(language, 'or')} {tail}"
    return _fill(texts[language], values) or FIELDS["invalid"][language]


__all__ = [
    "CATALOGUE",
    "DEFAULT_LANGUAGE",
    "FIELDS",
    "LANGUAGES",
    "clean",
    "field_message",
    "localise",
    "message",
    "not_found_key",
    "placeholders",
]
