"""Participation certificates: issued once a learner's contact hours in one exchange reach the
threshold, signed with a key of the key ring, verified by anyone (docs/attendance.md).

Issuance is idempotent and never depends on timing: the hub issues what is due when a room
ends, and listing a learner's certificates issues what is still due (a failed or missed hub
run is caught up there). One certificate per learner and exchange, enforced by the table; two
issuers racing for the same one insert it once (`ON CONFLICT DO NOTHING`), and only the one
that inserted it audits it. An erased learner is never issued one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import ERASED_DOMAIN, User
from app.attendance.hours import ExchangeHours, as_hours, learner_hours
from app.attendance.rules import certificates as signing
from app.attendance.sheets import measure_from_settings
from app.attendance.tables import Certificate
from app.core.audit import audit, record_cross_school_read
from app.core.errors import NotFound, not_found
from app.core.paging import fetch_page
from app.core.rules.instants import utc_iso
from app.core.security.tokens import KeyRing
from app.core.settings import Settings
from app.families.consents import visible_learner
from app.live.tables import PresenceInterval
from app.organisations.tables import Organisation
from app.scheduling.tables import LiveSession

ISSUER = "Passerelle"
VERSION = 1


@dataclass(frozen=True)
class Issuing:
    """What issuing needs beyond the database: the signing keys, the threshold in contact
    hours per exchange, and when an open presence interval counts as abandoned."""

    keys: KeyRing
    min_hours: float
    stale_after: timedelta


def issuing_from_settings(settings: Settings, keys: KeyRing) -> Issuing:
    return Issuing(
        keys=keys,
        min_hours=settings.certificate_min_hours,
        stale_after=measure_from_settings(settings).stale_after,
    )


def key_for(keys: KeyRing, key_id: str) -> bytes | None:
    """The certificate key derived from the ring's secret `key_id` (current or previous);
    None once that secret has left the ring."""
    secret = keys.keys.get(key_id)
    return None if secret is None else signing.certificate_key(secret)


def _payload(
    certificate_id: uuid.UUID, learner: User, hours: ExchangeHours, zone: str, issued_at: datetime
) -> dict[str, Any]:
    assert hours.first_session is not None
    assert hours.last_session is not None
    local = ZoneInfo(zone)
    return {
        "version": VERSION,
        "issuer": ISSUER,
        "certificate_id": str(certificate_id),
        "learner": {"id": str(learner.id), "display_name": learner.display_name},
        "exchange_id": str(hours.exchange_id),
        "schools": [{"name": name, "country": country} for _, name, country in hours.schools],
        "countries": sorted({country for _, _, country in hours.schools}),
        "partner_countries": list(hours.countries),
        "hours": as_hours(hours.seconds),
        "seconds": hours.seconds,
        "sessions": hours.sessions,
        "first_session": hours.first_session.astimezone(local).date().isoformat(),
        "last_session": hours.last_session.astimezone(local).date().isoformat(),
        "issued_at": utc_iso(issued_at),
    }


async def _insert_once(db: AsyncSession, certificate: Certificate) -> bool:
    """Insert unless this learner already holds one for this exchange; whether it did."""
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(Certificate)
        .values(**certificate.model_dump())
        .on_conflict_do_nothing(index_elements=["learner_id", "exchange_id"])
        .returning(col(Certificate.id))
    )
    return (await db.execute(stmt)).scalar_one_or_none() is not None


async def _issue_for(
    db: AsyncSession,
    learner: User,
    *,
    issuing: Issuing,
    now: datetime,
    exchange_id: uuid.UUID | None,
) -> list[Certificate]:
    if learner.role != "learner" or learner.email.endswith(f"@{ERASED_DOMAIN}"):
        return []
    held = set(
        (
            await db.scalars(
                select(col(Certificate.exchange_id)).where(
                    col(Certificate.learner_id) == learner.id
                )
            )
        ).all()
    )
    if exchange_id is not None and exchange_id in held:
        return []
    org = await db.get(Organisation, learner.organisation_id) if learner.organisation_id else None
    found = await learner_hours(
        db,
        learner_id=learner.id,
        own_country=org.country if org else None,
        start=None,
        end=None,
        now=now,
        stale_after=issuing.stale_after,
        exchange_id=exchange_id,
    )
    issued_at = now.astimezone(UTC).replace(microsecond=0)
    key_id = issuing.keys.current_kid
    key = key_for(issuing.keys, key_id)
    assert key is not None  # the current key is always in the ring
    issued: list[Certificate] = []
    for hours in found.exchanges:
        if hours.exchange_id in held or hours.seconds < issuing.min_hours * 3600:
            continue
        certificate_id = uuid.uuid4()
        payload = _payload(
            certificate_id, learner, hours, org.timezone if org else "UTC", issued_at
        )
        certificate = Certificate(
            id=certificate_id,
            learner_id=learner.id,
            exchange_id=hours.exchange_id,
            issued_at=issued_at,
            payload=payload,
            key_id=key_id,
            signature=signing.sign(payload, key),
        )
        if await _insert_once(db, certificate):
            details = {
                "certificate_id": str(certificate_id),
                "exchange_id": str(hours.exchange_id),
                "hours": payload["hours"],
            }
            await audit(db, None, "certificate.issued", "user", learner.id, details)
            issued.append(certificate)
    return issued


async def issue_due(
    db: AsyncSession,
    *,
    issuing: Issuing,
    now: datetime,
    learner_id: uuid.UUID | None = None,
    exchange_id: uuid.UUID | None = None,
) -> list[Certificate]:
    """Issue every certificate now due: for one learner (in every exchange, or in
    `exchange_id`), or for every learner who was online in a session of `exchange_id`.
    Answers the certificates issued by this call."""
    if learner_id is not None:
        learner = await db.get(User, learner_id)
        if learner is None:
            return []
        return await _issue_for(db, learner, issuing=issuing, now=now, exchange_id=exchange_id)
    if exchange_id is None:
        raise ValueError("issue_due needs a learner_id or an exchange_id")
    learners = await db.scalars(
        select(User)
        .where(
            col(User.role) == "learner",
            col(User.id).in_(
                select(col(PresenceInterval.user_id))
                .join(LiveSession, col(LiveSession.id) == col(PresenceInterval.session_id))
                .where(
                    col(LiveSession.exchange_id) == exchange_id,
                    col(LiveSession.status) != "cancelled",
                )
            ),
        )
        .order_by(col(User.id))
    )
    issued: list[Certificate] = []
    for learner in learners.all():
        issued += await _issue_for(db, learner, issuing=issuing, now=now, exchange_id=exchange_id)
    return issued


async def issue_after_session(
    db: AsyncSession, *, session_id: uuid.UUID, issuing: Issuing, now: datetime
) -> list[Certificate]:
    """What a session's end makes due, for the learners of its exchange."""
    live = await db.get(LiveSession, session_id)
    if live is None:
        return []
    return await issue_due(db, issuing=issuing, now=now, exchange_id=live.exchange_id)


# --- reading ---------------------------------------------------------------------------------


async def list_for_learner(
    db: AsyncSession,
    *,
    actor: User,
    learner_id: uuid.UUID,
    issuing: Issuing,
    now: datetime,
    limit: int,
    offset: int,
) -> tuple[list[Certificate], int]:
    """A learner's certificates, oldest first, after issuing what is due. The learner, their
    guardians, their school's staff, admins (audited as a cross-school read); 404 otherwise."""
    learner = await visible_learner(db, actor=actor, learner_id=learner_id)
    await record_cross_school_read(db, actor=actor, learner=learner, what="certificates")
    await issue_due(db, issuing=issuing, now=now, learner_id=learner.id)
    stmt = (
        select(Certificate)
        .where(col(Certificate.learner_id) == learner.id)
        .order_by(col(Certificate.issued_at), col(Certificate.id))
    )
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def get_visible(db: AsyncSession, *, actor: User, certificate_id: uuid.UUID) -> Certificate:
    """One certificate, for the people who may list its learner's; 404 for anyone else."""
    certificate = await db.get(Certificate, certificate_id)
    if certificate is None:
        raise not_found("Certificate")
    try:
        learner = await visible_learner(db, actor=actor, learner_id=certificate.learner_id)
    except NotFound as exc:  # its learner is out of the caller's sight
        raise not_found("Certificate") from exc
    await record_cross_school_read(db, actor=actor, learner=learner, what="certificates")
    return certificate


def is_intact(certificate: Certificate, keys: KeyRing) -> bool:
    """Whether the stored payload still carries its signature (under a key still in the
    ring) and names this certificate."""
    key = key_for(keys, certificate.key_id)
    payload = certificate.payload
    return (
        key is not None
        and isinstance(payload, dict)
        and payload.get("certificate_id") == str(certificate.id)
        and signing.verify(payload, certificate.signature, key)
    )


async def verify_stored(
    db: AsyncSession, *, certificate_id: uuid.UUID, keys: KeyRing
) -> tuple[Certificate, bool]:
    """The stored certificate and whether it is intact; 404 for an unknown id."""
    certificate = await db.get(Certificate, certificate_id)
    if certificate is None:
        raise not_found("Certificate")
    return certificate, is_intact(certificate, keys)


async def verify_presented(
    db: AsyncSession, *, payload: dict[str, Any], signature: str, keys: KeyRing
) -> tuple[bool, uuid.UUID | None]:
    """Whether a copy a holder presents is genuine: its signature is right and a stored,
    intact certificate with its id holds the same payload. Answers the id it names."""
    try:
        certificate_id = uuid.UUID(str(payload.get("certificate_id")))
    except ValueError:
        return False, None
    certificate = await db.get(Certificate, certificate_id)
    if certificate is None or not is_intact(certificate, keys):
        return False, certificate_id
    key = key_for(keys, certificate.key_id)
    assert key is not None  # intact: its key is in the ring
    try:
        same = signing.canonical(payload) == signing.canonical(certificate.payload)
    except (ValueError, TypeError, RecursionError):
        same = False
    return same and signing.verify(payload, signature, key), certificate_id
