"""Word-level comparison: when are two skeletons the same word, a typo of it, or a different word.

A typo changes letters; a different name changes the word. So a small edit (relative to length) is
accepted only when at most one of the two words is a known word: two known words that differ
(Нурлан / Ерлан, Агро / Строй) are different words. Person given names get one edit at most,
and the lexicon of given names keeps Марат / Мурат apart.
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz.distance import OSA, Levenshtein

from .lexicon import BUSINESS_WORDS, GIVEN_NAMES

__all__ = (
    "EXACT",
    "TYPO",
    "closeness",
    "is_lexicon_word",
    "looks_like_surname",
    "word_match",
)

EXACT = 1.0
TYPO = 0.9

_SURNAME_ENDINGS = (
    "ov", "ev", "ova", "eva", "in", "ina", "uli", "kizi", "enko", "ski", "skaia", "ian",
    "zoda", "zade", "bekov", "baev", "aev", "iev", "ieva", "ovich", "evich", "ko",
)  # fmt: skip


def is_lexicon_word(skel: str) -> bool:
    """True for common company words and given names shipped with the library."""
    return skel in BUSINESS_WORDS or skel in GIVEN_NAMES


def looks_like_surname(skel: str) -> bool:
    return len(skel) >= 5 and skel.endswith(_SURNAME_ENDINGS)


def word_match(
    a: str,
    b: str,
    *,
    strict: bool = False,
    known: Callable[[str], bool] = is_lexicon_word,
) -> float:
    """``EXACT``, ``TYPO`` (one word, misspelt) or 0.0 (different words)."""
    if a == b:
        return EXACT
    if not a or not b or a[0].isdigit() or b[0].isdigit():
        return 0.0
    longest = max(len(a), len(b))
    if longest <= 3 or abs(len(a) - len(b)) > 2:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=2)
    if distance > 2 or (known(a) and known(b)):
        return 0.0
    if distance == 2 and _same_consonants(a, b):
        return TYPO
    transposition = distance == 1 and Levenshtein.distance(a, b) == 2
    if longest <= 4:
        return TYPO if transposition else 0.0
    if strict or longest <= 7:
        return TYPO if distance <= 1 else 0.0
    return TYPO if distance <= 2 else 0.0


def _same_consonants(a: str, b: str) -> bool:
    """Vowels written differently by another transliteration (Muhammad / Mohammed)."""
    ca = "".join(c for c in a if c not in "aeiou")
    cb = "".join(c for c in b if c not in "aeiou")
    return min(len(a), len(b)) >= 5 and len(ca) >= 3 and ca == cb and a[0] == b[0]


def closeness(a: str, b: str) -> float:
    """Graded resemblance in 0..1 (for ranking similar names, never for deciding sameness)."""
    return float(Levenshtein.normalized_similarity(a, b))
