"""Benchmark: `find_slots` for 2, 3 and 4 classes over a 16-week term.

    python -m bench.scheduling [--repeat N]

The peer, measured in the same run over the same inputs, is the obvious brute force: every
15-minute UTC start of the range, every minute of the one-hour slot converted to each class's
wall clock with `zoneinfo`, then the term, the public holidays (one `holidays` calendar per
class, built once) and the bookings. It only decides which starts are bookable and does not
rank them, so the ratio understates the gap. Both must find the same set of starts; the run
stops if they do not. `find_slots` is timed cold (its caches emptied first) and warm (best of
`--repeat` runs), the peer as its best of up to 3 runs. The very first call in a process also
pays for importing the `holidays` country tables, reported apart.
"""

from __future__ import annotations

import argparse
import random
import time as clock
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import holidays

from app.classes.rules import WeeklyWindow
from app.scheduling.rules import holidays as public_holidays
from app.scheduling.rules import recurrence
from app.scheduling.rules.slots import MemberCalendar, find_slots

TERM_START = date(2027, 2, 22)  # 16 weeks across the March change, Easter and May holidays
TERM_END = TERM_START + timedelta(weeks=16) - timedelta(days=1)
DURATION = timedelta(hours=1)
STEP = timedelta(minutes=15)
CLASSES = (  # class id, country, region, zone
    ("paris", "FR", None, "Europe/Paris"),
    ("salo", "FI", None, "Europe/Helsinki"),
    ("munich", "DE", "BY", "Europe/Berlin"),
    ("izmir", "TR", None, "Europe/Istanbul"),
)


def members(count: int, seed: int = 0) -> list[MemberCalendar]:
    """`count` classes with 3-4 school-day windows of 2-5 hours each (a broad Tuesday and
    Thursday morning so that the group shares some time) and two bookings a week."""
    rng = random.Random(seed)
    found = []
    for class_id, country, region, zone in CLASSES[:count]:
        windows = [
            WeeklyWindow(1, time(8 + rng.randint(0, 1)), time(12 + rng.randint(0, 2))),
            WeeklyWindow(3, time(9), time(13 + rng.randint(0, 3))),
        ]
        for weekday in rng.sample((0, 2, 4), rng.randint(1, 2)):
            start = rng.randint(8, 12)
            windows.append(WeeklyWindow(weekday, time(start), time(start + rng.randint(2, 5))))
        busy = []
        for week in range(16):
            for _ in range(2):
                day = TERM_START + timedelta(weeks=week, days=rng.randint(0, 4))
                at = datetime.combine(day, time(rng.randint(6, 14), rng.choice((0, 30))), UTC)
                busy.append((at, at + timedelta(minutes=rng.choice((45, 60, 90)))))
        found.append(
            MemberCalendar(
                class_id, country, region, zone, tuple(windows), TERM_START, TERM_END, tuple(busy)
            )
        )
    return found


def naive_starts(
    group: Sequence[MemberCalendar], start: datetime, end: datetime, now: datetime
) -> set[datetime]:
    """The brute-force peer: the bookable starts, minute by minute."""
    calendars = {
        m.class_id: holidays.country_holidays(
            m.country, subdiv=m.region, years=range(start.year, end.year + 1)
        )
        for m in group
    }
    found = set()
    t = start
    while t < end:
        if t >= now and t + DURATION <= end and all(_naive_ok(m, calendars, t) for m in group):
            found.add(t)
        t += STEP
    return found


def _naive_ok(m: MemberCalendar, calendars: dict[str, holidays.HolidayBase], t: datetime) -> bool:
    zone = ZoneInfo(m.timezone)
    day = t.astimezone(zone).date()
    for minute in range(int(DURATION / timedelta(minutes=1))):
        local = (t + timedelta(minutes=minute)).astimezone(zone)
        wall = local.time().replace(fold=0)
        if local.date() != day or not any(
            w.weekday == day.weekday() and w.start <= wall < w.end for w in m.availability
        ):
            return False
    if not m.term_start <= day <= m.term_end or day in calendars[m.class_id]:
        return False
    return not any(b0 < t + DURATION and t < b1 for b0, b1 in m.busy)


def _clear_caches() -> None:
    recurrence.local_day_spans.cache_clear()
    recurrence._year_offsets.cache_clear()
    recurrence.zone.cache_clear()
    public_holidays.holidays_in.cache_clear()


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = clock.perf_counter()
        run()
        best = min(best, clock.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start = datetime.combine(TERM_START, time(), UTC)
    end = datetime.combine(TERM_END + timedelta(days=1), time(), UTC)
    print(f"16-week term {TERM_START} to {TERM_END}, 1-hour slots on a 15-minute grid")
    began = clock.perf_counter()
    find_slots(members(4), start=start, end=end, duration=DURATION, now=start)
    first = clock.perf_counter() - began
    print(
        f"first call in this process (4 classes, loads the holiday tables): {first * 1000:.0f} ms"
    )
    print("classes  candidates  bookable  cold ms  warm ms  brute-force ms  ratio cold  ratio warm")
    for count in (2, 3, 4):
        group = members(count)

        def search(group: list[MemberCalendar] = group) -> object:
            return find_slots(group, start=start, end=end, duration=DURATION, now=start)

        _clear_caches()
        began = clock.perf_counter()
        result = find_slots(group, start=start, end=end, duration=DURATION, now=start)
        cold = clock.perf_counter() - began
        warm = _best(search, args.repeat)
        fast = {
            slot.starts_at
            for slot in find_slots(
                group, start=start, end=end, duration=DURATION, now=start, limit=10**6
            ).items
        }
        if fast != naive_starts(group, start, end, start):
            raise SystemExit(f"{count} classes: find_slots and the brute force disagree")
        naive = _best(partial(naive_starts, group, start, end, start), min(args.repeat, 3))
        print(
            f"{count:>7}  {result.counts['candidates']:>10}  {len(fast):>8}  "
            f"{cold * 1000:>7.1f}  {warm * 1000:>7.1f}  {naive * 1000:>14.1f}  "
            f"{naive / cold:>10.0f}x  {naive / warm:>10.0f}x"
        )


if __name__ == "__main__":
    main()
