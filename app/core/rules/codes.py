"""Country, language, level and time-zone codes, checked against maintained sources."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

import pycountry

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")


@lru_cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@lru_cache
def language_codes() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


@lru_cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_country(code: str) -> bool:
    return code in country_codes()


def is_language(code: str) -> bool:
    return code in language_codes()


def is_time_zone(name: str) -> bool:
    return name in time_zones()


def cefr_rank(level: str) -> int:
    """0 for A1 up to 5 for C2."""
    return CEFR_LEVELS.index(level)
