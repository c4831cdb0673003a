from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from app.accounts import auth
from app.accounts.auth_schemas import RefreshRequest, TokenPair
from app.accounts.schemas import UserPublic
from app.routers.deps import ContextDep, CurrentUser, SessionDep
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
    address = request.client.host if request.client else "unknown"
    return await auth.login(
        db,
        tokens=ctx.tokens,
        guard=ctx.login_guard,
        email=username,
        password=password,
        address=address,
    )


@router.post("/auth/refresh", response_model=TokenPair, responses=errors(401, 422))
async def refresh(body: RefreshRequest, db: SessionDep, ctx: ContextDep) -> TokenPair:
    return await auth.refresh(db, tokens=ctx.tokens, token=body.refresh_token)


@router.post("/auth/logout", status_code=204, responses=errors(401, 422))
async def logout(body: RefreshRequest, db: SessionDep, ctx: ContextDep) -> Response:
    await auth.logout(db, tokens=ctx.tokens, token=body.refresh_token)
    return Response(status_code=204)


@router.get("/users/me", response_model=UserPublic, responses=errors(401))
async def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)
