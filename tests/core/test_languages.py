"""`Accept-Language` negotiation: the best of six languages, English otherwise."""

from __future__ import annotations

import pytest

from app.core.rules.languages import LANGUAGES, negotiate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("fr", "fr"),
        ("FR", "fr"),
        ("de-DE,de;q=0.9", "de"),
        ("fi-FI", "fi"),
        ("ja", "en"),
        ("ja, it;q=0.5", "it"),
        ("*", "en"),
        ("en;q=0.2, es;q=0.8", "es"),
        ("it;q=0.7, de;q=0.7", "it"),  # a tie: the earlier range
        ("fr;q=0, de;q=0.1", "de"),
        ("fr, fr;q=0", "en"),  # refused outright
        ("es;q=abc, it;q=0.3", "it"),  # an invalid q-value drops its range
        ("es;q=2, fi;q=0.3", "fi"),
        ("pt-BR, es;q=0.9, en;q=0.8", "es"),
        (" fr-CA ; q=0.9 , en ; q=0.1", "fr"),
        (",,;;=", "en"),
    ],
)
def test_negotiate(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_a_long_header_is_read_no_further_than_its_first_ranges() -> None:
    assert negotiate("ja, " * 1000 + "fr") == "en"


def test_the_six_languages() -> None:
    assert LANGUAGES == ("en", "fr", "it", "de", "es", "fi")
