"""The CSV writer: what a spreadsheet program reads back, accents, quoting, formulas."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.core.rules.csv_export import (
    ATTENDANCE_COLUMNS,
    BOM,
    HOURS_COLUMNS,
    PARTNER_COLUMNS,
    AttendanceRow,
    HoursRow,
    attachment,
    cell,
    csv_chunks,
    prefers_csv,
    safe_text,
)

START = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
NAMES = [
    "Loïc Béranger, dit « Lolo »",
    'Anaïs "Nana" Dubois',
    "Ségolène Œuvray",
    "Jürgen Groß",
    "Line one\nline two",
]


def read(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM), newline="")))


def row(name: str, **overrides: object) -> AttendanceRow:
    fields: dict[str, object] = {
        "session_id": uuid.uuid4(),
        "session_start": START,
        "session_title": "Our regions",
        "learner_id": uuid.uuid4(),
        "display_name": name,
        "country": "FR",
        "class_id": uuid.uuid4(),
        "class_name": "Cuisine 2",
        "status": "late",
        "overridden": True,
        "computed_status": "partial",
        "online_minutes": 47.5,
        "first_join": START + timedelta(minutes=12),
        "last_leave": None,
    }
    return AttendanceRow(**(fields | overrides))  # type: ignore[arg-type]


def test_names_with_accents_commas_quotes_and_newlines_come_back_intact() -> None:
    rows = [row(name) for name in NAMES]
    text = "".join(csv_chunks(ATTENDANCE_COLUMNS, (r.cells() for r in rows)))
    back = read(text)
    assert [r["display_name"] for r in back] == NAMES
    assert list(back[0]) == list(ATTENDANCE_COLUMNS)
    first = back[0]
    assert first["session_start"] == "2026-10-05T08:00:00Z"
    assert first["first_join"] == "2026-10-05T08:12:00Z"
    assert first["last_leave"] == ""
    assert first["online_minutes"] == "47.5"
    assert first["class"] == "Cuisine 2"
    assert first["session_id"] == str(rows[0].session_id)


def test_the_bytes_are_utf8_with_a_bom_and_crlf_lines() -> None:
    text = "".join(csv_chunks(("a", "b"), [("Œ", 1)]))
    data = text.encode()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "a,b\r\nŒ,1\r\n"


def test_one_chunk_per_row_lazily() -> None:
    def rows() -> object:
        yield ("x",)
        raise AssertionError("read too far")

    chunks = csv_chunks(("h",), rows())  # type: ignore[arg-type]
    assert next(chunks) == BOM + "h\r\n"
    assert next(chunks) == "x\r\n"


@pytest.mark.parametrize("text", ["=1+1", "+33 6 12", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formulas_are_shown_not_evaluated(text: str) -> None:
    assert safe_text(text) == "'" + text
    back = read("".join(csv_chunks(("name",), [(text,)])))
    assert back[0]["name"] == "'" + text


def test_other_text_and_numbers_are_left_alone() -> None:
    assert safe_text("Zoé = top") == "Zoé = top"
    assert cell(-3) == "-3"  # a number is never a formula
    assert cell(2.5) == "2.5"
    assert cell(None) == ""
    assert cell(True) == "true"
    assert cell(date(2026, 3, 29)) == "2026-03-29"
    paris = timezone(timedelta(hours=2))
    assert cell(datetime(2026, 10, 5, 10, 0, tzinfo=paris)) == "2026-10-05T08:00:00Z"


def test_a_naive_instant_or_a_short_row_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cell(datetime(2026, 10, 5, 10, 0))
    with pytest.raises(ValueError, match="cells"):
        list(csv_chunks(("a", "b"), [("only one",)]))


def test_a_partner_row_leaves_the_hidden_columns_empty() -> None:
    reduced = row(
        "Niccolò Sforza",
        country="IT",
        class_id=None,
        class_name=None,
        overridden=None,
        computed_status=None,
        online_minutes=None,
        first_join=None,
    )
    (back,) = read("".join(csv_chunks(ATTENDANCE_COLUMNS, [reduced.cells()])))
    assert {k for k, v in back.items() if v} == PARTNER_COLUMNS


def test_hours_rows_list_schools_and_countries() -> None:
    hours = HoursRow(
        learner_id=uuid.uuid4(),
        exchange_id=uuid.uuid4(),
        first_session=START,
        last_session=START + timedelta(days=7),
        sessions=2,
        seconds=5400,
        hours=1.5,
        partner_schools=[("Istituto Artusi, Bologna", "IT"), ("Berufskolleg Köln", "DE")],
        countries=["DE", "IT"],
    )
    (back,) = read("".join(csv_chunks(HOURS_COLUMNS, [hours.cells()])))
    assert back["partner_schools"] == "Istituto Artusi, Bologna (IT); Berufskolleg Köln (DE)"
    assert back["countries"] == "DE; IT"
    assert (back["seconds"], back["hours"], back["sessions"]) == ("5400", "1.5", "2")
    assert back["last_session"] == "2026-10-12T08:00:00Z"


@pytest.mark.parametrize(
    ("accept", "csv_wanted"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("text/csv", True),
        ("TEXT/CSV; charset=utf-8", True),
        ("text/csv, application/json", True),
        ("application/json, text/csv;q=0.5", False),
        ("text/csv;q=0", False),
        ("text/csv;q=nonsense", False),
        ("text/html, text/csv;q=0.9, */*;q=0.8", True),
    ],
)
def test_accept_negotiation(accept: str | None, csv_wanted: bool) -> None:
    assert prefers_csv(accept) is csv_wanted


def test_attachment_names_are_plain_ascii() -> None:
    assert attachment("attendance-1f2e") == 'attachment; filename="attendance-1f2e.csv"'
    assert attachment('rapport "Œ"/..') == 'attachment; filename="rapport_______.csv"'
    assert attachment("") == 'attachment; filename="export.csv"'
