"""Room commands of activities (docs/activities.md): they call `app.activities.runs`, which
stores the change, and turn its outcome into the room event to broadcast. Who may send what
was checked before, once, by `app.live.apply`, the only caller."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.activities import runs
from app.activities.runs import ActivityRefused, Participant
from app.activities.tables import ActivityRun
from app.live import protocol
from app.live.protocol import CommandRefused, RoomMember

T = TypeVar("T")


async def _refusing(step: Awaitable[T]) -> T:
    try:
        return await step
    except ActivityRefused as refused:
        raise CommandRefused(refused.code, refused.message) from refused


def _state(run: ActivityRun) -> dict[str, object]:
    return {
        "run_id": run.id,
        "index": run.position,
        "activity_id": run.activity_id,
        "kind": run.kind,
        "title": run.title,
    }


async def activity_start(
    db: AsyncSession, *, session_id: uuid.UUID, member: RoomMember, index: int, now: datetime
) -> protocol.ActivityStarted:
    run = await _refusing(
        runs.start(db, session_id=session_id, index=index, by=member.user_id, now=now)
    )
    return protocol.ActivityStarted(
        run_id=run.id,
        index=run.position,
        activity_id=run.activity_id,
        kind=run.kind,
        title=run.title,
        content=runs.shown_content(run),
    )


async def activity_end(
    db: AsyncSession, *, session_id: uuid.UUID, now: datetime
) -> protocol.ActivityEnded:
    run = await _refusing(runs.end(db, session_id=session_id, now=now))
    results = await runs.results_of(db, run)
    if results is not None and run.kind == "quiz":
        results["answers"] = [q.get("answer") for q in run.content.get("questions", [])]
    return protocol.ActivityEnded(
        run_id=run.id, index=run.position, activity_id=run.activity_id, results=results
    )


async def quiz_answer(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    member: RoomMember,
    question: int,
    option: int,
    now: datetime,
) -> protocol.QuizResults:
    who = Participant(user_id=member.user_id, class_id=member.class_id, country=member.country)
    run, results = await _refusing(
        runs.answer_quiz(
            db, session_id=session_id, who=who, question=question, option=option, now=now
        )
    )
    return protocol.QuizResults.model_validate({"run_id": run.id, **runs.quiz_payload(results)})


async def wordcloud_submit(
    db: AsyncSession, *, session_id: uuid.UUID, member: RoomMember, word: str, now: datetime
) -> protocol.WordcloudUpdated:
    run, cloud = await _refusing(
        runs.submit_word(db, session_id=session_id, user_id=member.user_id, word=word, now=now)
    )
    return protocol.WordcloudUpdated.model_validate(
        {"run_id": run.id, "words": [{"word": w, "count": n} for w, n in cloud]}
    )


async def glossary_add(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    exchange_id: uuid.UUID,
    member: RoomMember,
    term: str,
    translations: dict[str, str],
    now: datetime,
) -> protocol.GlossaryAdded:
    entry = await _refusing(
        runs.add_glossary(
            db,
            session_id=session_id,
            exchange_id=exchange_id,
            user_id=member.user_id,
            term=term,
            translations=translations,
            now=now,
        )
    )
    return protocol.GlossaryAdded(
        entry_id=entry.id,
        term=entry.term,
        translations=entry.translations,
        added_by=member.public(),
    )


async def activity_state(db: AsyncSession, session_id: uuid.UUID) -> protocol.ActivityState | None:
    """The running activity for a `welcome`, with its results so far."""
    run = await runs.current(db, session_id)
    if run is None:
        return None
    return protocol.ActivityState.model_validate(
        {
            **_state(run),
            "content": runs.shown_content(run),
            "started_at": run.started_at,
            "results": await runs.results_of(db, run),
        }
    )
