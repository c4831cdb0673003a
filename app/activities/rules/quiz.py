"""Quiz scoring: counts per question, and scores by class and by country. Never a ranking of
individual learners (many are minors): no result names a person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Question:
    options: int  # how many options
    answer: int | None  # the right option, when the question has one


@dataclass(frozen=True)
class Answer:
    question: int
    option: int
    class_id: str | None
    country: str | None


@dataclass(frozen=True)
class GroupScore:
    key: str  # a class id or a country code ("??" when unknown)
    answers: int
    correct: int

    @property
    def score(self) -> float:
        """Share of right answers, 0-1 (0 when nobody in the group answered)."""
        return round(self.correct / self.answers, 3) if self.answers else 0.0


@dataclass(frozen=True)
class QuizResults:
    counts: list[list[int]]  # per question, per option
    by_class: list[GroupScore]
    by_country: list[GroupScore]


def questions_of(content: dict[str, Any]) -> list[Question]:
    """The questions of a quiz activity's `content` (`questions: [{options, answer}]`)."""
    found: list[Question] = []
    for raw in content.get("questions") or []:
        options = raw.get("options") if isinstance(raw, dict) else None
        if not isinstance(options, list) or not options:
            continue
        answer = raw.get("answer")
        ok = isinstance(answer, int) and 0 <= answer < len(options)
        found.append(Question(options=len(options), answer=answer if ok else None))
    return found


def check_answer(questions: list[Question], question: int, option: int) -> str | None:
    """Why an answer is invalid (an error code), or None."""
    if not 0 <= question < len(questions):
        return "invalid_question"
    if not 0 <= option < questions[question].options:
        return "invalid_option"
    return None


def _groups(answers: list[Answer], questions: list[Question], key: str) -> list[GroupScore]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in answers:
        group = (a.class_id if key == "class" else a.country) or "??"
        right = questions[a.question].answer
        totals[group][0] += 1
        totals[group][1] += int(right is not None and a.option == right)
    return [GroupScore(k, n, c) for k, (n, c) in sorted(totals.items())]


def score(questions: list[Question], answers: list[Answer]) -> QuizResults:
    """Counts per question and option, and the share of right answers per class and country;
    answers to unknown questions or options are ignored."""
    valid = [a for a in answers if check_answer(questions, a.question, a.option) is None]
    counts = [[0] * q.options for q in questions]
    for a in valid:
        counts[a.question][a.option] += 1
    return QuizResults(
        counts=counts,
        by_class=_groups(valid, questions, "class"),
        by_country=_groups(valid, questions, "country"),
    )


def public_content(content: dict[str, Any]) -> dict[str, Any]:
    """A quiz's content as the room shows it while it runs: without the right answers."""
    shown = dict(content)
    if isinstance(content.get("questions"), list):
        shown["questions"] = [
            {k: v for k, v in q.items() if k != "answer"} if isinstance(q, dict) else q
            for q in content["questions"]
        ]
    return shown
