from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.core.db import ping
from app.core.errors import error_body
from app.routers.deps import ContextDep

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)
CHECK_TIMEOUT_S = 3.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """200 while the process lives."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A dependency does not answer"}})
async def readyz(ctx: ContextDep) -> JSONResponse:
    """200 only when the database and the broker answer; 503 names the one that failed."""
    checks = {"database": ping(ctx.engine), "broker": ctx.broker.ping()}
    failed = []
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check, CHECK_TIMEOUT_S)
        except Exception as exc:  # any failure means "not ready"; the log keeps the reason
            log.warning("readiness check failed", extra={"dependency": name, "error": repr(exc)})
            failed.append(name)
    if failed:
        return JSONResponse(
            error_body(
                "not_ready", f"Not ready: {', '.join(failed)} unavailable.", {"failed": failed}
            ),
            status_code=503,
        )
    return JSONResponse({"status": "ready", "checks": dict.fromkeys(checks, "ok")})
