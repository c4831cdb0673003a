"""A placement's thread: the learner's guardians, the host family and both tutors write to
each other; every message is read by all of them and by the coordinators of both schools
(there is no private channel between an adult and a minor). Open once the placement is
accepted. Each reader is told of a new message in their language, without its text."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.core.errors import Conflict, Forbidden
from app.core.paging import fetch_page
from app.hosting import notify
from app.hosting.access import PlacementRoles, visible_placement
from app.hosting.rules.texts import HostingFacts
from app.hosting.schemas import MessagePublic
from app.hosting.tables import HostFamily, Placement, PlacementMessage
from app.mobility import notify as mobility_people
from app.mobility.tables import Mobility


def _role(roles: PlacementRoles) -> str:
    if roles.host:
        return "host"
    if roles.sending_tutor:
        return "sending_tutor"
    if roles.receiving_tutor:
        return "receiving_tutor"
    return "guardian"


async def _open(
    db: AsyncSession, actor: User, placement_id: uuid.UUID
) -> tuple[Placement, Mobility, PlacementRoles]:
    placement, mobility, roles = await visible_placement(db, actor=actor, placement_id=placement_id)
    if actor.role == "learner":
        raise Forbidden("The thread is for the guardians, the family and the tutors.")
    if placement.status != "accepted":
        raise Conflict(
            "The thread opens once the placement is accepted.", code="placement_not_accepted"
        )
    return placement, mobility, roles


async def list_messages(
    db: AsyncSession, *, actor: User, placement_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[PlacementMessage], int]:
    placement, _, _ = await _open(db, actor, placement_id)
    stmt = (
        select(PlacementMessage)
        .where(col(PlacementMessage.placement_id) == placement.id)
        .order_by(col(PlacementMessage.created_at), col(PlacementMessage.id))
    )
    return await fetch_page(db, stmt, limit=limit, offset=offset)


async def post(
    db: AsyncSession, *, actor: User, placement_id: uuid.UUID, text: str, now: datetime
) -> PlacementMessage:
    placement, mobility, roles = await _open(db, actor, placement_id)
    if not roles.in_thread:
        raise Forbidden("Only the guardians, the family and both tutors write in the thread.")
    last = await db.scalar(
        select(func.max(col(PlacementMessage.created_at))).where(
            col(PlacementMessage.placement_id) == placement.id
        )
    )
    if last is not None and last.replace(tzinfo=now.tzinfo) >= now:
        now = last.replace(tzinfo=now.tzinfo) + timedelta(microseconds=1)  # keep the order
    message = PlacementMessage(
        placement_id=placement.id,
        author_id=actor.id,
        author_role=_role(roles),
        text=text,
        created_at=now,
    )
    db.add(message)
    await db.flush()
    family = await db.get(HostFamily, placement.host_family_id)
    assert family is not None
    readers = [r for r in await notify.thread_people(db, mobility, family) if r.user.id != actor.id]
    await notify.tell(
        db,
        event="hosting.message",
        key=str(message.id),
        placement=placement,
        recipients=readers,
        facts=HostingFacts(
            learner=await mobility_people.learner_name(db, mobility),
            family=family.display_name,
            city=family.city,
            author=actor.display_name,
        ),
    )
    return message


async def public(db: AsyncSession, messages: list[PlacementMessage]) -> list[MessagePublic]:
    names: dict[uuid.UUID, str] = {}
    for m in messages:
        if m.author_id is not None and m.author_id not in names:
            author = await db.get(User, m.author_id)
            names[m.author_id] = author.display_name if author else ""
    return [
        MessagePublic(
            id=m.id,
            placement_id=m.placement_id,
            author_id=m.author_id,
            author_name=names.get(m.author_id, "") if m.author_id else "",
            author_role=m.author_role,
            text=m.text,
            created_at=m.created_at,
        )
        for m in messages
    ]
