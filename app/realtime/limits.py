"""Per-connection command limits: plain arithmetic over a clock reading the caller passes in."""

from __future__ import annotations

from collections import deque


class TokenBucket:
    """`burst` commands at once, refilled at `rate` per second."""

    def __init__(self, *, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._updated = now

    def take(self, now: float) -> bool:
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class StrikeWindow:
    """Counts refusals; `strike` answers True once more than `limit` fall within `window_s`."""

    def __init__(self, *, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._strikes: deque[float] = deque()

    def strike(self, now: float) -> bool:
        self._strikes.append(now)
        while self._strikes and self._strikes[0] <= now - self.window_s:
            self._strikes.popleft()
        return len(self._strikes) > self.limit
