"""What a session's activities produced, and an exchange's glossary, readable afterwards by
whoever sees the session or exchange (results are by class and country, never by learner)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.tables import User
from app.activities import runs
from app.activities.schemas import GlossaryPublic, RunPublic, SessionResults
from app.activities.tables import ActivityRun, GlossaryEntry
from app.matching import exchanges
from app.scheduling import sessions


async def _glossary(
    db: AsyncSession, exchange_id: uuid.UUID, session_id: uuid.UUID | None = None
) -> list[GlossaryPublic]:
    stmt = select(GlossaryEntry).where(col(GlossaryEntry.exchange_id) == exchange_id)
    if session_id is not None:
        stmt = stmt.where(col(GlossaryEntry.session_id) == session_id)
    rows = await db.scalars(stmt.order_by(col(GlossaryEntry.term_key)))
    return [
        GlossaryPublic(
            id=r.id,
            term=r.term,
            translations=r.translations,
            session_id=r.session_id,
            added_at=r.added_at,
        )
        for r in rows
    ]


async def session_results(
    db: AsyncSession, *, actor: User, session_id: uuid.UUID
) -> SessionResults:
    """Every activity the session ran, in order, with its results (a quiz's with its right
    answers), and the glossary entries added in it."""
    live = await sessions.get_visible(db, actor=actor, session_id=session_id)
    found = await db.scalars(
        select(ActivityRun)
        .where(col(ActivityRun.session_id) == live.id)
        .order_by(col(ActivityRun.started_at), col(ActivityRun.id))
    )
    items = []
    for run in found:
        results = await runs.results_of(db, run)
        if results is not None and run.kind == "quiz":
            results["answers"] = [q.get("answer") for q in run.content.get("questions", [])]
        items.append(
            RunPublic(
                run_id=run.id,
                index=run.position,
                activity_id=run.activity_id,
                kind=run.kind,
                title=run.title,
                started_at=run.started_at,
                ended_at=run.ended_at,
                results=results,
            )
        )
    glossary = await _glossary(db, live.exchange_id, live.id)
    return SessionResults(session_id=live.id, items=items, glossary=glossary)


async def exchange_glossary(
    db: AsyncSession, *, actor: User, exchange_id: uuid.UUID
) -> list[GlossaryPublic]:
    exchange = await exchanges.get_visible(db, actor=actor, exchange_id=exchange_id)
    return await _glossary(db, exchange.id)
