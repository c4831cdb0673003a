"""Who is a member of a session's live room, and the single-use tickets that let them in.

Members: the teachers of the exchange's classes, the learners enrolled in them, and the
coordinators of the member schools, who join as observers. A ticket is a short JWT of the
`ws_ticket` kind, bound to the user and the session; redeeming it records its `jti`, so it opens
one connection, once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.core.errors import Conflict, Forbidden
from app.core.limits import Limiter, spend
from app.core.security.tokens import InvalidToken, KeyRing
from app.families import consents
from app.live.protocol import CloseCode, Role, RoomMember, RoomRefused
from app.live.rules.window import RoomWindow, room_phase
from app.live.tables import LiveTicketUse, RoomModeration
from app.matching.tables import ExchangeClass
from app.organisations.tables import Organisation
from app.scheduling import sessions
from app.scheduling.tables import LiveSession

TICKET_KIND: Final = "ws_ticket"
TICKET_WINDOW_S: Final = 60.0


async def room_member(db: AsyncSession, *, live: LiveSession, user: User) -> RoomMember | None:
    """How `user` belongs to the room of `live`, or None."""
    if not user.is_active:
        return None
    classes = (
        select(col(SchoolClass.id), col(Organisation.country))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(SchoolClass.id))
        .join(Organisation, col(Organisation.id) == col(SchoolClass.organisation_id))
        .where(col(ExchangeClass.exchange_id) == live.exchange_id)
        .order_by(col(SchoolClass.name), col(SchoolClass.id))
    )
    role: Role
    if user.role == "teacher":
        stmt = classes.join(ClassTeacher, col(ClassTeacher.class_id) == col(SchoolClass.id)).where(
            col(ClassTeacher.teacher_id) == user.id
        )
        role = "teacher"
    elif user.role == "learner":
        stmt = classes.join(ClassLearner, col(ClassLearner.class_id) == col(SchoolClass.id)).where(
            col(ClassLearner.learner_id) == user.id
        )
        role = "learner"
    elif user.role == "coordinator" and user.organisation_id is not None:
        stmt = classes.where(col(SchoolClass.organisation_id) == user.organisation_id)
        role = "observer"
    else:
        return None
    row = (await db.execute(stmt)).first()
    if row is None:
        return None
    class_id, country = row
    return RoomMember(
        user_id=user.id,
        display_name=user.display_name,
        role=role,
        class_id=None if role == "observer" else class_id,
        country=country,
    )


async def is_removed(db: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    found = await db.scalars(
        select(col(RoomModeration.id)).where(
            col(RoomModeration.session_id) == session_id,
            col(RoomModeration.user_id) == user_id,
            col(RoomModeration.kind) == "remove",
        )
    )
    return found.first() is not None


async def ticket_consent_check(
    db: AsyncSession, *, member: RoomMember, live: LiveSession, now: datetime
) -> bool:
    """Consent hook: may this member get a ticket as far as guardian consent goes?

    A learner under their country's digital-consent age needs a recorded guardian consent for
    the live room (DESIGN.md section 5): `consents.has_consent` for purpose `live_sessions`,
    on the learner's local date (the caller then refuses the ticket with 403
    `consent_required`).
    """
    if member.role != "learner":
        return True
    learner = await db.get(User, member.user_id)
    if learner is None:
        return False
    today = await consents.learner_today(db, learner, now)
    return await consents.has_consent(db, learner, "live_sessions", today)


@dataclass(frozen=True)
class IssuedTicket:
    ticket: str
    expires_in: int
    session_id: uuid.UUID


async def spend_ticket_request(
    limiter: Limiter, *, user_id: uuid.UUID, session_id: uuid.UUID, limit: int
) -> None:
    """Count one ticket request of `user_id` for `session_id`; RateLimited (429) past `limit`
    in a minute, whatever the request's outcome would be."""
    await spend(limiter, f"ticket:{user_id}:{session_id}", limit, TICKET_WINDOW_S)


async def issue_ticket(
    db: AsyncSession,
    *,
    actor: User,
    session_id: uuid.UUID,
    keys: KeyRing,
    now: datetime,
    window: RoomWindow,
    lifetime: timedelta,
) -> IssuedTicket:
    live = await sessions.get_visible(db, actor=actor, session_id=session_id)
    member = await room_member(db, live=live, user=actor)
    if member is None:
        raise Forbidden("Only members of the session's classes join its room.", code="not_a_member")
    if await is_removed(db, session_id=live.id, user_id=actor.id):
        raise Forbidden("A teacher removed you from this session's room.", code="removed_from_room")
    if not await ticket_consent_check(db, member=member, live=live, now=now):
        raise Forbidden(await _consent_missing(db, actor, now), code="consent_required")
    phase = room_phase(
        status=live.status, starts_at=live.starts_at, ends_at=live.ends_at, now=now, window=window
    )
    if phase != "open":
        message, code = _closed_room(phase, window)
        raise Conflict(message, code=code)
    ticket = keys.issue(
        kind=TICKET_KIND,
        subject=str(actor.id),
        now=now,
        lifetime=lifetime,
        extra={"sid": str(live.id)},
    )
    return IssuedTicket(ticket, int(lifetime.total_seconds()), live.id)


async def _consent_missing(db: AsyncSession, learner: User, now: datetime) -> str:
    """Why a learner may not join, said to the one who can change it."""
    facts = await consents.learner_facts(db, learner, now=now)
    if facts.required:
        return "A guardian's consent is needed to join live rooms."
    return "You withdrew your consent to live sessions: give it again to join live rooms."


def _closed_room(phase: str, window: RoomWindow) -> tuple[str, str]:
    minutes = int(window.opens_before.total_seconds() // 60)
    return {
        "cancelled": ("The session is cancelled.", "session_cancelled"),
        "ended": ("The session has ended.", "session_ended"),
        "over": ("The session's time is over.", "session_ended"),
        "early": (f"The room opens {minutes} minutes before the start.", "room_not_open"),
    }[phase]


async def redeem_ticket(
    db: AsyncSession, *, keys: KeyRing, ticket: str | None, session_id: uuid.UUID
) -> uuid.UUID:
    """The user a ticket admits to this session's room, once; `RoomRefused` otherwise. The
    ticket itself is never logged nor stored: only its `jti`."""
    if not ticket:
        raise RoomRefused(CloseCode.TICKET, "ticket missing")
    try:
        claims = keys.verify(ticket, kind=TICKET_KIND)
        user_id = uuid.UUID(claims["sub"])
        jti = claims["jti"]
        expires_at = datetime.fromtimestamp(claims["exp"], UTC)
    except (InvalidToken, ValueError, TypeError, KeyError, OverflowError) as exc:
        raise RoomRefused(CloseCode.TICKET, "ticket invalid or expired") from exc
    if claims.get("sid") != str(session_id) or not isinstance(jti, str) or len(jti) > 64:
        raise RoomRefused(CloseCode.TICKET, "ticket not for this session")
    if await db.get(LiveSession, session_id) is None:
        raise RoomRefused(CloseCode.NOT_FOUND, "session not found")
    if await db.get(LiveTicketUse, jti) is not None:
        raise RoomRefused(CloseCode.TICKET, "ticket already used")
    db.add(LiveTicketUse(jti=jti, user_id=user_id, session_id=session_id, expires_at=expires_at))
    try:
        await db.flush()
    except IntegrityError as exc:  # redeemed at the same moment elsewhere, or the user is gone
        raise RoomRefused(CloseCode.TICKET, "ticket already used") from exc
    return user_id
