"""What an activity changes in a live room: starting and ending a planned activity, quiz
answers, word-cloud words and glossary entries. Called by the room (`app.live`), which has
checked who may send what; `ActivityRefused` answers the sender with an `error`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.activities.rules import glossary, quiz, words
from app.activities.tables import (
    ActivityRun,
    GlossaryEntry,
    QuizAnswer,
    SessionPlanItem,
    WordcloudEntry,
)
from app.activities.templates import find_template


class ActivityRefused(Exception):
    """A command the room's activity state does not allow (code and message for `error`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Participant:
    user_id: uuid.UUID
    class_id: uuid.UUID | None
    country: str | None


async def current(db: AsyncSession, session_id: uuid.UUID) -> ActivityRun | None:
    """The activity running in the room, if any."""
    return (
        await db.scalars(
            select(ActivityRun)
            .where(col(ActivityRun.session_id) == session_id, col(ActivityRun.ended_at).is_(None))
            .order_by(col(ActivityRun.started_at).desc())
        )
    ).first()


async def start(
    db: AsyncSession, *, session_id: uuid.UUID, index: int, by: uuid.UUID, now: datetime
) -> ActivityRun:
    """Start the plan's activity at `index`; one activity runs at a time."""
    if await current(db, session_id) is not None:
        raise ActivityRefused("activity_running", "End the running activity first.")
    item = await db.get(SessionPlanItem, (session_id, index))
    if item is None:
        raise ActivityRefused("not_planned", f"The session's plan has no activity {index}.")
    template = await find_template(db, item.activity_id)
    if template is None:
        raise ActivityRefused("not_found", "The planned activity no longer exists.")
    run = ActivityRun(
        session_id=session_id,
        position=index,
        activity_id=item.activity_id,
        kind=template.kind,
        title=template.title,
        content={**template.content, "minutes": item.minutes or template.duration_minutes},
        started_by=by,
        started_at=now,
    )
    db.add(run)
    await db.flush()
    return run


async def end(db: AsyncSession, *, session_id: uuid.UUID, now: datetime) -> ActivityRun:
    run = await current(db, session_id)
    if run is None:
        raise ActivityRefused("no_activity", "No activity is running.")
    run.ended_at = now
    await db.flush()
    return run


async def _running(db: AsyncSession, session_id: uuid.UUID, kind: str) -> ActivityRun:
    run = await current(db, session_id)
    if run is None or run.kind != kind:
        raise ActivityRefused("no_activity", f"No {kind} is running.")
    return run


# --- quiz --------------------------------------------------------------------------------


async def quiz_results(db: AsyncSession, run: ActivityRun) -> quiz.QuizResults:
    rows = await db.scalars(select(QuizAnswer).where(col(QuizAnswer.run_id) == run.id))
    answers = [
        quiz.Answer(
            question=a.question,
            option=a.option,
            class_id=str(a.class_id) if a.class_id else None,
            country=a.country,
        )
        for a in rows
    ]
    return quiz.score(quiz.questions_of(run.content), answers)


async def answer_quiz(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    who: Participant,
    question: int,
    option: int,
    now: datetime,
) -> tuple[ActivityRun, quiz.QuizResults]:
    """Record a learner's answer (one per question: the first counts) and the new results."""
    run = await _running(db, session_id, "quiz")
    problem = quiz.check_answer(quiz.questions_of(run.content), question, option)
    if problem is not None:
        raise ActivityRefused(problem, "No such question or option in this quiz.")
    if await db.get(QuizAnswer, (run.id, who.user_id, question)) is not None:
        raise ActivityRefused("already_answered", "You answered this question already.")
    db.add(
        QuizAnswer(
            run_id=run.id,
            user_id=who.user_id,
            question=question,
            option=option,
            class_id=who.class_id,
            country=who.country,
            answered_at=now,
        )
    )
    await db.flush()
    return run, await quiz_results(db, run)


# --- word cloud --------------------------------------------------------------------------


async def cloud(db: AsyncSession, run: ActivityRun) -> list[tuple[str, int]]:
    found = await db.scalars(
        select(col(WordcloudEntry.word)).where(col(WordcloudEntry.run_id) == run.id)
    )
    return words.cloud(list(found))


async def submit_word(
    db: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID, word: str, now: datetime
) -> tuple[ActivityRun, list[tuple[str, int]]]:
    """Add a word to the running cloud: checked and filtered against the block lists; a
    learner's same word counts once, and at most `words_per_learner` (3) each."""
    run = await _running(db, session_id, "wordcloud")
    normal, problem = words.check_word(word)
    if problem == "word_blocked":
        raise ActivityRefused(problem, "This word is not allowed.")
    if problem is not None:
        raise ActivityRefused(problem, "Send one to three words of letters, 40 at most.")
    mine = list(
        await db.scalars(
            select(col(WordcloudEntry.word)).where(
                col(WordcloudEntry.run_id) == run.id, col(WordcloudEntry.user_id) == user_id
            )
        )
    )
    if normal in mine:
        raise ActivityRefused("already_submitted", "You sent this word already.")
    limit = int(run.content.get("words_per_learner") or 3)
    if len(mine) >= limit:
        raise ActivityRefused("too_many_words", f"At most {limit} words each.")
    db.add(WordcloudEntry(run_id=run.id, user_id=user_id, word=normal, submitted_at=now))
    await db.flush()
    return run, await cloud(db, run)


# --- glossary ----------------------------------------------------------------------------


async def add_glossary(
    db: AsyncSession,
    *,
    session_id: uuid.UUID,
    exchange_id: uuid.UUID,
    user_id: uuid.UUID,
    term: str,
    translations: dict[str, str],
    now: datetime,
) -> GlossaryEntry:
    """Add a term to the exchange's glossary, or merge the translations of the same term."""
    shown, cleaned, problem = glossary.check_entry(term, translations)
    if problem is not None:
        raise ActivityRefused(
            problem, "A term (120 characters at most) with translations keyed by language code."
        )
    key = glossary.term_key(shown)
    entry = (
        await db.scalars(
            select(GlossaryEntry).where(
                col(GlossaryEntry.exchange_id) == exchange_id, col(GlossaryEntry.term_key) == key
            )
        )
    ).first()
    if entry is None:
        entry = GlossaryEntry(
            exchange_id=exchange_id,
            term=shown,
            term_key=key,
            translations=glossary.merge({}, cleaned),
            session_id=session_id,
            added_by=user_id,
            added_at=now,
            updated_at=now,
        )
        db.add(entry)
    else:
        entry.translations = glossary.merge(entry.translations, cleaned)
        entry.updated_at = now
    await db.flush()
    return entry


# --- what a run shows --------------------------------------------------------------------


def shown_content(run: ActivityRun) -> dict[str, Any]:
    """The run's content as the room shows it while it runs (a quiz without its answers)."""
    return quiz.public_content(run.content) if run.kind == "quiz" else dict(run.content)


def quiz_payload(results: quiz.QuizResults) -> dict[str, Any]:
    return {
        "questions": [{"question": i, "counts": c} for i, c in enumerate(results.counts)],
        "by_class": [
            {"class_id": g.key, "answers": g.answers, "correct": g.correct, "score": g.score}
            for g in results.by_class
        ],
        "by_country": [
            {"country": g.key, "answers": g.answers, "correct": g.correct, "score": g.score}
            for g in results.by_country
        ],
    }


async def results_of(db: AsyncSession, run: ActivityRun) -> dict[str, Any] | None:
    """What a run produced so far, in the shape its room events carry (None for kinds that
    produce nothing in the room)."""
    if run.kind == "quiz":
        return quiz_payload(await quiz_results(db, run))
    if run.kind == "wordcloud":
        return {"words": [{"word": w, "count": n} for w, n in await cloud(db, run)]}
    return None
