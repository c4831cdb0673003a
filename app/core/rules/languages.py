"""The languages Passerelle speaks to people, and which of them an `Accept-Language` asks for.

Pure: the caller passes the header's value. The six languages are those of the notification
texts (app/notifications/rules.py); English is the fallback everywhere.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "fr", "it", "de", "es", "fi")
DEFAULT_LANGUAGE: Final = "en"

_MAX_RANGES = 32  # a header longer than this is read no further


def _quality(params: list[str]) -> float | None:
    """The `q` of a language range (1 when absent); None when it is not a valid q-value."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() != "q":
            continue
        try:
            q = float(value.strip())
        except ValueError:
            return None
        return q if 0 <= q <= 1 else None
    return 1.0


def negotiate(accept_language: str | None) -> str:
    """The best of `LANGUAGES` for an `Accept-Language` value (RFC 9110 §12.5.4), English when
    none is acceptable. A range matches on its primary subtag (`de-AT` is German); the highest
    q wins, the earlier range on a tie; `q=0` refuses a language; `*` adds nothing English
    would not already give."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")[:_MAX_RANGES]):
        tag, *params = item.split(";")
        language = tag.strip().split("-")[0].lower()
        q = _quality(params)
        if language in LANGUAGES and q is not None:
            ranges.append((q, position, language))
    refused = {language for q, _, language in ranges if q == 0}
    wanted = [(q, -position, language) for q, position, language in ranges if q > 0]
    wanted = [w for w in wanted if w[2] not in refused]
    return max(wanted)[2] if wanted else DEFAULT_LANGUAGE
