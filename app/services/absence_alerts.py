"""After a session's scheduled end, tell the guardians who asked that their learner missed it.

Once per session: a process claims a session by stamping `absences_checked_at` (a conditional
update, so two processes never both announce), computes its attendance (overrides count: an
excused learner is not absent) and announces `learner.absent` to the opted-in guardians of the
roster learners whose status is `absent`. Notification keys are unique per session and
learner, so even a retried announcement reaches nobody twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.clock import Clock
from app.db import unit_of_work
from app.models import LiveSession, User
from app.services import attendance, notifications
from app.services.family import Measure

log = logging.getLogger(__name__)
BATCH = 20


async def due_sessions(db: AsyncSession, *, now: datetime) -> list[uuid.UUID]:
    found = await db.scalars(
        select(col(LiveSession.id))
        .where(
            col(LiveSession.ends_at) <= now,
            col(LiveSession.status) != "cancelled",
            col(LiveSession.absences_checked_at).is_(None),
        )
        .order_by(col(LiveSession.ends_at))
        .limit(BATCH)
    )
    return list(found)


async def announce(
    db: AsyncSession, *, session_id: uuid.UUID, now: datetime, measure: Measure
) -> int:
    """Claim one ended session and announce its absences; how many guardians were told (0 when
    another process had claimed it)."""
    claimed = await db.execute(
        update(LiveSession)
        .where(col(LiveSession.id) == session_id, col(LiveSession.absences_checked_at).is_(None))
        .values(absences_checked_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return 0
    live = await db.get(LiveSession, session_id)
    if live is None:
        return 0
    sheet, *_ = await attendance.compute(
        db, live=live, now=now, rules=measure.rules, stale_after=measure.stale_after
    )
    told = 0
    for line in sheet.learners:
        if line.status != "absent":
            continue
        learner = await db.get(User, line.user_id)
        if learner is not None and learner.is_active:
            told += await notifications.learner_absent(db, live=live, learner=learner)
    return told


class AbsenceWatcher:
    """Polls for ended sessions every `poll_seconds`, on every process (claims keep it
    once-only)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Clock,
        measure: Measure,
        poll_seconds: float,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._measure = measure
        self._poll = poll_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="absence-alerts")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_once(self) -> int:
        now = self._clock()
        async with unit_of_work(self._sessions) as db:
            due = await due_sessions(db, now=now)
        told = 0
        for session_id in due:
            try:
                async with unit_of_work(self._sessions) as db:
                    told += await announce(
                        db, session_id=session_id, now=now, measure=self._measure
                    )
            except Exception:
                log.exception("absence alerts failed", extra={"session_id": str(session_id)})
        return told

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("absence alert sweep failed")
            await asyncio.sleep(self._poll)
