"""What a recurrence rule may ask of the expander, checked before any expansion.

dateutil walks a rule period by period until it finds an occurrence or passes the year 9999, so a
rule whose filters no calendar day can meet (`BYMONTH=2;BYMONTHDAY=30`) or that steps by the
second or minute keeps a CPU busy for seconds to minutes before it fails. These checks are
structural and cheap: they look at the rule's parts, never iterate over time.

- FREQ=SECONDLY and FREQ=MINUTELY are refused: live sessions never repeat that often.
- BYMONTH, BYMONTHDAY and BYYEARDAY together must match at least one day of a leap or a common
  year, else the rule can never produce an occurrence.
"""

from __future__ import annotations

from datetime import date, timedelta

REFUSED_FREQUENCIES = frozenset({"SECONDLY", "MINUTELY"})
_YEARS = (2023, 2024)  # one common year and one leap year: every (month, day, yearday) there is


def _numbers(name: str, value: str, low: int, high: int) -> set[int]:
    """The comma-separated integers of a BY part, each in ±[low, high]; a ValueError otherwise."""
    found: set[int] = set()
    for item in value.split(","):
        try:
            number = int(item.strip().lstrip("+"))
        except ValueError:
            raise ValueError(f"{name}={item} is not a whole number") from None
        if not low <= abs(number) <= high:
            raise ValueError(f"{name}={item} is out of range")
        found.add(number)
    return found


def _day_matches(
    day: date,
    year_length: int,
    months: set[int] | None,
    month_days: set[int] | None,
    year_days: set[int] | None,
) -> bool:
    if months is not None and day.month not in months:
        return False
    if month_days is not None:
        next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        month_length = (next_month - timedelta(days=1)).day
        if day.day not in month_days and day.day - month_length - 1 not in month_days:
            return False
    if year_days is not None:
        ordinal = day.timetuple().tm_yday
        if ordinal not in year_days and ordinal - year_length - 1 not in year_days:
            return False
    return True


def feasibility_problem(parts: dict[str, str]) -> str | None:
    """Why the rule (its upper-cased NAME -> VALUE parts) can never be expanded cheaply or can
    never produce an occurrence; None when these checks find nothing wrong."""
    if parts.get("FREQ") in REFUSED_FREQUENCIES:
        return f"FREQ={parts['FREQ']} is not allowed: sessions repeat at most hourly"
    try:
        months = _numbers("BYMONTH", parts["BYMONTH"], 1, 12) if "BYMONTH" in parts else None
        month_days = (
            _numbers("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31) if "BYMONTHDAY" in parts else None
        )
        year_days = (
            _numbers("BYYEARDAY", parts["BYYEARDAY"], 1, 366) if "BYYEARDAY" in parts else None
        )
    except ValueError as exc:
        return str(exc)
    if months is None and month_days is None and year_days is None:
        return None
    for year in _YEARS:
        first = date(year, 1, 1)
        length = (date(year + 1, 1, 1) - first).days
        for offset in range(length):
            if _day_matches(first + timedelta(days=offset), length, months, month_days, year_days):
                return None
    return "no calendar day matches BYMONTH, BYMONTHDAY and BYYEARDAY together"
