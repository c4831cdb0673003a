"""The two servers `bench.rooms` compares Passerelle with, each run as a process of its own:

    python -m bench.rooms_peers bare --port N       # the `websockets` library alone
    python -m bench.rooms_peers socketio --port N   # python-socketio on uvicorn

Both speak the same small room protocol as Passerelle's live room, so one client serves all
three: a connection joins one room (`/rooms/{room}?member={n}` for the bare server, the
Socket.IO `auth` {"room", "member"} for socketio) and first gets a `welcome` with the room's
`seq`; a `chat.send` {"id", "text"} takes the room's next `seq`, is acknowledged to its sender
(`ack` {"id", "seq"}) and broadcast to every member of the room, the sender included, as a
`chat.message` shaped like Passerelle's (seq, type, message_id, author, text, sent_at), so the
frames have about the same size. Nothing is stored: this is the floor under the live room.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

NAMESPACE = uuid.UUID("6f1c8a52-1f0e-4c55-9a51-0d5b7f3c2e10")
WS_OPTIONS: dict[str, Any] = {  # as `python -m app.serve` runs uvicorn for Passerelle
    "ws_max_size": 64 * 1024,
    "ws_ping_interval": 20.0,
    "ws_ping_timeout": 20.0,
    "ws_per_message_deflate": False,
}


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def author(room: str, member: str) -> dict[str, Any]:
    """What a member looks like in a `chat.message`, as Passerelle's `Member`."""
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"{room}/{member}")),
        "display_name": f"Member {member}",
        "role": "learner",
        "class_id": str(uuid.uuid5(NAMESPACE, room)),
        "country": "FR",
    }


def chat_message(seq: int, who: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "seq": seq,
        "type": "chat.message",
        "message_id": str(uuid.uuid4()),
        "author": who,
        "text": text,
        "sent_at": datetime.now(UTC).isoformat(),
    }


async def serve_bare(port: int) -> None:
    """Rooms in a dict, `websockets.broadcast` for fan-out (it never waits for a member)."""
    from websockets.asyncio.server import ServerConnection, broadcast, serve

    rooms: dict[str, set[ServerConnection]] = {}
    seqs: dict[str, int] = {}

    async def handler(connection: ServerConnection) -> None:
        assert connection.request is not None
        path, _, query = connection.request.path.partition("?")
        room, member = path.removeprefix("/rooms/"), query.removeprefix("member=")
        who = author(room, member)
        members = rooms.setdefault(room, set())
        members.add(connection)
        try:
            await connection.send(
                dumps({"type": "welcome", "room": room, "seq": seqs.get(room, 0)})
            )
            async for message in connection:
                frame = json.loads(message)
                if frame.get("type") != "chat.send":
                    error = {"type": "error", "id": frame.get("id"), "code": "unknown_type"}
                    broadcast([connection], dumps(error))
                    continue
                seq = seqs[room] = seqs.get(room, 0) + 1
                # broadcast() does not await, so no other command can take a seq in between.
                broadcast([connection], dumps({"type": "ack", "id": frame["id"], "seq": seq}))
                broadcast(members, dumps(chat_message(seq, who, frame["text"])))
        finally:
            members.discard(connection)

    async with serve(
        handler,
        "127.0.0.1",
        port,
        compression=None,
        max_size=WS_OPTIONS["ws_max_size"],
        ping_interval=WS_OPTIONS["ws_ping_interval"],
        ping_timeout=WS_OPTIONS["ws_ping_timeout"],
    ) as server:
        await server.serve_forever()


def serve_socketio(port: int) -> None:
    """python-socketio's ASGI server on uvicorn (`enter_room`, `emit(..., room=...)`)."""
    import socketio
    import uvicorn

    sio = socketio.AsyncServer(async_mode="asgi")
    seqs: dict[str, int] = {}
    members: dict[str, tuple[str, dict[str, Any]]] = {}  # sid -> (room, author)

    @sio.event  # type: ignore[untyped-decorator]
    async def connect(sid: str, environ: dict[str, Any], auth: dict[str, str]) -> None:
        room = auth["room"]
        await sio.enter_room(sid, room)
        members[sid] = (room, author(room, auth["member"]))
        await sio.emit("welcome", {"room": room, "seq": seqs.get(room, 0)}, to=sid)

    @sio.event  # type: ignore[untyped-decorator]
    async def disconnect(sid: str, reason: str) -> None:
        members.pop(sid, None)

    @sio.on("chat.send")  # type: ignore[untyped-decorator]
    async def chat_send(sid: str, data: dict[str, str]) -> dict[str, Any]:
        room, who = members[sid]
        seq = seqs[room] = seqs.get(room, 0) + 1
        await sio.emit("chat.message", chat_message(seq, who, data["text"]), room=room)
        return {"id": data["id"], "seq": seq}  # the Socket.IO acknowledgement

    uvicorn.run(
        socketio.ASGIApp(sio),
        host="127.0.0.1",
        port=port,
        access_log=False,
        log_level="warning",
        lifespan="off",
        **WS_OPTIONS,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=["bare", "socketio"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.kind == "socketio":
        serve_socketio(args.port)
        return
    try:
        import uvloop
    except ImportError:  # uvicorn runs the other two on uvloop where it is installed
        asyncio.run(serve_bare(args.port))
    else:
        uvloop.run(serve_bare(args.port))


if __name__ == "__main__":
    main()
