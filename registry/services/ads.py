"""Job ads as evidence: each feed item stored once, its recruiter recognised, its flag updated.

Ads go through the same services as complaints (``attribution.attribute_many`` and
``flags.record_evidence``), so a flag raised by a scan is the flag a complaint raises. Feeds are
large (a board can carry 100,000 ads), so items are handled in chunks, one write transaction per
chunk: bulk existence checks, bulk inserts, one attribution pass for the chunk's recruiters, and
flags updated once per recruiter per batch of chunks. The CPU-bound extraction runs before the
transaction opens so the write lock is held only for writing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from piccolo.columns.combination import WhereRaw

from matching.ad_extraction import AdExtraction, AdFields
from registry.database import bulk_insert, bulk_update, write_transaction
from registry.services import flags, profiles
from registry.services.attribution import Sighting, attribute_many
from registry.services.extraction_pool import Extractor
from registry.services.lookup import registry_lookup
from registry.settings import get_settings
from registry.tables import Ad, Flag, RecruiterProfile

__all__ = (
    "CHUNK_SIZE",
    "AdBatchResult",
    "IncomingAd",
    "ScanMemo",
    "content_hash",
    "item_key",
    "list_ads",
    "store_items",
)

CHUNK_SIZE = 2000
"""Ads per write transaction: enough to amortise queries, few enough to keep the lock short."""
EVIDENCE_BATCH = 5000
"""Recruiters whose flags wait for an update: one ``record_evidence`` per recruiter per batch
instead of per ad, and always before the scan returns, so flags are current when it does."""
_IN_LIMIT = 900
"""Values per ``IN (...)``: under the 999 parameters of SQLite before 3.32."""


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


@dataclass
class ScanMemo:
    """What lives for one scan: the registered names to look for, evidence not yet recorded."""

    registered: frozenset[str] | None = None
    registered_revision: int = -1
    evidence: dict[int, tuple[list[str], list[int]]] = field(default_factory=dict)
    """Per recruiter, the risk indicators and ids of new ads whose flag is not updated yet."""


_registered_cache: list[Any] = [None, -1, None]
"""The process's last registered-name keys, with the index and revision they were built from:
every scan reuses them until the register changes, instead of normalising every name again."""


async def _refresh_registered_names(memo: ScanMemo) -> None:
    """Keys of every registered name with two or more words, rebuilt when the register changes."""
    await registry_lookup.refresh()
    if memo.registered is not None and memo.registered_revision == registry_lookup.revision:
        return
    cached_index, cached_revision, cached = _registered_cache
    if not (
        cached is not None
        and cached_index is registry_lookup.index
        and cached_revision == registry_lookup.revision
    ):
        cached = registry_lookup.index.name_keys()
        _registered_cache[:] = [registry_lookup.index, registry_lookup.revision, cached]
    memo.registered, memo.registered_revision = cached, registry_lookup.revision


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


@dataclass
class _Pending:
    item: IncomingAd
    key: str
    digest: str
    extraction: AdExtraction | None = None
    repost_of: int | None = None
    ad_id: int | None = None


@dataclass
class _ReadChunk:
    """A chunk read before its write: which items are new, which texts are known, and the
    extraction of each new text, under way."""

    fresh: list[_Pending]
    known: set[str]
    originals: dict[str, dict[str, Any]]
    extracting: list[_Pending]
    extractions: Awaitable[list[AdExtraction]] | None


def _fields(item: IncomingAd) -> AdFields:
    return AdFields(
        title=item.title,
        text=item.text,
        organisation_names=tuple(item.organisation_names),
        contact_names=tuple(item.contact_names),
        phones_raw=tuple(item.phones_raw),
    )


async def _read_chunk(
    feed_id: int | None, items: Sequence[IncomingAd], extractor: Extractor
) -> _ReadChunk:
    pending: dict[str, _Pending] = {}
    for item in items:
        digest = content_hash(item.title, item.text)
        key = item_key(feed_id, item.external_id, item.url, digest)
        pending.setdefault(key, _Pending(item, key, digest))
    known = await _existing_keys(list(pending))
    fresh = [p for k, p in pending.items() if k not in known]
    originals = await _originals(list(dict.fromkeys(p.digest for p in fresh)))
    # every new text once; a text seen before (here or stored) is a repost
    first: dict[str, _Pending] = {}
    for p in fresh:
        if p.digest not in originals:
            first.setdefault(p.digest, p)
    extracting = list(first.values())
    extractions = extractor.submit([_fields(p.item) for p in extracting]) if extracting else None
    return _ReadChunk(fresh, known, originals, extracting, extractions)


async def store_items(
    feed_id: int | None,
    items: Sequence[IncomingAd],
    *,
    memo: ScanMemo | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Any = None,
) -> AdBatchResult:
    """Store a feed's items: new ones become ads and evidence, known ones are only seen again.

    Chunk after chunk, one write transaction each; the next chunk is read and its ads extracted
    (in a worker process for a big feed) while the current one is written. ``on_chunk`` (an async
    callable) runs after each committed chunk: the scan renews its lease.
    """
    memo = memo or ScanMemo()
    await _refresh_registered_names(memo)
    total = AdBatchResult(fetched=len(items))
    chunks = [items[start : start + chunk_size] for start in range(0, len(items), chunk_size)]
    if not chunks:
        return total
    async with Extractor(
        memo.registered or frozenset(), get_settings().scan_processes
    ) as extractor:
        upcoming = await _read_chunk(feed_id, chunks[0], extractor)
        for index in range(len(chunks)):
            current = upcoming
            # created outside the write transaction, so its reads do not join it
            reading = (
                asyncio.ensure_future(_read_chunk(feed_id, chunks[index + 1], extractor))
                if index + 1 < len(chunks)
                else None
            )
            try:
                total.add(await _write_chunk(feed_id, current, memo))
                if len(memo.evidence) >= EVIDENCE_BATCH:
                    await flush_evidence(memo, total)
                if on_chunk is not None:
                    await on_chunk()
            except BaseException:
                if reading is not None:
                    reading.cancel()
                raise
            if reading is not None:
                upcoming = await reading
    await flush_evidence(memo, total)
    return total


async def _write_chunk(feed_id: int | None, chunk: _ReadChunk, memo: ScanMemo) -> AdBatchResult:
    result = AdBatchResult()
    if chunk.extractions is not None:
        for p, extraction in zip(chunk.extracting, await chunk.extractions, strict=True):
            p.extraction = extraction
    known, fresh, originals = chunk.known, chunk.fresh, chunk.originals
    now = dt.datetime.now(dt.UTC)
    async with write_transaction(lock=profiles.PROFILE_LOCK):
        if fresh:
            # the chunk before, or another process, may have stored some since the read
            known |= await _existing_keys([p.key for p in fresh])
            fresh = [p for p in fresh if p.key not in known]
            later = await _originals([p.digest for p in fresh if p.extraction is not None])
            for p in fresh:
                if p.digest in later:
                    p.extraction = None
            originals.update(later)
        if known:
            for part in _chunks(list(known)):
                await Ad.update({Ad.last_seen_at: now}).where(Ad.item_key.is_in(list(part)))
        result.seen_before = len(known)
        if fresh:
            await _insert_ads(feed_id, fresh, originals, now)
            result.new_ads = sum(1 for p in fresh if p.repost_of is None)
            result.reposts = len(fresh) - result.new_ads
            await _attribute_and_flag(fresh, memo, result)
    return result


async def _insert_ads(
    feed_id: int | None,
    fresh: list[_Pending],
    originals: dict[str, dict[str, Any]],
    now: dt.datetime,
) -> None:
    rows = []
    for p in fresh:
        extraction = p.extraction or AdExtraction((), (), (), ())
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
    reposts: list[dict[str, Any]] = []
    for p in fresh:
        p.ad_id = ids[p.key]
        if p.extraction is None:
            p.repost_of = by_digest.get(p.digest)
            if p.repost_of is None:  # an earlier item of this chunk had the text
                p.repost_of = next(
                    q.ad_id for q in fresh if q.digest == p.digest and q.extraction is not None
                )
            reposts.append(
                {
                    "id": p.ad_id,
                    "repost_of": p.repost_of,
                    "flagged": p.repost_of in flagged_originals,
                }
            )
    await bulk_update(Ad, "id", reposts)


async def _attribute_and_flag(fresh: list[_Pending], memo: ScanMemo, result: AdBatchResult) -> None:
    """Resolve the recruiter of every new ad of the chunk at once; their flags wait in the memo."""
    seen = [
        (p, p.extraction)
        for p in fresh
        if p.extraction is not None and (p.extraction.phone_readings or p.extraction.names)
    ]
    attributions = await attribute_many(
        [
            Sighting(
                source="ad",
                name=extraction.name,
                phone_readings=extraction.phone_readings,
                ad_id=p.ad_id,
            )
            for p, extraction in seen
        ]
    )
    for (p, extraction), attribution in zip(seen, attributions, strict=True):
        codes, ad_ids = memo.evidence.setdefault(attribution.profile_id, ([], []))
        codes.extend(extraction.risk_indicators)
        ad_ids.append(p.ad_id or 0)
    await bulk_update(
        Ad,
        "id",
        [
            {"id": p.ad_id, "profile": a.profile_id, "licence_number": a.licence_number}
            for (p, _), a in zip(seen, attributions, strict=True)
        ],
    )
    result.attributed = len(seen)


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
    """Each recruiter's flag updated once, with the risk indicators of all its new ads."""
    outcomes = await flags.record_evidence_many(
        {
            profile_id: flags.Evidence(
                kind="ad", indicators=tuple(codes), detail={"ads": ad_ids[:20]}
            )
            for profile_id, (codes, ad_ids) in evidence.items()
        }
    )
    flagged_ads: list[int] = []
    for profile_id, outcome in outcomes.items():
        if outcome.flag_id is None:
            continue
        if outcome.opened:
            result.flags_opened += 1
        else:
            result.flags_updated += 1
        if outcome.has_reasons:
            flagged_ads.extend(evidence[profile_id][1])
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
