from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

from app.core.rules import codes

T = TypeVar("T")


class Input(BaseModel):
    """Request bodies: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int


def _country(value: str) -> str:
    if not codes.is_country(value):
        raise ValueError("not an ISO 3166-1 alpha-2 country code (e.g. FR)")
    return value


def _time_zone(value: str) -> str:
    if not codes.is_time_zone(value):
        raise ValueError("not an IANA time zone (e.g. Europe/Paris)")
    return value


def _language(value: str) -> str:
    if not codes.is_language(value):
        raise ValueError("not an ISO 639-1 language code (e.g. en)")
    return value


# Instants a client may give: far enough either side of any real session, close enough that
# adding a duration or a search range never leaves the calendar (year 9999 was a 500).
EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2200, 1, 1, tzinfo=UTC)


def _instant(value: datetime) -> datetime:
    if not EARLIEST_INSTANT <= value < LATEST_INSTANT:
        raise ValueError("an instant must lie between 1970 and 2199")
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_instant)]
CountryCode = Annotated[str, AfterValidator(_country)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]
LanguageCode = Annotated[str, AfterValidator(_language)]
