"""Attendance of a live session, from the presence intervals its room recorded.

Pure: the roster, the intervals (`Span`, one per connection), the scheduled times and `now` in;
one `AttendanceSheet` out. No I/O and no clock.

The window. Only time inside the scheduled session counts: [starts_at, as_of], where
as_of = min(now, ends_at). While the session is live, the statuses are judged against the
elapsed part; once `now >= ends_at` the sheet is `final`. Before the start (now <= starts_at)
nobody has been online yet: every learner is `absent` with 0 s.

Online time. A learner's connections overlap (several tabs) and repeat (reconnects); their
online time is the length of the union of their spans, each clipped to the window, counted
once. An open span (`left_at` None) counts up to `now`. A span that ends before it starts
(clock skew) is ignored. A span "overlaps the window" when its clipped part has a positive
length; only those count as connections and for `first_join` / `last_leave`, which are their
raw times (so they may lie before the start or after the end; `last_leave` is None while one
of them is still open). The total is computed exactly (microseconds) and floored to whole
seconds once.

Statuses, with share = online_seconds / window seconds:

    absent   no span overlaps the window
    present  share >= rules.present_share
    late     present by the share, but first_join > starts_at + rules.late_after
    partial  online, share < rules.present_share
    excused  never computed: only a teacher's override gives it

An override (any status) replaces `status`; `computed_status` always keeps the rules' answer.
People online in the window but not on the roster are listed apart as guests, judged by the
same rules (so never `absent`); overrides apply to them too.

Cost: O(n log n) for n spans (grouped by user in one pass, each user's spans sorted and swept
once), plus O(roster).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Literal, get_args

Status = Literal["present", "late", "partial", "absent", "excused"]
STATUSES: tuple[Status, ...] = get_args(Status)

SECOND = timedelta(seconds=1)
_ZERO = timedelta()


@dataclass(frozen=True, slots=True)
class Span:
    """One presence interval (one connection) of one user, aware datetimes (UTC)."""

    user_id: uuid.UUID
    joined_at: datetime
    left_at: datetime | None  # None: still connected (counts up to `now`)


@dataclass(frozen=True)
class AttendanceRules:
    """`present_share` in [0, 1] of the (elapsed) session online makes a learner present;
    joining more than `late_after` (>= 0) after the start makes a present learner late."""

    present_share: float = 0.75
    late_after: timedelta = timedelta(minutes=10)

    def __post_init__(self) -> None:
        if not 0.0 <= self.present_share <= 1.0:
            raise ValueError("present_share must be between 0 and 1")
        if self.late_after < _ZERO:
            raise ValueError("late_after must not be negative")


@dataclass(frozen=True)
class Override:
    """A teacher's decision for one learner; it wins over the computed status."""

    status: Status  # any status, including "excused"
    reason: str

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")


@dataclass(frozen=True)
class LearnerAttendance:
    """One learner's (or guest's) line of the sheet."""

    user_id: uuid.UUID
    status: Status  # the override's when there is one, else computed_status
    computed_status: Status  # always the rules' answer
    online_seconds: int  # union of the spans clipped to [starts_at, as_of], floored
    first_join: datetime | None  # earliest joined_at of the overlapping spans (may be early)
    last_leave: datetime | None  # latest left_at of those; None if none or one is still open
    connections: int  # spans overlapping the window
    override: Override | None


@dataclass(frozen=True)
class AttendanceSheet:
    starts_at: datetime
    ends_at: datetime
    as_of: datetime  # min(now, ends_at)
    final: bool  # now >= ends_at
    learners: list[LearnerAttendance]  # roster order
    guests: list[LearnerAttendance]  # online in the window, not on the roster; by first_join


@dataclass(frozen=True, slots=True)
class _Online:
    """What one user's spans give inside the window."""

    online: timedelta
    first_join: datetime
    last_leave: datetime | None
    connections: int


def _aware(value: datetime, name: str) -> None:
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _naive_span() -> ValueError:
    return ValueError("span times must be timezone-aware")


def _union(pieces: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The union of non-empty (start, end) intervals as sorted disjoint intervals (sorts
    `pieces` in place). Touching intervals are merged."""
    pieces.sort()
    merged: list[tuple[datetime, datetime]] = []
    low, high = pieces[0]
    for start, end in pieces:
        if start > high:
            merged.append((low, high))
            low, high = start, end
        elif end > high:
            high = end
    merged.append((low, high))
    return merged


def _summary(pieces: list[tuple[datetime, datetime, datetime, datetime | None]]) -> _Online:
    """One user's clipped spans (low, high, joined_at, left_at), sorted in place and swept."""
    pieces.sort(key=itemgetter(0))
    total = _ZERO
    low, high, first, last = pieces[0]
    for start, end, joined, left in pieces:
        if start > high:
            total += high - low
            low, high = start, end
        elif end > high:
            high = end
        if joined < first:
            first = joined
        if last is not None and (left is None or left > last):
            last = left
    return _Online(total + (high - low), first, last, len(pieces))


def _online_by_user(
    spans: Iterable[Span], start: datetime, as_of: datetime
) -> dict[uuid.UUID, _Online]:
    """Each user with at least one span overlapping [start, as_of]: one pass to clip and group
    (one dict look-up per span), then one sort and sweep per user."""
    groups: dict[uuid.UUID, list[tuple[datetime, datetime, datetime, datetime | None]]] = {}
    for span in spans:
        joined, left = span.joined_at, span.left_at
        if joined.tzinfo is None:
            raise _naive_span()
        if left is None:
            high = as_of
        elif left.tzinfo is None:
            raise _naive_span()
        elif left < joined:  # clock skew: ignored
            continue
        else:
            high = left if left < as_of else as_of
        low = joined if joined > start else start
        if high <= low:
            continue
        mine = groups.get(span.user_id)
        if mine is None:
            groups[span.user_id] = [(low, high, joined, left)]
        else:
            mine.append((low, high, joined, left))
    return {user: _summary(pieces) for user, pieces in groups.items()}


def _computed(
    online: _Online | None, window: timedelta, starts_at: datetime, rules: AttendanceRules
) -> tuple[Status, int]:
    """(status by the rules, online seconds)."""
    if online is None:
        return "absent", 0
    seconds = online.online // SECOND
    if seconds / window.total_seconds() < rules.present_share:
        return "partial", seconds
    if online.first_join > starts_at + rules.late_after:
        return "late", seconds
    return "present", seconds


def _line(
    user: uuid.UUID,
    online: _Online | None,
    computed: tuple[Status, int],
    override: Override | None,
) -> LearnerAttendance:
    status, seconds = computed
    return LearnerAttendance(
        user_id=user,
        status=override.status if override is not None else status,
        computed_status=status,
        online_seconds=seconds,
        first_join=online.first_join if online is not None else None,
        last_leave=online.last_leave if online is not None else None,
        connections=online.connections if online is not None else 0,
        override=override,
    )


def compute_attendance(
    *,
    roster: Sequence[uuid.UUID],
    spans: Iterable[Span],
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    rules: AttendanceRules = AttendanceRules(),  # frozen, safe to share
    overrides: Mapping[uuid.UUID, Override] | None = None,
) -> AttendanceSheet:
    """The attendance sheet of one session as of `now` (see the module docstring).

    `learners` follows the roster's order (a user listed twice appears once, at the first
    place); `guests` holds everyone else online inside the window, by first join (then id).
    An override for a guest who was never online in the window has nothing to apply to.
    Before the start, overrides still set `status` (a learner excused in advance).
    Raises ValueError on naive datetimes or when `ends_at <= starts_at`."""
    _aware(starts_at, "starts_at")
    _aware(ends_at, "ends_at")
    _aware(now, "now")
    if ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")
    overrides = overrides or {}
    as_of = min(now, ends_at)
    final = now >= ends_at
    order = list(dict.fromkeys(roster))
    if now <= starts_at:
        learners = [_line(u, None, ("absent", 0), overrides.get(u)) for u in order]
        return AttendanceSheet(starts_at, ends_at, as_of, final, learners, [])

    window = as_of - starts_at
    online = _online_by_user(spans, starts_at, as_of)
    learners = []
    for user in order:
        mine = online.pop(user, None)
        learners.append(
            _line(user, mine, _computed(mine, window, starts_at, rules), overrides.get(user))
        )
    guests = [
        _line(user, mine, _computed(mine, window, starts_at, rules), overrides.get(user))
        for user, mine in sorted(online.items(), key=lambda item: (item[1].first_join, item[0]))
    ]
    return AttendanceSheet(starts_at, ends_at, as_of, final, learners, guests)


def contact_seconds(
    spans: Iterable[Span], windows: Sequence[tuple[datetime, datetime]], now: datetime
) -> int:
    """One user's online time across several sessions (virtual-mobility hours): for each
    (start, end) window, the union of the spans clipped to [start, min(end, now)] floored to
    whole seconds, summed over the windows. So it equals the sum of that user's
    `online_seconds` on the sessions' sheets as of `now`. Open spans count up to `now`,
    skewed spans are ignored, as in `compute_attendance`.

    Raises ValueError on naive datetimes, on spans of more than one user, on a window that
    ends before it starts, or on overlapping windows."""
    ordered = _checked_windows(windows, now)
    pieces = _online_pieces(spans, now)
    if not pieces:
        return 0
    merged = _union(pieces)
    total = 0
    k = 0
    for start, scheduled_end in ordered:
        end = min(scheduled_end, now)
        while k < len(merged) and merged[k][1] <= start:
            k += 1
        inside = _ZERO
        j = k
        while j < len(merged) and merged[j][0] < end:
            low, high = max(merged[j][0], start), min(merged[j][1], end)
            if high > low:
                inside += high - low
            j += 1
        total += inside // SECOND
    return total


def _checked_windows(
    windows: Sequence[tuple[datetime, datetime]], now: datetime
) -> list[tuple[datetime, datetime]]:
    """The windows in order, checked: aware, none ending before it starts, none overlapping."""
    _aware(now, "now")
    for start, end in windows:
        _aware(start, "window start")
        _aware(end, "window end")
        if end < start:
            raise ValueError("a window must not end before it starts")
    ordered = sorted(windows)
    if any(ordered[i][0] < ordered[i - 1][1] for i in range(1, len(ordered))):
        raise ValueError("windows must not overlap")
    return ordered


def _online_pieces(spans: Iterable[Span], now: datetime) -> list[tuple[datetime, datetime]]:
    """One user's spans as `(joined, left or now)`, skewed and empty ones left out."""
    user: uuid.UUID | None = None
    pieces: list[tuple[datetime, datetime]] = []
    for span in spans:
        joined, left = span.joined_at, span.left_at
        if joined.tzinfo is None or (left is not None and left.tzinfo is None):
            raise _naive_span()
        if user is None:
            user = span.user_id
        elif span.user_id != user:
            raise ValueError("contact_seconds takes the spans of one user")
        if left is not None and left < joined:  # clock skew: ignored
            continue
        high = now if left is None or left > now else left
        if joined < high:
            pieces.append((joined, high))
    return pieces
