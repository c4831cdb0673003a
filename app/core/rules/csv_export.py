"""CSV for spreadsheets: attendance rows, hours rows, and the writer that streams them.

Pure: rows in, text chunks out (no I/O, no clock). What a spreadsheet program needs:

- UTF-8 with a byte-order mark first, so Excel and LibreOffice keep accents (Loïc, Œuvray);
- RFC 4180 quoting by the `csv` module: a cell holding a comma, a quote or a line break is
  quoted, quotes doubled; lines end with CRLF;
- no formula injection (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`,
  a tab or a carriage return gets a leading `'`, so it is shown, never evaluated. Only text
  is escaped: numbers and instants are written by this module and never start that way;
- empty cells for unknown or hidden values (None).

Instants are ISO 8601 in UTC with `Z`, as in the JSON API.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | datetime | date | uuid.UUID | None

ATTENDANCE_COLUMNS: tuple[str, ...] = (
    "session_id",
    "session_start",
    "session_title",
    "learner_id",
    "display_name",
    "country",
    "class_id",
    "class",
    "status",
    "overridden",
    "computed_status",
    "online_minutes",
    "first_join",
    "last_leave",
)
# what a partner school's viewer sees of a learner; the other columns stay empty for them
PARTNER_COLUMNS = frozenset(
    (
        "session_id",
        "session_start",
        "session_title",
        "learner_id",
        "display_name",
        "country",
        "status",
    )
)

HOURS_COLUMNS: tuple[str, ...] = (
    "learner_id",
    "exchange_id",
    "first_session",
    "last_session",
    "sessions",
    "seconds",
    "hours",
    "partner_schools",
    "countries",
)


@dataclass(frozen=True)
class AttendanceRow:
    """One learner in one session. None: empty (unknown, or hidden from the viewer)."""

    session_id: uuid.UUID
    session_start: datetime
    session_title: str
    learner_id: uuid.UUID
    display_name: str
    country: str | None
    class_id: uuid.UUID | None
    class_name: str | None
    status: str
    overridden: bool | None
    computed_status: str | None
    online_minutes: float | None
    first_join: datetime | None
    last_leave: datetime | None

    def cells(self) -> tuple[Cell, ...]:
        """In the order of `ATTENDANCE_COLUMNS`."""
        return (
            self.session_id,
            self.session_start,
            self.session_title,
            self.learner_id,
            self.display_name,
            self.country,
            self.class_id,
            self.class_name,
            self.status,
            None if self.overridden is None else ("yes" if self.overridden else "no"),
            self.computed_status,
            self.online_minutes,
            self.first_join,
            self.last_leave,
        )


@dataclass(frozen=True)
class HoursRow:
    """One exchange of a learner's contact hours."""

    learner_id: uuid.UUID
    exchange_id: uuid.UUID
    first_session: datetime | None
    last_session: datetime | None
    sessions: int
    seconds: int
    hours: float
    partner_schools: Sequence[tuple[str, str]]  # (name, country)
    countries: Sequence[str]

    def cells(self) -> tuple[Cell, ...]:
        """In the order of `HOURS_COLUMNS`; lists joined with "; ", a school as `name (CC)`."""
        return (
            self.learner_id,
            self.exchange_id,
            self.first_session,
            self.last_session,
            self.sessions,
            self.seconds,
            self.hours,
            "; ".join(f"{name} ({country})" for name, country in self.partner_schools),
            "; ".join(self.countries),
        )


def instant(value: datetime) -> str:
    """ISO 8601 in UTC with `Z`. Raises ValueError on a naive datetime."""
    if value.utcoffset() is None:
        raise ValueError("instants must be timezone-aware")
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def safe_text(text: str) -> str:
    """`text`, with a leading `'` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Cell) -> str:
    """One cell's text: None empty, instants in UTC, text escaped against formulas."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool):  # a bool is an int: say what it means
        return "true" if value else "false"
    return str(value)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The BOM and the header line, then one chunk per row (CRLF-terminated), lazily: a
    `StreamingResponse` can send each as it comes. Raises ValueError when a row's width
    differs from the header's."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Sequence[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield BOM + line([safe_text(name) for name in header])
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row has {len(row)} cells, the header {len(header)}")
        yield line([cell(value) for value in row])


def prefers_csv(accept: str | None) -> bool:
    """Whether an `Accept` header asks for CSV: `text/csv` listed with a q above 0 and at
    least the q of every JSON type listed (`*/*` alone means JSON, the API's default)."""
    if not accept:
        return False
    csv_q = json_q = 0.0
    for media_range in accept.split(","):
        kind, *params = (part.strip() for part in media_range.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        kind = kind.lower()
        if kind == "text/csv":
            csv_q = max(csv_q, q)
        elif kind in ("application/json", "application/*"):
            json_q = max(json_q, q)
    return csv_q > 0 and csv_q >= json_q


def attachment(stem: str) -> str:
    """A `Content-Disposition` value for `stem`.csv; anything but ASCII letters, digits,
    `-` and `_` in `stem` becomes `_` (the header is ASCII; ids and dates pass unchanged)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in stem)
    return f'attachment; filename="{safe or "export"}.csv"'
