"""A room as this process sees it: its local connections and one broker subscription.

Events reach the room in `seq` order from the broker (the room lock makes publication order the
sequence order). Each event is decoded once and offered, as the same text, to every local
connection. A gap (the broker dropped something) is filled from the broker's history; if it
cannot be, every local connection is closed with 4008 so that it resumes and gets a fresh state:
a client never sees a hole in `seq`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid

from app.core.metrics import Metrics
from app.live.protocol import CloseCode
from app.realtime.broker import Broker, RoomEvent, RoomSubscription
from app.realtime.connection import Connection

log = logging.getLogger(__name__)
RESUBSCRIBE_FIRST_S = 0.1  # after a lost subscription, doubling up to:
RESUBSCRIBE_MAX_S = 5.0

_REMOVED = '"type":"member.removed"'
_ENDED = '"type":"session.ended"'
_REMOVAL_REASONS = {
    "teacher": "removed by a teacher",
    "consent_withdrawn": "consent to live sessions withdrawn",
}


class Room:
    def __init__(self, session_id: uuid.UUID, broker: Broker, metrics: Metrics) -> None:
        self.session_id = session_id
        self.key = str(session_id)
        self.connections: dict[uuid.UUID, Connection] = {}
        self.ended = False
        self._broker = broker
        self._delivered = metrics.room_events_delivered
        self._subscription: RoomSubscription | None = None
        self._pump: asyncio.Task[None] | None = None
        self._epoch = ""
        self._last = 0

    async def open(self) -> None:
        """Subscribe before anyone reads history, so no event falls between the two."""
        self._subscription = await self._broker.subscribe_room(self.key)
        position = await self._broker.recover(self.key, epoch=None, after=None)
        self._epoch, self._last = position.epoch, position.seq
        self._pump = asyncio.create_task(self._run(), name=f"room-{self.key}")

    async def close(self) -> None:
        """Stop reading and unsubscribe; a broker that is down cannot be told, and need not be
        (its subscription died with the connection)."""
        if self._pump is not None:
            self._pump.cancel()
            await asyncio.gather(self._pump, return_exceptions=True)
        if self._subscription is not None:
            try:
                await self._subscription.close()
            except Exception:
                log.warning("closing a room subscription failed", extra={"session_id": self.key})

    def add(self, connection: Connection) -> None:
        self.connections[connection.id] = connection

    def remove(self, connection: Connection) -> None:
        self.connections.pop(connection.id, None)

    def close_all(self, code: int, reason: str) -> None:
        for connection in list(self.connections.values()):
            connection.close(code, reason)

    async def _run(self) -> None:
        """Deliver the subscription's events; when the broker drops it (a Redis outage), keep the
        connections and subscribe again with backoff, then catch up from the broker's history
        (or, if the broker lost it, have everyone resume)."""
        while True:
            subscription = self._subscription
            assert subscription is not None
            try:
                async for event in subscription:
                    await self._receive(event)
                return  # closed
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning(
                    "room subscription lost; subscribing again",
                    extra={"session_id": self.key},
                    exc_info=True,
                )
            await self._resubscribe(subscription)

    async def _resubscribe(self, lost: RoomSubscription) -> None:
        with contextlib.suppress(Exception):  # its connection is gone already
            await lost.close()
        delay = RESUBSCRIBE_FIRST_S
        while True:
            await asyncio.sleep(delay)
            delay = min(delay * 2, RESUBSCRIBE_MAX_S)
            try:
                self._subscription = await self._broker.subscribe_room(self.key)
            except Exception as exc:
                log.info("room subscription still down: %r", exc, extra={"session_id": self.key})
                continue
            try:
                caught_up = await self._broker.recover(
                    self.key, epoch=self._epoch, after=self._last
                )
            except Exception as exc:
                log.info("room history still down: %r", exc, extra={"session_id": self.key})
                with contextlib.suppress(Exception):
                    await self._subscription.close()
                continue
            break
        log.info("room subscribed again", extra={"session_id": self.key})
        if caught_up.events is None or caught_up.epoch != self._epoch:
            # The broker lost the room's history: everyone resumes with a fresh state.
            self._epoch, self._last = caught_up.epoch, caught_up.seq
            for connection in list(self.connections.values()):
                connection.abort(CloseCode.SLOW_DOWN, "room history lost: resume")
            return
        for missed in caught_up.events:
            self._deliver(missed)

    async def _receive(self, event: RoomEvent) -> None:
        if event.epoch != self._epoch:
            # The broker lost this room's state and started a new epoch: everyone resumes.
            self._epoch, self._last = event.epoch, event.seq
            for connection in list(self.connections.values()):
                connection.abort(CloseCode.SLOW_DOWN, "room history lost: resume")
            return
        if event.seq <= self._last:
            return
        if event.seq == self._last + 1:
            self._deliver(event)
            return
        filled = await self._broker.recover(self.key, epoch=self._epoch, after=self._last)
        if filled.events is None or filled.epoch != self._epoch:
            log.warning("room missed events", extra={"session_id": self.key})
            self._last = event.seq
            for connection in list(self.connections.values()):
                connection.abort(CloseCode.SLOW_DOWN, "missed events: resume")
            return
        for missed in filled.events:
            self._deliver(missed)

    def _deliver(self, event: RoomEvent) -> None:
        self._last = event.seq
        text = event.data.decode()
        for connection in list(self.connections.values()):
            connection.offer(event.seq, text)
        self._delivered.inc(len(self.connections))
        if _REMOVED in text or _ENDED in text:
            self._control(json.loads(text))

    def _control(self, event: dict[str, object]) -> None:
        if event.get("type") == "member.removed":
            removed = str(event.get("user_id"))
            why = _REMOVAL_REASONS.get(str(event.get("reason")), _REMOVAL_REASONS["teacher"])
            for connection in list(self.connections.values()):
                if connection.member is not None and str(connection.member.user_id) == removed:
                    connection.close(CloseCode.NOT_ALLOWED, why)
        elif event.get("type") == "session.ended":
            self.ended = True
            self.close_all(CloseCode.NOT_FOUND, "session ended")
