"""Benchmark: `compute_attendance` on a seeded 90-minute session.

    python -m bench.attendance [--learners 60,600] [--repeat 21] [--seed 7]

Each size is a roster of N learners and N/20 guests with N x 250/3 spans (5,000 spans, that is
10,000 join and leave events, at 60 learners): reconnects (a learner's time cut into several
spans with gaps of 0.5-30 s), overlapping tabs (a fifth of the spans), early and late joiners,
early leavers, learners who never come, a few spans still open and a few with clock skew, all
on microsecond timestamps. The sheet is computed once after the end (final) and once at 45
minutes (live).

The peer, measured in the same run on the same spans, is the obvious code: for each learner
(and guest), pick its spans out of the whole list, then insert each clipped span into a list
of disjoint intervals, merging with every interval it touches (quadratic per learner), then the
same status rules. The run stops unless both give every user the same online seconds, status,
first join, last leave and connections. Both are timed warm (one run first), as the median of
`--repeat` runs for `compute_attendance` and of up to 3 for the peer. The live sheet sees only
what the database would hold at 45 minutes (later spans missing, spans ending later open).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time as clock
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.attendance.rules.sheet import (
    SECOND,
    AttendanceRules,
    AttendanceSheet,
    Span,
    Status,
    compute_attendance,
)

STARTS_AT = datetime(2027, 3, 9, 9, 0, tzinfo=UTC)
ENDS_AT = STARTS_AT + timedelta(minutes=90)
SPANS_PER_LEARNER = 5_000 / 60
RULES = AttendanceRules()


def _at(minutes: float) -> datetime:
    return STARTS_AT + timedelta(seconds=minutes * 60)  # rounded to microseconds


@dataclass(frozen=True)
class Session:
    roster: list[uuid.UUID]
    spans: list[Span]

    def seen_at(self, now: datetime) -> Session:
        """What the database holds at `now`: spans not yet begun are missing, spans that end
        later are still open."""
        spans = [
            s if s.left_at is None or s.left_at <= now else Span(s.user_id, s.joined_at, None)
            for s in self.spans
            if s.joined_at <= now
        ]
        return Session(self.roster, spans)


def _times(rng: random.Random) -> tuple[float, float] | None:
    """(arrive, depart) in minutes from the start, by profile; None: never comes."""
    kind = rng.random()
    if kind < 0.08:
        return None
    arrive = rng.uniform(-8, 8)
    depart = rng.uniform(85, 100)
    if kind < 0.22:
        arrive = rng.uniform(10, 30)  # late joiner
    elif kind < 0.34:
        depart = rng.uniform(25, 65)  # leaves early
    return arrive, depart


def _spans_of(
    rng: random.Random, user: uuid.UUID, arrive: float, depart: float, count: int
) -> list[Span]:
    tabs = count // 5
    pieces = count - tabs
    cuts = sorted(rng.uniform(arrive, depart) for _ in range(pieces - 1))
    bounds = [arrive, *cuts, depart]
    found = []
    begin = arrive
    for i in range(pieces):
        end = bounds[i + 1]
        found.append(Span(user, _at(begin), _at(end)))
        begin = min(
            end + rng.uniform(0.5, 30) / 60, bounds[i + 2] if i + 2 < len(bounds) else depart
        )
    for _ in range(tabs):
        a = rng.uniform(arrive, depart)
        found.append(Span(user, _at(a), _at(min(depart, a + rng.uniform(10, 1200) / 60))))
    if depart > 90 and rng.random() < 0.15:  # still connected when the sheet is made
        last = found[pieces - 1]
        found[pieces - 1] = Span(user, last.joined_at, None)
    return found


def session(learners: int, seed: int) -> Session:
    rng = random.Random(seed)
    roster = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(learners)]
    guests = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(max(1, learners // 20))]
    total = round(learners * SPANS_PER_LEARNER)
    times = {user: _times(rng) for user in roster}
    times.update((g, (rng.uniform(0, 40), rng.uniform(45, 95))) for g in guests)
    plan = {user: t for user, t in times.items() if t is not None}
    coming = list(plan)
    skewed = max(1, total // 1000)
    flaky = [rng.paretovariate(1.5) for _ in coming]  # some connections drop far more often
    counts = Counter(rng.choices(coming, weights=flaky, k=total - skewed - len(coming)))
    spans: list[Span] = []
    for user in coming:
        arrive, depart = plan[user]
        spans.extend(_spans_of(rng, user, arrive, depart, counts[user] + 1))
    for _ in range(skewed):  # a client clock off by minutes
        a = rng.uniform(0, 90)
        spans.append(Span(rng.choice(coming), _at(a), _at(a - rng.uniform(1, 5))))
    rng.shuffle(spans)
    return Session(roster, spans)


# --- the peer -----------------------------------------------------------------------------

Line = tuple[int, Status, datetime | None, datetime | None, int]


def naive_sheet(
    spans: Sequence[Span], roster: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, Line]:
    """Per user: filter the whole list, merge by insertion into disjoint intervals."""
    as_of = min(now, ENDS_AT)
    users = list(roster) + sorted({s.user_id for s in spans} - set(roster))
    found: dict[uuid.UUID, Line] = {}
    for user in users:
        disjoint: list[tuple[datetime, datetime]] = []
        used = []
        for s in spans:
            if s.user_id != user or (s.left_at is not None and s.left_at < s.joined_at):
                continue
            low = max(s.joined_at, STARTS_AT)
            high = as_of if s.left_at is None else min(s.left_at, as_of)
            if high <= low:
                continue
            used.append(s)
            kept = []
            for a, b in disjoint:
                if b < low or high < a:
                    kept.append((a, b))
                else:
                    low, high = min(a, low), max(b, high)
            kept.append((low, high))
            disjoint = kept
        if not used and user not in roster:
            continue
        seconds = sum((b - a for a, b in disjoint), timedelta()) // SECOND
        first = min((s.joined_at for s in used), default=None)
        leaves = [s.left_at for s in used]
        last = None if not used or None in leaves else max(x for x in leaves if x is not None)
        status: Status
        if not used:
            status = "absent"
        elif seconds / (as_of - STARTS_AT).total_seconds() < RULES.present_share:
            status = "partial"
        elif first is not None and first > STARTS_AT + RULES.late_after:
            status = "late"
        else:
            status = "present"
        found[user] = (seconds, status, first, last, len(used))
    return found


def _lines(sheet: AttendanceSheet) -> dict[uuid.UUID, Line]:
    return {
        x.user_id: (x.online_seconds, x.computed_status, x.first_join, x.last_leave, x.connections)
        for x in sheet.learners + sheet.guests
    }


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm
    times = []
    for _ in range(repeat):
        began = clock.perf_counter()
        run()
        times.append(clock.perf_counter() - began)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", default="60,600")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print("90-minute session, default rules (0.75 of the session, late after 10 minutes)")
    print()
    print(
        "| learners | guests | spans (join + leave events) | sheet "
        "| present / late / partial / absent | compute_attendance | naive peer | ratio |"
    )
    print("|---:|---:|---:|---|---|---:|---:|---:|")
    for learners in (int(x) for x in args.learners.split(",")):
        full = session(learners, args.seed)
        for label, now in (("final", ENDS_AT + timedelta(minutes=10)), ("live, 45 min", _at(45))):
            data = full.seen_at(now)

            def fast(data: Session = data, now: datetime = now) -> AttendanceSheet:
                return compute_attendance(
                    roster=data.roster,
                    spans=data.spans,
                    starts_at=STARTS_AT,
                    ends_at=ENDS_AT,
                    now=now,
                )

            def slow(data: Session = data, now: datetime = now) -> dict[uuid.UUID, Line]:
                return naive_sheet(data.spans, data.roster, now)

            sheet = fast()
            if _lines(sheet) != slow():
                raise SystemExit(f"{learners} learners, {label}: the two disagree")
            statuses = Counter(x.computed_status for x in sheet.learners)
            mix = " / ".join(str(statuses[s]) for s in ("present", "late", "partial", "absent"))
            fast_ms = _median_ms(fast, args.repeat)
            slow_ms = _median_ms(slow, min(args.repeat, 3))
            still_open = sum(s.left_at is None for s in data.spans)
            events = f"{len(data.spans):,} ({2 * len(data.spans) - still_open:,})"
            ratio = slow_ms / fast_ms
            print(
                f"| {learners} | {len(sheet.guests)} | {events} | {label} | {mix} "
                f"| {fast_ms:.1f} ms | {slow_ms:,.0f} ms | {ratio:.0f}x |"
            )


if __name__ == "__main__":
    main()
