"""Pairwise name comparison: align words, weigh rare words, and require every distinctive word.

Two names are ``same`` only when every distinctive word on each side aligns with a word on the other
side (exactly, or as a typo: :func:`matching.tokens.word_match`), the legal forms are compatible and
the descriptors do not conflict. An extra or missing distinctive word means a different entity: a
near name is ``similar`` at most. The one exception is a person's middle name or patronymic written
on one side only, an initial standing for a given name, and a known short form of a given name
(Саша / Александр, Bill / William), all for persons only and when the other words align exactly.
A word may also be split or joined differently (Алатоо / Ала Тоо, Plat Ono Vich / Platonovich).
Telling a worker an unlicensed recruiter is licensed is the worst error, so this module favours
precision; the graded ``score`` only ranks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

from .lexicon import (
    BUSINESS_WORDS,
    COMPANY_FORMS,
    GENERIC_WORDS,
    NICKNAMES,
    legal_forms_compatible,
)
from .names import NormalisedName, normalise_name
from .tokens import EXACT, TYPO, closeness, is_lexicon_word, looks_like_surname, word_match

__all__ = ("NameComparison", "compare_names", "compare_normalised", "is_person_name")

SIMILAR_SCORE = 0.5
NICKNAME = 0.85
_MAX_EXTRA_NAMES = 2
# "son of" in Arabic names: who is the son of whom is not interchangeable
_NASAB = frozenset({"bin", "ibn", "bint"})
_NEUTRAL_DESCRIPTORS = frozenset({"agency", "company", "title"})


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


def _units(
    name: NormalisedName, used: set[int], *, triples: bool = False
) -> list[tuple[str, str, tuple[int, ...]]]:
    """Words not aligned yet, and runs of two (or three) adjacent words with one not aligned yet."""
    tokens = name.tokens
    raw = _raw(name)
    units: list[tuple[str, str, tuple[int, ...]]]
    units = [(t, raw[i], (i,)) for i, t in enumerate(tokens) if i not in used]
    for size in (2, 3) if triples else (2,):
        for i in range(len(tokens) - size + 1):
            span = tuple(range(i, i + size))
            if not used.issuperset(span):
                units.append(("".join(tokens[i : i + size]), "".join(raw[i : i + size]), span))
    return units


def _raw(name: NormalisedName) -> tuple[str, ...]:
    return name.raw if len(name.raw) == len(name.tokens) else name.tokens


def _unit_match(
    ta: str,
    ra: str,
    na: int,
    tb: str,
    rb: str,
    nb: int,
    *,
    person: bool,
    known: Callable[[str], bool],
) -> float:
    """How a unit of ``na`` joined words meets a unit of ``nb`` joined words."""
    if na > 1 and nb > 1 and na + nb > 4:
        return 0.0
    if 3 in (na, nb):
        # a word split in three ("Plat Ono Vich") must meet the other word exactly
        return EXACT if (na == 1 or nb == 1) and (ta == tb or ra == rb) else 0.0
    strict = person and not (looks_like_surname(ta) or looks_like_surname(tb))
    s = word_match(ta, tb, strict=strict, known=known)
    if not s and not (known(ta) and known(tb)):
        # phonetic rules can amplify a typo (Вотсок -> "vocok"): judge the spelling
        s = word_match(ra, rb, strict=strict, known=_never)
    if s and na + nb == 3 and s != EXACT:
        # a word joined from two ("FridrichBuchenberg") may carry one typo when it is long
        one_edit = min(OSA.distance(ta, tb), OSA.distance(ra, rb)) <= 1
        s = TYPO if one_edit and min(len(ta), len(tb)) >= 8 else 0.0
    if not s and person and na == nb == 1 and (ta, tb) in NICKNAMES:
        s = NICKNAME
    return s


def _short_typo(x: str, y: str) -> bool:
    """One letter dropped, added or swapped in a short word (Шнь / Шань, оо / Тоо, Клуь / Куль).

    Words of five letters and more are judged by :func:`matching.tokens.word_match`; a replaced
    letter in a short word makes another word (Жол / Кол), so it is no typo here.
    """
    if x == y or max(len(x), len(y)) > 4 or x[:1].isdigit() or y[:1].isdigit():
        return False
    if abs(len(x) - len(y)) == 1:
        return Levenshtein.distance(x, y) == 1
    return len(x) == len(y) >= 2 and OSA.distance(x, y) == 1 and Levenshtein.distance(x, y) == 2


def _initials_fit(short: list[tuple[str, str]], full: list[tuple[str, str]]) -> bool:
    """Each (skeleton, spelling) of ``short`` is an initial (or a run of initials, "JC") that
    starts the word of ``full`` in the same place: A. / Ali, Ж. / Жанар, J.-C. / Jean-Claude."""
    if not short or not full:
        return False
    if len(short) == len(full) and all(
        len(rs) <= 2 and (rf.startswith(rs) or (len(ts) == 1 and tf.startswith(ts)))
        for (ts, rs), (tf, rf) in zip(short, full, strict=True)
    ):
        return all(
            len(rs) == 1 or len(rf) > len(rs) for (_, rs), (_, rf) in zip(short, full, strict=True)
        )
    letters = "".join(rs for _, rs in short)
    if any(len(rs) > 3 or any(c in "aeiouy" for c in rs) for _, rs in short):
        return False
    return len(letters) == len(full) and all(
        rf.startswith(c) and len(rf) > 1 for c, (_, rf) in zip(letters, full, strict=True)
    )


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


def _extra_names_only(
    a: NormalisedName, b: NormalisedName, used_a: set[int], used_b: set[int], aligned: int
) -> bool:
    """Several middle names on one side only (Anjem Iftikhar Choudary Mahmood / Anjem Choudary).

    The shorter name is wholly aligned (two words at least), and its first or last word meets the
    first or last word of the longer name: the extra names sit inside or after the shorter one.
    """
    if aligned < 2:
        return False
    if len(used_a) == len(a.tokens):
        short, used_long, n_long = a, used_b, len(b.tokens)
    elif len(used_b) == len(b.tokens):
        short, used_long, n_long = b, used_a, len(a.tokens)
    else:
        return False
    extra = n_long - len(used_long)
    return (
        0 < extra <= _MAX_EXTRA_NAMES
        and len(short.tokens) >= 2
        and bool({0, n_long - 1} & used_long)
    )


def _nasab_conflict(a: NormalisedName, b: NormalisedName, a_to_b: dict[int, int]) -> bool:
    """Salman bin Muhammad is not Muhammad bin Salman: the father's name must meet the father's."""
    ka = next((i for i, t in enumerate(a.tokens) if t in _NASAB), None)
    kb = next((j for j, t in enumerate(b.tokens) if t in _NASAB), None)
    if ka is None or kb is None:
        return False
    for da in (-1, 1):
        j = a_to_b.get(ka + da)
        if j is not None and j != kb + da:
            return True
    return False


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
    a_to_b: dict[int, int] = {}
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
            j = free.pop(0)
            used_a.add(i)
            used_b.add(j)
            a_to_b[i] = j
            aligned += 1
            gained += weight(ta) * 2
            distinctive_shared |= ta not in GENERIC_WORDS

    pairs: list[tuple[float, int, tuple[int, ...], tuple[int, ...], str, str]] = []
    if len(used_a) < len(a.tokens) or len(used_b) < len(b.tokens):
        # a word split in three meets one long word of the other name
        long_a = any(len(t) >= 8 for i, t in enumerate(a.tokens) if i not in used_a)
        long_b = any(len(t) >= 8 for j, t in enumerate(b.tokens) if j not in used_b)
        units_b = _units(b, used_b, triples=long_a)
        for ta, ra, ia in _units(a, used_a, triples=long_b):
            for tb, rb, ib in units_b:
                merged = len(ia) + len(ib)
                if merged == 2 and (ia[0] in used_a or ib[0] in used_b):
                    continue
                s = _unit_match(ta, ra, len(ia), tb, rb, len(ib), person=person, known=known)
                if s:
                    pairs.append((s, merged, ia, ib, ta, tb))
        pairs.sort(key=lambda p: (-p[0], p[1]))

    nicknames = 0
    for s, _, ia, ib, ta, tb in pairs:
        if used_a.intersection(ia) or used_b.intersection(ib):
            continue
        used_a.update(ia)
        used_b.update(ib)
        if len(ia) == len(ib) == 1:
            a_to_b[ia[0]] = ib[0]
        aligned += 1
        gained += s * (sum(weight(a.tokens[i]) for i in ia) + sum(weight(b.tokens[i]) for i in ib))
        distinctive_shared |= ta not in GENERIC_WORDS
        if s == NICKNAME:
            nicknames += 1
            reasons.append(f"short form of a given name: {ta}~{tb}")
        elif s < EXACT:
            fuzzy += 1
            long_fuzzy += min(len(ta), len(tb)) >= 8
            reasons.append(f"typo: {ta}~{tb}")

    if not person:
        repaired = _align_short_parts(a, b, used_a, used_b, a_to_b, known, reasons)
        fuzzy += repaired
        aligned += repaired

    left_a = [t for i, t in enumerate(a.tokens) if i not in used_a]
    left_b = [t for i, t in enumerate(b.tokens) if i not in used_b]
    partial = 0.0
    for ta in left_a:
        best = max(((closeness(ta, tb), tb) for tb in left_b), default=(0.0, ""))
        if best[0] >= 0.5:
            partial += 0.5 * best[0] * (weight(ta) + weight(best[1]))
    total = sum(map(weight, a.tokens)) + sum(map(weight, b.tokens))
    score = min(1.0, (gained + partial) / total) if total else 0.0

    same = not left_a and not left_b
    exact_only = fuzzy == 0 and nicknames == 0
    if not same and person and exact_only and _middle_name_only(left_a, left_b, aligned):
        same = True
        reasons.append("one side adds a middle name or patronymic: " + " ".join(left_a + left_b))
    elif not same and person and exact_only and _extra_names_only(a, b, used_a, used_b, aligned):
        same = True
        reasons.append("one side adds middle names: " + " ".join(left_a + left_b))
    elif (
        not same
        and person
        and exact_only
        and aligned >= 1
        and _initials_one_side(a, b, used_a, used_b)
    ):
        same = True
        score = max(score, 0.8)
        reasons.append("initials stand for given names: " + " ".join(left_a + left_b))
    elif left_a or left_b:
        reasons.append("unmatched words: " + " ".join(left_a + left_b))
    if fuzzy > max(1, (aligned + 1) // 2) and fuzzy > long_fuzzy:
        same = False
        reasons.append("too many typos")
    if nicknames and (fuzzy or nicknames > 1):
        same = False
        reasons.append("a short form of a name next to other differences")
    if person and _nasab_conflict(a, b, a_to_b):
        same = False
        score *= 0.8
        reasons.append("father's name in another place")
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


def _align_short_parts(
    a: NormalisedName,
    b: NormalisedName,
    used_a: set[int],
    used_b: set[int],
    a_to_b: dict[int, int],
    known: Callable[[str], bool],
    reasons: list[str],
) -> int:
    """Align a short word with a typo whose neighbour aligns with its counterpart's neighbour
    (Тянь-Шнь / Тянь-Шань, Ала-оо / Ала-Тоо); returns how many were aligned."""
    raw_a, raw_b = _raw(a), _raw(b)
    found = 0
    for i in range(len(a.tokens)):
        if i in used_a:
            continue
        for j in range(len(b.tokens)):
            if j in used_b or not any(
                a_to_b.get(i + d) == j + d for d in (-1, 1) if i + d in used_a
            ):
                continue
            ta, tb = a.tokens[i], b.tokens[j]
            if known(ta) and known(tb):
                continue
            if _short_typo(ta, tb) or _short_typo(raw_a[i], raw_b[j]):
                used_a.add(i)
                used_b.add(j)
                a_to_b[i] = j
                found += 1
                reasons.append(f"typo: {ta}~{tb}")
                break
    return found


def _initials_one_side(
    a: NormalisedName, b: NormalisedName, used_a: set[int], used_b: set[int]
) -> bool:
    """What is left on one side are initials of what is left on the other (V. Putin)."""
    left_a = [
        (t, r) for i, (t, r) in enumerate(zip(a.tokens, _raw(a), strict=True)) if i not in used_a
    ]
    left_b = [
        (t, r) for i, (t, r) in enumerate(zip(b.tokens, _raw(b), strict=True)) if i not in used_b
    ]
    return _initials_fit(left_a, left_b) or _initials_fit(left_b, left_a)


def compare_names(a: str, b: str) -> NameComparison:
    """Compare two written names (any script, legal form anywhere)."""
    return compare_normalised(normalise_name(a), normalise_name(b))
