"""Glossary entries: a term and its translations, normalised so that the same term entered
twice (other case, extra spaces) is one entry whose translations merge."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 120
_LANGUAGE = re.compile(r"^[a-z]{2}$")


def clean(text: str) -> str:
    """Trimmed, inner whitespace collapsed, NFC: as the glossary shows it."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def term_key(term: str) -> str:
    """What makes two terms the same entry: the cleaned term, case-folded."""
    return clean(term).casefold()


def check_entry(term: str, translations: dict[str, str]) -> tuple[str, dict[str, str], str | None]:
    """`(term, translations, refusal code or None)`, cleaned. Translations are keyed by ISO
    639-1 codes (two lower-case letters); empty ones are dropped."""
    shown = clean(term)
    if not shown or len(shown) > MAX_CHARS:
        return shown, {}, "invalid_term"
    cleaned: dict[str, str] = {}
    for language, text in translations.items():
        if not _LANGUAGE.match(language):
            return shown, {}, "invalid_language"
        value = clean(text)
        if len(value) > MAX_CHARS:
            return shown, {}, "invalid_term"
        if value:
            cleaned[language] = value
    if not cleaned:
        return shown, {}, "translation_required"
    return shown, cleaned, None


def merge(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """The translations after an addition: new ones win, languages sorted."""
    return dict(sorted({**old, **new}.items()))
