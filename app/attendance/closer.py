"""After a session's scheduled end: seal its attendance, tell the guardians who asked that
their learner missed it, and (hourly) purge what the retention period no longer allows.

Once per session: `attendance.seal` writes the final lines to `attendance_record` and stamps
`attendance_sealed_at` with a conditional update (the claim: of two processes only one seals
and announces), then `learner.absent` goes to the opted-in guardians of the roster learners
whose status is `absent` (overrides count: an excused learner is not absent). All in one unit
of work: a failure leaves the session unsealed, to be retried at the next poll, and
notification keys are unique per session and learner, so nobody is told twice.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.accounts.tables import User
from app.attendance import sheets as attendance
from app.attendance.retention import DataRetention, purge
from app.attendance.sheets import Measure
from app.core.clock import Clock
from app.core.db import unit_of_work
from app.core.loops import Loop
from app.notifications import service as notifications
from app.scheduling.tables import LiveSession

log = logging.getLogger(__name__)
BATCH = 20


async def due_sessions(db: AsyncSession, *, now: datetime) -> list[uuid.UUID]:
    found = await db.scalars(
        select(col(LiveSession.id))
        .where(
            or_(col(LiveSession.ends_at) <= now, col(LiveSession.ended_at) <= now),
            col(LiveSession.status) != "cancelled",
            col(LiveSession.attendance_sealed_at).is_(None),
        )
        .order_by(col(LiveSession.ends_at))
        .limit(BATCH)
    )
    return list(found)


async def close(db: AsyncSession, *, session_id: uuid.UUID, now: datetime, measure: Measure) -> int:
    """Seal one ended session and announce its absences; how many guardians were told (0 too
    when another process had sealed it)."""
    live = await db.get(LiveSession, session_id)
    if live is None:
        return 0
    sheet = await attendance.seal(
        db, live=live, now=now, rules=measure.rules, stale_after=measure.stale_after
    )
    if sheet is None:
        return 0
    told = 0
    for line in sheet.learners:
        if line.status != "absent":
            continue
        learner = await db.get(User, line.user_id)
        if learner is not None and learner.is_active:
            told += await notifications.learner_absent(db, live=live, learner=learner)
    return told


class SessionCloser:
    """Polls for ended sessions every `poll_seconds`, on every process (the claim keeps it
    once-only), and purges expired chat and presence every `purge_seconds`."""

    def __init__(
        self,
        db_factory: async_sessionmaker[AsyncSession],
        *,
        clock: Clock,
        measure: Measure,
        poll_seconds: float,
        retention: DataRetention,
        purge_seconds: float = 3600.0,
    ) -> None:
        self._db_factory = db_factory
        self._clock = clock
        self._measure = measure
        self._poll = poll_seconds
        self._retention = retention
        self._purge_every = purge_seconds
        self._next_purge = 0.0
        # first after one interval: a process that starts and stops at once touches nothing
        self.loop = Loop(
            "session-close", self.run_once, interval=poll_seconds, first_delay=poll_seconds
        )

    async def run_once(self) -> int:
        now = self._clock()
        async with unit_of_work(self._db_factory) as db:
            due = await due_sessions(db, now=now)
        told = 0
        for session_id in due:
            try:
                async with unit_of_work(self._db_factory) as db:
                    told += await close(db, session_id=session_id, now=now, measure=self._measure)
            except Exception:
                log.exception("closing a session failed", extra={"session_id": str(session_id)})
        loop = asyncio.get_running_loop()
        if loop.time() >= self._next_purge:
            self._next_purge = loop.time() + self._purge_every
            async with unit_of_work(self._db_factory) as db:
                await purge(db, now=now, retention=self._retention)
        return told
