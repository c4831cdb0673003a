"""Public holidays per country (and subdivision), read from the `holidays` package.

Pure and cached: one lookup per (country, region, year), shared by every search. Countries are
ISO 3166-1 alpha-2 codes; a region is the `holidays` subdivision code (`"BY"` for Bavaria),
optionally written as its ISO 3166-2 code (`"DE-BY"`). Only the package's default category
(public holidays) counts; school holidays are a class's term and availability, not ours.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays


class HolidayLookupError(ValueError):
    """The `holidays` package knows no such country or subdivision."""


def normalise_region(country: str, region: str | None) -> str | None:
    """`"DE-BY"` -> `"BY"` for country `"DE"`; `None` and `""` -> `None`."""
    if not region:
        return None
    prefix = f"{country.upper()}-"
    return region[len(prefix) :] if region.upper().startswith(prefix) else region


@lru_cache(maxsize=1024)
def holidays_in(country: str, region: str | None, year: int) -> Mapping[date, str]:
    """The public holidays of `country` (and `region`, when given) in `year`: date -> name
    (several holidays on one date are joined with "; "). Raises HolidayLookupError."""
    code = country.upper()
    subdiv = normalise_region(code, region)
    try:
        found = holidays.country_holidays(code, subdiv=subdiv, years=year)
    except NotImplementedError as exc:
        where = f"{code}-{subdiv}" if subdiv else code
        raise HolidayLookupError(f"no public holiday calendar for {where}: {exc}") from exc
    return MappingProxyType({day: "; ".join(found.get_list(day)) for day in found})


def holiday_name(country: str, region: str | None, day: date) -> str | None:
    """The name of the public holiday on `day` for `country`/`region`, or None."""
    return holidays_in(country, region, day.year).get(day)
