from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response

from app.core.schemas import Page
from app.matching import exchanges
from app.matching import runs as matching
from app.matching.schemas import (
    ExchangeDecision,
    ExchangePublic,
    ExchangeStatus,
    MatchingRunCreate,
    MatchingRunPublic,
    MatchingRunSummary,
    RunStatus,
)
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(tags=["matching"])


POLL_SECONDS = 2


@router.post(
    "/matching/runs",
    status_code=202,
    response_model=MatchingRunPublic,
    responses={
        **AUTHED,
        202: {
            "description": "Queued: poll the `Location` every `Retry-After` seconds until "
            "`done` or `failed`",
            "headers": {
                "Location": {"description": "The run", "schema": {"type": "string"}},
                "Retry-After": {"description": "Seconds", "schema": {"type": "integer"}},
            },
        },
    },
)
async def start_run(
    body: MatchingRunCreate,
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    background: BackgroundTasks,
) -> MatchingRunPublic:
    """Queue a run; poll `GET /matching/runs/{id}` (the `Location`) until `done` or `failed`."""
    run = await matching.create_run(db, actor=user, data=body)
    background.add_task(ctx.matching.start, run.id)  # after the commit and the response
    response.headers["Location"] = str(request.url_for("get_run", run_id=str(run.id)))
    response.headers["Retry-After"] = str(POLL_SECONDS)
    return await matching.to_public(db, run)


@router.get("/matching/runs", response_model=Page[MatchingRunSummary], responses=errors(401, 422))
async def list_runs(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    network_id: Annotated[uuid.UUID | None, Query()] = None,
    status: Annotated[RunStatus | None, Query()] = None,
) -> Page[MatchingRunSummary]:
    """The runs you may read, newest first: an admin's all, a coordinator's those of the
    networks their school coordinates (others: none)."""
    rows, total = await matching.list_runs(
        db, actor=user, network_id=network_id, status=status, limit=limit, offset=offset
    )
    return Page(
        items=[MatchingRunSummary.model_validate(r, from_attributes=True) for r in rows],
        total=total,
    )


@router.get("/matching/runs/{run_id}", response_model=MatchingRunPublic, responses=AUTHED)
async def get_run(run_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> MatchingRunPublic:
    """One matching run: its status and, when done, the proposed exchanges and the classes left
    unmatched, with why.
    """
    run = await matching.get_run(db, actor=user, run_id=run_id)
    return await matching.to_public(db, run)


@router.get("/exchanges", response_model=Page[ExchangePublic], responses=errors(401, 422))
async def list_exchanges(
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    status: Annotated[ExchangeStatus | None, Query()] = None,
    class_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Page[ExchangePublic]:
    """The exchanges the caller can see, paged; filter by `status` and `class_id`."""
    rows, total = await exchanges.list_visible(
        db, actor=user, limit=limit, offset=offset, status=status, class_id=class_id
    )
    return Page(items=await exchanges.to_public(db, rows), total=total)


@router.get("/exchanges/{exchange_id}", response_model=ExchangePublic, responses=AUTHED)
async def get_exchange(exchange_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> ExchangePublic:
    """One exchange: its member classes, status, score and score breakdown."""
    exchange = await exchanges.get_visible(db, actor=user, exchange_id=exchange_id)
    return (await exchanges.to_public(db, [exchange]))[0]


async def _decide(
    exchange_id: uuid.UUID,
    body: ExchangeDecision | None,
    db: SessionDep,
    user: CurrentUser,
    *,
    accept: bool,
) -> ExchangePublic:
    exchange = await exchanges.decide(
        db,
        actor=user,
        exchange_id=exchange_id,
        class_id=body.class_id if body else None,
        accept=accept,
    )
    return (await exchanges.to_public(db, [exchange]))[0]


@router.post(
    "/exchanges/{exchange_id}/accept",
    response_model=ExchangePublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def accept(
    exchange_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    body: ExchangeDecision | None = None,
) -> ExchangePublic:
    """Accept for your class; the exchange turns `active` when every class has accepted."""
    return await _decide(exchange_id, body, db, user, accept=True)


@router.post(
    "/exchanges/{exchange_id}/decline",
    response_model=ExchangePublic,
    responses=errors(401, 403, 404, 409, 422),
)
async def decline(
    exchange_id: uuid.UUID,
    db: SessionDep,
    user: CurrentUser,
    body: ExchangeDecision | None = None,
) -> ExchangePublic:
    """Decline for your class; the exchange turns `declined` and its classes return to the pool."""
    return await _decide(exchange_id, body, db, user, accept=False)
