"""The event types a subscription may ask for, and the body every delivery carries. Pure."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Final, Literal

from app.core.rules.instants import utc_iso

EventType = Literal[
    "session.scheduled",
    "session.changed",
    "session.cancelled",
    "session.ended",
    "attendance.sealed",
    "mobility.status_changed",
]
EVENT_TYPES: Final[tuple[EventType, ...]] = (
    "session.scheduled",
    "session.changed",
    "session.cancelled",
    "session.ended",
    "attendance.sealed",
    "mobility.status_changed",
)
# The test event a coordinator sends on demand; delivered whatever the subscription's filter.
PING: Final = "webhook.ping"


def wants(event_types: list[str], event_type: str) -> bool:
    """Whether a subscription asking for `event_types` (empty: all) gets `event_type`."""
    return event_type == PING or not event_types or event_type in event_types


def body(event_type: str, timestamp: datetime, data: dict[str, Any]) -> str:
    """The JSON body, exactly as signed and sent: `{"type", "timestamp", "data"}`."""
    return json.dumps(
        {"type": event_type, "timestamp": utc_iso(timestamp), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )
