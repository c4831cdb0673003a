"""Web Push subscriptions of the caller's browsers, and the key browsers subscribe with."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from app.core.schemas import Page
from app.notifications import push_subscriptions
from app.notifications.push_schemas import (
    PushSubscriptionCreate,
    PushSubscriptionPublic,
    VapidPublicKey,
)
from app.routers.deps import CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import errors

router = APIRouter(tags=["notifications"])


@router.get(
    "/push-subscriptions/vapid-public-key",
    response_model=VapidPublicKey,
    responses=errors(401, 404),
)
async def vapid_public_key(user: CurrentUser) -> VapidPublicKey:
    """The `applicationServerKey` for `pushManager.subscribe` (404 `push_disabled` when this
    server sends no Web Push)."""
    return VapidPublicKey(public_key=push_subscriptions.public_key())


@router.post(
    "/push-subscriptions",
    status_code=201,
    response_model=PushSubscriptionPublic,
    responses={
        **errors(401, 404, 422),
        200: {"description": "Already registered (now yours, with these keys)"},
    },
)
async def subscribe(
    body: PushSubscriptionCreate, response: Response, db: SessionDep, user: CurrentUser
) -> PushSubscriptionPublic:
    """Register this browser's `PushSubscription` (its `toJSON()`): your notifications are
    then also pushed to it. Idempotent per endpoint: 201 the first time, then 200."""
    subscription, created = await push_subscriptions.subscribe(db, actor=user, data=body)
    if not created:
        response.status_code = 200
    return PushSubscriptionPublic.model_validate(subscription)


@router.get(
    "/push-subscriptions",
    response_model=Page[PushSubscriptionPublic],
    responses=errors(401, 404, 422),
)
async def list_subscriptions(
    db: SessionDep, user: CurrentUser, limit: Limit = 50, offset: Offset = 0
) -> Page[PushSubscriptionPublic]:
    """Your browsers' subscriptions, oldest first."""
    rows, total = await push_subscriptions.list_own(db, actor=user, limit=limit, offset=offset)
    return Page(items=[PushSubscriptionPublic.model_validate(r) for r in rows], total=total)


@router.delete(
    "/push-subscriptions/{subscription_id}",
    status_code=204,
    responses=errors(401, 404, 422),
)
async def unsubscribe(subscription_id: uuid.UUID, db: SessionDep, user: CurrentUser) -> Response:
    """Stop pushing to one of your subscriptions (after `subscription.unsubscribe()`)."""
    await push_subscriptions.remove(db, actor=user, subscription_id=subscription_id)
    return Response(status_code=204)
