"""Name normalisation: a name becomes distinctive word skeletons plus what kind of entity it names.

Legal forms (abbreviated at either end, or spelled out anywhere), generic descriptors such as
"кадровое агентство" and patronymics are taken out of the tokens: they are weighed separately by
:mod:`matching.compare`. ``key`` groups every spelling of one name (script, case, quotes,
word order, legal form) under one string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .lexicon import (
    COMPANY_FORMS,
    DESCRIPTOR_PHRASES,
    LEGAL_ABBREVIATIONS,
    LEGAL_PHRASES,
    PATRONYMIC_ENDINGS,
    PATRONYMIC_MARKERS,
    canonical_word,
)
from .script import fold, skeleton
from .tokens import word_match

__all__ = ("NormalisedName", "normalise_name")

_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class NormalisedName:
    """A name reduced to what identifies it."""

    tokens: tuple[str, ...]
    """Distinctive word skeletons in written order (hyphenated words split into their parts)."""
    legal_form: str | None
    """Canonical legal form (``llp``, ``llc``, ``jsc``, ``ie``), see :mod:`matching.lexicon`."""
    descriptors: tuple[str, ...]
    """Canonical generic descriptors, e.g. ``employment_agency``."""
    key: str
    """Stable grouping key shared by all spellings of the name."""
    patronymics: tuple[str, ...] = field(default=())
    """Patronymic skeletons of a person, kept apart: present on one side only is neutral."""
    raw: tuple[str, ...] = field(default=())
    """Folded spellings of ``tokens`` (same order) before phonetic rules, for judging typos."""


# Turkic patronymics (Асанұлы, Karimqizi) need a given name before the ending: al-Mosuli is none
_PATRONYMIC_STEM = {"uli": 4, "ugli": 4, "kizi": 4}
_QUOTED = re.compile(r"[«\"“„]([^»\"”“]+)[»\"”“]")
_LEET = str.maketrans("0134579", "oieastg")


def _unleet(word: str) -> str:
    """Digits standing for letters inside a word (Ig0r Sech1n); plain numbers stay numbers."""
    if word.isalpha() or word.isdigit() or not any(c.isalpha() for c in word):
        return word
    return word.translate(_LEET)


def _join_acronyms(words: list[_Word]) -> list[_Word]:
    """Single letters in a row are one acronym: L.L.C. = LLC, A.B.C. = ABC."""
    out: list[_Word] = []
    run: list[_Word] = []
    for w in [*words, _Word("", "", False)]:
        if len(w.raw) == 1 and w.raw.isalpha():
            run.append(w)
            continue
        if len(run) >= 2:
            raw = "".join(r.raw for r in run)
            out.append(_Word(canonical_word(skeleton(raw)), raw, False))
        else:
            out.extend(run)
        run = []
        if w.raw:
            out.append(w)
    return out


class _Word(NamedTuple):
    skel: str
    raw: str
    """Folded spelling before phonetic rules: typos are judged on it as well."""
    glued: bool
    """Joined to a neighbour by a hyphen."""


def _never_known(_: str) -> bool:
    return False


def _phrase_anchors(
    phrases: tuple[tuple[tuple[str, ...], str], ...],
) -> dict[str, list[tuple[int, tuple[str, ...], str]]]:
    anchors: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
    for phrase, code in phrases:
        for k, word in enumerate(phrase):
            anchors.setdefault(word, []).append((k, phrase, code))
    return anchors


_ANCHORS = {id(t): _phrase_anchors(t) for t in (LEGAL_PHRASES, DESCRIPTOR_PHRASES)}


def _match_phrase(
    skels: list[str], phrases: tuple[tuple[tuple[str, ...], str], ...]
) -> tuple[int, int, str] | None:
    """First (start, length, code) of a phrase in ``skels``, longest phrase first.

    A phrase is found through one of its words written exactly; the other words of a phrase of
    several words may carry a typo ("Кадровое Агетнство").
    """
    best: tuple[int, int, str] | None = None
    anchors = _ANCHORS[id(phrases)]
    for i, word in enumerate(skels):
        for k, phrase, code in anchors.get(word, ()):
            start, n = i - k, len(phrase)
            if start < 0 or start + n > len(skels) or (best and n <= best[1]):
                continue
            window = skels[start : start + n]
            if all(
                w == p or (n > 1 and word_match(w, p, known=_never_known))
                for w, p in zip(window, phrase, strict=True)
            ):
                best = (start, n, code)
    return best


def _strip_abbreviations(words: list[_Word]) -> str | None:
    """Remove abbreviated legal forms from the ends, never inside a hyphenated or quoted word."""
    legal: str | None = None
    for end in (0, -1):
        while len(words) > 1 and words[end].skel in LEGAL_ABBREVIATIONS and not words[end].glued:
            legal = legal or LEGAL_ABBREVIATIONS[words[end].skel]
            del words[end]
    return legal


@lru_cache(maxsize=16384)
def normalise_name(text: str) -> NormalisedName:
    """Normalise one written name (company or person, any script).

    Cached (the result is immutable): a scan meets the same recruiters' names ad after ad."""
    words: list[_Word] = []
    folded = fold(text).replace("&", " and ")
    # words inside quotes are the name itself: never a legal form (ТОО «Ала Тоо»)
    quoted = {i for m in _QUOTED.finditer(folded) for i in range(m.start(), m.end())}
    for m in _COMPOUND.finditer(folded):
        pieces = [_unleet(p) for p in m.group().split("-") if p]
        glued = len(pieces) > 1 or m.start() in quoted
        for piece in pieces:
            words.append(_Word(canonical_word(skeleton(piece)), piece, glued))
    descriptors: list[str] = []

    words = _join_acronyms(words)
    legal: str | None = None
    for table, is_legal in ((LEGAL_PHRASES, True), (DESCRIPTOR_PHRASES, False)):
        while (found := _match_phrase([w.skel for w in words], table)) is not None:
            i, n, code = found
            rest = words[:i] + words[i + n :]
            if all(w.skel in LEGAL_ABBREVIATIONS for w in rest):
                break  # the phrase is the name itself ("ТОО «Фирма»")
            del words[i : i + n]
            if is_legal:
                legal = legal or code
            elif code not in descriptors:
                descriptors.append(code)
    abbreviated = _strip_abbreviations(words)
    legal = legal or abbreviated

    # a name written twice over ("Sergey Sergey Shoigu") is the same name
    unique: dict[str, _Word] = {}
    for w in words:
        unique.setdefault(w.skel, w)
    words = list(unique.values())

    patronymics: list[str] = []
    if legal not in COMPANY_FORMS and len(words) >= 3:
        kept: list[_Word] = []
        for w in words:
            if w.skel in PATRONYMIC_MARKERS and kept:
                patronymics.append(kept.pop().skel)
            elif any(
                w.skel.endswith(e) and len(w.skel) >= len(e) + _PATRONYMIC_STEM.get(e, 3)
                for e in PATRONYMIC_ENDINGS
            ):
                patronymics.append(w.skel)
            else:
                kept.append(w)
        if len(kept) >= 2:
            words = kept
        else:
            patronymics = []

    tokens = tuple(w.skel for w in words)
    key = " ".join(sorted(tokens)) if tokens else " ".join(sorted(descriptors))
    return NormalisedName(
        tokens=tokens,
        legal_form=legal,
        descriptors=tuple(sorted(descriptors)),
        key=key,
        patronymics=tuple(patronymics),
        raw=tuple(w.raw for w in words),
    )
