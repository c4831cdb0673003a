"""The mobility sweep: check-ins that fall due every N days, check-ins missed past their
grace, overdue checklist items, and the retention of free text after a mobility's end.

`sweep()` is one step, with `now` given (tests call it with their clock); `MobilitySweeper`
runs it every `PASSERELLE_MOBILITY_SWEEP_SECONDS` on every process. Every announcement is
claimed first by a conditional update (a check-in flipped from `due` to `missed`, an item's
`reminded_at` set, a mobility's `next_checkin_at` moved on), in the unit of work that
announces it: of two processes only one claims, and a failure rolls both back, to be retried
at the next sweep. So each tutor hears of a missed check-in exactly once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.accounts.tables import User
from app.core.clock import Clock
from app.core.db import unit_of_work
from app.core.loops import Loop
from app.mobility import notify
from app.mobility.rules.checkins import due_now
from app.mobility.rules.checklist import is_overdue
from app.mobility.rules.status import CLOSED
from app.mobility.rules.texts import MobilityFacts
from app.mobility.tables import CheckIn, ChecklistItem, Incident, Mobility
from app.notifications.announce import recipient_of
from app.notifications.service import Recipient
from app.organisations.tables import Organisation

log = logging.getLogger(__name__)
BATCH = 100
PURGED = "[removed after the retention period]"


@dataclass
class Swept:
    created: int = 0  # scheduled check-ins created
    missed: int = 0  # check-ins turned missed (tutors alerted)
    reminded: int = 0  # overdue checklist items whose owners were reminded
    purged: int = 0  # mobilities whose free text was purged


def _claimed(result: object) -> bool:
    return getattr(result, "rowcount", 0) == 1


async def _schedule(db: AsyncSession, mobility_id: uuid.UUID, now: datetime) -> int:
    mobility = await db.get(Mobility, mobility_id)
    if mobility is None or mobility.status != "abroad" or mobility.next_checkin_at is None:
        return 0
    due, following = due_now(mobility.next_checkin_at, mobility.checkin_every_days, now)
    if due is None:
        return 0
    claim = await db.execute(
        update(Mobility)
        .where(
            col(Mobility.id) == mobility.id,
            col(Mobility.next_checkin_at) == mobility.next_checkin_at,
        )
        .values(next_checkin_at=following)
    )
    if not _claimed(claim):
        return 0
    taken = await db.scalar(
        select(col(CheckIn.id)).where(
            col(CheckIn.mobility_id) == mobility.id, col(CheckIn.due_at) == due
        )
    )
    if taken is not None:
        return 0
    row = CheckIn(mobility_id=mobility.id, due_at=due)
    db.add(row)
    await db.flush()
    await notify.tell(
        db,
        event="mobility.checkin_due",
        key=str(row.id),
        mobility=mobility,
        recipients=await notify.learner(db, mobility),
        facts=MobilityFacts(city=mobility.city),
        data={"checkin_id": str(row.id)},
    )
    return 1


async def _miss(db: AsyncSession, checkin_id: uuid.UUID, now: datetime) -> int:
    claim = await db.execute(
        update(CheckIn)
        .where(col(CheckIn.id) == checkin_id, col(CheckIn.status) == "due")
        .values(status="missed", missed_at=now)
    )
    if not _claimed(claim):
        return 0
    row = await db.get(CheckIn, checkin_id)
    mobility = await db.get(Mobility, row.mobility_id) if row else None
    if row is None or mobility is None:
        return 0
    recipients = await notify.tutors(db, mobility)
    facts = MobilityFacts(learner=await notify.learner_name(db, mobility), city=mobility.city)
    for recipient in recipients:  # each tutor reads the due time in their own zone
        await notify.tell(
            db,
            event="mobility.checkin_missed",
            key=str(row.id),
            mobility=mobility,
            recipients=[recipient],
            facts=MobilityFacts(
                learner=facts.learner,
                city=facts.city,
                day=notify.local_day(row.due_at, recipient.timezone),
            ),
            data={"checkin_id": str(row.id)},
        )
    return 1


async def _owners(db: AsyncSession, mobility: Mobility, owner: str) -> list[Recipient]:
    if owner == "learner":
        return await notify.learner(db, mobility)
    if owner == "guardian":
        return await notify.guardians(db, mobility)
    if owner in ("sending_tutor", "receiving_tutor"):
        tutor_id = getattr(mobility, f"{owner}_id")
        tutor = await db.get(User, tutor_id) if tutor_id else None
        return [await recipient_of(db, tutor)] if tutor else []
    coordinators = await db.scalars(
        select(User).where(
            col(User.organisation_id) == mobility.sending_organisation_id,
            col(User.role) == "coordinator",
            col(User.is_active),
        )
    )
    return [await recipient_of(db, c) for c in coordinators.all()]


async def _remind(db: AsyncSession, item_id: uuid.UUID, now: datetime) -> int:
    item = await db.get(ChecklistItem, item_id)
    mobility = await db.get(Mobility, item.mobility_id) if item else None
    org = await db.get(Organisation, mobility.sending_organisation_id) if mobility else None
    if item is None or mobility is None or org is None:
        return 0
    today = now.astimezone(ZoneInfo(org.timezone)).date()
    if not is_overdue(item.due_on, item.done_at is not None, today):
        return 0
    claim = await db.execute(
        update(ChecklistItem)
        .where(col(ChecklistItem.id) == item.id, col(ChecklistItem.reminded_at).is_(None))
        .values(reminded_at=now)
    )
    if not _claimed(claim):
        return 0
    await notify.tell(
        db,
        event="mobility.checklist_overdue",
        key=str(item.id),
        mobility=mobility,
        recipients=await _owners(db, mobility, item.owner),
        facts=MobilityFacts(
            learner=await notify.learner_name(db, mobility),
            city=mobility.city,
            title=item.title,
            day=item.due_on.isoformat(),
        ),
        data={"item_id": str(item.id)},
    )
    return 1


async def _purge(db: AsyncSession, mobility_id: uuid.UUID, now: datetime) -> int:
    mobility = await db.get(Mobility, mobility_id)
    if mobility is None or mobility.purged_at is not None:
        return 0
    mobility.purged_at = now
    mobility.reflection = PURGED if mobility.reflection else None
    mobility.reflection_skills = None
    mobility.hosting = None
    await db.execute(
        update(CheckIn)
        .where(col(CheckIn.mobility_id) == mobility_id, col(CheckIn.note).is_not(None))
        .values(note=PURGED)
    )
    await db.execute(
        update(Incident).where(col(Incident.mobility_id) == mobility_id).values(description=PURGED)
    )
    await db.flush()
    return 1


async def _each(
    db_factory: async_sessionmaker[AsyncSession],
    ids: list[uuid.UUID],
    step: Callable[[AsyncSession, uuid.UUID], Awaitable[int]],
) -> int:
    done = 0
    for one in ids:
        try:
            async with unit_of_work(db_factory) as db:
                done += await step(db, one)
        except Exception:
            log.exception("a mobility sweep step failed", extra={"id": str(one)})
    return done


async def sweep(
    db_factory: async_sessionmaker[AsyncSession],
    *,
    now: datetime,
    grace: timedelta,
    retention: timedelta | None = None,
) -> Swept:
    """One sweep at `now`; what it did."""
    async with unit_of_work(db_factory) as db:
        abroad = col(Mobility.status) == "abroad"
        to_schedule = list(
            (
                await db.scalars(
                    select(col(Mobility.id))
                    .where(abroad, col(Mobility.next_checkin_at) <= now)
                    .limit(BATCH)
                )
            ).all()
        )
        to_miss = list(
            (
                await db.scalars(
                    select(col(CheckIn.id))
                    .join(Mobility, col(Mobility.id) == col(CheckIn.mobility_id))
                    .where(abroad, col(CheckIn.status) == "due", col(CheckIn.due_at) <= now - grace)
                    .order_by(col(CheckIn.due_at))
                    .limit(BATCH)
                )
            ).all()
        )
        to_remind = list(
            (
                await db.scalars(
                    select(col(ChecklistItem.id))
                    .join(Mobility, col(Mobility.id) == col(ChecklistItem.mobility_id))
                    .where(
                        col(Mobility.status).in_(("planned", "preparing")),
                        col(ChecklistItem.done_at).is_(None),
                        col(ChecklistItem.reminded_at).is_(None),
                        col(ChecklistItem.due_on) < (now + timedelta(days=1)).date(),
                    )
                    .limit(BATCH)
                )
            ).all()
        )
        to_purge: list[uuid.UUID] = []
        if retention is not None:
            to_purge = list(
                (
                    await db.scalars(
                        select(col(Mobility.id))
                        .where(
                            col(Mobility.status).in_(CLOSED),
                            col(Mobility.ends_on) < (now - retention).date(),
                            col(Mobility.purged_at).is_(None),
                        )
                        .limit(BATCH)
                    )
                ).all()
            )

    def at_now(
        step: Callable[[AsyncSession, uuid.UUID, datetime], Awaitable[int]],
    ) -> Callable[[AsyncSession, uuid.UUID], Awaitable[int]]:
        return lambda db, one: step(db, one, now)

    return Swept(
        created=await _each(db_factory, to_schedule, at_now(_schedule)),
        missed=await _each(db_factory, to_miss, at_now(_miss)),
        reminded=await _each(db_factory, to_remind, at_now(_remind)),
        purged=await _each(db_factory, to_purge, at_now(_purge)),
    )


class MobilitySweeper:
    """`sweep()` every `interval` seconds at the app's clock."""

    def __init__(
        self,
        db_factory: async_sessionmaker[AsyncSession],
        *,
        clock: Clock,
        interval: float,
        grace: timedelta,
        retention: timedelta,
    ) -> None:
        self._db_factory = db_factory
        self._clock = clock
        self._grace = grace
        self._retention = retention
        self.loop = Loop("mobility-sweep", self.run_once, interval=interval, first_delay=interval)

    async def run_once(self) -> Swept:
        return await sweep(
            self._db_factory, now=self._clock(), grace=self._grace, retention=self._retention
        )
