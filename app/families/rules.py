"""Consent of minors: who must consent to what, and who may give or withdraw it.

GDPR art. 8 lets each member state set the age (13 to 16) from which a child consents alone to
an online service; below it, a holder of parental responsibility consents. The table below is
keyed by the learner's country (their school's), `today` is always a parameter, and nothing
here reads a clock or a database.

Rules (docs/families.md explains the choices):

- Below the age of their country, a consent-based purpose runs for a learner only while a
  consent given by a linked guardian stands. Only a linked guardian gives it; the guardian or
  the learner may withdraw it (withdrawing only ever stops processing).
- From that age on, the learner decides alone: they give and withdraw; a guardian can no longer
  act for them. A guardian's consent given before the learner reached the age stays valid
  until the learner withdraws it (EDPB guidelines 05/2020 on consent, para. 149).
- From that age on, a purpose runs unless the learner withdrew or objected: a learner who has
  never said anything is not refused.
- An unknown birth date counts as below the age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

# The purposes that need consent; extend here (one tuple) and every endpoint follows.
PURPOSES: Final[tuple[str, ...]] = ("live_sessions", "chat", "share_with_partner_school")

DEFAULT_CONSENT_AGE: Final = 16

# GDPR art. 8(1) national choices: EU member states, then the EEA states (NO, IS, LI).
DIGITAL_CONSENT_AGE: Final = MappingProxyType(
    {
        "AT": 14,
        "BE": 13,
        "BG": 14,
        "CY": 14,
        "CZ": 15,
        "DE": 16,
        "DK": 13,
        "EE": 13,
        "ES": 14,
        "FI": 13,
        "FR": 15,
        "GR": 15,
        "HR": 16,
        "HU": 16,
        "IE": 16,
        "IT": 14,
        "LT": 14,
        "LU": 16,
        "LV": 13,
        "MT": 13,
        "NL": 16,
        "PL": 16,
        "PT": 13,
        "RO": 16,
        "SE": 13,
        "SI": 15,
        "SK": 16,
        "IS": 13,
        "LI": 16,
        "NO": 13,
    }
)

# The version of the privacy notice a consent given today refers to.
NOTICE_VERSION: Final = "2026-11"

Actor = Literal["learner", "guardian", "other"]
GivenBy = Literal["learner", "guardian"]
Status = Literal["given", "withdrawn"]


def is_purpose(value: str) -> bool:
    return value in PURPOSES


def consent_age(country: str | None) -> int:
    """The digital-consent age of `country` (ISO 3166-1 alpha-2); 16 where none is known."""
    if country is None:
        return DEFAULT_CONSENT_AGE
    return DIGITAL_CONSENT_AGE.get(country.upper(), DEFAULT_CONSENT_AGE)


def age_on(birth_date: date, today: date) -> int:
    """Age in whole years on `today`. Someone born on 29 February turns a year older on
    1 March in common years."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


def guardian_required(*, birth_date: date | None, country: str | None, today: date) -> bool:
    """Whether a learner is below the digital-consent age of `country` on `today`."""
    if birth_date is None:
        return True
    return age_on(birth_date, today) < consent_age(country)


@dataclass(frozen=True)
class Latest:
    """The most recent consent record of a learner for one purpose."""

    status: Status
    given_by_role: GivenBy | None  # None for an objection recorded without an earlier grant


def effective(*, required: bool, latest: Latest | None) -> bool:
    """Whether the purpose may run for the learner today.

    Below the age: only a standing guardian's consent counts. From the age on: anything but a
    withdrawal (or objection) counts, including silence."""
    if latest is None:
        return not required
    if latest.status == "withdrawn":
        return False
    if required:
        return latest.given_by_role == "guardian"
    return True


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def _guardian_needed(age: int) -> Refusal:
    return Refusal(
        "guardian_consent_required",
        f"Below the digital-consent age ({age}) a linked guardian gives this consent.",
    )


def _learner_decides(age: int) -> Refusal:
    return Refusal(
        "learner_decides",
        f"The learner has reached the digital-consent age ({age}) and decides alone.",
    )


_NOT_CONCERNED = Refusal(
    "forbidden", "Only the learner or a linked guardian gives or withdraws consent."
)


def refuse_give(actor: Actor, *, required: bool, age: int) -> Refusal | None:
    """None when `actor` may give consent for the learner today, else why not."""
    if actor == "other":
        return _NOT_CONCERNED
    if actor == "learner" and required:
        return _guardian_needed(age)
    if actor == "guardian" and not required:
        return _learner_decides(age)
    return None


def refuse_withdraw(actor: Actor, *, required: bool, age: int) -> Refusal | None:
    """None when `actor` may withdraw the learner's consent today, else why not. The learner
    may always withdraw; a guardian only while the learner is below the age."""
    if actor == "other":
        return _NOT_CONCERNED
    if actor == "guardian" and not required:
        return _learner_decides(age)
    return None


def withdrawable(*, required: bool, latest: Latest | None) -> bool:
    """Whether there is something to withdraw: a standing consent or, from the age on with
    nothing on record, the silence that an objection ends."""
    if latest is None:
        return not required
    return latest.status == "given"


def given_by_role(actor: Actor) -> GivenBy:
    if actor == "other":
        raise ValueError("only a learner or a guardian gives consent")
    return actor


def legal_basis(given_by: GivenBy) -> str:
    """GDPR art. 6(1)(a) consent; given by a holder of parental responsibility under art. 8(1)."""
    return "gdpr_art_8_1" if given_by == "guardian" else "gdpr_art_6_1_a"
