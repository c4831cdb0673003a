"""Participation certificates: a learner's list, one certificate, and public verification."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.attendance import certificates
from app.attendance.certificates import Issuing
from app.attendance.schemas.certificates import (
    CertificatePresented,
    CertificatePublic,
    CertificateVerification,
    PresentedVerification,
)
from app.attendance.tables import Certificate
from app.badges.tables import Badge
from app.core.schemas import Page
from app.routers.deps import ContextDep, CurrentUser, Limit, Offset, SessionDep
from app.routers.responses import AUTHED, errors

router = APIRouter(tags=["certificates"])


def issuing_from_settings(ctx: ContextDep) -> Issuing:
    return certificates.issuing_from_settings(ctx.settings, ctx.keys)


async def _badge_ids(
    db: AsyncSession, rows: list[Certificate]
) -> dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID]:
    """The badge of each certificate's learner and exchange, where one was issued."""
    if not rows:
        return {}
    found = await db.execute(
        select(col(Badge.learner_id), col(Badge.exchange_id), col(Badge.id)).where(
            col(Badge.learner_id).in_({r.learner_id for r in rows}),
            col(Badge.exchange_id).in_({r.exchange_id for r in rows}),
        )
    )
    return {(learner, exchange): badge for learner, exchange, badge in found.all()}


def certificate_public(
    row: Certificate,
    request: Request,
    badges: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] | None = None,
) -> CertificatePublic:
    return CertificatePublic(
        id=row.id,
        learner_id=row.learner_id,
        exchange_id=row.exchange_id,
        issued_at=row.issued_at,
        certificate=row.payload,
        signature=row.signature,
        key_id=row.key_id,
        verify_url=str(request.url_for("verify_certificate", certificate_id=str(row.id))),
        badge_id=(badges or {}).get((row.learner_id, row.exchange_id)),
    )


@router.get(
    "/learners/{learner_id}/certificates",
    response_model=Page[CertificatePublic],
    responses=AUTHED,
)
async def learner_certificates(
    learner_id: uuid.UUID,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    ctx: ContextDep,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[CertificatePublic]:
    """A learner's participation certificates, oldest first; one per exchange in which their
    contact hours reached the threshold (what is due is issued before answering). The
    learner, their guardians, their school's staff, admins; 404 for anyone else."""
    rows, total = await certificates.list_for_learner(
        db,
        actor=user,
        learner_id=learner_id,
        issuing=issuing_from_settings(ctx),
        now=ctx.clock(),
        limit=limit,
        offset=offset,
    )
    badges = await _badge_ids(db, list(rows))
    return Page(items=[certificate_public(r, request, badges) for r in rows], total=total)


@router.get("/certificates/{certificate_id}", response_model=CertificatePublic, responses=AUTHED)
async def certificate(
    certificate_id: uuid.UUID, request: Request, db: SessionDep, user: CurrentUser
) -> CertificatePublic:
    """One certificate, for the people who may list its learner's; 404 for anyone else."""
    row = await certificates.get_visible(db, actor=user, certificate_id=certificate_id)
    return certificate_public(row, request, await _badge_ids(db, [row]))


@router.get(
    "/certificates/{certificate_id}/verify",
    response_model=CertificateVerification,
    responses=errors(404, 422),
)
async def verify_certificate(
    certificate_id: uuid.UUID, db: SessionDep, ctx: ContextDep
) -> CertificateVerification:
    """Public, no login: the certificate as issued and whether it is still intact (`valid`
    false when its stored payload or signature were altered, or its key was retired).
    404 for an unknown id."""
    row, valid = await certificates.verify_stored(db, certificate_id=certificate_id, keys=ctx.keys)
    return CertificateVerification(
        valid=valid,
        certificate=row.payload,
        signature=row.signature,
        key_id=row.key_id,
        issued_at=row.issued_at,
    )


@router.post(
    "/certificates/verify", response_model=PresentedVerification, responses=errors(413, 422)
)
async def verify_presented(
    body: CertificatePresented, db: SessionDep, ctx: ContextDep
) -> PresentedVerification:
    """Public, no login: check a copy a holder presents (`certificate` and `signature` as
    issued). Valid only when the signature matches and a certificate with that id exists
    with the same payload; any change, such as another hour count, makes it invalid."""
    valid, certificate_id = await certificates.verify_presented(
        db, payload=body.certificate, signature=body.signature, keys=ctx.keys
    )
    return PresentedVerification(valid=valid, certificate_id=certificate_id)
