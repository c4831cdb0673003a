"""Pure checks on account fields; `today` is always a parameter."""

from __future__ import annotations

from datetime import date
from typing import Final

# No learner is older than this: a birth date further back is a typing error, not a person.
MAX_AGE_YEARS: Final = 100


def birth_date_problem(birth_date: date, today: date) -> str | None:
    """Why `birth_date` cannot be a learner's on `today` (it decides whether a guardian must
    consent, so it must be a real one), or None."""
    if birth_date > today:
        return "a birth date cannot be in the future"
    earliest = date(max(today.year - MAX_AGE_YEARS, 1), 1, 1)
    if birth_date < earliest:
        return f"a birth date cannot be more than {MAX_AGE_YEARS} years ago"
    return None
