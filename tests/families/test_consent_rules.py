"""Digital-consent ages, ages on the day, and who may give or withdraw consent."""

from __future__ import annotations

from datetime import date

import pytest

from app.families.rules import (
    DEFAULT_CONSENT_AGE,
    DIGITAL_CONSENT_AGE,
    PURPOSES,
    Latest,
    age_on,
    consent_age,
    effective,
    guardian_required,
    legal_basis,
    refuse_give,
    refuse_withdraw,
)

EU_EEA = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO IS LI"


@pytest.mark.parametrize(
    ("country", "age"),
    [
        *[("FR", 15), ("IT", 14), ("DE", 16), ("ES", 14), ("FI", 13), ("AT", 14), ("BE", 13)],
        *[("NL", 16), ("PT", 13), ("SI", 15), ("NO", 13), ("LI", 16), ("CZ", 15), ("GR", 15)],
    ],
)
def test_consent_age_by_country(country: str, age: int) -> None:
    assert consent_age(country) == age
    assert consent_age(country.lower()) == age


def test_every_eu_and_eea_state_is_in_the_table_with_an_art_8_age() -> None:
    assert set(DIGITAL_CONSENT_AGE) == set(EU_EEA.split())
    assert all(13 <= age <= 16 for age in DIGITAL_CONSENT_AGE.values())


def test_unknown_country_and_no_country_default_to_16() -> None:
    assert DEFAULT_CONSENT_AGE == 16
    assert consent_age("CH") == 16
    assert consent_age(None) == 16


def test_age_changes_on_the_birthday_not_before() -> None:
    born = date(2010, 6, 15)
    assert age_on(born, date(2026, 6, 14)) == 15
    assert age_on(born, date(2026, 6, 15)) == 16
    assert age_on(born, date(2026, 12, 31)) == 16


def test_born_on_29_february_ages_on_1_march_in_common_years() -> None:
    born = date(2012, 2, 29)
    assert age_on(born, date(2027, 2, 28)) == 14
    assert age_on(born, date(2027, 3, 1)) == 15
    assert age_on(born, date(2028, 2, 29)) == 16


def test_a_learner_turning_16_tomorrow_needs_a_guardian_today_in_germany() -> None:
    born = date(2010, 11, 29)
    assert guardian_required(birth_date=born, country="DE", today=date(2026, 11, 28))
    assert not guardian_required(birth_date=born, country="DE", today=date(2026, 11, 29))


def test_the_same_14_year_old_depends_on_the_country() -> None:
    born, today = date(2012, 1, 10), date(2026, 11, 28)
    assert age_on(born, today) == 14
    assert guardian_required(birth_date=born, country="DE", today=today)
    assert guardian_required(birth_date=born, country="FR", today=today)
    assert not guardian_required(birth_date=born, country="IT", today=today)
    assert not guardian_required(birth_date=born, country="FI", today=today)


def test_an_unknown_birth_date_counts_as_below_the_age() -> None:
    assert guardian_required(birth_date=None, country="FI", today=date(2026, 1, 1))


def test_below_the_age_only_a_guardian_gives_and_both_may_withdraw() -> None:
    assert refuse_give("guardian", required=True, age=16) is None
    refused = refuse_give("learner", required=True, age=16)
    assert refused is not None
    assert refused.code == "guardian_consent_required"
    assert "16" in refused.message
    assert refuse_withdraw("guardian", required=True, age=16) is None
    assert refuse_withdraw("learner", required=True, age=16) is None


def test_from_the_age_on_the_learner_decides_alone() -> None:
    assert refuse_give("learner", required=False, age=14) is None
    assert refuse_withdraw("learner", required=False, age=14) is None
    for refused in (
        refuse_give("guardian", required=False, age=14),
        refuse_withdraw("guardian", required=False, age=14),
    ):
        assert refused is not None
        assert refused.code == "learner_decides"


def test_nobody_else_gives_or_withdraws() -> None:
    for required in (True, False):
        for refused in (
            refuse_give("other", required=required, age=15),
            refuse_withdraw("other", required=required, age=15),
        ):
            assert refused is not None
            assert refused.code == "forbidden"


def test_effective_below_the_age_needs_a_standing_guardian_consent() -> None:
    assert not effective(required=True, latest=None)
    assert effective(required=True, latest=Latest("given", "guardian"))
    assert not effective(required=True, latest=Latest("given", "learner"))
    assert not effective(required=True, latest=Latest("withdrawn", "guardian"))


def test_effective_from_the_age_on_unless_withdrawn_or_objected() -> None:
    assert effective(required=False, latest=None)
    assert effective(required=False, latest=Latest("given", "learner"))
    # A guardian's consent given before the learner reached the age stays valid.
    assert effective(required=False, latest=Latest("given", "guardian"))
    assert not effective(required=False, latest=Latest("withdrawn", "learner"))
    assert not effective(required=False, latest=Latest("withdrawn", None))


def test_purposes_and_legal_bases() -> None:
    assert PURPOSES == ("live_sessions", "chat", "share_with_partner_school")
    assert legal_basis("guardian") == "gdpr_art_8_1"
    assert legal_basis("learner") == "gdpr_art_6_1_a"
