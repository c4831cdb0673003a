"""Every template of the library and every badge text exists in all six languages."""

from __future__ import annotations

import pytest

from app.activities.library import BUILTINS
from app.activities.library.closing import REFLECTION_QUESTIONS, SELF_ASSESSMENT
from app.activities.rules.texts import LANGUAGES, missing_languages, t, template_texts
from app.badges.rules.credential import BADGE_TEXTS, Criteria

REQUIRED_KEYS = {
    "icebreaker", "common_ground", "show_and_tell", "vocabulary_exchange", "cultural_quiz",
    "company_tour", "joint_product", "wordcloud", "debate_pairs", "day_at_work",
    "procedure_compared", "closing_reflection",
}  # fmt: skip


def test_the_library_holds_the_twelve_templates_of_the_issue() -> None:
    assert {t.key for t in BUILTINS} == REQUIRED_KEYS
    assert len({t.key for t in BUILTINS}) == len(BUILTINS)
    assert {"quiz", "wordcloud", "glossary", "reflection"} <= {t.kind for t in BUILTINS}


@pytest.mark.parametrize("template", BUILTINS, ids=lambda t: t.key)
def test_every_text_of_a_template_exists_in_six_languages(template: object) -> None:
    texts = list(template_texts(template))  # type: ignore[arg-type]
    assert len(texts) >= 6  # title, summary, goals, steps
    missing = {path: m for path, text in texts if (m := missing_languages(text))}
    assert missing == {}


@pytest.mark.parametrize("items", [REFLECTION_QUESTIONS, SELF_ASSESSMENT])
def test_reflection_and_self_assessment_statements_in_six_languages(
    items: list[dict[str, object]],
) -> None:
    assert all(missing_languages(i["text"]) == [] for i in items)


def test_every_badge_text_exists_in_six_languages() -> None:
    for texts in BADGE_TEXTS.values():
        assert missing_languages(texts) == []
    criteria = Criteria(min_hours=10, min_sessions=3, min_reflections=1).texts()
    assert missing_languages(criteria) == []
    assert all("10" in text and "3" in text for text in criteria.values())


def test_a_missing_or_blank_language_is_caught() -> None:
    text = t("a", "b", "c", "d", "e", "f")
    assert missing_languages(text) == []
    del text["fi"]
    assert missing_languages(text) == ["fi"]
    assert missing_languages({**t("a", "b", "c", "d", "e", "f"), "de": "  "}) == ["de"]
    assert missing_languages("plain") == list(LANGUAGES)
