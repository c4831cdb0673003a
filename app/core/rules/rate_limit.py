"""Sliding-window failure counter, pure: the caller passes `now` (seconds)."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field


@dataclass
class FailureWindow:
    window_seconds: float
    _events: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def _trim(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and events[0] <= now - self.window_seconds:
            events.popleft()
        if not events:
            del self._events[key]
            return deque()
        return events

    def count(self, key: str, now: float) -> int:
        return len(self._trim(key, now))

    def retry_after(self, key: str, now: float) -> int:
        events = self._trim(key, now)
        if not events:
            return 0
        return max(1, int(events[0] + self.window_seconds - now) + 1)

    def record(self, key: str, now: float) -> None:
        self._trim(key, now)
        self._events[key].append(now)

    def forget(self, key: str, at: float) -> None:
        """Take back one event recorded at `at` (an attempt that turned out to succeed)."""
        events = self._events.get(key)
        if events is not None and at in events:
            events.remove(at)
            if not events:
                del self._events[key]

    def clear(self, key: str) -> None:
        self._events.pop(key, None)
