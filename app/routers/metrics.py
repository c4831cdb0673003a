"""`GET /metrics`: the process's Prometheus metrics, for the operator's scraper only.

Off unless `PASSERELLE_METRICS_TOKEN` is set (404, as for any unknown path); then it answers
only with `Authorization: Bearer <token>` (401 otherwise). Not in the OpenAPI document: it is
an operations endpoint, described in docs/operations.md."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import func, select
from sqlmodel import col

from app.core.errors import NotAuthenticated, NotFound
from app.notifications.tables import OutboxMessage
from app.routers.deps import ContextDep, SessionDep
from app.webhooks.tables import WebhookDelivery

router = APIRouter(include_in_schema=False)
OUTBOX_STATUSES = ("pending", "sent", "failed")


def _allowed(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.encode(), token.encode())


@router.get("/metrics")
async def metrics(request: Request, ctx: ContextDep, db: SessionDep) -> Response:
    token = ctx.settings.metrics_token
    if not token:
        raise NotFound()
    if not _allowed(request, token):
        raise NotAuthenticated()
    counts = dict(
        (
            await db.execute(
                select(col(OutboxMessage.status), func.count()).group_by(col(OutboxMessage.status))
            )
        ).all()
    )
    for status in OUTBOX_STATUSES:
        ctx.metrics.outbox.labels(status).set(counts.get(status, 0))
    pending = await db.scalar(select(func.count()).where(col(WebhookDelivery.status) == "pending"))
    ctx.metrics.webhook_pending.set(pending or 0)
    return Response(ctx.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
