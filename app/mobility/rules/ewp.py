"""Rows of a term's mobilities in the field names of the Erasmus Without Paper `bm-mobilities`
report (the Beneficiary Module Mobilities API, `report-request.xsd`).

Only the fields Passerelle knows are filled; a school's import tool adds the grant and
participant fields it keeps elsewhere. docs/mobility.md gives the mapping.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

from app.core.rules.csv_export import Cell

# The language people use at work in a country, when the exchange names none (ISO 639-1).
COUNTRY_LANGUAGE: Final = MappingProxyType(
    {
        "AT": "de", "BE": "fr", "BG": "bg", "CH": "de", "CY": "el", "CZ": "cs", "DE": "de",
        "DK": "da", "EE": "et", "ES": "es", "FI": "fi", "FR": "fr", "GR": "el", "HR": "hr",
        "HU": "hu", "IE": "en", "IS": "is", "IT": "it", "LI": "de", "LT": "lt", "LU": "fr",
        "LV": "lv", "MT": "mt", "NL": "nl", "NO": "no", "PL": "pl", "PT": "pt", "RO": "ro",
        "SE": "sv", "SI": "sl", "SK": "sk", "TR": "tr", "GB": "en",
    }
)  # fmt: skip

COLUMNS: Final[tuple[str, ...]] = (
    "mobility-id",
    "blended",
    "virtual-duration",
    "virtual-timing",
    "sending-organization.id",
    "sending-organization.business-name",
    "receiving-organization.id",
    "receiving-organization.business-name",
    "sending-country",
    "sending-city",
    "receiving-country",
    "receiving-city",
    "main-language",
    "start-date",
    "end-date",
    "duration-calculated",
)


@dataclass(frozen=True)
class Org:
    id: uuid.UUID
    name: str
    country: str
    city: str


@dataclass(frozen=True)
class BmFacts:
    mobility_id: uuid.UUID
    blended: bool
    contact_seconds: int
    first_session: datetime | None
    last_session: datetime | None
    sending: Org
    receiving: Org
    city: str
    country: str
    exchange_languages: list[str]
    starts_on: date
    ends_on: date


def virtual_timing(
    first: datetime | None, last: datetime | None, starts_on: date, ends_on: date
) -> str | None:
    """When the virtual component took place relative to the physical stay, from the first
    and last sessions with contact time: `before`, `during`, `after`, or a combination joined
    with `-and-` (e.g. `before-and-during`); None without any session."""
    if first is None or last is None:
        return None
    parts = []
    if first.date() < starts_on:
        parts.append("before")
    if first.date() <= ends_on and last.date() >= starts_on:
        parts.append("during")
    if last.date() > ends_on:
        parts.append("after")
    return "-and-".join(parts)


def main_language(country: str, exchange_languages: list[str]) -> str | None:
    """The exchange's first shared language, else the receiving country's."""
    if exchange_languages:
        return exchange_languages[0]
    return COUNTRY_LANGUAGE.get(country.upper())


def bm_row(facts: BmFacts) -> dict[str, Any]:
    """One mobility as the report's flat fields (organisations as `<element>.<field>`)."""
    return {
        "mobility-id": str(facts.mobility_id),
        "blended": facts.blended,
        "virtual-duration": round(facts.contact_seconds / 3600) if facts.blended else None,
        "virtual-timing": virtual_timing(
            facts.first_session, facts.last_session, facts.starts_on, facts.ends_on
        )
        if facts.blended
        else None,
        "sending-organization.id": str(facts.sending.id),
        "sending-organization.business-name": facts.sending.name,
        "receiving-organization.id": str(facts.receiving.id),
        "receiving-organization.business-name": facts.receiving.name,
        "sending-country": facts.sending.country,
        "sending-city": facts.sending.city,
        "receiving-country": facts.country,
        "receiving-city": facts.city,
        "main-language": main_language(facts.country, facts.exchange_languages),
        "start-date": facts.starts_on.isoformat(),
        "end-date": facts.ends_on.isoformat(),
        "duration-calculated": (facts.ends_on - facts.starts_on).days + 1,
    }


def csv_cells(row: dict[str, Any]) -> tuple[Cell, ...]:
    """A row's cells in the order of `COLUMNS`."""
    return tuple(row[name] for name in COLUMNS)
