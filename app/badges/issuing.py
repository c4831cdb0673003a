"""Issuing Open Badges: when a learner meets an exchange's criteria (contact hours, sessions
attended, reflections; settings), an `OpenBadgeCredential` is signed as a VC-JWT and kept.

Like certificates, issuance is idempotent and catches up: listing a learner's badges issues
what is due first. One badge per learner and exchange (the table enforces it); the issuer is
the learner's school; the credential links to the participation certificate when there is one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import ERASED_DOMAIN, User
from app.activities.tables import Reflection
from app.attendance.hours import as_hours, learner_hours
from app.attendance.sheets import measure_from_settings
from app.attendance.tables import Certificate
from app.badges.keys import BadgeKey
from app.badges.rules import credential as ob
from app.badges.tables import Badge
from app.core.audit import audit, record_cross_school_read
from app.core.errors import not_found
from app.core.paging import fetch_page
from app.core.settings import Settings
from app.families.consents import visible_learner
from app.organisations.tables import Organisation
from app.scheduling.tables import LiveSession


@dataclass(frozen=True)
class Issuing:
    key: BadgeKey
    criteria: ob.Criteria
    stale_after: timedelta
    base_url: str  # where this API is reached: issuer and achievement ids are URLs under it

    def issuer_url(self, organisation_id: uuid.UUID) -> str:
        return f"{self.base_url}/api/v1/issuers/{organisation_id}"


def issuing_from_settings(settings: Settings, key: BadgeKey, base_url: str) -> Issuing:
    return Issuing(
        key=key,
        criteria=ob.Criteria(
            min_hours=settings.badge_min_hours,
            min_sessions=settings.badge_min_sessions,
            min_reflections=settings.badge_min_reflections,
        ),
        stale_after=measure_from_settings(settings).stale_after,
        base_url=base_url.rstrip("/"),
    )


async def _reflections(db: AsyncSession, learner_id: uuid.UUID, exchange_id: uuid.UUID) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(Reflection)
        .join(LiveSession, col(LiveSession.id) == col(Reflection.session_id))
        .where(
            col(Reflection.learner_id) == learner_id, col(LiveSession.exchange_id) == exchange_id
        )
    )
    return int(count or 0)


async def issue_due(
    db: AsyncSession, *, learner_id: uuid.UUID, issuing: Issuing, now: datetime
) -> list[Badge]:
    """Issue every badge the learner is now due, one per exchange; answers those issued."""
    learner = await db.get(User, learner_id)
    if learner is None or learner.role != "learner" or learner.email.endswith(f"@{ERASED_DOMAIN}"):
        return []
    org = await db.get(Organisation, learner.organisation_id) if learner.organisation_id else None
    if org is None:
        return []
    held = set(
        await db.scalars(select(col(Badge.exchange_id)).where(col(Badge.learner_id) == learner.id))
    )
    found = await learner_hours(
        db,
        learner_id=learner.id,
        own_country=org.country,
        start=None,
        end=None,
        now=now,
        stale_after=issuing.stale_after,
    )
    issued: list[Badge] = []
    for hours in found.exchanges:
        if hours.exchange_id in held:
            continue
        reflections = await _reflections(db, learner.id, hours.exchange_id)
        if not issuing.criteria.met(
            seconds=hours.seconds, sessions=hours.sessions, reflections=reflections
        ):
            continue
        certificate = await db.scalar(
            select(col(Certificate.id)).where(
                col(Certificate.learner_id) == learner.id,
                col(Certificate.exchange_id) == hours.exchange_id,
            )
        )
        badge_id = uuid.uuid4()
        issue = ob.Issue(
            badge_id=str(badge_id),
            issuer_url=issuing.issuer_url(org.id),
            issuer_name=org.name,
            issuer_country=org.country,
            issuer_city=org.city,
            achievement_url=f"{issuing.base_url}/api/v1/achievements/virtual-exchange",
            learner_id=str(learner.id),
            learner_name=learner.display_name,
            issued_at=now.astimezone(UTC).replace(microsecond=0),
            criteria=issuing.criteria,
            hours=as_hours(hours.seconds),
            sessions=hours.sessions,
            reflections=reflections,
            partner_countries=list(hours.countries),
            certificate_url=(
                f"{issuing.base_url}/api/v1/certificates/{certificate}/verify"
                if certificate
                else None
            ),
        )
        badge = Badge(
            id=badge_id,
            learner_id=learner.id,
            exchange_id=hours.exchange_id,
            issuer_organisation_id=org.id,
            issued_at=issue.issued_at,
            achievement=_achievement_public(issue),
            credential=issuing.key.sign(ob.claims(issue)),
            key_id=issuing.key.kid,
        )
        db.add(badge)
        await db.flush()
        await audit(
            db,
            None,
            "badge.issued",
            "user",
            learner.id,
            {"badge_id": str(badge_id), "exchange_id": str(hours.exchange_id)},
        )
        issued.append(badge)
    return issued


def _achievement_public(issue: ob.Issue) -> dict[str, Any]:
    """The achievement as the API shows it: its texts in the six languages."""
    return {
        "id": issue.achievement_url,
        "name": dict(ob.NAME),
        "description": dict(ob.DESCRIPTION),
        "criteria": issue.criteria.texts(),
        "exchange_hours": issue.hours,
        "sessions": issue.sessions,
        "reflections": issue.reflections,
    }


async def list_for_learner(
    db: AsyncSession,
    *,
    actor: User,
    learner_id: uuid.UUID,
    issuing: Issuing,
    now: datetime,
    limit: int,
    offset: int,
) -> tuple[list[Badge], int]:
    """A learner's badges, oldest first, after issuing what is due. The learner, their
    guardians, their school's staff, admins (a cross-school read is audited); 404 otherwise."""
    learner = await visible_learner(db, actor=actor, learner_id=learner_id)
    await record_cross_school_read(db, actor=actor, learner=learner, what="badges")
    await issue_due(db, learner_id=learner.id, issuing=issuing, now=now)
    stmt = (
        select(Badge)
        .where(col(Badge.learner_id) == learner.id)
        .order_by(col(Badge.issued_at), col(Badge.id))
    )
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def issuer(
    db: AsyncSession, *, organisation_id: uuid.UUID, issuing: Issuing
) -> dict[str, Any]:
    """The issuer profile (public): an OB 3.0 `Profile` with the key that verifies its badges."""
    org = await db.get(Organisation, organisation_id)
    if org is None:
        raise not_found("Issuer")
    profile = ob.issuer_profile(issuing.issuer_url(org.id), org.name, org.country, org.city)
    return {
        "@context": list(ob.CONTEXTS),
        **profile,
        "publicKey": issuing.key.public_jwk,
        "jwks_uri": f"{issuing.base_url}/.well-known/jwks.json",
    }


async def badge_ids_for(
    db: AsyncSession, pairs: list[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID]:
    """The badge of each (learner, exchange), where one was issued."""
    if not pairs:
        return {}
    learners = {learner for learner, _ in pairs}
    rows = await db.execute(
        select(col(Badge.learner_id), col(Badge.exchange_id), col(Badge.id)).where(
            col(Badge.learner_id).in_(learners)
        )
    )
    return {(lid, eid): bid for lid, eid, bid in rows if (lid, eid) in set(pairs)}
