"""Exchanges: matched groups of classes, and the teachers' accept/decline workflow.

A proposed exchange becomes `active` when every member class has accepted, and `declined`
as soon as one declines; its classes then return to the matching pool, and the declined
combination is not proposed again unless a run asks for repeats.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.core.errors import Conflict, Forbidden, InvalidInput, not_found
from app.core.paging import fetch_page
from app.core.tables import utcnow
from app.matching.rules.types import SCORE_SCALE
from app.matching.schemas import ExchangePublic, PartnerClass, PartnerTeacher
from app.matching.tables import OPEN_STATUSES, Exchange, ExchangeClass
from app.notifications import service as notifications
from app.organisations.tables import Network, Organisation


def _member_exchanges(class_ids: Any) -> Any:
    return select(col(ExchangeClass.exchange_id)).where(col(ExchangeClass.class_id).in_(class_ids))


def visible_to(actor: User) -> ColumnElement[bool]:
    if actor.role == "admin":
        return true()
    if actor.role == "coordinator":
        own_classes = select(col(SchoolClass.id)).where(
            col(SchoolClass.organisation_id) == actor.organisation_id
        )
        own_networks = select(col(Network.id)).where(
            col(Network.coordinating_organisation_id) == actor.organisation_id
        )
        return or_(
            col(Exchange.id).in_(_member_exchanges(own_classes)),
            col(Exchange.network_id).in_(own_networks),
        )
    if actor.role == "teacher":
        taught = select(col(ClassTeacher.class_id)).where(col(ClassTeacher.teacher_id) == actor.id)
        return col(Exchange.id).in_(_member_exchanges(taught))
    if actor.role == "learner":
        enrolled = select(col(ClassLearner.class_id)).where(
            col(ClassLearner.learner_id) == actor.id
        )
        return col(Exchange.id).in_(_member_exchanges(enrolled)) & (
            col(Exchange.status) == "active"
        )
    return false()


async def get_visible(db: AsyncSession, *, actor: User, exchange_id: uuid.UUID) -> Exchange:
    stmt = select(Exchange).where(col(Exchange.id) == exchange_id, visible_to(actor))
    exchange = (await db.scalars(stmt)).first()
    if exchange is None:
        raise not_found("Exchange")
    return exchange


async def list_visible(
    db: AsyncSession,
    *,
    actor: User,
    limit: int,
    offset: int,
    status: str | None = None,
    class_id: uuid.UUID | None = None,
) -> tuple[list[Exchange], int]:
    stmt = select(Exchange).where(visible_to(actor))
    if status:
        stmt = stmt.where(col(Exchange.status) == status)
    if class_id:
        stmt = stmt.where(col(Exchange.id).in_(_member_exchanges([class_id])))
    stmt = stmt.order_by(col(Exchange.created_at).desc(), col(Exchange.id))
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def to_public(db: AsyncSession, exchanges: list[Exchange]) -> list[ExchangePublic]:
    """Shape exchanges for any member: partner classes appear by their public profile only."""
    ids = [e.id for e in exchanges]
    members: dict[uuid.UUID, list[PartnerClass]] = defaultdict(list)
    if ids:
        rows = await db.execute(
            select(ExchangeClass, SchoolClass, Organisation)
            .join(SchoolClass, col(SchoolClass.id) == col(ExchangeClass.class_id))
            .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
            .where(col(ExchangeClass.exchange_id).in_(ids))
            .order_by(col(Organisation.country), col(SchoolClass.name))
        )
        for link, school_class, org in rows:
            members[link.exchange_id].append(
                PartnerClass(
                    class_id=school_class.id,
                    name=school_class.name,
                    organisation_id=org.id,
                    organisation_name=org.name,
                    country=org.country,
                    city=org.city,
                    timezone=org.timezone,
                    field=school_class.field,
                    eqf_level=school_class.eqf_level,
                    learner_count=school_class.learner_count,
                    age_min=school_class.age_min,
                    age_max=school_class.age_max,
                    languages=school_class.languages,
                    decision=link.decision,
                )
            )
        await _add_teachers(db, exchanges, members)
    return [
        ExchangePublic(
            id=e.id,
            network_id=e.network_id,
            run_id=e.run_id,
            status=e.status,
            class_ids=[m.class_id for m in members[e.id]],
            classes=members[e.id],
            score=e.score / SCORE_SCALE,
            score_breakdown={k: v / SCORE_SCALE for k, v in e.score_breakdown.items()},
            shared_languages=e.shared_languages,
            common_windows=e.common_windows,
            created_at=e.created_at,
            updated_at=e.updated_at,
        )
        for e in exchanges
    ]


async def _add_teachers(
    db: AsyncSession, exchanges: list[Exchange], members: dict[uuid.UUID, list[PartnerClass]]
) -> None:
    """Each class's teachers, in open exchanges only (partners find whom to write to)."""
    open_ids = {e.id for e in exchanges if e.status in OPEN_STATUSES}
    class_ids = {c.class_id for e in open_ids for c in members[e]}
    if not class_ids:
        return
    rows = await db.execute(
        select(col(ClassTeacher.class_id), col(User.id), col(User.display_name))
        .join(User, col(User.id) == col(ClassTeacher.teacher_id))
        .where(col(ClassTeacher.class_id).in_(list(class_ids)), col(User.is_active))
        .order_by(col(User.display_name), col(User.id))
    )
    teachers: dict[uuid.UUID, list[PartnerTeacher]] = defaultdict(list)
    for class_id, user_id, name in rows.all():
        teachers[class_id].append(PartnerTeacher(id=user_id, display_name=name))
    for exchange_id in open_ids:
        for partner in members[exchange_id]:
            partner.teachers = teachers.get(partner.class_id, [])


async def _answerable_links(
    db: AsyncSession, actor: User, exchange: Exchange
) -> list[ExchangeClass]:
    """The member classes `actor` may answer for."""
    links = list(
        (
            await db.scalars(
                select(ExchangeClass).where(col(ExchangeClass.exchange_id) == exchange.id)
            )
        ).all()
    )
    if actor.role == "admin":
        return links
    class_ids = [link.class_id for link in links]
    if actor.role == "coordinator":
        mine = set(
            (
                await db.scalars(
                    select(col(SchoolClass.id)).where(
                        col(SchoolClass.id).in_(class_ids),
                        col(SchoolClass.organisation_id) == actor.organisation_id,
                    )
                )
            ).all()
        )
    elif actor.role == "teacher":
        mine = set(
            (
                await db.scalars(
                    select(col(ClassTeacher.class_id)).where(
                        col(ClassTeacher.class_id).in_(class_ids),
                        col(ClassTeacher.teacher_id) == actor.id,
                    )
                )
            ).all()
        )
    else:
        mine = set()
    return [link for link in links if link.class_id in mine]


async def decide(
    db: AsyncSession,
    *,
    actor: User,
    exchange_id: uuid.UUID,
    class_id: uuid.UUID | None,
    accept: bool,
) -> Exchange:
    exchange = await get_visible(db, actor=actor, exchange_id=exchange_id)
    answerable = await _answerable_links(db, actor, exchange)
    if not answerable:
        raise Forbidden("Only the teachers of a member class answer a proposal.")
    if class_id is None:
        if len(answerable) > 1:
            raise InvalidInput("body.class_id", "you answer for several classes here: name one")
        link = answerable[0]
    else:
        matching = [link for link in answerable if link.class_id == class_id]
        if not matching:
            raise InvalidInput("body.class_id", "not a member class you answer for")
        link = matching[0]
    if exchange.status != "proposed":
        raise Conflict(
            f"The exchange is {exchange.status}; only proposed exchanges are answered.",
            code="exchange_not_proposed",
        )
    now = utcnow()
    link.decision = "accepted" if accept else "declined"
    link.decided_by = actor.id
    link.decided_at = now
    await db.flush()
    decisions = (
        await db.scalars(
            select(col(ExchangeClass.decision)).where(col(ExchangeClass.exchange_id) == exchange.id)
        )
    ).all()
    if "declined" in decisions:
        exchange.status = "declined"
    elif all(d == "accepted" for d in decisions):
        exchange.status = "active"
        await notifications.exchange_event(
            db, event="exchange.accepted", exchange_id=exchange.id, actor=actor
        )
    exchange.updated_at = now
    await db.flush()
    return exchange


async def history(
    db: AsyncSession, class_ids: list[uuid.UUID]
) -> list[tuple[str, frozenset[uuid.UUID]]]:
    """Earlier exchanges touching these classes: (status, member class ids)."""
    touching = _member_exchanges(class_ids)
    rows = await db.execute(
        select(col(Exchange.id), col(Exchange.status), col(ExchangeClass.class_id))
        .join(ExchangeClass, col(ExchangeClass.exchange_id) == col(Exchange.id))
        .where(col(Exchange.id).in_(touching))
    )
    members: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    status: dict[uuid.UUID, str] = {}
    for exchange_id, exchange_status, member in rows:
        members[exchange_id].add(member)
        status[exchange_id] = exchange_status
    return [(status[e], frozenset(m)) for e, m in members.items()]
