"""Pairwise name comparison: align words, weigh rare words, and require every distinctive word.

Two names are ``same`` only when every distinctive word on each side aligns with a word on the other
side (exactly, or as a typo: :func:`matching.tokens.word_match`), the legal forms are compatible and
the descriptors do not conflict. An extra or missing distinctive word means a different entity: a
near name is ``similar`` at most. The one exception is a person's middle name or patronymic written
on one side only. Telling a worker an unlicensed recruiter is licensed is the worst error, so this
module favours precision; the graded ``score`` only ranks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .lexicon import BUSINESS_WORDS, COMPANY_FORMS, GENERIC_WORDS, legal_forms_compatible
from .names import NormalisedName, normalise_name
from .tokens import EXACT, closeness, is_lexicon_word, looks_like_surname, word_match

__all__ = ("NameComparison", "compare_names", "compare_normalised", "is_person_name")

SIMILAR_SCORE = 0.5
_NEUTRAL_DESCRIPTORS = frozenset({"company", "title"})


@dataclass(frozen=True)
class NameComparison:
    score: float
    """Graded resemblance 0..1, for ranking."""
    same: bool
    """Confidently the same entity."""
    similar: bool
    """Resembles, but not confidently the same entity."""
    reasons: tuple[str, ...]


def _never(_: str) -> bool:
    return False


def _default_weight(token: str) -> float:
    return 0.4 if token in GENERIC_WORDS else 1.0


def is_person_name(a: NormalisedName, b: NormalisedName | None = None) -> bool:
    """Whether a pair of names (or one name) reads as a person's name."""
    names = (a,) if b is None else (a, b)
    forms = {n.legal_form for n in names} - {None}
    if "ie" in forms:
        return True
    if forms & COMPANY_FORMS or any(n.descriptors for n in names):
        return False
    tokens = [t for n in names for t in n.tokens]
    if any(t in BUSINESS_WORDS or t[:1].isdigit() for t in tokens):
        return False
    # no company clue: 2 to 6 words read as a person's name
    return 2 <= max(len(n.tokens) for n in names) <= 6


def _units(name: NormalisedName, used: set[int]) -> list[tuple[str, str, tuple[int, ...]]]:
    """Words not aligned yet, and adjacent pairs of words with at least one not aligned yet."""
    tokens = name.tokens
    raw = name.raw if len(name.raw) == len(tokens) else tokens
    units: list[tuple[str, str, tuple[int, ...]]]
    units = [(t, raw[i], (i,)) for i, t in enumerate(tokens) if i not in used]
    units += [
        (tokens[i] + tokens[i + 1], raw[i] + raw[i + 1], (i, i + 1))
        for i in range(len(tokens) - 1)
        if i not in used or i + 1 not in used
    ]
    return units


def _middle_name_only(left_a: list[str], left_b: list[str], aligned: int) -> bool:
    """A person's extra middle name, patronymic or initial on one side only is neutral, and so
    is an initial standing for a middle name (Hans J Friedrich / Hans Joachim Friedrich).

    Only when at least two names (surname and given name) align exactly on both sides.
    """
    if aligned < 2:
        return False
    if len(left_a) == 1 and len(left_b) == 1:
        short, full = sorted((left_a[0], left_b[0]), key=len)
        return len(short) == 1 and full.startswith(short)
    extra = left_a or left_b
    return not (left_a and left_b) and len(extra) == 1


def compare_normalised(
    a: NormalisedName,
    b: NormalisedName,
    *,
    weight: Callable[[str], float] = _default_weight,
    known: Callable[[str], bool] = is_lexicon_word,
) -> NameComparison:
    """Compare two normalised names; ``weight`` (e.g. IDF) and ``known`` come from an index."""
    reasons: list[str] = []
    if not a.tokens or not b.tokens:
        return NameComparison(0.0, False, False, ("empty name",))
    person = is_person_name(a, b)

    used_a: set[int] = set()
    used_b: set[int] = set()
    distinctive_shared = False
    gained = 0.0
    fuzzy = 0
    long_fuzzy = 0
    aligned = 0
    # exact words first (cheap), then typos and joined words among what is left
    positions: dict[str, list[int]] = {}
    for j, tb in enumerate(b.tokens):
        positions.setdefault(tb, []).append(j)
    for i, ta in enumerate(a.tokens):
        free = positions.get(ta)
        if free:
            used_a.add(i)
            used_b.add(free.pop(0))
            aligned += 1
            gained += weight(ta) * 2
            distinctive_shared |= ta not in GENERIC_WORDS

    pairs: list[tuple[float, int, tuple[int, ...], tuple[int, ...], str, str]] = []
    if len(used_a) < len(a.tokens) or len(used_b) < len(b.tokens):
        units_b = _units(b, used_b)
        for ta, ra, ia in _units(a, used_a):
            for tb, rb, ib in units_b:
                merged = len(ia) + len(ib)
                if merged == 2 and (ia[0] in used_a or ib[0] in used_b):
                    continue
                strict = person and not (looks_like_surname(ta) or looks_like_surname(tb))
                s = word_match(ta, tb, strict=strict, known=known)
                if not s and not (known(ta) and known(tb)):
                    # phonetic rules can amplify a typo (Вотсок -> "vocok"): judge the spelling
                    s = word_match(ra, rb, strict=strict, known=_never)
                # a joined pair meets one word exactly ("Ала Тоо" / "Алатоо"); two joined
                # pairs may carry a typo
                if s and (merged != 3 or s == EXACT):
                    pairs.append((s, merged, ia, ib, ta, tb))
        pairs.sort(key=lambda p: (-p[0], p[1]))

    for s, _, ia, ib, ta, tb in pairs:
        if used_a.intersection(ia) or used_b.intersection(ib):
            continue
        used_a.update(ia)
        used_b.update(ib)
        aligned += 1
        gained += s * (sum(weight(a.tokens[i]) for i in ia) + sum(weight(b.tokens[i]) for i in ib))
        distinctive_shared |= ta not in GENERIC_WORDS
        if s < EXACT:
            fuzzy += 1
            long_fuzzy += min(len(ta), len(tb)) >= 8
            reasons.append(f"typo: {ta}~{tb}")

    left_a = [t for i, t in enumerate(a.tokens) if i not in used_a]
    left_b = [t for i, t in enumerate(b.tokens) if i not in used_b]
    partial = 0.0
    for ta in left_a:
        best = max(((closeness(ta, tb), tb) for tb in left_b), default=(0.0, ""))
        if best[0] >= 0.5:
            partial += 0.5 * best[0] * (weight(ta) + weight(best[1]))
    total = sum(weight(t) for t in a.tokens) + sum(weight(t) for t in b.tokens)
    score = min(1.0, (gained + partial) / total) if total else 0.0

    same = not left_a and not left_b
    if not same and person and fuzzy == 0 and _middle_name_only(left_a, left_b, aligned):
        same = True
        reasons.append("one side adds a middle name or patronymic: " + " ".join(left_a + left_b))
    elif left_a or left_b:
        reasons.append("unmatched words: " + " ".join(left_a + left_b))
    if fuzzy > max(1, (aligned + 1) // 2) and fuzzy > long_fuzzy:
        same = False
        reasons.append("too many typos")
    if not legal_forms_compatible(a.legal_form, b.legal_form):
        same = False
        score *= 0.7
        reasons.append(f"legal form conflict: {a.legal_form}/{b.legal_form}")
    da = set(a.descriptors) - _NEUTRAL_DESCRIPTORS
    db = set(b.descriptors) - _NEUTRAL_DESCRIPTORS
    if da and db and not da & db:
        same = False
        score *= 0.8
        reasons.append("descriptor conflict: " + "/".join(sorted(da | db)))
    if (
        a.patronymics
        and b.patronymics
        and not any(word_match(pa, pb, known=known) for pa in a.patronymics for pb in b.patronymics)
    ):
        same = False
        score *= 0.8
        reasons.append("patronymic conflict")
    if same:
        reasons.insert(0, "all words align")
    # similar: resembles as a whole, or shares a distinctive word and half of the shorter name
    similar = not same and (
        score >= SIMILAR_SCORE
        or (distinctive_shared and 2 * aligned >= min(len(a.tokens), len(b.tokens)))
    )
    return NameComparison(round(score, 4), same, similar, tuple(reasons))


def compare_names(a: str, b: str) -> NameComparison:
    """Compare two written names (any script, legal form anywhere)."""
    return compare_normalised(normalise_name(a), normalise_name(b))
