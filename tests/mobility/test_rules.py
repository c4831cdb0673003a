"""The pure rules of mobility, without a database or an event loop."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from app.mobility.rules import ewp
from app.mobility.rules.checkins import due_now, is_concern, is_missed
from app.mobility.rules.checklist import DEFAULT_TEMPLATE, items_for
from app.mobility.rules.status import STATUSES, allowed_from, can_move
from app.mobility.rules.texts import TEMPLATES, MobilityFacts, render

T0 = datetime(2027, 3, 1, 9, tzinfo=UTC)


def test_only_the_forward_steps_and_cancelling_an_open_mobility_are_allowed() -> None:
    allowed = {(a, b) for a in STATUSES for b in STATUSES if can_move(a, b)}
    assert allowed == {
        ("planned", "preparing"),
        ("preparing", "abroad"),
        ("abroad", "completed"),
        ("planned", "cancelled"),
        ("preparing", "cancelled"),
        ("abroad", "cancelled"),
    }
    assert allowed_from("completed") == []
    assert allowed_from("abroad") == ["completed", "cancelled"]


def test_the_default_template_covers_the_issue_and_counts_back_from_the_start() -> None:
    titles = " ".join(t.title for t in DEFAULT_TEMPLATE).lower()
    for needle in ("identity", "health insurance", "insurance", "learning agreement", "travel"):
        assert needle in titles
    items = items_for(DEFAULT_TEMPLATE, date(2027, 4, 1))
    assert items[0].due_on == date(2027, 3, 2)  # 30 days before
    assert [i.position for i in items] == list(range(len(DEFAULT_TEMPLATE)))


def test_check_ins_fall_due_once_per_period_and_a_late_sweep_skips_past_weeks() -> None:
    every = 7
    assert due_now(T0, every, T0 - timedelta(seconds=1)) == (None, T0)
    assert due_now(T0, every, T0) == (T0, T0 + timedelta(days=7))
    late = T0 + timedelta(days=15)
    assert due_now(T0, every, late) == (T0 + timedelta(days=14), T0 + timedelta(days=21))
    grace = timedelta(hours=24)
    assert not is_missed(T0, grace, T0 + timedelta(hours=23, minutes=59))
    assert is_missed(T0, grace, T0 + grace)


@pytest.mark.parametrize(
    ("wellbeing", "ok", "concern"),
    [(1, True, True), (2, True, True), (3, True, False), (5, False, True), (5, True, False)],
)
def test_low_wellbeing_or_a_bad_placement_is_a_concern(
    wellbeing: int, ok: bool, concern: bool
) -> None:
    assert is_concern(wellbeing, ok) is concern


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def test_virtual_timing_relative_to_the_stay() -> None:
    start, end = date(2027, 4, 1), date(2027, 4, 21)
    assert ewp.virtual_timing(None, None, start, end) is None
    assert ewp.virtual_timing(at(date(2027, 3, 1)), at(date(2027, 3, 20)), start, end) == "before"
    both = ewp.virtual_timing(at(date(2027, 3, 1)), at(date(2027, 5, 2)), start, end)
    assert both == "before-and-during-and-after"
    assert ewp.virtual_timing(at(date(2027, 4, 2)), at(date(2027, 4, 3)), start, end) == "during"


def test_a_bm_row_uses_the_report_field_names() -> None:
    sending = ewp.Org(uuid.uuid4(), "Lycée hôtelier", "FR", "Lyon")
    receiving = ewp.Org(uuid.uuid4(), "Istituto alberghiero", "IT", "Bologna")
    row = ewp.bm_row(
        ewp.BmFacts(
            mobility_id=uuid.uuid4(),
            blended=False,
            contact_seconds=0,
            first_session=None,
            last_session=None,
            sending=sending,
            receiving=receiving,
            city="Rimini",
            country="IT",
            exchange_languages=[],
            starts_on=date(2027, 4, 1),
            ends_on=date(2027, 4, 21),
        )
    )
    assert tuple(row) == ewp.COLUMNS
    assert row["blended"] is False
    assert row["virtual-duration"] is None
    assert row["main-language"] == "it"  # the receiving country's, without an exchange
    assert row["receiving-city"] == "Rimini"
    assert row["duration-calculated"] == 21
    assert len(ewp.csv_cells(row)) == len(ewp.COLUMNS)


@pytest.mark.parametrize("event", list(TEMPLATES))
def test_every_event_reads_in_six_languages(event: str) -> None:
    facts = MobilityFacts(learner="Léa", city="Bologna", title="EHIC", day="2027-04-01")
    bodies = set()
    for language in ("en", "fr", "it", "de", "es", "fi"):
        got, subject, body = render(event, language, facts)  # type: ignore[arg-type]
        assert got == language
        assert "{" not in subject + body
        bodies.add(body)
    assert len(bodies) == 6
    assert render(event, "pt", facts)[0] == "en"  # type: ignore[arg-type]
