"""Attendance rules: online time as a union of spans, statuses, guests, overrides, live sheets."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.attendance.rules.sheet import (
    STATUSES,
    AttendanceRules,
    AttendanceSheet,
    LearnerAttendance,
    Override,
    Span,
    Status,
    compute_attendance,
    contact_seconds,
)

START = datetime(2027, 3, 9, 9, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)
AFTER = END + timedelta(minutes=5)
ANA, BEN, CAT, DAN = (uuid.UUID(int=i) for i in range(1, 5))


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def span(user: uuid.UUID, joined: float, left: float | None) -> Span:
    return Span(user, at(joined), None if left is None else at(left))


def sheet(
    *spans: Span,
    roster: Sequence[uuid.UUID] = (ANA,),
    now: datetime = AFTER,
    rules: AttendanceRules | None = None,
    overrides: dict[uuid.UUID, Override] | None = None,
) -> AttendanceSheet:
    return compute_attendance(
        roster=roster,
        spans=spans,
        starts_at=START,
        ends_at=END,
        now=now,
        rules=rules or AttendanceRules(),
        overrides=overrides,
    )


def line(found: AttendanceSheet, user: uuid.UUID = ANA) -> LearnerAttendance:
    (only,) = [x for x in found.learners + found.guests if x.user_id == user]
    return only


# --- concrete cases -----------------------------------------------------------------------


def test_twelve_minutes_late_and_staying_is_late() -> None:
    found = line(sheet(span(ANA, 12, 90)))
    assert found.status == found.computed_status == "late"
    assert found.online_seconds == 78 * 60
    assert (found.first_join, found.last_leave, found.connections) == (at(12), at(90), 1)


@pytest.mark.parametrize(("joined", "status"), [(10, "present"), (10.01, "late"), (-5, "present")])
def test_late_starts_strictly_after_the_allowance(joined: float, status: Status) -> None:
    assert line(sheet(span(ANA, joined, 95))).status == status


def test_two_drops_and_returns_count_only_the_time_online() -> None:
    found = line(sheet(span(ANA, -3, 20), span(ANA, 21.5, 50), span(ANA, 52, 95)))
    assert found.online_seconds == (20 + 28.5 + 38) * 60
    assert (found.first_join, found.last_leave, found.connections) == (at(-3), at(95), 3)
    assert found.status == "present"


def test_overlapping_tabs_count_once() -> None:
    found = line(sheet(span(ANA, 0, 60), span(ANA, 10, 20), span(ANA, 30, 90)))
    assert found.online_seconds == 90 * 60
    assert found.connections == 3
    assert found.status == "present"


def test_never_online_inside_the_session_is_absent() -> None:
    found = sheet(span(ANA, -20, -5), span(ANA, 95, 100), span(ANA, -1, 0), roster=(ANA, BEN))
    assert [x.status for x in found.learners] == ["absent", "absent"]
    for learner in found.learners:
        assert learner.online_seconds == learner.connections == 0
        assert learner.first_join is learner.last_leave is None
    assert found.guests == []


def test_people_off_the_roster_are_guests_by_first_join() -> None:
    found = sheet(span(ANA, 0, 90), span(DAN, 30, 40), span(CAT, 5, 50), span(CAT, -30, -10))
    assert [x.user_id for x in found.learners] == [ANA]
    assert [x.user_id for x in found.guests] == [CAT, DAN]
    cat = found.guests[0]
    assert (cat.status, cat.online_seconds, cat.first_join, cat.connections) == (
        "partial",
        45 * 60,
        at(5),
        1,
    )


@pytest.mark.parametrize(
    ("left", "status"), [(60, "partial"), (67.49, "partial"), (67.5, "present")]
)
def test_under_the_share_is_partial(left: float, status: Status) -> None:
    assert line(sheet(span(ANA, 0, left))).status == status  # 0.75 of 90 min is 67.5 min


def test_online_for_a_fraction_of_a_second_is_partial_with_zero_seconds() -> None:
    found = line(sheet(Span(ANA, at(30), at(30) + timedelta(milliseconds=600))))
    assert (found.status, found.online_seconds, found.connections) == ("partial", 0, 1)


def test_an_override_wins_but_the_computed_status_stays() -> None:
    excused = Override("excused", "hospital appointment")
    kept = Override("present", "microphone broken, followed by phone")
    found = sheet(
        span(BEN, 0, 30),
        span(CAT, 0, 90),
        roster=(ANA, BEN),
        overrides={ANA: excused, BEN: kept, CAT: Override("absent", "not the invited guest")},
    )
    ana, ben, cat = line(found, ANA), line(found, BEN), line(found, CAT)
    assert (ana.status, ana.computed_status, ana.override) == ("excused", "absent", excused)
    assert (ben.status, ben.computed_status, ben.override) == ("present", "partial", kept)
    assert (cat.status, cat.computed_status) == ("absent", "present")
    assert found.guests == [cat]


def test_a_live_session_is_judged_on_the_elapsed_time() -> None:
    now = at(30)
    found = sheet(
        span(ANA, 0, None), span(BEN, 0, 20), span(CAT, 12, None), roster=(ANA, BEN, CAT), now=now
    )
    assert (found.as_of, found.final) == (now, False)
    ana, ben, cat = found.learners
    assert (ana.status, ana.online_seconds, ana.last_leave) == ("present", 1800, None)
    assert (ben.status, ben.online_seconds, ben.last_leave) == ("partial", 1200, at(20))
    assert (cat.status, cat.online_seconds) == ("partial", 1080)  # 0.6 of the elapsed time
    later = line(sheet(span(CAT, 12, None), roster=(CAT,), now=at(80)), CAT)
    assert (later.status, later.online_seconds) == ("late", 68 * 60)


@pytest.mark.parametrize("now", [at(-30), START])
def test_before_the_start_everyone_is_absent(now: datetime) -> None:
    found = sheet(
        span(ANA, -10, None),
        span(CAT, -10, None),
        roster=(ANA, BEN),
        now=now,
        overrides={BEN: Override("excused", "exam")},
    )
    assert (found.as_of, found.final, found.guests) == (now, False, [])
    assert [(x.status, x.computed_status, x.online_seconds) for x in found.learners] == [
        ("absent", "absent", 0),
        ("excused", "absent", 0),
    ]


def test_an_open_span_counts_until_now_and_leaves_no_last_leave() -> None:
    found = line(sheet(span(ANA, -5, 40), span(ANA, 30, None)))
    assert (found.online_seconds, found.status) == (90 * 60, "present")
    assert (found.first_join, found.last_leave, found.connections) == (at(-5), None, 2)
    assert found.last_leave is None


def test_a_span_ending_before_it_starts_is_ignored() -> None:
    found = line(sheet(span(ANA, 0, 80), span(ANA, 85, 20)))
    assert (found.online_seconds, found.connections, found.last_leave) == (80 * 60, 1, at(80))
    alone = line(sheet(span(ANA, 50, 40)))
    assert (alone.status, alone.connections) == ("absent", 0)


def test_the_roster_order_is_kept_and_repeats_appear_once() -> None:
    found = sheet(span(CAT, 0, 90), roster=(DAN, CAT, ANA, CAT))
    assert [x.user_id for x in found.learners] == [DAN, CAT, ANA]
    assert [x.status for x in found.learners] == ["absent", "present", "absent"]


def test_rules_are_configurable() -> None:
    rules = AttendanceRules(present_share=0.5, late_after=timedelta())
    assert line(sheet(span(ANA, 0, 45), rules=rules)).status == "present"
    assert line(sheet(span(ANA, 0.5, 90), rules=rules)).status == "late"


def test_bad_inputs_raise_value_error() -> None:
    naive = datetime(2027, 3, 9, 9)
    with pytest.raises(ValueError, match="aware"):
        compute_attendance(roster=[], spans=[], starts_at=naive, ends_at=END, now=AFTER)
    with pytest.raises(ValueError, match="aware"):
        sheet(Span(ANA, naive, None))
    with pytest.raises(ValueError, match="after"):
        compute_attendance(roster=[], spans=[], starts_at=END, ends_at=END, now=AFTER)
    with pytest.raises(ValueError, match="present_share"):
        AttendanceRules(present_share=1.5)
    with pytest.raises(ValueError, match="late_after"):
        AttendanceRules(late_after=timedelta(minutes=-1))
    with pytest.raises(ValueError, match="status"):
        Override("gone", "typo")  # type: ignore[arg-type]
    assert set(STATUSES) == {"present", "late", "partial", "absent", "excused"}


def test_contact_seconds_sums_the_sessions() -> None:
    second = (START + timedelta(days=7), END + timedelta(days=7))
    spans = [
        span(ANA, -5, 30),
        span(ANA, 20, 60),  # a second tab
        span(ANA, 100, 110),  # between the sessions: not counted
        Span(ANA, second[0] + timedelta(minutes=15), None),  # still there
    ]
    now = second[0] + timedelta(minutes=45)
    assert contact_seconds(spans, [second, (START, END)], now) == 60 * 60 + 30 * 60
    assert contact_seconds([], [(START, END)], now) == 0
    assert contact_seconds(spans, [], now) == 0
    with pytest.raises(ValueError, match="overlap"):
        contact_seconds(spans, [(START, END), (at(60), at(120))], now)
    with pytest.raises(ValueError, match="one user"):
        contact_seconds([*spans, span(BEN, 0, 1)], [(START, END)], now)
    with pytest.raises(ValueError, match="before it starts"):
        contact_seconds(spans, [(END, START)], now)
    with pytest.raises(ValueError, match="aware"):
        contact_seconds(spans, [(START, datetime(2027, 3, 9, 10))], now)


# --- properties ---------------------------------------------------------------------------

USERS = tuple(uuid.UUID(int=i) for i in range(1, 7))
BASE = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


def sec(offset: int) -> datetime:
    return BASE + timedelta(seconds=offset)


@st.composite
def aligned_spans(draw: st.DrawFn, users: Sequence[uuid.UUID] = USERS) -> list[Span]:
    """Spans on whole seconds over a 0-200 s range, some open, some skewed."""
    found = []
    for _ in range(draw(st.integers(0, 14))):
        joined = draw(st.integers(0, 200))
        left = draw(st.none() | st.integers(0, 200) | st.integers(joined, joined + 40))
        found.append(
            Span(draw(st.sampled_from(users)), sec(joined), None if left is None else sec(left))
        )
    return found


@st.composite
def sessions(draw: st.DrawFn) -> dict[str, object]:
    starts = draw(st.integers(0, 80))
    users = list(draw(st.permutations(USERS)))
    return {
        "roster": users[: draw(st.integers(0, len(users)))],
        "spans": draw(aligned_spans()),
        "starts_at": sec(starts),
        "ends_at": sec(starts + draw(st.integers(1, 100))),
        "now": sec(draw(st.integers(0, 220))),
        "rules": AttendanceRules(
            present_share=draw(st.sampled_from([0.0, 0.3, 0.5, 0.75, 0.9, 1.0])),
            late_after=timedelta(seconds=draw(st.integers(0, 30))),
        ),
        "overrides": {
            user: Override(draw(st.sampled_from(STATUSES)), "teacher")
            for user in draw(st.lists(st.sampled_from(USERS), max_size=3))
        },
    }


def _counts(span: Span, low: datetime, high: datetime) -> bool:
    """Whether the span is online over the whole second [low, high)."""
    if span.left_at is not None and span.left_at < span.joined_at:
        return False
    return span.joined_at <= low and (span.left_at is None or high <= span.left_at)


def brute_force(
    spans: list[Span], user: uuid.UUID, starts_at: datetime, as_of: datetime
) -> tuple[int, int, datetime | None, datetime | None]:
    """(online seconds, connections, first join, last leave) by counting second by second."""
    mine = [s for s in spans if s.user_id == user]
    seconds, overlapping = 0, set()
    t = starts_at
    while t < as_of:
        covering = [i for i, s in enumerate(mine) if _counts(s, t, t + timedelta(seconds=1))]
        seconds += bool(covering)
        overlapping.update(covering)
        t += timedelta(seconds=1)
    used = [mine[i] for i in overlapping]
    if not used:
        return 0, 0, None, None
    leaves = [s.left_at for s in used]
    last = None if None in leaves else max(x for x in leaves if x is not None)
    return seconds, len(used), min(s.joined_at for s in used), last


def rule_status(
    seconds: int, connections: int, first: datetime | None, args: dict[str, object]
) -> Status:
    """The issue's rules, restated."""
    rules, starts_at, as_of = args["rules"], args["starts_at"], args["as_of"]
    assert isinstance(rules, AttendanceRules)
    assert isinstance(starts_at, datetime)
    assert isinstance(as_of, datetime)
    if connections == 0 or as_of <= starts_at:
        return "absent"
    if seconds / (as_of - starts_at).total_seconds() < rules.present_share:
        return "partial"
    assert first is not None
    return "late" if first - starts_at > rules.late_after else "present"


@settings(max_examples=300, deadline=None)
@given(sessions())
def test_every_line_matches_a_per_second_count_and_the_rules(args: dict[str, object]) -> None:
    found = compute_attendance(**args)  # type: ignore[arg-type]
    roster, spans, now = args["roster"], args["spans"], args["now"]
    starts_at, ends_at, overrides = args["starts_at"], args["ends_at"], args["overrides"]
    assert isinstance(roster, list)
    assert isinstance(spans, list)
    assert isinstance(overrides, dict)
    assert isinstance(now, datetime)
    assert isinstance(starts_at, datetime)
    assert isinstance(ends_at, datetime)
    as_of = min(now, ends_at)
    assert (found.as_of, found.final) == (as_of, now >= ends_at)
    assert [x.user_id for x in found.learners] == roster

    expected_guests = []
    for user in USERS:
        seconds, connections, first, last = brute_force(spans, user, starts_at, as_of)
        status = rule_status(seconds, connections, first, {**args, "as_of": as_of})
        if user not in roster:
            if connections == 0:
                continue
            expected_guests.append((first, user))
        override = overrides.get(user)
        assert line(found, user) == LearnerAttendance(
            user_id=user,
            status=override.status if override else status,
            computed_status=status,
            online_seconds=seconds,
            first_join=first,
            last_leave=last,
            connections=connections,
            override=override,
        )
    assert [x.user_id for x in found.guests] == [u for _, u in sorted(expected_guests)]
    assert all(g.computed_status != "absent" for g in found.guests)


@st.composite
def fine_spans(draw: st.DrawFn) -> list[Span]:
    """One user's spans on microseconds over about a minute, none open or skewed."""
    found = []
    for _ in range(draw(st.integers(1, 12))):
        joined = draw(st.integers(0, 60_000_000))
        left = joined + draw(st.integers(0, 20_000_000))
        found.append(
            Span(ANA, BASE + timedelta(microseconds=joined), BASE + timedelta(microseconds=left))
        )
    return found


def sweep_seconds(spans: Sequence[Span], low: datetime, high: datetime) -> int:
    """The union's length by counting how many spans are open between consecutive events."""
    events = sorted(
        event
        for s in spans
        if s.left_at is not None and max(s.joined_at, low) < min(s.left_at, high)
        for event in ((max(s.joined_at, low), 1), (min(s.left_at, high), -1))
    )
    total, depth, previous = timedelta(), 0, low
    for t, step in events:
        if depth > 0:
            total += t - previous
        depth += step
        previous = t
    return total // timedelta(seconds=1)


@settings(max_examples=200, deadline=None)
@given(fine_spans(), st.integers(0, 30_000_000), st.integers(1, 60_000_000), st.randoms())
def test_sub_second_spans_floor_the_exact_union_in_any_order(
    spans: list[Span], start: int, length: int, rng: Random
) -> None:
    starts_at = BASE + timedelta(microseconds=start)
    ends_at = starts_at + timedelta(microseconds=length)
    found = compute_attendance(
        roster=[ANA], spans=spans, starts_at=starts_at, ends_at=ends_at, now=ends_at
    )
    assert found.learners[0].online_seconds == sweep_seconds(spans, starts_at, ends_at)
    shuffled = list(spans)
    rng.shuffle(shuffled)
    again = compute_attendance(
        roster=[ANA], spans=shuffled, starts_at=starts_at, ends_at=ends_at, now=ends_at
    )
    assert again == found


@st.composite
def windows(draw: st.DrawFn) -> list[tuple[datetime, datetime]]:
    """Disjoint windows of 1-60 s in 0-220 s, in random order."""
    cuts = sorted(draw(st.sets(st.integers(0, 220), max_size=8)))
    pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    found = [(sec(a), sec(b)) for a, b in pairs if b > a]
    return draw(st.permutations(found))


@settings(max_examples=200, deadline=None)
@given(aligned_spans(users=(ANA,)), windows(), st.integers(0, 220))
def test_contact_seconds_is_the_sum_of_the_sheets(
    spans: list[Span], sessions: list[tuple[datetime, datetime]], now: int
) -> None:
    moment = sec(now)
    total = contact_seconds(spans, sessions, moment)
    per_second = sum(brute_force(spans, ANA, s, min(e, moment))[0] for s, e in sessions)
    sheets = sum(
        compute_attendance(roster=[ANA], spans=spans, starts_at=s, ends_at=e, now=moment)
        .learners[0]
        .online_seconds
        for s, e in sessions
    )
    assert total == per_second == sheets
