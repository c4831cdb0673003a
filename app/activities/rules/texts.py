"""Texts in the six languages of the platform, and the shape of an activity template."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "fr", "it", "de", "es", "fi")
Texts = dict[str, str]


def t(en: str, fr: str, it: str, de: str, es: str, fi: str) -> Texts:
    """One text in every language, in the order of `LANGUAGES`."""
    return {"en": en, "fr": fr, "it": it, "de": de, "es": es, "fi": fi}


def missing_languages(texts: object) -> list[str]:
    """The languages a text lacks (an empty or blank text counts as missing)."""
    if not isinstance(texts, dict):
        return list(LANGUAGES)
    return [
        lang
        for lang in LANGUAGES
        if not isinstance(texts.get(lang), str) or not texts[lang].strip()
    ]


def pick(texts: Texts, language: str) -> str:
    """The text in `language`, else English."""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Template:
    """An activity template: what the teacher runs, why, for how long, and how."""

    key: str
    kind: str
    duration_minutes: int
    title: Texts
    summary: Texts
    goals: tuple[Texts, ...]
    steps: tuple[Texts, ...]
    content: dict[str, Any] = field(default_factory=dict)


def translated_texts(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every six-language text in a template's content (a dict keyed by the six languages),
    with where it is: what must exist in every language."""
    if isinstance(value, dict):
        if set(value) & set(LANGUAGES) and all(isinstance(v, str) for v in value.values()):
            yield path, value
            return
        for key, inner in value.items():
            yield from translated_texts(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            yield from translated_texts(inner, f"{path}[{index}]")


def template_texts(template: Template) -> Iterator[tuple[str, Any]]:
    yield "title", template.title
    yield "summary", template.summary
    for i, goal in enumerate(template.goals):
        yield f"goals[{i}]", goal
    for i, step in enumerate(template.steps):
        yield f"steps[{i}]", step
    yield from translated_texts(template.content, "content")
