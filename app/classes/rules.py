"""Weekly availability windows in an organisation's local time."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True, order=True)
class WeeklyWindow:
    weekday: int  # Monday = 0
    start: time
    end: time


def parse_hhmm(value: str) -> time:
    """`"09:30"` -> `time(9, 30)`; `"24:00"` is the end of the day. Raises ValueError."""
    hours, sep, minutes = value.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError("times are written HH:MM")
    h, m = int(hours), int(minutes)
    if (h, m) == (24, 0):
        return time.max
    if h > 23 or m > 59:
        raise ValueError("times are written HH:MM between 00:00 and 24:00")
    return time(h, m)


def overlapping_pairs(windows: list[WeeklyWindow]) -> list[tuple[WeeklyWindow, WeeklyWindow]]:
    """Pairs of windows on the same weekday that overlap (touching ends do not)."""
    ordered = sorted(windows)
    clashes = []
    for before, after in itertools.pairwise(ordered):
        if before.weekday == after.weekday and after.start < before.end:
            clashes.append((before, after))
    return clashes
