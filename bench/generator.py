"""Seeded instances of `ClassProfile` for the matching benchmark (and tests).

The mix is meant to look like a European vocational-school network: eight EU countries with
shares roughly following their VET enrolment, plus Turkey and Iceland, whose clocks do not
change in summer (so their overlap with everyone else moves twice a year). Classes teach one of
twelve common ISCED-F detailed fields, most hold English at A2-B2 and their own language at C2,
some German, French or Spanish, and offer 2-4 weekly windows between 08:00 and 17:00 local time
within a term of the 2025/26 school year.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from app.matching.rules.types import ClassProfile, Language, Window

SCHOOL_YEAR_START = date(2025, 9, 1)
SCHOOL_YEAR_END = date(2026, 6, 30)

# country -> (share, IANA zone, own language)
COUNTRIES: dict[str, tuple[float, str, str]] = {
    "DE": (0.17, "Europe/Berlin", "de"),
    "FR": (0.15, "Europe/Paris", "fr"),
    "IT": (0.14, "Europe/Rome", "it"),
    "ES": (0.11, "Europe/Madrid", "es"),
    "PL": (0.10, "Europe/Warsaw", "pl"),
    "NL": (0.08, "Europe/Amsterdam", "nl"),
    "PT": (0.06, "Europe/Lisbon", "pt"),
    "FI": (0.05, "Europe/Helsinki", "fi"),
    "TR": (0.10, "Europe/Istanbul", "tr"),  # UTC+3 all year
    "IS": (0.04, "Atlantic/Reykjavik", "is"),  # UTC all year
}

# ISCED-F detailed field -> relative frequency
FIELDS: dict[str, int] = {
    "0413": 10,  # management and administration
    "0416": 8,  # wholesale and retail sales
    "0613": 9,  # software and applications development
    "0713": 8,  # electricity and energy
    "0714": 7,  # electronics and automation
    "0715": 9,  # mechanics and metal trades
    "0716": 8,  # motor vehicles, ships and aircraft
    "0722": 4,  # materials (glass, paper, plastic and wood)
    "0732": 8,  # building and civil engineering
    "0913": 9,  # nursing and midwifery
    "1013": 12,  # hotel, restaurants and catering
    "1015": 8,  # travel, tourism and leisure
}

ENGLISH_LEVELS = (("A1", 4), ("A2", 30), ("B1", 40), ("B2", 22), ("C1", 4))
EXTRA_LANGUAGES = (("de", 0.15), ("fr", 0.10), ("es", 0.08))
EXTRA_LEVELS = (("A2", 40), ("B1", 40), ("B2", 20))


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    values = [value for value, _ in weighted]
    return rng.choices(values, weights=[weight for _, weight in weighted])[0]


def _languages(rng: random.Random, own: str) -> tuple[Language, ...]:
    held = {own: "C2"}
    if rng.random() < 0.95:
        held["en"] = _pick(rng, ENGLISH_LEVELS)
    for code, share in EXTRA_LANGUAGES:
        if code not in held and rng.random() < share:
            held[code] = _pick(rng, EXTRA_LEVELS)
    return tuple(Language(code, level) for code, level in held.items())


def _windows(rng: random.Random) -> tuple[Window, ...]:
    """2-4 windows on distinct weekdays, on a half-hour grid, inside 08:00-17:00."""
    days = sorted(rng.sample(range(5), rng.randint(2, 4)))
    windows = []
    for day in days:
        length = rng.choice((60, 90, 120, 120, 180, 240))
        start = rng.randrange(8 * 60, 17 * 60 - length + 1, 30)
        end = start + length
        windows.append(Window(day, time(start // 60, start % 60), time(end // 60, end % 60)))
    return tuple(windows)


def _term(rng: random.Random) -> tuple[date, date]:
    """Most terms start in September; some in October-November or after the winter break."""
    roll = rng.random()
    if roll < 0.6:
        start = SCHOOL_YEAR_START + timedelta(days=rng.randint(0, 21))
    elif roll < 0.8:
        start = SCHOOL_YEAR_START + timedelta(days=rng.randint(30, 80))
    else:
        start = date(2026, 1, 5) + timedelta(days=rng.randint(0, 40))
    weeks = rng.randint(12, 40)
    end = min(SCHOOL_YEAR_END, start + timedelta(weeks=weeks))
    return start, end


def generate(n: int, seed: int = 0) -> list[ClassProfile]:
    """`n` classes, deterministic for a given `seed`; ids are `c00000`, `c00001`, ..."""
    rng = random.Random(seed)
    codes = list(COUNTRIES)
    shares = [COUNTRIES[code][0] for code in codes]
    fields = list(FIELDS)
    field_weights = list(FIELDS.values())
    profiles = []
    for index in range(n):
        country = rng.choices(codes, weights=shares)[0]
        _, zone, own = COUNTRIES[country]
        age_min = rng.randint(15, 19)
        start, end = _term(rng)
        profiles.append(
            ClassProfile(
                id=f"c{index:05d}",
                organisation_id=f"{country.lower()}-school-{rng.randrange(max(1, n // 8)):04d}",
                country=country,
                timezone=zone,
                field=rng.choices(fields, weights=field_weights)[0],
                eqf_level=rng.choice((3, 4, 4, 4, 5)),
                learner_count=rng.randint(8, 30),
                age_min=age_min,
                age_max=age_min + rng.randint(1, 5),
                languages=_languages(rng, own),
                availability=_windows(rng),
                term_start=start,
                term_end=end,
            )
        )
    return profiles
