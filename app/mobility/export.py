"""A term's mobilities for the Beneficiary Module: rows in the field names of the Erasmus
Without Paper `bm-mobilities` report, for the sending school's coordinator (their school's
mobilities) and admins (all)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import Forbidden, InvalidInput
from app.matching.tables import Exchange
from app.mobility.followup import virtual_component
from app.mobility.rules import ewp
from app.mobility.tables import Mobility
from app.organisations.tables import Organisation


async def _org(db: AsyncSession, org_id: Any) -> ewp.Org:
    org = await db.get(Organisation, org_id)
    assert org is not None
    return ewp.Org(org.id, org.name, org.country, org.city)


async def bm_rows(
    db: AsyncSession,
    *,
    actor: User,
    first: date | None,
    last: date | None,
    now: datetime,
    stale_after: timedelta,
) -> list[dict[str, Any]]:
    """Mobilities not cancelled whose stay overlaps `first`..`last` (inclusive; either open)."""
    if actor.role == "coordinator" and actor.organisation_id is not None:
        stmt = select(Mobility).where(
            col(Mobility.sending_organisation_id) == actor.organisation_id
        )
    elif actor.role == "admin":
        stmt = select(Mobility)
    else:
        raise Forbidden("Only a sending school's coordinator exports its mobilities.")
    if first is not None and last is not None and first > last:
        raise InvalidInput("query.from", "must not be after `to`", kind="range_reversed")
    if first is not None:
        stmt = stmt.where(col(Mobility.ends_on) >= first)
    if last is not None:
        stmt = stmt.where(col(Mobility.starts_on) <= last)
    stmt = stmt.where(col(Mobility.status) != "cancelled").order_by(
        col(Mobility.starts_on), col(Mobility.id)
    )
    rows = []
    for mobility in (await db.scalars(stmt)).all():
        seconds, _, first_session, last_session = await virtual_component(
            db, mobility, now=now, stale_after=stale_after
        )
        exchange = await db.get(Exchange, mobility.exchange_id) if mobility.exchange_id else None
        rows.append(
            ewp.bm_row(
                ewp.BmFacts(
                    mobility_id=mobility.id,
                    blended=mobility.kind == "blended",
                    contact_seconds=seconds,
                    first_session=first_session,
                    last_session=last_session,
                    sending=await _org(db, mobility.sending_organisation_id),
                    receiving=await _org(db, mobility.receiving_organisation_id),
                    city=mobility.city,
                    country=mobility.country,
                    exchange_languages=list(exchange.shared_languages) if exchange else [],
                    starts_on=mobility.starts_on,
                    ends_on=mobility.ends_on,
                )
            )
        )
    return rows
