"""The per-connection limits and the log redactor, without a server."""

from __future__ import annotations

import logging

from app.realtime.limits import StrikeWindow, TokenBucket
from app.realtime.redaction import TicketRedactor, redact


def test_the_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=2.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.4) is False  # 0.8 of a token
    assert bucket.take(0.5) is True
    assert [bucket.take(100.0) for _ in range(4)] == [True, True, True, False]  # capped


def test_strikes_count_within_the_window_only() -> None:
    strikes = StrikeWindow(limit=2, window_s=10.0)
    assert [strikes.strike(t) for t in (0.0, 1.0, 2.0)] == [False, False, True]
    assert strikes.strike(20.0) is False  # the old ones expired


def test_tickets_are_redacted_wherever_they_appear() -> None:
    assert redact("GET /ws/sessions/1?ticket=eyJ.abc.def&last_seq=3") == (
        "GET /ws/sessions/1?ticket=[redacted]&last_seq=3"
    )
    record = logging.LogRecord(
        "uvicorn.error", logging.INFO, __file__, 1, '%s - "WebSocket %s" %s',
        ("127.0.0.1:5", "/ws/sessions/1?ticket=secret-value", "[accepted]"), None,
    )  # fmt: skip
    assert TicketRedactor().filter(record)
    assert "secret-value" not in record.getMessage()
    assert "ticket=[redacted]" in record.getMessage()
