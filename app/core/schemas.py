from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict

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


CountryCode = Annotated[str, AfterValidator(_country)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]
LanguageCode = Annotated[str, AfterValidator(_language)]
