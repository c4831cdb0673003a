"""Request dependencies: the unit of work and the authenticated caller."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.tables import User
from app.context import AppContext
from app.core.db import unit_of_work
from app.core.errors import NotAuthenticated
from app.core.security.tokens import InvalidToken

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


ContextDep = Annotated[AppContext, Depends(get_context)]


async def get_session(ctx: ContextDep) -> AsyncIterator[AsyncSession]:
    async with unit_of_work(ctx.db_factory) as db:
        yield db


# scope="function": commit before the response is sent, so a 2xx means it is stored.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_current_user(
    ctx: ContextDep,
    db: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User:
    if not token:
        raise NotAuthenticated()
    try:
        claims = ctx.keys.verify(token, kind="access")
        user_id = uuid.UUID(claims["sub"])
    except (InvalidToken, ValueError) as exc:
        raise NotAuthenticated(
            "The access token is invalid or expired.", code="invalid_token"
        ) from exc
    user = await db.get(User, user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("The access token is invalid or expired.", code="invalid_token")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


Limit = Annotated[int, Query(ge=1, le=100, description="Page size (1-100)")]
# Bounded so a huge offset is a 422, not a database overflow (a 500).
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")]
