from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from app.accounts import auth
from app.accounts.auth_schemas import RefreshRequest, TokenPair
from app.accounts.schemas import UserPublic
from app.routers.deps import ContextDep, CurrentUser, SessionDep
from app.routers.limits import RefreshFailures, client_address
from app.routers.responses import errors

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenPair, responses=errors(401, 422, 429))
async def token(
    request: Request,
    db: SessionDep,
    ctx: ContextDep,
    username: Annotated[str, Form(max_length=320, description="E-mail")],
    password: Annotated[str, Form(max_length=256)],
) -> TokenPair:
    """Log in: trade an e-mail and a password (form fields) for a pair of tokens.

    The access token lasts 15 minutes; the refresh token rotates on each use. Repeated failures
    from one address or for one account are rate limited (429 with `Retry-After`).
    """
    return await auth.login(
        db,
        tokens=ctx.tokens,
        guard=ctx.login_guard,
        email=username,
        password=password,
        address=client_address(request),
    )


@router.post("/auth/refresh", response_model=TokenPair, responses=errors(401, 422, 429))
async def refresh(
    body: RefreshRequest, db: SessionDep, ctx: ContextDep, _failures: RefreshFailures
) -> TokenPair:
    """Trade a refresh token for a new pair; the old refresh token stops working.

    Repeated failures from one address are rate limited (429 with `Retry-After`).

    Presenting a refresh token that was already used revokes its whole family
    (`refresh_token_reused`): every session started from that login must log in again.
    """
    return await auth.refresh(db, tokens=ctx.tokens, token=body.refresh_token)


@router.post("/auth/logout", status_code=204, responses=errors(401, 422))
async def logout(body: RefreshRequest, db: SessionDep, ctx: ContextDep) -> Response:
    """Log out: revoke the refresh token's family, so neither it nor its successors work again."""
    await auth.logout(db, tokens=ctx.tokens, token=body.refresh_token)
    return Response(status_code=204)


@router.get("/users/me", response_model=UserPublic, responses=errors(401))
async def me(user: CurrentUser) -> UserPublic:
    """The caller's own account: role, organisation, display name and preferred language."""
    return UserPublic.model_validate(user)
