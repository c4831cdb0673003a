"""An exchange's thread: the member classes' teachers and their schools' coordinators write
to each other, proposed or active (a declined exchange's thread is read-only).

Who sees the exchange but is not in the thread (a learner, an admin, the coordinator of a
network's coordinating school without a class in it) gets 403; who does not see the
exchange gets its 404. Messages are listed oldest first. Each new message is announced to
the other readers in their school's language, without its text. An author whose account is
erased is shown as removed; the message and the school they wrote for stay
(`erase_authorship`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.tables import ClassTeacher, SchoolClass
from app.core.errors import Conflict, Forbidden
from app.core.paging import fetch_page
from app.matching.exchanges import get_visible
from app.matching.schemas import ExchangeMessagePublic, MessageAuthor
from app.matching.tables import OPEN_STATUSES, Exchange, ExchangeClass, ExchangeMessage
from app.notifications import service as notifications
from app.notifications.service import Recipient
from app.organisations.tables import Organisation


async def _schools(db: AsyncSession, exchange: Exchange) -> list[Organisation]:
    rows = await db.scalars(
        select(Organisation)
        .join(SchoolClass, col(SchoolClass.organisation_id) == col(Organisation.id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .where(col(ExchangeClass.exchange_id) == exchange.id)
        .distinct()
    )
    return list(rows.all())


async def _teaches_in(db: AsyncSession, actor: User, exchange: Exchange) -> bool:
    found = await db.scalar(
        select(func.count())
        .select_from(ClassTeacher)
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(ClassTeacher.class_id))
        .where(
            col(ExchangeClass.exchange_id) == exchange.id,
            col(ClassTeacher.teacher_id) == actor.id,
        )
    )
    return bool(found)


async def _open(
    db: AsyncSession, actor: User, exchange_id: uuid.UUID
) -> tuple[Exchange, list[Organisation]]:
    exchange = await get_visible(db, actor=actor, exchange_id=exchange_id)
    schools = await _schools(db, exchange)
    in_thread = (
        actor.role == "coordinator" and actor.organisation_id in {o.id for o in schools}
    ) or (actor.role == "teacher" and await _teaches_in(db, actor, exchange))
    if not in_thread:
        raise Forbidden(
            "The thread is for the member classes' teachers and their schools' coordinators."
        )
    return exchange, schools


async def list_messages(
    db: AsyncSession,
    *,
    actor: User,
    exchange_id: uuid.UUID,
    since: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[ExchangeMessage], int]:
    exchange, _ = await _open(db, actor, exchange_id)
    stmt = select(ExchangeMessage).where(col(ExchangeMessage.exchange_id) == exchange.id)
    if since is not None:
        stmt = stmt.where(col(ExchangeMessage.created_at) > since)
    stmt = stmt.order_by(col(ExchangeMessage.created_at), col(ExchangeMessage.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def _readers(
    db: AsyncSession, exchange: Exchange, schools: list[Organisation]
) -> list[Recipient]:
    """The thread's readers, each once, reading for their school."""
    by_id = {o.id: o for o in schools}
    teachers = await db.execute(
        select(User, col(SchoolClass.organisation_id))
        .join(ClassTeacher, col(ClassTeacher.teacher_id) == col(User.id))
        .join(SchoolClass, col(SchoolClass.id) == col(ClassTeacher.class_id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .where(col(ExchangeClass.exchange_id) == exchange.id, col(User.is_active))
        .order_by(col(User.id))
    )
    coordinators = await db.execute(
        select(User, col(User.organisation_id))
        .where(
            col(User.role) == "coordinator",
            col(User.organisation_id).in_(list(by_id)),
            col(User.is_active),
        )
        .order_by(col(User.id))
    )
    found: dict[uuid.UUID, Recipient] = {}
    for user, org_id in [*teachers.all(), *coordinators.all()]:
        org = by_id[org_id] if org_id is not None else None
        if org is None:
            continue
        found.setdefault(user.id, Recipient(user, org.country, org.timezone, org.id))
    return list(found.values())


async def post(
    db: AsyncSession, *, actor: User, exchange_id: uuid.UUID, text: str, now: datetime
) -> ExchangeMessage:
    exchange, schools = await _open(db, actor, exchange_id)
    if exchange.status not in OPEN_STATUSES:
        raise Conflict(
            f"The exchange is {exchange.status}; its thread is read-only.",
            code="exchange_thread_closed",
        )
    last = await db.scalar(
        select(func.max(col(ExchangeMessage.created_at))).where(
            col(ExchangeMessage.exchange_id) == exchange.id
        )
    )
    if last is not None and last.replace(tzinfo=now.tzinfo) >= now:
        now = last.replace(tzinfo=now.tzinfo) + timedelta(microseconds=1)  # keep the order
    message = ExchangeMessage(
        exchange_id=exchange.id,
        author_id=actor.id,
        author_organisation_id=actor.organisation_id,
        text=text,
        created_at=now,
    )
    db.add(message)
    await db.flush()
    school = next((o.name for o in schools if o.id == actor.organisation_id), "")
    await notifications.exchange_message(
        db,
        exchange_id=exchange.id,
        message_id=message.id,
        readers=await _readers(db, exchange, schools),
        schools=schools,
        author=actor,
        author_school=school,
    )
    return message


async def public(db: AsyncSession, messages: list[ExchangeMessage]) -> list[ExchangeMessagePublic]:
    users = {m.author_id for m in messages if m.author_id is not None}
    orgs = {m.author_organisation_id for m in messages if m.author_organisation_id is not None}
    names: dict[uuid.UUID, str] = {}
    if users:
        rows = await db.execute(
            select(col(User.id), col(User.display_name)).where(col(User.id).in_(list(users)))
        )
        names = {uid: str(name) for uid, name in rows.all()}
    schools: dict[uuid.UUID, str] = {}
    if orgs:
        rows = await db.execute(
            select(col(Organisation.id), col(Organisation.name)).where(
                col(Organisation.id).in_(list(orgs))
            )
        )
        schools = {oid: str(name) for oid, name in rows.all()}
    return [
        ExchangeMessagePublic(
            id=m.id,
            exchange_id=m.exchange_id,
            author=MessageAuthor(
                id=m.author_id,
                display_name=names.get(m.author_id) if m.author_id else None,
                organisation_id=m.author_organisation_id,
                organisation_name=schools.get(m.author_organisation_id)
                if m.author_organisation_id
                else None,
                removed=m.author_id is None,
            ),
            text=m.text,
            created_at=m.created_at,
        )
        for m in messages
    ]


async def erase_authorship(db: AsyncSession, user_id: uuid.UUID) -> None:
    """An erased person's messages stay, no longer linked to them (shown as removed)."""
    await db.execute(
        update(ExchangeMessage)
        .where(col(ExchangeMessage.author_id) == user_id)
        .values(author_id=None)
    )
