"""Live rooms: tickets (HTTP), the room itself (WebSocket), and its AsyncAPI description.

The WebSocket handshake checks, in this order: the `Origin` (browsers send one; it must be in
`PASSERELLE_ALLOWED_ORIGINS`, else HTTP 403 before the upgrade: a hostile page never gets a
socket), the ticket (4001), then the session and the member (4004, 4003, 4008). Those later
refusals accept the socket and close it at once with their code, so clients can tell them apart
(a refused handshake would only show an HTTP 403).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import JSONResponse

from app.context import AppContext
from app.core.rules.languages import negotiate
from app.core.schemas import Page
from app.core.tables import utcnow
from app.live import chat as live_chat
from app.live import tickets as live_tickets
from app.live.protocol import CloseCode
from app.live.schemas import ChatEntryPublic, TicketPublic
from app.realtime.asyncapi import build_document
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import errors

router = APIRouter(tags=["live"])  # under /api/v1
ws = APIRouter(tags=["live"])  # at the root
MAX_EPOCH_LENGTH = 32


@router.post(
    "/sessions/{session_id}/tickets",
    status_code=201,
    response_model=TicketPublic,
    responses=errors(401, 403, 404, 409, 422, 429),
)
async def create_ticket(
    session_id: uuid.UUID, request: Request, db: SessionDep, user: CurrentUser, ctx: ContextDep
) -> TicketPublic:
    """A single-use ticket for this session's live room, valid for a few seconds (30 by
    default), for its members: the teachers and learners of its classes, and the coordinators
    of its schools as observers. 409 when the room is not open (cancelled, ended, too early);
    429 past `PASSERELLE_WS_TICKETS_PER_MINUTE` requests for this session in a minute."""
    await live_tickets.spend_ticket_request(
        ctx.limiter,
        user_id=user.id,
        session_id=session_id,
        limit=ctx.settings.ws_tickets_per_minute,
    )
    issued = await live_tickets.issue_ticket(
        db,
        actor=user,
        session_id=session_id,
        keys=ctx.keys,
        now=utcnow(),
        window=ctx.hub.window,
        lifetime=timedelta(seconds=ctx.settings.ws_ticket_seconds),
    )
    url = request.url_for("live_room", session_id=str(issued.session_id))
    url = url.replace(scheme="wss" if url.scheme == "https" else "ws")
    return TicketPublic(
        ticket=issued.ticket,
        expires_in=issued.expires_in,
        url=str(url.include_query_params(ticket=issued.ticket)),
    )


@router.get(
    "/sessions/{session_id}/chat",
    response_model=Page[ChatEntryPublic],
    responses=errors(401, 403, 404, 422),
)
async def session_chat(
    session_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ChatEntryPublic]:
    """The room's chat, oldest first, for the session's teachers (403 for its other members,
    404 for anyone who cannot see the session); deleted messages are listed and marked."""
    entries, total = await live_chat.history(
        db, actor=user, session_id=session_id, limit=limit, offset=offset
    )
    return Page(
        items=[
            ChatEntryPublic(
                message_id=e.message.id,
                author=e.author,
                text=e.message.text,
                sent_at=e.message.sent_at,
                deleted_at=e.message.deleted_at,
                deleted_by=e.message.deleted_by,
            )
            for e in entries
        ],
        total=total,
    )


def _origin_allowed(origin: str | None, allowed: list[str]) -> bool:
    if origin is None:
        return True  # not a browser: the ticket alone decides
    wanted = origin.strip().rstrip("/").lower()
    return any(wanted == a.rstrip("/").lower() for a in allowed)


def _int_or_none(value: str | None) -> int | None:
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@ws.websocket("/ws/sessions/{session_id}", name="live_room")
async def live_room(websocket: WebSocket, session_id: str) -> None:
    """`?ticket=` (required), `&last_seq=N&epoch=E` to resume, `&lang=fr` (or the upgrade
    request's `Accept-Language`) for the language of `error` events. See CONTRACT.md and
    `GET /asyncapi.json` for the messages, docs/realtime.md for the guarantees."""
    ctx: AppContext = websocket.app.state.ctx
    if not _origin_allowed(websocket.headers.get("origin"), ctx.settings.origins):
        # closed before `accept`: the ASGI server answers the upgrade with HTTP 403
        await websocket.close(CloseCode.POLICY_VIOLATION, "origin not allowed")
        return
    await websocket.accept()
    params = websocket.query_params
    try:
        room = uuid.UUID(session_id)
    except ValueError:
        await websocket.close(CloseCode.NOT_FOUND, "session not found")
        return
    epoch = params.get("epoch")
    # Browsers cannot set headers on a WebSocket: `?lang=` wins over the upgrade's header.
    language = negotiate(params.get("lang") or websocket.headers.get("accept-language"))
    await ctx.hub.serve(
        websocket,
        room,
        ticket=params.get("ticket"),
        last_seq=_int_or_none(params.get("last_seq")),
        epoch=epoch if epoch and len(epoch) <= MAX_EPOCH_LENGTH else None,
        language=language,
    )


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    return build_document()


@ws.get("/asyncapi.json", tags=["live"], summary="AsyncAPI 3 description of the live room")
async def asyncapi() -> JSONResponse:
    """Every WebSocket message of the live room, generated from the models the server uses."""
    return JSONResponse(_document())
