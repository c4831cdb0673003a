"""Pure rules: quiz scores by class and country, word filtering, glossary normalisation."""

from __future__ import annotations

from app.activities.rules import glossary, quiz, words


def test_quiz_scores_by_class_and_country_never_by_learner() -> None:
    questions = quiz.questions_of(
        {"questions": [{"options": ["a", "b"], "answer": 1}, {"options": ["x", "y", "z"]}]}
    )
    answers = [
        quiz.Answer(0, 1, "c1", "FR"),
        quiz.Answer(0, 1, "c1", "FR"),
        quiz.Answer(0, 0, "c2", "FI"),
        quiz.Answer(1, 2, "c2", "FI"),
        quiz.Answer(5, 0, "c2", "FI"),  # no such question: ignored
    ]
    results = quiz.score(questions, answers)
    assert results.counts == [[1, 2], [0, 0, 1]]
    assert [(g.key, g.answers, g.correct, g.score) for g in results.by_country] == [
        ("FI", 2, 0, 0.0),
        ("FR", 2, 2, 1.0),
    ]
    assert [g.key for g in results.by_class] == ["c1", "c2"]
    assert quiz.check_answer(questions, 0, 2) == "invalid_option"
    shown = quiz.public_content({"questions": [{"text": "q", "options": ["a"], "answer": 0}]})
    assert shown["questions"] == [{"text": "q", "options": ["a"]}]


def test_words_are_normalised_and_filtered_in_every_language() -> None:
    assert words.check_word("  Good   Food ") == ("good food", None)
    assert words.check_word("Hôtel") == ("hôtel", None)
    assert words.check_word("caffè con latte")[1] is None  # "con" is Italian for "with"
    for blocked in ("STUPID", "merde", "Scheiße", "cretino", "mierda", "paska", "stuuupid"):
        assert words.check_word(blocked)[1] == "word_blocked", blocked
    assert words.check_word("idiot-proof")[1] == "word_blocked"
    assert words.check_word("abc123")[1] == "invalid_word"
    assert words.check_word("one two three four")[1] == "invalid_word"
    assert words.cloud(["b", "a", "b"]) == [("b", 2), ("a", 1)]


def test_glossary_entries_are_cleaned_and_merged() -> None:
    term, translations, problem = glossary.check_entry(
        " Mise  en place ", {"fr": " mise en place", "en": ""}
    )
    assert (term, translations, problem) == ("Mise en place", {"fr": "mise en place"}, None)
    assert glossary.term_key("MISE en  Place") == glossary.term_key(term)
    assert glossary.check_entry("x", {"EN": "y"})[2] == "invalid_language"
    assert glossary.check_entry("x", {"en": " "})[2] == "translation_required"
    assert glossary.merge({"fr": "a", "en": "b"}, {"en": "c"}) == {"en": "c", "fr": "a"}
