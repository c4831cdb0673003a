"""The abuse limits as request dependencies (app/core/limits.py; docs/operations.md, "Limits").

Each refusal is 429 `rate_limited` with `Retry-After`, declared for its operation in
app/routers/error_codes.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from app.core.limits import failures_counted, spend
from app.routers.deps import ContextDep, CurrentUser


def client_address(request: Request) -> str:
    """The client's address (behind a trusted proxy, the one it reports)."""
    return request.client.host if request.client else "unknown"


async def count_refresh_failures(request: Request, ctx: ContextDep) -> AsyncIterator[None]:
    settings = ctx.settings
    async with failures_counted(
        ctx.limiter,
        f"refresh-address:{client_address(request)}",
        settings.refresh_max_failures_per_address,
        settings.refresh_failure_window_seconds,
    ):
        yield


async def count_invite_failures(request: Request, ctx: ContextDep) -> AsyncIterator[None]:
    settings = ctx.settings
    async with failures_counted(
        ctx.limiter,
        f"invite-address:{client_address(request)}",
        settings.invite_max_failures_per_address,
        settings.invite_failure_window_seconds,
    ):
        yield


async def spend_export(user: CurrentUser, ctx: ContextDep) -> None:
    settings = ctx.settings
    await spend(
        ctx.limiter,
        f"export-account:{user.id}",
        settings.export_max_per_account,
        settings.export_window_seconds,
    )


RefreshFailures = Annotated[None, Depends(count_refresh_failures, scope="function")]
InviteFailures = Annotated[None, Depends(count_invite_failures, scope="function")]
ExportBudget = Annotated[None, Depends(spend_export)]
