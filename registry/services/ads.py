"""Job ads as evidence: each feed item stored once, its recruiter recognised, its flag updated.

Ads go through the same services as complaints (``profiles.attribute`` and
``flags.record_evidence``), so a flag raised by a scan is the flag a complaint raises. Feeds are
large (a board can carry 100,000 ads), so items are handled in chunks, one write transaction per
chunk, with bulk existence checks and bulk inserts; the CPU-bound extraction runs before the
transaction opens so the write lock is held only for writing. A sighting identical to one already
attributed during the scan (same name, same phone readings) reuses that attribution instead of
asking again: ``attribute`` would give the same answer, and that keeps a board full of one
recruiter's ads from costing a dozen queries per ad.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from piccolo.columns.combination import WhereRaw

from matching import DEFAULT_REGIONS, extract_recruiter_names, normalise_name, normalise_phone
from matching.phones import extract_phone_groups
from registry.database import bulk_insert, write_transaction
from registry.services import flags, profiles
from registry.services.lookup import registry_lookup
from registry.tables import Ad, Flag, Mention, RecruiterProfile

__all__ = (
    "CHUNK_SIZE",
    "AdBatchResult",
    "Extraction",
    "IncomingAd",
    "ScanMemo",
    "content_hash",
    "extract",
    "item_key",
    "list_ads",
    "store_items",
)

CHUNK_SIZE = 500
"""Ads per write transaction: enough to amortise queries, few enough to keep the lock short."""
EVIDENCE_BATCH = 5000
"""Recruiters whose flags wait for an update: one ``record_evidence`` per recruiter per batch
instead of per ad, and always before the scan returns, so flags are current when it does."""
_IN_LIMIT = 400
"""Values per ``IN (...)``: well under SQLite's parameter limit."""


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")


def normalised_text(title: str, text: str) -> str:
    """Case, punctuation and spacing folded: a repost changes none of what this keeps."""
    body = f"{title}\n{text}".casefold().replace("ё", "е")
    return _SPACES.sub(" ", _PUNCT.sub(" ", body)).strip()


def content_hash(title: str, text: str) -> str:
    return _hash(normalised_text(title, text))


def item_key(feed_id: int | None, external_id: str, url: str, digest: str) -> str:
    """One key per feed item: the board's id, else its URL, else its content."""
    identity = external_id.strip() or url.strip() or f"content:{digest}"
    return _hash(f"{feed_id or 0}\x00{identity}")


# ---------------------------------------------------------------------------------------------
# Extraction (no I/O)

_REGION_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # the ad's language hints at where the recruiter (and their phone) is from
    ("UZ", re.compile(r"(?i)\b(?:ishga|murojaat|taklif|kerak|maosh|ish\s+bor|o['ʻ’]zbek)|[ўҳ]")),
    ("TJ", re.compile(r"(?i)[ҷӣӯ]|\b(?:кор\s+ҳаст|тоҷик|душанбе|хуҷанд)")),
    ("KG", re.compile(r"(?i)\b(?:жумуш|керек|кыргыз|бишкек)|[ңөү]")),
    ("KZ", re.compile(r"(?i)[әғқұһі]|\b(?:жұмыс|қазақ|алматы|астана)")),
)


def phone_regions(text: str) -> tuple[str, ...]:
    """Regions to read a phone without a country code against, the ad's own first."""
    hinted = [region for region, pattern in _REGION_HINTS if pattern.search(text)]
    return tuple(dict.fromkeys([*hinted, *DEFAULT_REGIONS]))


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one ad says about its recruiter, and the risky wording in it."""

    phone_readings: tuple[tuple[str, ...], ...]
    """Per written phone, its plausible E.164 readings, most likely first."""
    names: tuple[str, ...]
    """Recruiter names: structured fields first, then legal-form patterns, then registered names."""
    risk_indicators: tuple[str, ...]
    risk_phrases: tuple[dict[str, str], ...]

    @property
    def phones(self) -> list[str]:
        return [readings[0] for readings in self.phone_readings if readings]

    @property
    def name(self) -> str:
        return self.names[0] if self.names else ""


@dataclass
class ScanMemo:
    """Caches that live for one scan: repeated phones, repeated sightings, registered names."""

    phones: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = field(default_factory=dict)
    sightings: dict[tuple[str, tuple[tuple[str, ...], ...]], profiles.Attribution] = field(
        default_factory=dict
    )
    registered_names: dict[str, str] | None = None
    registered_revision: int = -1
    evidence: dict[int, tuple[list[str], list[int]]] = field(default_factory=dict)
    """Per recruiter, the risk indicators and ids of new ads whose flag is not updated yet."""


def _ad_text(title: str, text: str) -> str:
    """The text read for evidence: boards often repeat the title as the first sentence."""
    title, text = title.strip(), text.strip()
    if not title or title in text:
        return text
    return f"{title}. {text}" if text else title


_CAPITALISED_RUN = re.compile(
    r"(?:[«\"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲҶӢӮ][\w'ʻʼ’\-]*[»\"”]?)"
    r"(?:\s+[«\"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲҶӢӮ][\w'ʻʼ’\-]*[»\"”]?){1,3}"
)


_NAME_WORD = r"[«\"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲҶӢӮ][\w'ʻʼ’\-]*[»\"”]?"
_CONTACT_NAME = re.compile(
    r"(?i:обращаться|обращайтесь|звонить|звоните|спросить|контакт\w*|contact|murojaat\s+uchun"
    r"|мурожаат\s+учун|менеджер|manager|кайрылуу|хабарлашыңыз|тамос)\s*[:\-–]?\s*"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})"
)
_TRAILING_NAME = re.compile(rf"(?:^|[.!?]\s+)({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s*\.?\s*$")
_NOT_NAME = re.compile(r"(?i)^(?:whats\s*app|telegram|viber|тел\w*|tel\w*|phone|call|звон\w*)$")


def _contact_names(text: str) -> list[str]:
    """Names of two to four words after "Обращаться:", "Звонить", "Murojaat uchun:" and the like,
    or standing alone as an ad's last sentence: how unregistered recruiters sign their ads."""
    names = []
    for match in (*_CONTACT_NAME.finditer(text), *_TRAILING_NAME.finditer(text)):
        words = []
        for word in match.group(1).split():
            if _NOT_NAME.match(word.strip('«»"“”.,:')):
                break
            words.append(word)
        if len(words) >= 2:
            names.append(" ".join(words).strip(".,:;"))
    return names


def _registered_names_in(text: str, registered: dict[str, str]) -> list[str]:
    """Runs of two to four capitalised words whose name key is a registered name's key."""
    found: list[str] = []
    for match in _CAPITALISED_RUN.finditer(text):
        words = match.group().split()
        for size in range(len(words), 1, -1):
            hit = False
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size]).strip('«»"“”')
                key = normalise_name(phrase).key
                if key and key in registered:
                    found.append(phrase)
                    hit = True
                    break
            if hit:
                break
    return found


_PHONE_RUN = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s\-.()]{0,2}\d){8,15}(?!\w)")
_LICENCE_BEFORE = re.compile(r"[A-Za-zА-Яа-яЁё]{1,4}[\s\-/._]*$")
_YEAR = re.compile(r"\(?(?:19|20)\d\d\b")


def _missed_phones(text: str) -> list[str]:
    """Phones of nine or more digits ``extract_phone_groups`` takes for a licence number because
    a short word precedes them ("тел. 0772 254 347", "Плюс 0500 250 563"); a licence number's
    first group is a year, a phone's is not. (Remove once matching's licence rule says so.)"""
    found = []
    for match in _PHONE_RUN.finditer(text):
        run = match.group()
        if _LICENCE_BEFORE.search(text, max(0, match.start() - 8), match.start()) and _YEAR.match(
            run
        ):
            continue
        found.append(run)
    return found


def extract(
    title: str,
    text: str,
    *,
    organisation_names: Sequence[str] = (),
    contact_names: Sequence[str] = (),
    phones_raw: Sequence[str] = (),
    memo: ScanMemo | None = None,
) -> Extraction:
    """Phones, recruiter names and risky wording of one ad."""
    from matching.risk_wording import find_risk_wording

    memo = memo or ScanMemo()
    body = _ad_text(title, text)
    regions = phone_regions(body)
    readings: list[tuple[str, ...]] = []
    seen: set[str] = set()

    def add(group: Iterable[str]) -> None:
        fresh = tuple(p for p in group if p not in seen)
        if fresh:
            seen.update(fresh)
            readings.append(fresh)

    for raw in phones_raw:
        key = (raw, regions)
        if key not in memo.phones:
            memo.phones[key] = tuple(normalise_phone(raw, regions))
        add(memo.phones[key])
    for group in extract_phone_groups(body, regions):
        add(group)
    for raw in _missed_phones(body):
        key = (raw, regions)
        if key not in memo.phones:
            memo.phones[key] = tuple(normalise_phone(raw, regions))
        if not seen.intersection(memo.phones[key]):
            add(memo.phones[key])
    names = [*organisation_names, *contact_names, *extract_recruiter_names(body)]
    names.extend(_contact_names(body))
    if memo.registered_names:
        names.extend(_registered_names_in(body, memo.registered_names))
    risk = find_risk_wording(body)
    return Extraction(
        phone_readings=tuple(readings),
        names=tuple(dict.fromkeys(n.strip() for n in names if n and n.strip())),
        risk_indicators=tuple(dict.fromkeys(hit.indicator for hit in risk)),
        risk_phrases=tuple({"indicator": hit.indicator, "phrase": hit.phrase} for hit in risk),
    )


_registered_cache: list[Any] = [None, -1, None]
"""The process's last registered-name keys, with the index and revision they were built from:
every scan reuses them until the register changes, instead of normalising every name again."""


async def _refresh_registered_names(memo: ScanMemo) -> None:
    """Keys of every registered name with two or more words, rebuilt when the register changes."""
    await registry_lookup.refresh()
    if memo.registered_names is not None and memo.registered_revision == registry_lookup.revision:
        return
    cached_index, cached_revision, cached = _registered_cache
    fresh_cache = (
        cached_index is registry_lookup.index and cached_revision == registry_lookup.revision
    )
    if cached is not None and fresh_cache:
        memo.registered_names, memo.registered_revision = cached, cached_revision
        return
    names: dict[str, str] = {}
    for licence in registry_lookup.licences.values():
        for name in (licence["name"], *licence["aliases"]):
            normalised = normalise_name(name)
            if len(normalised.tokens) >= 2 and normalised.key:
                names.setdefault(normalised.key, licence["licence_number"])
    memo.registered_names = names
    memo.registered_revision = registry_lookup.revision
    _registered_cache[:] = [registry_lookup.index, registry_lookup.revision, names]


# ---------------------------------------------------------------------------------------------
# Storing


class IncomingAd(Protocol):
    """One feed item as the scan hands it over (``jobs.feed_formats.FeedItem`` has this shape)."""

    external_id: str
    url: str
    title: str
    text: str
    published_at: dt.datetime | None
    organisation_names: tuple[str, ...]
    phones_raw: tuple[str, ...]
    contact_names: tuple[str, ...]


@dataclass
class AdBatchResult:
    fetched: int = 0
    new_ads: int = 0
    seen_before: int = 0
    reposts: int = 0
    attributed: int = 0
    flags_opened: int = 0
    flags_updated: int = 0
    flagged_ads: int = 0

    def add(self, other: AdBatchResult) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _chunks(values: Sequence[Any], size: int = _IN_LIMIT) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


async def _existing_keys(keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in _chunks(keys):
        rows = await Ad.select(Ad.item_key).where(Ad.item_key.is_in(list(part)))
        found.update(r["item_key"] for r in rows)
    return found


async def _originals(hashes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The first stored ad with each text: what a repost points at."""
    found: dict[str, dict[str, Any]] = {}
    for part in _chunks(hashes):
        rows = (
            await Ad.select(Ad.id, Ad.content_hash, Ad.flagged)
            .where(Ad.content_hash.is_in(list(part)) & Ad.repost_of.is_null())
            .order_by(Ad.id)
        )
        for row in rows:
            found.setdefault(row["content_hash"], row)
    return found


def _extract_new(fresh: list[_Pending], originals: dict[str, Any], memo: ScanMemo) -> None:
    """Extract every new text once; a text seen before (here or stored) is a repost."""
    first_in_chunk: set[str] = set()
    for p in fresh:
        if p.digest not in originals and p.digest not in first_in_chunk:
            first_in_chunk.add(p.digest)
            p.extraction = extract(
                p.item.title,
                p.item.text,
                organisation_names=p.item.organisation_names,
                contact_names=p.item.contact_names,
                phones_raw=p.item.phones_raw,
                memo=memo,
            )


@dataclass
class _Pending:
    item: IncomingAd
    key: str
    digest: str
    extraction: Extraction | None = None
    repost_of: int | None = None
    ad_id: int | None = None


async def store_items(
    feed_id: int | None,
    items: Sequence[IncomingAd],
    *,
    memo: ScanMemo | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Any = None,
) -> AdBatchResult:
    """Store a feed's items: new ones become ads and evidence, known ones are only seen again.

    ``on_chunk`` (an async callable) runs after each committed chunk: the scan renews its lease.
    """
    memo = memo or ScanMemo()
    await _refresh_registered_names(memo)
    total = AdBatchResult(fetched=len(items))
    for start in range(0, len(items), chunk_size):
        part = items[start : start + chunk_size]
        total.add(await _store_chunk(feed_id, part, memo))
        if len(memo.evidence) >= EVIDENCE_BATCH:
            await flush_evidence(memo, total)
        if on_chunk is not None:
            await on_chunk()
    await flush_evidence(memo, total)
    return total


async def _store_chunk(
    feed_id: int | None, items: Sequence[IncomingAd], memo: ScanMemo
) -> AdBatchResult:
    result = AdBatchResult()
    pending: dict[str, _Pending] = {}
    for item in items:
        digest = content_hash(item.title, item.text)
        key = item_key(feed_id, item.external_id, item.url, digest)
        pending.setdefault(key, _Pending(item, key, digest))
    known = await _existing_keys(list(pending))
    fresh = [p for k, p in pending.items() if k not in known]
    originals = await _originals(list(dict.fromkeys(p.digest for p in fresh)))
    # extraction is CPU work: a thread keeps the event loop (API, scheduler) answering meanwhile
    await asyncio.to_thread(_extract_new, fresh, originals, memo)
    now = dt.datetime.now(dt.UTC)
    async with write_transaction(lock=profiles.PROFILE_LOCK):
        if fresh:
            # another process may have stored some since the read above
            known |= await _existing_keys([p.key for p in fresh])
            fresh = [p for p in fresh if p.key not in known]
        if known:
            for part in _chunks(list(known)):
                await Ad.update({Ad.last_seen_at: now}).where(Ad.item_key.is_in(list(part)))
        result.seen_before = len(known)
        if fresh:
            await _insert_ads(feed_id, fresh, originals, now)
            result.new_ads = sum(1 for p in fresh if p.repost_of is None)
            result.reposts = len(fresh) - result.new_ads
            await _attribute_and_flag(fresh, memo, now, result)
    return result


async def _insert_ads(
    feed_id: int | None,
    fresh: list[_Pending],
    originals: dict[str, dict[str, Any]],
    now: dt.datetime,
) -> None:
    rows = []
    for p in fresh:
        extraction = p.extraction or Extraction((), (), (), ())
        item = p.item
        rows.append(
            {
                "feed": feed_id,
                "item_key": p.key,
                "content_hash": p.digest,
                "repost_of": None,
                "external_id": item.external_id[:500],
                "url": item.url[:2000],
                "title": item.title[:500],
                "text": item.text,
                "published_at": item.published_at,
                "first_seen_at": now,
                "last_seen_at": now,
                "phones": extraction.phones,
                "names": list(extraction.names),
                "risk_indicators": list(extraction.risk_indicators),
                "risk_phrases": list(extraction.risk_phrases),
                "profile": None,
                "licence_number": None,
                "flagged": False,
            }
        )
    await bulk_insert(Ad, rows)
    ids: dict[str, int] = {}
    for part in _chunks([p.key for p in fresh]):
        for row in await Ad.select(Ad.id, Ad.item_key).where(Ad.item_key.is_in(list(part))):
            ids[row["item_key"]] = row["id"]
    by_digest: dict[str, int] = {d: o["id"] for d, o in originals.items()}
    flagged_originals = {o["id"] for o in originals.values() if o["flagged"]}
    reposts: dict[int, list[int]] = defaultdict(list)
    for p in fresh:
        p.ad_id = ids[p.key]
        if p.extraction is None:
            p.repost_of = by_digest.get(p.digest)
            if p.repost_of is None:  # an earlier item of this chunk had the text
                p.repost_of = next(
                    q.ad_id for q in fresh if q.digest == p.digest and q.extraction is not None
                )
            reposts[p.repost_of].append(p.ad_id)
    for original, copies in reposts.items():
        await Ad.update({Ad.repost_of: original, Ad.flagged: original in flagged_originals}).where(
            Ad.id.is_in(copies)
        )


def _groupable(extraction: Extraction) -> bool:
    """Sightings that ``attribute`` answers the same way every time, so a memo may answer."""
    if extraction.phone_readings:
        return True
    return len(normalise_name(extraction.name).tokens) >= 2


async def _attribute_and_flag(
    fresh: list[_Pending], memo: ScanMemo, now: dt.datetime, result: AdBatchResult
) -> None:
    """Resolve each new ad's recruiter, then update each recruiter's flag once for the chunk."""
    assignments: dict[int, profiles.Attribution] = {}
    memo_mentions: list[tuple[int, profiles.Attribution, str]] = []
    for p in fresh:
        extraction = p.extraction
        if extraction is None or not (extraction.phone_readings or extraction.names):
            continue
        signature = (extraction.name, extraction.phone_readings)
        attribution = memo.sightings.get(signature)
        if attribution is None:
            attribution = await profiles.attribute(
                profiles.Sighting(
                    source="ad",
                    name=extraction.name,
                    phone_readings=extraction.phone_readings,
                    ad_id=p.ad_id,
                )
            )
            if _groupable(extraction):
                memo.sightings[signature] = attribution
        else:
            memo_mentions.append((p.ad_id or 0, attribution, extraction.name[:300]))
        assignments[p.ad_id or 0] = attribution
    if not assignments:
        return
    live = await _live_profiles({a.profile_id for a in assignments.values()})
    if any(live[pid] != pid for pid in live):
        for signature, attribution in list(memo.sightings.items()):
            if live.get(attribution.profile_id, attribution.profile_id) != attribution.profile_id:
                del memo.sightings[signature]  # merged away: ask again next time
    await bulk_insert(
        Mention,
        [
            {
                "profile": live[a.profile_id],
                "source": "ad",
                "complaint": None,
                "ad": ad_id,
                "name": name,
                "phone": phone,
                "claimed_licence": a.claimed_licence,
                "seen_at": now,
            }
            for ad_id, a, name in memo_mentions
            for phone in (a.phones or ("",))
        ],
    )
    groups: dict[tuple[int, str | None], list[int]] = defaultdict(list)
    for ad_id, a in assignments.items():
        groups[(live[a.profile_id], a.licence_number)].append(ad_id)
    for (profile_id, licence_number), ad_ids in groups.items():
        for part in _chunks(ad_ids):
            await Ad.update({Ad.profile: profile_id, Ad.licence_number: licence_number}).where(
                Ad.id.is_in(list(part))
            )
    result.attributed = len(assignments)
    by_id = {p.ad_id: p for p in fresh}
    for ad_id, attribution in assignments.items():
        extraction = by_id[ad_id].extraction
        codes, ad_ids = memo.evidence.setdefault(live[attribution.profile_id], ([], []))
        codes.extend(extraction.risk_indicators if extraction else ())
        ad_ids.append(ad_id)


async def _live_profiles(profile_ids: set[int]) -> dict[int, int]:
    live = {pid: pid for pid in profile_ids}
    for part in _chunks(sorted(profile_ids)):
        rows = await RecruiterProfile.select(RecruiterProfile.id).where(
            RecruiterProfile.id.is_in(list(part)) & RecruiterProfile.merged_into.is_not_null()
        )
        for row in rows:
            live[row["id"]] = await profiles.live_profile_id(row["id"])
    return live


async def flush_evidence(memo: ScanMemo, result: AdBatchResult) -> None:
    """Update the flag of every recruiter with new ads, a few hundred per transaction."""
    pending, memo.evidence = memo.evidence, {}
    live = await _live_profiles(set(pending))
    merged: dict[int, tuple[list[str], list[int]]] = {}
    for profile_id, (codes, ad_ids) in pending.items():
        target = merged.setdefault(live[profile_id], ([], []))
        target[0].extend(codes)
        target[1].extend(ad_ids)
    ordered = sorted(merged)
    for start in range(0, len(ordered), CHUNK_SIZE):
        async with write_transaction(lock=profiles.PROFILE_LOCK):
            await _record_evidence(
                {p: merged[p] for p in ordered[start : start + CHUNK_SIZE]}, result
            )


async def _record_evidence(
    evidence: dict[int, tuple[list[str], list[int]]], result: AdBatchResult
) -> None:
    """One ``record_evidence`` per recruiter, with the risk indicators of all its new ads."""
    indicators = {pid: codes for pid, (codes, _) in evidence.items()}
    ads_of = {pid: ad_ids for pid, (_, ad_ids) in evidence.items()}
    profile_ids = sorted(ads_of)
    had_flag: set[int] = set()
    for part in _chunks(profile_ids):
        rows = await Flag.select(Flag.profile).where(Flag.profile.is_in(list(part)))
        had_flag.update(r["profile"] for r in rows)
    flagged_profiles: set[int] = set()
    for profile_id in profile_ids:
        flag_id = await flags.record_evidence(
            profile_id,
            kind="ad",
            indicators=indicators[profile_id],
            detail={"ads": ads_of[profile_id][:20]},
        )
        if flag_id is None:
            continue
        if profile_id in had_flag:
            result.flags_updated += 1
        else:
            result.flags_opened += 1
        flagged_profiles.add(profile_id)
    if not flagged_profiles:
        return
    with_reasons: set[int] = set()
    for part in _chunks(sorted(flagged_profiles)):
        rows = await Flag.select(Flag.profile).where(
            Flag.profile.is_in(list(part)) & (Flag.reason_codes != "")
        )
        with_reasons.update(r["profile"] for r in rows)
    flagged_ads = [ad_id for pid in with_reasons for ad_id in ads_of[pid]]
    for part in _chunks(flagged_ads):
        await Ad.update({Ad.flagged: True}).where(Ad.id.is_in(list(part)))
    result.flagged_ads += len(flagged_ads)


# ---------------------------------------------------------------------------------------------
# Reading

_FLAGGED = (
    "(COALESCE(profile, 0) IN (SELECT profile FROM flag WHERE reason_codes <> '')"
    " OR COALESCE(repost_of, 0) IN (SELECT a.id FROM ad a WHERE a.profile IN"
    " (SELECT profile FROM flag WHERE reason_codes <> '')))"
)
"""Live: an ad is flagged while its recruiter (or its original's) has a flag with reasons."""


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def list_ads(
    *,
    flagged: bool | None = None,
    feed_id: int | None = None,
    profile_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Ads newest first, each once however often it was scanned."""
    query = Ad.select().order_by(Ad.id, ascending=False)
    count = Ad.count()
    conditions: list[Any] = []
    if flagged is not None:
        conditions.append(WhereRaw(_FLAGGED if flagged else f"NOT {_FLAGGED}"))
    if feed_id is not None:
        conditions.append(Ad.feed == feed_id)
    if profile_id is not None:
        conditions.append(Ad.profile == profile_id)
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.limit(limit).offset(offset)
    flagged_ids = await _flagged_among(rows)
    return {"items": [_public(r, r["id"] in flagged_ids) for r in rows], "total": await count}


async def _flagged_among(rows: list[dict[str, Any]]) -> set[int]:
    profile_of = {r["id"]: r["profile"] for r in rows}
    originals = [r["repost_of"] for r in rows if r["repost_of"] and not r["profile"]]
    if originals:
        for row in await Ad.select(Ad.id, Ad.profile).where(Ad.id.is_in(originals)):
            for r in rows:
                if r["repost_of"] == row["id"] and not r["profile"]:
                    profile_of[r["id"]] = row["profile"]
    wanted = sorted({p for p in profile_of.values() if p})
    if not wanted:
        return set()
    flagged = {
        r["profile"]
        for r in await Flag.select(Flag.profile).where(
            Flag.profile.is_in(wanted) & (Flag.reason_codes != "")
        )
    }
    return {ad_id for ad_id, pid in profile_of.items() if pid in flagged}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _public(row: dict[str, Any], flagged: bool) -> dict[str, Any]:
    return {
        "id": row["id"],
        "feed_id": row["feed"],
        "external_id": row["external_id"],
        "url": row["url"],
        "title": row["title"],
        "text": row["text"],
        "published_at": _iso(row["published_at"]),
        "first_seen_at": _iso(row["first_seen_at"]),
        "last_seen_at": _iso(row["last_seen_at"]),
        "phones": _loads(row["phones"]) or [],
        "names": _loads(row["names"]) or [],
        "risk_indicators": _loads(row["risk_indicators"]) or [],
        "risk_phrases": _loads(row["risk_phrases"]) or [],
        "profile_id": row["profile"],
        "license_number": row["licence_number"],
        "repost_of": row["repost_of"],
        "flagged": flagged,
    }
