"""One WebSocket connection: a bounded outbound queue drained by its own writer task, and a
reader that hands each inbound frame to the hub.

Broadcast never awaits a member: the room offers an event's text (encoded once) to every
connection with `offer`, which only appends to a queue. A connection whose queue is full is a
slow consumer: its queue is dropped and it is closed with 4008 (it may resume), so a member who
stops reading costs at most `queue_limit` frames plus the server's transport buffer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import BaseModel
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.core.rules.languages import DEFAULT_LANGUAGE
from app.live.protocol import CloseCode, RoomMember, encode
from app.realtime.limits import StrikeWindow, TokenBucket

log = logging.getLogger(__name__)

FrameHandler = Callable[["Connection", str | None, bytes | None], Awaitable[None]]


@dataclass(frozen=True)
class Close:
    code: int
    reason: str


class Connection:
    def __init__(
        self,
        websocket: WebSocket,
        *,
        queue_limit: int,
        close_timeout: float,
        bucket: TokenBucket,
        control_bucket: TokenBucket,
        strikes: StrikeWindow,
        on_overflow: Callable[[], None] = lambda: None,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        self.id = uuid.uuid4()
        self._on_overflow = on_overflow
        self.language = language  # of the `error` events' messages, chosen at the handshake
        self.member: RoomMember | None = None
        self.after: int | None = None  # room events up to this seq are in the welcome already
        self.bucket = bucket
        self.control_bucket = control_bucket  # a teacher's room controls
        self.strikes = strikes
        self.peak_queued = 0
        self._ws = websocket
        self._limit = queue_limit
        self._close_timeout = close_timeout
        self._queue: deque[tuple[int | None, str] | Close] = deque()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._decided = asyncio.Event()
        self._closing: Close | None = None
        self._close_sent = False
        self._writer: asyncio.Task[None] | None = None

    @property
    def closing(self) -> Close | None:
        return self._closing

    @property
    def queued(self) -> int:
        return len(self._queue)

    def offer(self, seq: int | None, text: str) -> None:
        """Queue a frame (a room event with its `seq`, or a direct one); never waits."""
        if self._closing is not None:
            return
        if len(self._queue) >= self._limit:
            self._on_overflow()
            self.abort(CloseCode.SLOW_DOWN, "slow consumer: reconnect and resume")
            return
        self._queue.append((seq, text))
        self.peak_queued = max(self.peak_queued, len(self._queue))
        self._wake.set()

    def send(self, event: BaseModel) -> None:
        self.offer(None, encode(event))

    def close(self, code: int, reason: str) -> None:
        """Close once what is queued has been sent (bounded by the close timeout)."""
        if self._closing is not None:
            return
        self._closing = Close(code, reason)
        self._queue.append(self._closing)
        self._wake.set()
        self._decided.set()

    def abort(self, code: int, reason: str) -> None:
        """Close now: drop what is queued and stop the writer wherever it waits."""
        if self._closing is None:
            self._closing = Close(code, reason)
        self._queue.clear()
        if self._writer is not None and not self._close_sent:
            self._writer.cancel()
        self._decided.set()

    async def until_over(self, runner: asyncio.Task[None]) -> None:
        """Return once closing is decided or `runner` (this connection's `run`) has ended."""
        decided = asyncio.create_task(self._decided.wait())
        try:
            await asyncio.wait({runner, decided}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            decided.cancel()
            await asyncio.gather(decided, return_exceptions=True)

    async def run(self, preamble: list[str], on_frame: FrameHandler) -> None:
        """Send `preamble` (the welcome and any replay), then queued frames, while reading
        frames into `on_frame`; return when the connection is over."""
        writer = self._writer = asyncio.create_task(self._write(preamble))
        reader = asyncio.create_task(self._read(on_frame))
        decided = asyncio.create_task(self._decided.wait())
        try:
            await asyncio.wait({writer, reader, decided}, return_when=asyncio.FIRST_COMPLETED)
            if self._closing is not None:
                if not writer.done():  # let it deliver what is queued and the close frame
                    await asyncio.wait({writer}, timeout=self._close_timeout)
                if not writer.done():
                    writer.cancel()
                    await asyncio.gather(writer, return_exceptions=True)
                await self._send_close()
            if not reader.done():
                await self._stop_reader(reader)
        finally:
            for task in (writer, reader, decided):
                task.cancel()
            await asyncio.gather(writer, reader, decided, return_exceptions=True)

    async def _write(self, preamble: list[str]) -> None:
        try:
            for text in preamble:
                await self._ws.send_text(text)
            while True:
                if not self._queue:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                item = self._queue.popleft()
                if isinstance(item, Close):
                    self._close_sent = True
                    await self._ws.close(item.code, item.reason)
                    return
                seq, text = item
                if seq is not None and self.after is not None and seq <= self.after:
                    continue
                await self._ws.send_text(text)
        except (WebSocketDisconnect, RuntimeError, OSError):
            self._decided.set()  # the client is gone: nothing more to send

    async def _send_close(self) -> None:
        if self._close_sent or self._closing is None:
            return
        self._close_sent = True
        with contextlib.suppress(Exception):  # the client may be gone, or never read again
            await asyncio.wait_for(
                self._ws.close(self._closing.code, self._closing.reason), self._close_timeout
            )

    async def _read(self, on_frame: FrameHandler) -> None:
        try:
            while True:
                self._idle.set()
                message = await self._ws.receive()
                self._idle.clear()
                if message["type"] == "websocket.disconnect" or self._closing is not None:
                    return
                await on_frame(self, message.get("text"), message.get("bytes"))
        except (WebSocketDisconnect, RuntimeError):
            return
        except Exception:
            log.exception("live connection failed", extra={"connection_id": str(self.id)})
            self.close(CloseCode.SERVER_ERROR, "server error")

    async def _stop_reader(self, reader: asyncio.Task[None]) -> None:
        """Let a command being handled finish (bounded), then stop waiting for frames."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._close_timeout
        while not reader.done():
            remaining = deadline - loop.time()
            if self._idle.is_set() or remaining <= 0:
                reader.cancel()
                break
            idle = asyncio.create_task(self._idle.wait())
            try:
                await asyncio.wait(
                    {reader, idle}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                idle.cancel()
                await asyncio.gather(idle, return_exceptions=True)
        await asyncio.gather(reader, return_exceptions=True)
