"""Open Badges: a learner's badges, issuer profiles and the JWKS that verifies credentials."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.badges import issuing
from app.badges.keys import badge_key
from app.badges.tables import Badge
from app.core.schemas import Page
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(tags=["badges"])
well_known = APIRouter(tags=["badges"])


class BadgePublic(BaseModel):
    id: uuid.UUID
    exchange_id: uuid.UUID
    issuer_id: str
    achievement: dict[str, Any]
    issued_at: datetime
    credential: str  # a VC-JWT (EdDSA) of an Open Badges 3.0 `OpenBadgeCredential`


def _issuing(ctx: ContextDep, request: Request) -> issuing.Issuing:
    return issuing.issuing_from_settings(
        ctx.settings, badge_key(ctx.settings), str(request.base_url)
    )


def _public(row: Badge, issue: issuing.Issuing) -> BadgePublic:
    return BadgePublic(
        id=row.id,
        exchange_id=row.exchange_id,
        issuer_id=issue.issuer_url(row.issuer_organisation_id),
        achievement=row.achievement,
        issued_at=row.issued_at,
        credential=row.credential,
    )


@router.get("/learners/{learner_id}/badges", response_model=Page[BadgePublic], responses=AUTHED)
async def learner_badges(
    learner_id: uuid.UUID,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[BadgePublic]:
    """A learner's Open Badges, oldest first; what is due is issued before answering. The
    learner, their guardians, their school's staff, admins; 404 for anyone else."""
    issue = _issuing(ctx, request)
    rows, total = await issuing.list_for_learner(
        db,
        actor=user,
        learner_id=learner_id,
        issuing=issue,
        now=ctx.clock(),
        limit=limit,
        offset=offset,
    )
    return Page(items=[_public(r, issue) for r in rows], total=total)


@router.get("/issuers/{organisation_id}", responses=errors(404, 422))
async def issuer_profile(
    organisation_id: uuid.UUID, request: Request, db: SessionDep, ctx: ContextDep
) -> dict[str, Any]:
    """Public, no login: the issuer's Open Badges `Profile` and its public key (JWK)."""
    return await issuing.issuer(db, organisation_id=organisation_id, issuing=_issuing(ctx, request))


@well_known.get("/.well-known/jwks.json")
async def jwks(ctx: ContextDep) -> dict[str, Any]:
    """Public: the keys that verify issued credentials (JWK Set, RFC 7517)."""
    return badge_key(ctx.settings).jwks()
