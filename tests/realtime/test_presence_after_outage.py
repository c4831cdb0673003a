"""Issue 18, finding 2: a socket that closes while Redis is down cannot send its leave. Its
presence interval must neither stay open and heartbeated (attendance would count the learner
online until the process stops) nor be lost: the sweeper retries the leave, which closes the
interval at the time the socket closed."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from sqlmodel import col, select

from app.core.settings import Settings
from app.live.tables import PresenceInterval
from app.realtime.hub import Hub
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, live_server, new_session
from tests.realtime.throwaway_redis import ThrowawayRedis, redis_server

__all__ = ["redis_server"]  # the fixture


async def _interval(hub: Hub, user_id: str) -> PresenceInterval:
    async with hub.db_factory() as db:
        found = await db.scalars(
            select(PresenceInterval).where(col(PresenceInterval.user_id) == uuid.UUID(user_id))
        )
        (interval,) = found.all()
        return interval


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


async def test_a_leave_lost_to_a_redis_outage_is_retried_and_never_heartbeated(
    live_settings: Settings, world: World, redis_server: ThrowawayRedis
) -> None:
    settings = live_settings.model_copy(
        update={
            "broker_url": redis_server.url,
            "ws_presence_heartbeat_s": 0.1,
            "ws_sweep_interval_s": 0.1,
            "ws_presence_stale_s": 300.0,  # the stale sweep must not be what closes it
        }
    )
    async with live_server(settings) as server:
        session_id = await new_session(server.http, world.exchange, world.t_fr)
        learner = world.learners_fr[0]
        socket = await LiveClient.join(server, learner, session_id)

        redis_server.stop()
        closing = server.hub.clock()
        await socket.close()
        async with asyncio.timeout(20):  # until the server has given up on the leave
            while True:
                if server.hub.connection_count == 0:
                    break
                await asyncio.sleep(0.02)
        closed = server.hub.clock()
        during = await _interval(server.hub, learner.id)
        assert during.left_at is None  # the leave could not be sent

        # Redis is back and the process serves again (the teacher joins): the learner's
        # interval must be closed when the socket closed, and never heartbeated after that.
        await redis_server.start()
        teacher = await LiveClient.join(server, world.t_fr, session_id)
        async with asyncio.timeout(20):  # until a sweep has retried the leave
            while True:
                after = await _interval(server.hub, learner.id)
                if after.left_at is not None:
                    break
                await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # five heartbeats of the teacher's connection
        after = await _interval(server.hub, learner.id)
        assert after.left_at is not None
        assert _naive(closing) <= _naive(after.left_at) <= _naive(closed)
        assert _naive(after.last_heartbeat) <= _naive(closed)
        await teacher.close()
