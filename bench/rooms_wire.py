"""A lean WebSocket client for `bench.rooms`: one `Member` per connection, with what it saw.

Hundreds of members live in the benchmark process, on a machine whose other core runs the
server, so the client must cost far less than any of the servers it measures: a member is an
`asyncio.Protocol` that does the handshake itself, reads the server's (unmasked) frames in
place and looks at each text frame with three regular expressions (`type`, `seq`, and the send
time the publisher wrote into the chat text) instead of decoding it. The same client talks to
all three servers (`JsonMember`: the bare server and Passerelle; `SocketIOMember`: Engine.IO v4
and Socket.IO v5 over the same frames), so its cost is the same for each.

Every member checks the room's `seq`: from its `welcome` on, each room event must be the next
one. A jump counts the missing events as gaps, a missing event that arrives late counts as a
reorder (and is no longer a gap), an event seen again counts as a duplicate.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import re
import struct
import time
from dataclasses import dataclass, field

TYPE = re.compile(rb'"type":"([a-z._]+)"')
SEQ = re.compile(rb'"seq":(\d+)')
SENT = re.compile(rb'"text":"t(\d+\.\d+)"')
CLOSE, PING, PONG, TEXT, CONTINUATION = 0x8, 0x9, 0xA, 0x1, 0x0
JOIN_TIMEOUT_S = 60.0


@dataclass
class Window:
    """Chat messages sent in [start, end) (perf_counter) count: one latency per delivery."""

    start: float = 0.0
    end: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def open(self, start: float, end: float) -> None:
        self.start, self.end, self.latencies = start, end, []


class HandshakeError(ConnectionError):
    pass


def masked_frame(opcode: int, payload: bytes) -> bytes:
    """A client frame (FIN set, masked as RFC 6455 requires of clients)."""
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
    elif size < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
    mask = random.randbytes(4)
    key = int.from_bytes((mask * (size // 4 + 1))[:size], "big")
    return head + mask + (int.from_bytes(payload, "big") ^ key).to_bytes(size, "big")


class Member(asyncio.Protocol):
    """One connection to one room. `welcomed` resolves with the welcome, `gone` when the
    connection is lost; `leave()` closes it without counting a disconnect."""

    def __init__(self, room: int, path: str, window: Window) -> None:
        self.room, self.path, self.window = room, path, window
        loop = asyncio.get_running_loop()
        self.welcomed: asyncio.Future[None] = loop.create_future()
        self.gone: asyncio.Future[None] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.fragments: list[bytes] = []
        self.upgraded = False
        self.leaving = False
        self.close_code: int | None = None
        self.last_seq = -1  # the welcome sets it
        self.missing: set[int] = set()
        self.events = self.gaps = self.duplicates = self.reorders = 0
        self.acks = self.errors = 0
        self.last_error = b""
        self.sent = 0

    # --- the WebSocket ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        key = base64.b64encode(random.randbytes(16)).decode()
        transport.write(
            f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buffer[: buffer.find(b"\r\n")])
            if b" 101 " not in status + b" ":
                self._fail(HandshakeError(status.decode(errors="replace")))
                return
            self.upgraded = True
            del buffer[: end + 4]
        at, size = 0, len(buffer)
        while size - at >= 2:
            first, second = buffer[at], buffer[at + 1]
            length, start = second & 0x7F, at + 2
            if length == 126:
                if size - at < 4:
                    break
                length, start = (buffer[at + 2] << 8) | buffer[at + 3], at + 4
            elif length == 127:
                if size - at < 10:
                    break
                length, start = int.from_bytes(buffer[at + 2 : at + 10], "big"), at + 10
            end = start + length
            if end > size:
                break
            self._frame(first, bytes(buffer[start:end]))
            at = end
        if at:
            del buffer[:at]

    def _frame(self, first: int, payload: bytes) -> None:
        opcode = first & 0x0F
        if opcode in (TEXT, CONTINUATION):
            if not first & 0x80:
                self.fragments.append(payload)
                return
            if self.fragments:
                payload = b"".join([*self.fragments, payload])
                self.fragments = []
            self.on_text(payload)
        elif opcode == PING:
            self.write(PONG, payload)
        elif opcode == CLOSE:
            self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            self.write(CLOSE, payload[:2])
            if self.transport is not None:
                self.transport.close()

    def write(self, opcode: int, payload: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(masked_frame(opcode, payload))

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(ConnectionError(f"closed ({self.close_code})"))
        if not self.gone.done():
            self.gone.set_result(None)

    def _fail(self, exc: Exception) -> None:
        if not self.welcomed.done():
            self.welcomed.set_exception(exc)
            self.welcomed.exception()  # retrieved: a failed join is counted, not logged
        if self.transport is not None:
            self.transport.close()

    @property
    def disconnected(self) -> bool:
        return self.gone.done() and not self.leaving

    async def leave(self) -> None:
        self.leaving = True
        if not self.gone.done():
            self.write(CLOSE, struct.pack("!H", 1000))
            try:
                async with asyncio.timeout(5):
                    await asyncio.shield(self.gone)
            except TimeoutError:
                if self.transport is not None:
                    self.transport.abort()

    # --- the room -----------------------------------------------------------------------

    def on_text(self, payload: bytes) -> None:
        raise NotImplementedError

    def send_chat(self, command_id: str) -> None:
        raise NotImplementedError

    def welcome(self, payload: bytes) -> None:
        found = SEQ.search(payload)
        self.last_seq = int(found.group(1)) if found else 0
        if not self.welcomed.done():
            self.welcomed.set_result(None)

    def room_event(self, payload: bytes, chat: bool) -> None:
        arrived = time.perf_counter()
        found = SEQ.search(payload)
        if found is None:
            return
        seq, last = int(found.group(1)), self.last_seq
        self.events += 1
        if seq == last + 1:
            self.last_seq = seq
        elif seq > last:
            self.missing.update(range(last + 1, seq))
            self.gaps += seq - last - 1
            self.last_seq = seq
        elif seq in self.missing:
            self.missing.discard(seq)
            self.gaps -= 1
            self.reorders += 1
        else:
            self.duplicates += 1
        if chat:
            sent = SENT.search(payload)
            window = self.window
            if sent is not None and window.start <= (at := float(sent.group(1))) < window.end:
                window.latencies.append(arrived - at)

    def error(self, payload: bytes) -> None:
        self.errors += 1
        self.last_error = payload[:300]


class JsonMember(Member):
    """Passerelle's live room and the bare server: one JSON object per frame."""

    def on_text(self, payload: bytes) -> None:
        found = TYPE.search(payload)
        kind = found.group(1) if found else b""
        if kind == b"chat.message":
            self.room_event(payload, chat=True)
        elif kind == b"ack":
            self.acks += 1
        elif kind == b"welcome":
            self.welcome(payload)
        elif kind == b"error":
            self.error(payload)
        elif kind != b"pong":
            self.room_event(payload, chat=False)  # presence and the like

    def send_chat(self, command_id: str) -> None:
        text = f"t{time.perf_counter():.6f}"
        frame = f'{{"type":"chat.send","id":"{command_id}","text":"{text}"}}'
        self.write(TEXT, frame.encode())
        self.sent += 1


class SocketIOMember(Member):
    """Engine.IO v4 packets (`0` open, `2` ping, `3` pong, `4` message) carrying Socket.IO v5
    packets (`0` connect, `2` event, `3` ack, `4` connect error)."""

    def __init__(self, room: int, path: str, window: Window, auth: dict[str, str]) -> None:
        super().__init__(room, path, window)
        self.auth = auth
        self.next_ack = 0

    def on_text(self, payload: bytes) -> None:
        if payload.startswith(b'42["chat.message"'):
            self.room_event(payload, chat=True)
        elif payload.startswith(b"43"):
            self.acks += 1
        elif payload.startswith(b'42["welcome"'):
            self.welcome(payload)
        elif payload == b"2":
            self.write(TEXT, b"3")
        elif payload.startswith(b"0"):
            self.write(TEXT, b"40" + json.dumps(self.auth).encode())
        elif payload.startswith((b"44", b"1")):
            self.error(payload)

    def send_chat(self, command_id: str) -> None:
        text = f"t{time.perf_counter():.6f}"
        self.next_ack += 1
        frame = f'42{self.next_ack}["chat.send",{{"id":"{command_id}","text":"{text}"}}]'
        self.write(TEXT, frame.encode())
        self.sent += 1


async def join(member: Member, port: int) -> Member:
    """Connect `member` and wait for its welcome; raises when refused or slower than
    `JOIN_TIMEOUT_S`."""
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(JOIN_TIMEOUT_S):
        await loop.create_connection(lambda: member, "127.0.0.1", port)
        await member.welcomed
    return member
