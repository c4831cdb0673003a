"""An exchange's thread between the member classes' teachers and their coordinators."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from app.core.schemas import Page
from app.matching import messages
from app.matching.schemas import ExchangeMessageCreate, ExchangeMessagePublic
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(tags=["matching"])


@router.get(
    "/exchanges/{exchange_id}/messages",
    response_model=Page[ExchangeMessagePublic],
    responses=AUTHED,
)
async def list_messages(
    exchange_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    since: Annotated[
        AwareDatetime | None,
        Query(description="Only those written after this instant (poll with the newest seen)"),
    ] = None,
) -> Page[ExchangeMessagePublic]:
    """The thread, oldest first: for the member classes' teachers and their schools'
    coordinators (others who see the exchange: 403)."""
    rows, total = await messages.list_messages(
        db, actor=user, exchange_id=exchange_id, since=since, limit=limit, offset=offset
    )
    return Page(items=await messages.public(db, rows), total=total)


@router.post(
    "/exchanges/{exchange_id}/messages",
    status_code=201,
    response_model=ExchangeMessagePublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def post_message(
    exchange_id: uuid.UUID,
    body: ExchangeMessageCreate,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
) -> ExchangeMessagePublic:
    """Write to the partners (proposed or active exchanges; 409 `exchange_thread_closed` once
    declined). The other readers are notified, without the text."""
    message = await messages.post(
        db, actor=user, exchange_id=exchange_id, text=body.text, now=ctx.clock()
    )
    return (await messages.public(db, [message]))[0]
