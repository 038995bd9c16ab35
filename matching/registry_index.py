"""In-memory index of registered intermediaries, and the lookup decision.

Blocking keeps lookups cheap on large registers: a query word reaches registered words through an
exact skeleton table and a one-deletion neighbourhood (SymSpell style), so only records sharing a
word (or a typo of one) with the query are scored. ``upsert``/``remove`` touch only the record's own
words, phones and licence key, so the app can refresh changed licences incrementally.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from .compare import NameComparison, compare_normalised
from .extract import extract_recruiter_names
from .lexicon import GENERIC_WORDS, canonical_word
from .licence_numbers import extract_licence_numbers, normalise_licence_number
from .names import NormalisedName, normalise_name
from .phones import DEFAULT_REGIONS, extract_phone_groups, normalise_phone
from .script import fold, skeleton
from .tokens import is_lexicon_word, word_match

__all__ = ("Candidate", "LookupDecision", "RegistryIndex", "RegistryRecord")

MAX_CANDIDATES = 5
_SIMILAR_POOL = 24
_SIMILAR_SCAN = 2_000
_SCAN_SPAN = 6
"""Most words apart that two words of one registered name may stand in free text."""
_SCAN_CACHE = 100_000
_SEARCH_CACHE = 50_000
"""Most entries each cache of search answers keeps (names, typo neighbourhoods, word weights)."""
_TEXT_WORD = re.compile(r"[^\W_]+(?:['’ʻʼ`][^\W_]+)*")
# capitalised words of ad wording that stand next to a recruiter's name without being part of it
_AD_WORDING = """
работа работу вакансия вакансии срочно требуются требуется набирает набирают приглашает
приглашаем набор звоните звонить пишите контакты тел телефон от в из для и или на по с
job jobs vacancy vacancies hiring urgent call contact from at by for with and or in
ish kerak ishga ishchilar
"""
_AD_WORDS = frozenset(_AD_WORDING.split())
_CONTACT_WORDS = re.compile(
    r"(?i)\b(?:whats\s*app|вотсап|ватсап|вацап|telegram|телеграм|tg|viber|вайбер|тел|tel|phone|"
    r"телефон|моб|mob|номер|number|лицензия|license|licence|call|звоните|contact|контакт)\b[.:]?"
)


@dataclass(frozen=True)
class RegistryRecord:
    record_id: str
    """The licence number as registered."""
    names: tuple[str, ...]
    """Registered name and aliases."""
    phones: tuple[str, ...]
    """E.164 phones."""
    licence_key: str
    """:func:`matching.normalise_licence_number` of the licence number."""
    kind: str = "company"
    """``company`` or ``person``."""
    country: str = ""


@dataclass(frozen=True)
class Candidate:
    record_id: str
    score: float
    matched_on: tuple[str, ...]
    """Subset of ``name``, ``phone``, ``license_number``."""
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class LookupDecision:
    outcome: Literal["match", "similar", "none"]
    match: Candidate | None
    """Set only when confident the query names this registered intermediary."""
    candidates: tuple[Candidate, ...]
    """Similar registered names that are not the match, best first."""
    query_names: tuple[str, ...] = ()
    query_phones: tuple[str, ...] = ()
    query_licence_keys: tuple[str, ...] = ()
    foreign_phones: tuple[str, ...] = ()
    """Query phones not the matched record's (an impostor's phone next to a licensed name)."""
    reasons: tuple[str, ...] = field(default=())


_Found = tuple[str, float, bool, bool, tuple[str, ...]]
"""A record found by a name search, and the fields of its :class:`NameComparison`."""


def _never_known(_: str) -> bool:
    return False


def _deletes(token: str) -> set[str]:
    if len(token) < 4:
        return {token}
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}


class RegistryIndex:
    """Registered intermediaries, searchable by licence key, phone and name."""

    def __init__(self, records: Iterable[RegistryRecord] = ()) -> None:
        self._records: dict[str, RegistryRecord] = {}
        self._names: dict[str, tuple[NormalisedName, ...]] = {}
        self._postings: dict[str, set[str]] = {}
        self._pairs: dict[str, set[str]] = {}
        self._neighbours: dict[str, set[str]] = {}
        self._raw: dict[str, str] = {}
        self._anchors: dict[str, set[tuple[str, int]]] = {}
        # caches of derived answers, all emptied by ``_changed`` when a record comes or goes
        self._scan_cache: dict[str, tuple[str, ...]] = {}
        self._search_cache: dict[NormalisedName, tuple[_Found, ...]] = {}
        self._near_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        self._weights: dict[str, float] = {}
        self._phones: dict[str, set[str]] = {}
        self._licences: dict[str, set[str]] = {}
        for record in records:
            self.upsert(record)

    # ---- maintenance -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    def get(self, record_id: str) -> RegistryRecord | None:
        return self._records.get(record_id)

    def upsert(self, record: RegistryRecord) -> None:
        """Add a record, or replace the one with the same ``record_id``."""
        if record.record_id in self._records:
            self.remove(record.record_id)
        names = tuple(normalise_name(n) for n in record.names if n and n.strip())
        self._records[record.record_id] = record
        self._names[record.record_id] = names
        rid = record.record_id
        for token, raw in self._spellings_of(names).items():
            bucket = self._postings.setdefault(token, set())
            if not bucket:
                # the spelling's neighbourhood too: a swap of letters that the phonetic rules
                # turn into two edits (Bolahsak / Болашак) is one deletion away in spelling
                self._raw[token] = raw
                for d in _deletes(token) | _deletes(raw):
                    self._neighbours.setdefault(d, set()).add(token)
            bucket.add(rid)
        for pair in self._pairs_of(names):
            self._pairs.setdefault(pair, set()).add(rid)
        for k, name in enumerate(names):
            if (anchor := _anchor_of(name)) is not None:
                self._anchors.setdefault(anchor, set()).add((rid, k))
        self._changed()
        for phone in record.phones:
            self._phones.setdefault(phone, set()).add(rid)
        key = record.licence_key or normalise_licence_number(record.record_id) or ""
        if key:
            self._licences.setdefault(key, set()).add(rid)

    def remove(self, record_id: str) -> None:
        """Forget a record (no error if absent)."""
        record = self._records.pop(record_id, None)
        if record is None:
            return
        names = self._names.pop(record_id)
        for token in self._tokens_of(names):
            bucket = self._postings.get(token)
            if bucket is None:
                continue
            bucket.discard(record_id)
            if not bucket:
                del self._postings[token]
                for d in _deletes(token) | _deletes(self._raw.pop(token, token)):
                    near = self._neighbours.get(d)
                    if near is not None:
                        near.discard(token)
                        if not near:
                            del self._neighbours[d]
        for pair in self._pairs_of(names):
            _discard(self._pairs, pair, record_id)
        for k, name in enumerate(names):
            if (anchor := _anchor_of(name)) is not None:
                bucket_a = self._anchors.get(anchor)
                if bucket_a is not None:
                    bucket_a.discard((record_id, k))
                    if not bucket_a:
                        del self._anchors[anchor]
        self._changed()
        for phone in record.phones:
            _discard(self._phones, phone, record_id)
        key = record.licence_key or normalise_licence_number(record.record_id) or ""
        _discard(self._licences, key, record_id)

    def name_keys(self, min_words: int = 2) -> frozenset[str]:
        """Keys of the registered names of at least ``min_words`` words: what an ad's running text
        is searched for (a one-word name would be found in any sentence using the word)."""
        return frozenset(
            name.key
            for names in self._names.values()
            for name in names
            if name.key and len(name.tokens) >= min_words
        )

    def _changed(self) -> None:
        """Forget cached answers: word weights, typo neighbourhoods and results have changed."""
        self._scan_cache.clear()
        self._search_cache.clear()
        self._near_cache.clear()
        self._weights.clear()

    @staticmethod
    def _tokens_of(names: Iterable[NormalisedName]) -> set[str]:
        return {t for n in names for t in n.tokens}

    @staticmethod
    def _spellings_of(names: Iterable[NormalisedName]) -> dict[str, str]:
        spellings: dict[str, str] = {}
        for n in names:
            raw = n.raw if len(n.raw) == len(n.tokens) else n.tokens
            for token, spelling in zip(n.tokens, raw, strict=True):
                spellings.setdefault(token, spelling)
        return spellings

    @staticmethod
    def _pairs_of(names: Iterable[NormalisedName]) -> set[str]:
        return {a + b for n in names for a, b in zip(n.tokens, n.tokens[1:], strict=False)}

    # ---- scoring helpers ---------------------------------------------------------------------
    def _weight(self, token: str) -> float:
        """IDF weight of a word, memoised: every comparison asks it for every word."""
        weight = self._weights.get(token)
        if weight is None:
            if len(self._weights) >= _SEARCH_CACHE:
                self._weights.clear()
            df = len(self._postings.get(token, ()))
            n = max(len(self._records), 1)
            weight = self._weights[token] = 1.0 + math.log((n + 1) / (df + 1))
        return weight

    def _known(self, token: str) -> bool:
        return token in self._postings or is_lexicon_word(token)

    def _token_records(self, name: NormalisedName, i: int) -> set[str]:
        """Records having the query's ``i``-th word, a typo of it, or it split or joined.

        Read only: when one posting holds them all, that posting itself is returned (a common
        word's posting holds thousands of records, too many to copy for every query)."""
        tokens = name.tokens
        token = tokens[i]
        raw = name.raw[i] if len(name.raw) == len(tokens) else token
        parts = [self._postings[vocab] for vocab in self._near_vocab(token, raw)]
        # a word the query splits or joins differently ("Ала Тоо" / "Алатоо")
        for pair in (
            tokens[i - 1] + token if i > 0 else "",
            token + tokens[i + 1] if i + 1 < len(tokens) else "",
        ):
            if pair and (joined := self._postings.get(pair)):
                parts.append(joined)
        if split := self._pairs.get(token):
            parts.append(split)
        if len(parts) == 1:
            return parts[0]
        return set().union(*parts)

    def _near_vocab(self, token: str, raw: str) -> tuple[str, ...]:
        """Registered words that ``token`` (spelt ``raw``) is, exactly or as a typo; cached."""
        key = (token, raw)
        cached = self._near_cache.get(key)
        if cached is not None:
            return cached
        near: set[str] = set()
        for d in _deletes(token) | _deletes(raw):
            near.update(self._neighbours.get(d, ()))
        # the deletion neighbourhood overshoots (turan -> tran <- trans): keep real typos
        found = tuple(
            vocab
            for vocab in near
            if vocab == token
            or word_match(token, vocab, known=self._known)
            or word_match(raw, vocab, known=_never_known)
        )
        if len(self._near_cache) >= _SEARCH_CACHE:
            self._near_cache.clear()
        self._near_cache[key] = found
        return found

    def compare(
        self,
        query: NormalisedName,
        record_id: str,
        seen: dict[NormalisedName, NameComparison] | None = None,
    ) -> NameComparison:
        """Best comparison of ``query`` against the record's name and aliases (``seen`` holds
        comparisons of ``query`` already made, by registered name)."""
        best = NameComparison(0.0, False, False, ("no name",))
        for name in self._names.get(record_id, ()):
            c = seen.get(name) if seen is not None else None
            if c is None:
                c = compare_normalised(query, name, weight=self._weight, known=self._known)
                if seen is not None:
                    seen[name] = c
            if (c.same, c.score) > (best.same, best.score):
                best = c
        return best

    def search_name(self, name: str) -> list[tuple[str, NameComparison]]:
        """Registered records resembling ``name``, best first (same ones before similar ones).

        Cached per normalised name until the index changes: a scan resolves one name with many
        phones, and in other scripts, quotes or case."""
        query = normalise_name(name)
        cached = self._search_cache.get(query)
        if cached is None:
            if len(self._search_cache) >= _SEARCH_CACHE:
                self._search_cache.clear()
            # plain tuples, which the garbage collector stops tracking: cached objects would make
            # its full collections, which walk the whole index, longer and more frequent
            cached = self._search_cache[query] = tuple(
                (rid, c.score, c.same, c.similar, c.reasons) for rid, c in self._search(query)
            )
        return [
            (rid, NameComparison(score, same, similar, reasons))
            for rid, score, same, similar, reasons in cached
        ]

    def _search(self, query: NormalisedName) -> list[tuple[str, NameComparison]]:
        if not query.tokens:
            return []
        per_token = [self._token_records(query, i) for i in range(len(query.tokens))]
        by_size = sorted((recs for recs in per_token if recs), key=len)
        if not by_size:
            return []
        # the same name has every query word (or a typo of it): intersect, rarest first
        pool: set[str] = set()
        if len(by_size) == len(per_token):
            pool = by_size[0].intersection(*by_size[1:])
        # near names worth showing share most query words: count shared words, keep the best
        similar = _most_shared([recs for recs in by_size if len(recs) <= _SIMILAR_SCAN])
        if len(pool) > _SIMILAR_POOL:
            # only names of about the query's length can be the same name
            n = len(query.tokens)
            pool = {
                rid
                for rid in pool
                if any(abs(len(nm.tokens) - n) <= 1 for nm in self._names.get(rid, ()))
            }
        results: list[tuple[str, NameComparison]] = []
        # one comparison per registered name: a name may be registered under several licences
        seen: dict[NormalisedName, NameComparison] = {}
        for rid in pool.union(similar):
            c = self.compare(query, rid, seen)
            if c.same or c.similar:
                results.append((rid, c))
        results.sort(key=lambda item: (not item[1].same, -item[1].score, item[0]))
        return results

    # ---- names in free text ------------------------------------------------------------------
    def find_names_in_text(self, text: str, limit: int = MAX_CANDIDATES) -> tuple[Candidate, ...]:
        """Registered names (or aliases) written in free text, such as a job ad, best first.

        Every distinctive word of a registered name must stand in one contiguous run of words
        of the text (in any order, typos as :func:`matching.tokens.word_match` allows), and that
        run must compare as the same name. A name of one word counts only when it is no common
        word or given name, written exactly and capitalised.
        """
        return tuple(
            Candidate(rid, c.score, ("name",), (f"named in the text: {window}", *c.reasons))
            for rid, window, c in self._scan_names(text)[: max(limit, 0)]
        )

    def _scan_names(self, text: str) -> list[tuple[str, str, NameComparison]]:
        """(record, window of the text, comparison) for registered names found in ``text``."""
        spans: list[tuple[int, int]] = []
        vocab_at: list[tuple[str, ...]] = []
        for m in _TEXT_WORD.finditer(text):
            spans.append(m.span())
            vocab_at.append(self._vocab_of(m.group()))
        # registered words met at each place: (first word, last word, registered token)
        found: list[tuple[int, int, str]] = [(i, i, v) for i, vs in enumerate(vocab_at) for v in vs]
        for i in range(len(spans) - 1):
            a, b = text[slice(*spans[i])], text[slice(*spans[i + 1])]
            joined = _word_key(a) + _word_key(b)
            if joined in self._postings:
                found.append((i, i + 1, joined))
        if not found:
            return []
        at: list[set[str]] = [set(vs) for vs in vocab_at]
        for i0, i1, v in found:
            if i1 > i0:
                at[i0].add(v)
                at[i1].add(v)
        results: dict[str, tuple[int, str, NameComparison]] = {}
        verified: dict[tuple[str, int, int], tuple[str, NameComparison] | None] = {}
        normalised: dict[str, NormalisedName] = {}
        for x, (i0, i1, v) in enumerate(found):
            keys = [(v, i0, i1)]
            for j0, j1, w in found[x + 1 :]:
                if w != v and abs(j0 - i0) <= _SCAN_SPAN:
                    keys.append((_pair_key(v, w), min(i0, j0), max(i1, j1)))
            for key, lo, hi in keys:
                for rid, k in self._anchors.get(key, ()):
                    name = self._names[rid][k]
                    # one verification per name and place: a name registered under several
                    # licences, or met through several anchors, is compared once
                    memo = (name.key, lo, hi)
                    if memo not in verified:
                        verified[memo] = self._verify_window(
                            text, spans, at, lo, hi, name, normalised
                        )
                    hit = verified[memo]
                    if hit is not None:
                        window, c = hit
                        old = results.get(rid)
                        if old is None or c.score > old[2].score:
                            results[rid] = (lo, window, c)
        ranked = sorted(results.items(), key=lambda item: (-item[1][2].score, item[1][0], item[0]))
        return [(rid, window, c) for rid, (_, window, c) in ranked]

    def _verify_window(
        self,
        text: str,
        spans: list[tuple[int, int]],
        at: list[set[str]],
        lo: int,
        hi: int,
        name: NormalisedName,
        normalised: dict[str, NormalisedName],
    ) -> tuple[str, NameComparison] | None:
        n = len(name.tokens)
        if n == 1:
            word = text[slice(*spans[lo])]
            if lo != hi or not word[:1].isupper() or is_lexicon_word(name.tokens[0]):
                return None
            if len(name.tokens[0]) < 5 or _word_key(word) != name.tokens[0]:
                return None
        generic_only = all(t in GENERIC_WORDS for t in name.tokens)
        best: tuple[str, NameComparison] | None = None
        # runs of about the name's length (a word may be split or joined) around the anchors
        for size in range(max(hi - lo + 1, n - 1, 1), n + 2):
            for start in range(max(0, hi - size + 1), min(lo, len(spans) - size) + 1):
                run = range(start, start + size)
                met = set().union(*(at[i] for i in run))
                missing = [t for t in name.tokens if t not in met]
                if missing and (
                    len(missing) > 1
                    or n == 1
                    or len(missing[0]) > 4
                    or not any(
                        not at[i] and len(_word_key(text[slice(*spans[i])])) <= 4 for i in run
                    )
                ):
                    continue  # cheap test first: every word met, or a short part with a typo
                if generic_only and not all(text[slice(*spans[i])][:1].isupper() for i in run):
                    continue
                if not self._stands_alone(text, spans, at, start, start + size - 1):
                    continue
                window = text[spans[start][0] : spans[start + size - 1][1]]
                query = normalised.get(window)
                if query is None:
                    query = normalised[window] = normalise_name(window)
                c = compare_normalised(query, name, weight=self._weight, known=self._known)
                if c.same and (best is None or c.score > best[1].score):
                    best = (window, c)
            if best is not None:
                return best
        return best

    @staticmethod
    def _stands_alone(
        text: str, spans: list[tuple[int, int]], at: list[set[str]], first: int, last: int
    ) -> bool:
        """The run is a whole name: no name-like word joins it (Гранд Камолот Мехнат Кадры is
        not Мехнат Кадры). A neighbour joins it when only spaces or a hyphen stand between, and
        it is a registered word or a capitalised word other than a legal form or ad wording."""
        for i, gap in ((first - 1, (first - 1, first)), (last + 1, (last, last + 1))):
            if not 0 <= i < len(spans) or text[spans[gap[0]][1] : spans[gap[1]][0]].strip(" -"):
                continue
            word = text[slice(*spans[i])]
            if word.casefold() in _AD_WORDS:
                continue
            if at[i] or (word[:1].isupper() and normalise_name(word).tokens):
                return False
        return True

    def _vocab_of(self, word: str) -> tuple[str, ...]:
        """Registered tokens that a word of free text is (exactly or as a typo), cached."""
        cached = self._scan_cache.get(word)
        if cached is not None:
            return cached
        token = _word_key(word)
        raw = fold(word)
        found: list[str] = []
        if token in self._postings:
            found.append(token)
        if len(token) >= 4 and not token[:1].isdigit():
            near: set[str] = set()
            for d in _deletes(token) | _deletes(raw):
                near.update(self._neighbours.get(d, ()))
            near.discard(token)
            found.extend(
                v
                for v in sorted(near)
                if word_match(token, v, known=self._known) or word_match(raw, v, known=_never_known)
            )
        result = tuple(found)
        if len(self._scan_cache) >= _SCAN_CACHE:
            self._scan_cache.clear()
        self._scan_cache[word] = result
        return result

    # ---- decisions ---------------------------------------------------------------------------
    def lookup(self, text: str, regions: Sequence[str] = DEFAULT_REGIONS) -> LookupDecision:
        """Decide what a typed query (name, phone, licence number or a pasted ad) refers to."""
        text = text.strip()
        key = normalise_licence_number(text)
        keys = [key] if key else extract_licence_numbers(text)
        groups = extract_phone_groups(text, regions)
        if not groups and not keys:
            groups = [g] if (g := normalise_phone(text, regions)) else []
        names: list[str] = []
        if not key:
            rest = _CONTACT_WORDS.sub(" ", re.sub(r"\S*\d\S*", " ", text))
            rest = re.sub(r"\s+", " ", rest).strip(" ,.;:-+()")
            if "\n" in text.strip() or len(rest.split()) > 10:
                names = extract_recruiter_names(text)
                if not names:
                    # a pasted ad naming the recruiter without a legal form or quotes
                    names = [window for _, window, _ in self._scan_names(text)]
            elif re.search(r"[^\W\d_]{2,}", rest):
                names = [rest]
        return self._decide(names, groups, keys)

    def resolve(self, name: str | None, phones: Sequence[str]) -> LookupDecision:
        """Decide for an already parsed name and E.164 phones (complaints, ads)."""
        names = [name] if name and name.strip() else []
        return self._decide(names, [[p] for p in phones], [])

    def _decide(self, names: list[str], groups: list[list[str]], keys: list[str]) -> LookupDecision:
        phones = [p for group in groups for p in group]
        base = {
            "query_names": tuple(names),
            "query_phones": tuple(phones),
            "query_licence_keys": tuple(keys),
        }
        name_results: dict[str, NameComparison] = {}
        for name in names:
            for rid, c in self.search_name(name):
                old = name_results.get(rid)
                if old is None or (c.same, c.score) > (old.same, old.score):
                    name_results[rid] = c
        same_ids = sorted(
            (rid for rid, c in name_results.items() if c.same),
            key=lambda r: -name_results[r].score,
        )
        reasons: list[str] = []

        chosen: str | None = None
        matched_on: list[str] = []
        for key in keys:
            hits = sorted(self._licences.get(key, ()))
            if not hits:
                reasons.append(f"licence number {key} is not registered")
            elif chosen is None:
                chosen = hits[0]
                matched_on.append("license_number")
                reasons.append(f"licence number {key} is registered")
        if chosen is not None and same_ids and chosen not in same_ids:
            reasons.append(
                f"the name given is another registered intermediary ({same_ids[0]}): "
                "the licence number decides, but check both"
            )
        phone_hits = [rid for p in phones for rid in sorted(self._phones.get(p, ()))]
        if chosen is None and phone_hits:
            agreeing = [rid for rid in phone_hits if rid in same_ids]
            chosen = agreeing[0] if agreeing else phone_hits[0]
            reasons.append("phone is registered to this licence")
            if same_ids and chosen not in same_ids:
                reasons.append(
                    f"the name given is another registered intermediary ({same_ids[0]}): "
                    "the phone decides, but check both"
                )
        if chosen is None and same_ids:
            chosen = same_ids[0]
            if len(same_ids) > 1:
                reasons.append("several registered names are the same: best one chosen")
        if chosen is None:
            candidates = self._candidates(name_results, exclude=None)
            if candidates:
                return LookupDecision(
                    "similar",
                    None,
                    candidates,
                    reasons=(*reasons, "similar registered names, none confidently the same"),
                    **base,
                )
            return LookupDecision(
                "none", None, (), reasons=(*reasons, "nothing registered matches"), **base
            )

        record = self._records[chosen]
        if any(p in record.phones for p in phones):
            matched_on.append("phone")
        comparison = name_results.get(chosen)
        if comparison is not None and comparison.same:
            matched_on.append("name")
            reasons.extend(comparison.reasons)
        elif names:
            reasons.append("the name given is not this licence holder's name")
        order = ("name", "phone", "license_number")
        matched = tuple(sorted(set(matched_on), key=order.index))
        score = 1.0 if "phone" in matched or "license_number" in matched else 0.0
        if comparison is not None and comparison.same:
            score = max(score, comparison.score)
        foreign = tuple(p for group in groups if not set(group) & set(record.phones) for p in group)
        if foreign:
            reasons.append("phones not registered to this licence: " + " ".join(foreign))
        match = Candidate(chosen, round(score, 4), matched, tuple(reasons))
        return LookupDecision(
            "match",
            match,
            self._candidates(name_results, exclude=chosen),
            foreign_phones=foreign,
            reasons=tuple(reasons),
            **base,
        )

    @staticmethod
    def _candidates(
        results: dict[str, NameComparison], exclude: str | None
    ) -> tuple[Candidate, ...]:
        ranked = sorted(
            ((rid, c) for rid, c in results.items() if rid != exclude),
            key=lambda item: (-item[1].score, item[0]),
        )
        return tuple(
            Candidate(rid, c.score, ("name",), c.reasons) for rid, c in ranked[:MAX_CANDIDATES]
        )


@lru_cache(maxsize=100_000)
def _word_key(word: str) -> str:
    """The registered token a word of free text reads as when written exactly."""
    return canonical_word(skeleton(fold(word)))


def _most_shared(sets: list[set[str]], n: int = _SIMILAR_POOL) -> list[str]:
    """The ``n`` records in most of ``sets`` (of records sharing a query word), ties in record
    order (the same on every run).

    Grouped by set operations rather than counted record by record: the sets hold thousands."""
    at_least: list[set[str]] = []  # [c]: records in more than c of the sets seen so far
    for recs in sets:
        at_least.append(set())
        for c in range(len(at_least) - 1, 0, -1):
            at_least[c] |= at_least[c - 1] & recs
        at_least[0] |= recs
    chosen: list[str] = []
    more: set[str] = set()
    for level in reversed(at_least):
        need = n - len(chosen)
        if need <= 0:
            break
        group = level - more
        chosen.extend(heapq.nsmallest(need, group) if len(group) > need else sorted(group))
        more = level
    return chosen


def _anchor_of(name: NormalisedName) -> str | None:
    """The key a name is found by in free text: its two most distinctive words, or its word."""
    if not name.tokens:
        return None
    ranked = sorted(set(name.tokens), key=lambda t: (t in GENERIC_WORDS, -len(t), t))
    if len(ranked) == 1:
        return ranked[0]
    return _pair_key(ranked[0], ranked[1])


def _pair_key(a: str, b: str) -> str:
    return f"{a} {b}" if a < b else f"{b} {a}"


def _discard(table: dict[str, set[str]], key: str, value: str) -> None:
    bucket = table.get(key)
    if bucket is not None:
        bucket.discard(value)
        if not bucket:
            del table[key]
