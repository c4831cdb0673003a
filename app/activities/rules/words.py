"""Word-cloud words: normalised, checked for shape, and filtered against a block list per
language. A learner may write in any language, so a word is checked against every list."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 40
MAX_TOKENS = 3
_SEPARATORS = "'\u2019\\- "  # apostrophes, hyphen, space
_SHAPE = re.compile(rf"^[^\W\d_]+(?:[{_SEPARATORS}][^\W\d_]+)*$")

# Insults and obscenities per language, compared without accents and case. Short by design:
# teachers moderate the room as well (chat.delete, member.mute); the list catches the obvious.
BLOCK_LISTS: dict[str, frozenset[str]] = {
    "en": frozenset({"idiot", "stupid", "moron", "shit", "fuck", "bitch", "bastard", "crap"}),
    "fr": frozenset({"idiot", "connard", "conne", "merde", "putain", "salope", "debile"}),
    "it": frozenset({"stupido", "cretino", "idiota", "merda", "cazzo", "stronzo", "vaffanculo"}),
    "de": frozenset({"idiot", "blod", "scheisse", "arschloch", "depp", "trottel", "wichser"}),
    "es": frozenset({"idiota", "estupido", "mierda", "cabron", "gilipollas", "puta", "imbecil"}),
    "fi": frozenset({"idiootti", "tyhma", "paska", "vittu", "perkele", "saatana", "aalio"}),
}


def fold(text: str) -> str:
    """Lower case, without accents (ß as ss), for comparing."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(word: str) -> str:
    """The word as the cloud counts it: trimmed, inner spaces collapsed, lower case (NFC)."""
    return unicodedata.normalize("NFC", " ".join(word.split())).casefold()


def blocked_in(word: str) -> list[str]:
    """The languages whose block list holds the word or one of its parts."""
    folded = fold(word)
    parts = {folded, *re.split(rf"[{_SEPARATORS}]+", folded)}
    squeezed = {re.sub(r"(.)\1+", r"\1", p) for p in parts}  # "stuuupid" -> "stupid"
    candidates = parts | squeezed
    found = []
    for language, words in BLOCK_LISTS.items():
        folded_list = {re.sub(r"(.)\1+", r"\1", w) for w in words} | set(words)
        if candidates & folded_list:
            found.append(language)
    return found


def check_word(word: str) -> tuple[str, str | None]:
    """`(normalised word, refusal code or None)`: `invalid_word` for a word that is empty, too
    long, more than three words or not made of letters; `word_blocked` for a blocked one."""
    normal = normalise(word)
    if not normal or len(normal) > MAX_CHARS or len(normal.split()) > MAX_TOKENS:
        return normal, "invalid_word"
    if not _SHAPE.match(normal):
        return normal, "invalid_word"
    if blocked_in(normal):
        return normal, "word_blocked"
    return normal, None


def cloud(words: list[str]) -> list[tuple[str, int]]:
    """Words and how often they were submitted, most frequent first, then alphabetical."""
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
