"""The code lists a client builds its forms from (countries, languages, ISCED-F fields), with
names in the reader's language: countries and languages from pycountry's ISO translations,
ISCED-F fields in UNESCO's English titles (no official translation is shipped)."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

from app.core.rules.isced import DETAILED_FIELDS
from app.core.rules.languages import negotiate as best_language

__all__ = ["best_language", "countries", "isced_fields", "languages"]


@lru_cache(maxsize=16)
def _translation(domain: str, language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


@lru_cache(maxsize=8)
def countries(language: str) -> tuple[tuple[str, str], ...]:
    names = _translation("iso3166-1", language)
    found = ((c.alpha_2, names.gettext(c.name)) for c in pycountry.countries)
    return tuple(sorted(found, key=lambda item: item[1].casefold()))


@lru_cache(maxsize=8)
def languages(language: str) -> tuple[tuple[str, str], ...]:
    names = _translation("iso639-3", language)
    found = (
        (lang.alpha_2, names.gettext(lang.name))
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    )
    return tuple(sorted(found, key=lambda item: item[1].casefold()))


def isced_fields() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(DETAILED_FIELDS.items()))
