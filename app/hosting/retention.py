"""Placement threads are kept like the mobility's other free text: once the mobility ended
more than `PASSERELLE_RETENTION_MOBILITY_DAYS` ago, every message's text is replaced by the
same marker as check-in notes (who wrote when stays, for the record). Run by the
`hosting-retention` loop of app/background.py, at the mobility sweep's interval."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from app.core.clock import Clock
from app.core.db import unit_of_work
from app.core.loops import Loop
from app.hosting.tables import Placement, PlacementMessage
from app.mobility.sweeper import PURGED
from app.mobility.tables import Mobility


async def purge_threads(
    db_factory: async_sessionmaker[AsyncSession], *, now: datetime, retention: timedelta
) -> int:
    """How many messages were purged."""
    ended = (
        select(col(Placement.id))
        .join(Mobility, col(Mobility.id) == col(Placement.mobility_id))
        .where(col(Mobility.ends_on) < (now - retention).date())
    )
    async with unit_of_work(db_factory) as db:
        result = await db.execute(
            update(PlacementMessage)
            .where(
                col(PlacementMessage.placement_id).in_(ended), col(PlacementMessage.text) != PURGED
            )
            .values(text=PURGED)
        )
    return int(getattr(result, "rowcount", 0) or 0)


def retention_loop(
    db_factory: async_sessionmaker[AsyncSession],
    *,
    clock: Clock,
    interval: float,
    retention: timedelta,
) -> Loop:
    async def step() -> None:
        await purge_threads(db_factory, now=clock(), retention=retention)

    return Loop("hosting-retention", step, interval=interval, first_delay=interval)
