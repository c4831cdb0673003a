"""The events capabilities raise, each shaped per organisation: an organisation's
subscriptions get only its own objects, by id, with UTC times (docs/webhooks.md lists the
payloads). Called in the unit of work of the change, so an event is queued exactly when the
change is committed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.attendance.tables import AttendanceOverride, AttendanceRecord
from app.classes.tables import SchoolClass
from app.core.rules.instants import utc_iso
from app.matching.tables import ExchangeClass
from app.mobility.tables import Mobility
from app.scheduling.tables import LiveSession
from app.webhooks.deliveries import enqueue
from app.webhooks.rules.events import EventType


async def _classes_by_organisation(
    db: AsyncSession, exchange_id: uuid.UUID
) -> dict[uuid.UUID, list[str]]:
    rows = await db.execute(
        select(col(SchoolClass.organisation_id), col(SchoolClass.id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .where(col(ExchangeClass.exchange_id) == exchange_id)
        .order_by(col(SchoolClass.id))
    )
    found: dict[uuid.UUID, list[str]] = {}
    for org_id, class_id in rows.all():
        found.setdefault(org_id, []).append(str(class_id))
    return found


def session_data(live: LiveSession) -> dict[str, Any]:
    return {
        "id": str(live.id),
        "exchange_id": str(live.exchange_id),
        "series_id": str(live.series_id) if live.series_id else None,
        "title": live.title,
        "starts_at": utc_iso(live.starts_at),
        "ends_at": utc_iso(live.ends_at),
        "timezone": live.timezone,
        "status": live.status,
        "ended_at": utc_iso(live.ended_at) if live.ended_at else None,
    }


async def sessions(
    db: AsyncSession,
    *,
    event_type: EventType,
    rows: Sequence[LiveSession],
    now: datetime,
    reason: str | None = None,
) -> int:
    """`session.scheduled`, `.changed`, `.cancelled` or `.ended`: one event per session, to
    each organisation with a class in the exchange."""
    if not rows:
        return 0
    classes = await _classes_by_organisation(db, rows[0].exchange_id)
    queued = 0
    for live in rows:
        data: dict[str, Any] = {"session": session_data(live)}
        if reason is not None:
            data["reason"] = reason
        queued += await enqueue(
            db,
            event_type=event_type,
            data_by_organisation={org: data | {"class_ids": ids} for org, ids in classes.items()},
            now=now,
        )
    return queued


async def attendance_sealed(db: AsyncSession, *, live: LiveSession, now: datetime) -> int:
    """Each organisation gets its own learners' lines of the sealed session, by id: status
    (a teacher's override wins) and minutes online."""
    classes = await _classes_by_organisation(db, live.exchange_id)
    owner = {cid: org for org, ids in classes.items() for cid in ids}
    records = await db.scalars(
        select(AttendanceRecord)
        .where(col(AttendanceRecord.session_id) == live.id)
        .order_by(col(AttendanceRecord.learner_id))
    )
    overrides = {
        o.learner_id: o.status
        for o in (
            await db.scalars(
                select(AttendanceOverride).where(col(AttendanceOverride.session_id) == live.id)
            )
        ).all()
    }
    lines: dict[uuid.UUID, list[dict[str, Any]]] = {org: [] for org in classes}
    for record in records.all():
        org = owner.get(str(record.class_id)) if record.class_id else None
        if org is None:
            continue
        lines[org].append(
            {
                "learner_id": str(record.learner_id),
                "class_id": str(record.class_id),
                "status": overrides.get(record.learner_id, record.status),
                "online_minutes": record.online_seconds // 60,
            }
        )
    session = session_data(live)
    sealed_at = utc_iso(live.attendance_sealed_at or now)
    return await enqueue(
        db,
        event_type="attendance.sealed",
        data_by_organisation={
            org: {"session": session, "sealed_at": sealed_at, "learners": learners}
            for org, learners in lines.items()
        },
        now=now,
    )


async def mobility_status_changed(
    db: AsyncSession, *, mobility: Mobility, previous: str, now: datetime
) -> int:
    """To the sending and the receiving organisation."""
    data = {
        "mobility": {
            "id": str(mobility.id),
            "learner_id": str(mobility.learner_id),
            "sending_organisation_id": str(mobility.sending_organisation_id),
            "receiving_organisation_id": str(mobility.receiving_organisation_id),
            "kind": mobility.kind,
            "starts_on": mobility.starts_on.isoformat(),
            "ends_on": mobility.ends_on.isoformat(),
            "status": mobility.status,
        },
        "previous_status": previous,
    }
    orgs = {mobility.sending_organisation_id, mobility.receiving_organisation_id}
    return await enqueue(
        db,
        event_type="mobility.status_changed",
        data_by_organisation=dict.fromkeys(orgs, data),
        now=now,
    )
