"""When a delivery is tried again, and when a subscription is given up on. Pure."""

from __future__ import annotations

from datetime import timedelta
from typing import Final, Literal

MAX_ATTEMPTS: Final = 12
MAX_AGE: Final = timedelta(days=3)  # a delivery not sent by then expires unsent
BACKOFF_BASE: Final = timedelta(minutes=1)
BACKOFF_MAX: Final = timedelta(hours=6)
RETRYABLE_STATUSES: Final = frozenset({408, 429})

Outcome = Literal["delivered", "retry", "failed"]


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, 8 ... minutes, at most six
    hours."""
    wait: timedelta = BACKOFF_BASE * 2 ** min(max(attempts - 1, 0), 16)
    return min(wait, BACKOFF_MAX)


def outcome_of(status_code: int | None) -> Outcome:
    """What an answer means: 2xx delivered; 5xx, 408, 429 and no answer at all (a network
    error, a timeout, a refused address) are tried again; anything else (other 4xx, and 1xx
    and 3xx: redirects are never followed) is a permanent failure."""
    if status_code is None:
        return "retry"
    if 200 <= status_code < 300:
        return "delivered"
    if status_code >= 500 or status_code in RETRYABLE_STATUSES:
        return "retry"
    return "failed"


def after_failure(outcome: Outcome, attempts: int) -> Literal["retry", "failed"]:
    """A failed attempt's delivery: tried again, unless permanent or out of attempts."""
    if outcome == "retry" and attempts < MAX_ATTEMPTS:
        return "retry"
    return "failed"


def should_disable(consecutive_failures: int, limit: int) -> bool:
    """A subscription whose last `limit` attempts all failed is disabled."""
    return consecutive_failures >= limit
