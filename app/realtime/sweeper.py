"""The live rooms' sweeper, one per process: it retries the leaves that failed, refreshes the
presence heartbeats of the connections this process still serves, forgets expired ticket uses,
closes the presence that silent processes left open (at their last heartbeat, announcing
`presence.left`), and ends rooms past their scheduled end plus grace."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import unit_of_work
from app.core.loops import Loop
from app.core.tables import utcnow
from app.live import protocol
from app.live import rooms as live_rooms

if TYPE_CHECKING:
    from app.realtime.hub import Hub

log = logging.getLogger(__name__)


def sweeper_loop(hub: Hub) -> Loop:
    """The sweeper as a background loop: a step every `ws_sweep_interval_s`, the heartbeat
    every `ws_presence_heartbeat_s` while this process serves connections."""
    settings = hub.settings
    next_heartbeat = 0.0

    async def step() -> None:
        nonlocal next_heartbeat
        now_s = asyncio.get_running_loop().time()
        await hub.retry_leaves()
        if hub.serving and now_s >= next_heartbeat:
            async with unit_of_work(hub.db_factory) as db:
                await live_rooms.heartbeat(
                    db, connection_ids=hub.live_connection_ids(), now=hub.clock()
                )
                # real time, as the ticket's own expiry
                await live_rooms.forget_used_tickets(db, now=utcnow())
            next_heartbeat = now_s + settings.ws_presence_heartbeat_s
        await sweep(hub)

    interval = settings.ws_sweep_interval_s
    return Loop("live-sweeper", step, interval=interval, first_delay=interval)


async def sweep(hub: Hub) -> None:
    """Close silent processes' presence; end rooms past their end plus grace."""
    async with unit_of_work(hub.db_factory) as db:
        stale = await live_rooms.rooms_with_stale_presence(db, presence=hub.presence())
        due = await live_rooms.sessions_due_to_end(db, now=hub.clock(), grace=hub.window.grace)
    for session_id in stale:

        async def build(
            db: AsyncSession, sid: uuid.UUID = session_id
        ) -> list[protocol.RoomEventModel]:
            gone = await live_rooms.close_stale(db, session_id=sid, presence=hub.presence())
            return [protocol.PresenceLeft(member=m.public()) for m in gone]

        await hub.emit(session_id, build)
    for session_id in due:
        if await hub.end_room(session_id, reason="scheduled_end", by=None):
            log.info("live room ended on schedule", extra={"session_id": str(session_id)})
