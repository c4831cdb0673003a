"""Reflections and the intercultural-competence self-assessment.

When a session ends (or its scheduled end has passed), each learner who was in its room has
a reflection to answer: the questions of the plan's reflection activity, or the library's
default (`pending`). The
teachers of the exchange read them. At the start and end of an exchange, each learner rates
the self-assessment statements (1-5); teachers see averages per class, never one learner's.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.activities.library.closing import REFLECTION_QUESTIONS, SELF_ASSESSMENT
from app.activities.plans import plan_items
from app.activities.schemas import (
    PendingReflection,
    ReflectionCreate,
    ReflectionPublic,
    SelfAssessmentCreate,
    SelfAssessmentSummary,
)
from app.activities.tables import Reflection, SelfAssessment
from app.activities.templates import find_template
from app.classes.tables import ClassLearner
from app.core.errors import Conflict, Forbidden, InvalidInput
from app.families.consents import visible_learner
from app.live.tables import PresenceInterval
from app.matching import exchanges
from app.matching.tables import ExchangeClass
from app.scheduling import sessions
from app.scheduling.tables import LiveSession

STAFF = ("teacher", "coordinator", "admin")


async def questions_for(db: AsyncSession, session_id: uuid.UUID) -> list[dict[str, Any]]:
    """The plan's reflection activity's questions, else the default ones."""
    for item in await plan_items(db, session_id):
        template = await find_template(db, item.activity_id)
        if template is not None and template.kind == "reflection":
            questions = template.content.get("questions")
            if isinstance(questions, list) and questions:
                return questions
    return REFLECTION_QUESTIONS


def attended(session_id: uuid.UUID, learner_id: uuid.UUID) -> Any:
    return (
        select(col(PresenceInterval.id))
        .where(
            col(PresenceInterval.session_id) == session_id,
            col(PresenceInterval.user_id) == learner_id,
        )
        .exists()
    )


async def submit(
    db: AsyncSession, *, actor: User, session_id: uuid.UUID, data: ReflectionCreate, now: datetime
) -> ReflectionPublic:
    live = await sessions.get_visible(db, actor=actor, session_id=session_id)
    if actor.role != "learner":
        raise Forbidden("Learners write reflections.")
    if live.status == "cancelled" or (live.status != "ended" and live.ends_at > now):
        raise Conflict("Reflections open when the session has ended.", code="session_not_ended")
    if not await db.scalar(select(attended(live.id, actor.id))):
        raise Forbidden("Only learners who attended the session reflect on it.")
    ids = {str(q.get("id")) for q in await questions_for(db, live.id)}
    unknown = sorted(set(data.answers) - ids)
    if unknown:
        raise InvalidInput("answers", f"unknown questions: {', '.join(unknown)}")
    answers = {k: v.strip() for k, v in data.answers.items() if v.strip()}
    if not answers:
        raise InvalidInput("answers", "answer at least one question")
    found = await db.scalar(
        select(func.count())
        .select_from(Reflection)
        .where(col(Reflection.session_id) == live.id, col(Reflection.learner_id) == actor.id)
    )
    if found:
        raise Conflict("You reflected on this session already.", code="already_submitted")
    row = Reflection(session_id=live.id, learner_id=actor.id, answers=answers, submitted_at=now)
    db.add(row)
    await db.flush()
    return await _public(db, row)


async def _public(db: AsyncSession, row: Reflection) -> ReflectionPublic:
    learner = await db.get(User, row.learner_id)
    live = await db.get(LiveSession, row.session_id)
    class_id = None
    if live is not None:
        class_id = await db.scalar(
            select(col(ClassLearner.class_id))
            .join(ExchangeClass, col(ExchangeClass.class_id) == col(ClassLearner.class_id))
            .where(
                col(ClassLearner.learner_id) == row.learner_id,
                col(ExchangeClass.exchange_id) == live.exchange_id,
            )
        )
    return ReflectionPublic(
        id=row.id,
        session_id=row.session_id,
        learner_id=row.learner_id,
        display_name=learner.display_name if learner else "",
        class_id=class_id,
        answers=row.answers,
        submitted_at=row.submitted_at,
    )


async def pending(
    db: AsyncSession, *, actor: User, learner_id: uuid.UUID, now: datetime
) -> list[PendingReflection]:
    """Ended sessions the learner attended and has not reflected on, most recent first."""
    learner = await visible_learner(db, actor=actor, learner_id=learner_id)
    done = select(col(Reflection.session_id)).where(col(Reflection.learner_id) == learner.id)
    joined = select(col(PresenceInterval.session_id)).where(
        col(PresenceInterval.user_id) == learner.id
    )
    rows = await db.scalars(
        select(LiveSession)
        .where(
            col(LiveSession.status) != "cancelled",
            or_(col(LiveSession.status) == "ended", col(LiveSession.ends_at) <= now),
            col(LiveSession.id).in_(joined),
            col(LiveSession.id).not_in(done),
        )
        .order_by(col(LiveSession.ends_at).desc())
    )
    return [
        PendingReflection(
            session_id=live.id,
            title=live.title,
            ended_at=live.ends_at,
            questions=await questions_for(db, live.id),
        )
        for live in rows
    ]


async def _staff_exchange(db: AsyncSession, actor: User, exchange_id: uuid.UUID) -> uuid.UUID:
    exchange = await exchanges.get_visible(db, actor=actor, exchange_id=exchange_id)
    if actor.role not in STAFF:
        raise Forbidden("Teachers of the exchange and coordinators read these.")
    return exchange.id


async def for_exchange(
    db: AsyncSession, *, actor: User, exchange_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[ReflectionPublic], int]:
    exchange = await _staff_exchange(db, actor, exchange_id)
    in_exchange = select(col(LiveSession.id)).where(col(LiveSession.exchange_id) == exchange)
    where = col(Reflection.session_id).in_(in_exchange)
    total = await db.scalar(select(func.count()).select_from(Reflection).where(where))
    rows = await db.scalars(
        select(Reflection)
        .where(where)
        .order_by(col(Reflection.submitted_at), col(Reflection.id))
        .limit(limit)
        .offset(offset)
    )
    return [await _public(db, r) for r in rows], int(total or 0)


async def self_assess(
    db: AsyncSession,
    *,
    actor: User,
    exchange_id: uuid.UUID,
    data: SelfAssessmentCreate,
    now: datetime,
) -> SelfAssessmentSummary:
    exchange = await exchanges.get_visible(db, actor=actor, exchange_id=exchange_id)
    if actor.role != "learner":
        raise Forbidden("Learners assess themselves.")
    ids = {str(s["id"]) for s in SELF_ASSESSMENT}
    if set(data.scores) != ids:
        raise InvalidInput("scores", f"rate every statement: {', '.join(sorted(ids))}")
    existing = await db.scalar(
        select(func.count())
        .select_from(SelfAssessment)
        .where(
            col(SelfAssessment.exchange_id) == exchange.id,
            col(SelfAssessment.learner_id) == actor.id,
            col(SelfAssessment.phase) == data.phase,
        )
    )
    if existing:
        raise Conflict(
            f"You assessed yourself at the {data.phase} already.", code="already_submitted"
        )
    db.add(
        SelfAssessment(
            exchange_id=exchange.id,
            learner_id=actor.id,
            phase=data.phase,
            scores=dict(data.scores),
            submitted_at=now,
        )
    )
    await db.flush()
    return SelfAssessmentSummary(exchange_id=exchange.id, statements=SELF_ASSESSMENT, classes=[])


async def self_assessment_summary(
    db: AsyncSession, *, actor: User, exchange_id: uuid.UUID
) -> SelfAssessmentSummary:
    """Per class of the exchange and phase: how many answered, the average per statement."""
    exchange = await _staff_exchange(db, actor, exchange_id)
    rows = await db.execute(
        select(SelfAssessment, col(ClassLearner.class_id))
        .join(ClassLearner, col(ClassLearner.learner_id) == col(SelfAssessment.learner_id))
        .join(ExchangeClass, col(ExchangeClass.class_id) == col(ClassLearner.class_id))
        .where(
            col(SelfAssessment.exchange_id) == exchange,
            col(ExchangeClass.exchange_id) == exchange,
        )
    )
    sums: dict[tuple[uuid.UUID, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for assessment, class_id in rows:
        for statement, score in assessment.scores.items():
            sums[(class_id, assessment.phase)][statement].append(int(score))
    classes = []
    for (class_id, phase), per in sorted(sums.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        answered = max((len(v) for v in per.values()), default=0)
        classes.append(
            {
                "class_id": str(class_id),
                "phase": phase,
                "learners": answered,
                "averages": {k: round(sum(v) / len(v), 2) for k, v in sorted(per.items())},
            }
        )
    return SelfAssessmentSummary(exchange_id=exchange, statements=SELF_ASSESSMENT, classes=classes)
