"""The scan pipeline: fetch a feed, parse it, then store, match and flag its ads.

A feed is scanned by one process at a time: the scan first takes a lease on the feed's row with
a conditional UPDATE (only if no live lease exists, and for scheduled scans only if the feed is
due), so a second worker started by mistake, or a regulator's "scan now" while the worker scans,
never scans a feed twice at once. Whatever goes wrong with one feed (timeout, HTTP error, garbage,
a database error halfway) is recorded on its row with a plain message; the caller moves on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import uuid
from typing import Any

import httpx

from jobs.feed_formats import FeedFormatError, FeedItem, parse_feed
from jobs.fetching import FetchError, FetchResult, fetch_feed
from registry.database import write_transaction
from registry.services import ads
from registry.settings import get_settings
from registry.tables import Feed

__all__ = (
    "LEASE_SECONDS",
    "due_feeds",
    "new_owner",
    "release_lease",
    "release_leases_of",
    "scan_feed",
    "scan_url",
    "take_lease",
)

log = logging.getLogger("recruitwatch.scan")

LEASE_SECONDS = 600
"""How long a lease lasts unless renewed; a scan renews it after every chunk of ads."""
DUE_SLACK = dt.timedelta(seconds=5)
"""A scheduled run a few seconds early (clock skew between workers) still counts as due."""


def new_owner() -> str:
    """A lease owner name that says which process holds it, unique per worker."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def take_lease(feed_id: int, owner: str, *, only_if_due: bool = False) -> bool:
    """Lease the feed for ``owner``; False when another holds a live lease (or it is not due)."""
    now = _now()
    condition = (Feed.id == feed_id) & (Feed.lease_until.is_null() | (Feed.lease_until < now))
    if only_if_due:
        condition &= Feed.enabled.eq(True) & (
            Feed.next_scan_at.is_null() | (Feed.next_scan_at <= now + DUE_SLACK)
        )
    async with write_transaction():
        taken = (
            await Feed.update(
                {
                    Feed.lease_owner: owner,
                    Feed.lease_until: now + dt.timedelta(seconds=LEASE_SECONDS),
                }
            )
            .where(condition)
            .returning(Feed.id)
        )
    return bool(taken)


async def renew_lease(feed_id: int, owner: str) -> None:
    until = _now() + dt.timedelta(seconds=LEASE_SECONDS)
    async with write_transaction():
        await Feed.update({Feed.lease_until: until}).where(
            (Feed.id == feed_id) & (Feed.lease_owner == owner)
        )


async def release_lease(feed_id: int, owner: str) -> None:
    async with write_transaction():
        await Feed.update({Feed.lease_owner: "", Feed.lease_until: None}).where(
            (Feed.id == feed_id) & (Feed.lease_owner == owner)
        )


async def release_leases_of(owner: str) -> None:
    """A worker shutting down frees what it held, so the next worker need not wait out leases."""
    async with write_transaction():
        await Feed.update({Feed.lease_owner: "", Feed.lease_until: None}).where(
            Feed.lease_owner == owner
        )


async def due_feeds() -> list[dict[str, Any]]:
    now = _now()
    return await Feed.select(Feed.id, Feed.interval_minutes, Feed.next_scan_at).where(
        Feed.enabled.eq(True) & (Feed.next_scan_at.is_null() | (Feed.next_scan_at <= now))
    )


async def scan_feed(
    feed_id: int,
    *,
    owner: str | None = None,
    only_if_due: bool = False,
    client: httpx.AsyncClient | None = None,
) -> dict[str, Any] | None:
    """Scan one feed under a lease; None when someone else is scanning it (or it is not due).

    Returns the counts recorded on the feed, with ``outcome`` (``ok``, ``not_modified`` or
    ``error``) and ``error``.
    """
    owner = owner or new_owner()
    if not await take_lease(feed_id, owner, only_if_due=only_if_due):
        return None
    try:
        feed = await Feed.select().where(Feed.id == feed_id).first()
        if feed is None:
            return None
        return await _scan_leased(feed, owner, client)
    finally:
        await asyncio.shield(release_lease(feed_id, owner))


async def _scan_leased(
    feed: dict[str, Any], owner: str, client: httpx.AsyncClient | None
) -> dict[str, Any]:
    settings = get_settings()
    started = _now()
    counts = ads.AdBatchResult().as_dict()
    etag, last_modified = feed["etag"], feed["last_modified"]
    try:
        fetched = await fetch_feed(
            feed["url"],
            etag=etag,
            last_modified=last_modified,
            timeout=settings.feed_timeout_seconds,
            max_bytes=settings.feed_max_bytes,
            max_redirects=settings.feed_max_redirects,
            retries=settings.feed_retries,
            allow_private=settings.allow_private_feeds,
            client=client,
        )
        if fetched.status == "not_modified":
            outcome, error = "not_modified", ""
        else:
            items = await _parse(fetched, feed["format"])
            result = await ads.store_items(
                feed["id"], items, on_chunk=lambda: renew_lease(feed["id"], owner)
            )
            counts = result.as_dict()
            outcome, error = "ok", ""
            etag, last_modified = fetched.etag, fetched.last_modified
    except FetchError as exc:
        outcome, error = "error", str(exc)
    except FeedFormatError as exc:
        outcome, error = "error", f"The feed could not be read: {exc}"
    except asyncio.CancelledError:
        await asyncio.shield(
            _record(
                feed, started, "error", "The scan was interrupted.", counts, etag, last_modified
            )
        )
        raise
    except Exception as exc:
        log.exception("Scanning feed %s failed", feed["id"])
        outcome, error = "error", f"The scan failed ({type(exc).__name__}); see the worker log."
    return await _record(feed, started, outcome, error, counts, etag, last_modified)


async def _parse(fetched: FetchResult, format_: str) -> list[FeedItem]:
    """Parsing a big feed is CPU work: a thread keeps the event loop answering meanwhile."""
    return await asyncio.to_thread(parse_feed, fetched.body, format_, fetched.content_type)


async def _record(
    feed: dict[str, Any],
    started: dt.datetime,
    outcome: str,
    error: str,
    counts: dict[str, int],
    etag: str,
    last_modified: str,
) -> dict[str, Any]:
    now = _now()
    summary = {**counts, "seconds": round((now - started).total_seconds(), 3)}
    async with write_transaction():
        await Feed.update(
            {
                Feed.last_scan_at: now,
                Feed.last_outcome: outcome,
                Feed.last_error: error[:2000],
                Feed.last_counts: summary,
                Feed.etag: etag[:500],
                Feed.last_modified: last_modified[:100],
                Feed.next_scan_at: now + dt.timedelta(minutes=feed["interval_minutes"]),
            }
        ).where(Feed.id == feed["id"])
    return {"feed_id": feed["id"], "outcome": outcome, "error": error, **summary}


async def scan_url(url: str, format: str = "auto") -> dict[str, Any]:
    """The CLI's one-off scan: the feed row for ``url`` is created once and reused after."""
    from registry.services import feeds

    feed = await feeds.feed_for_url(url, format=format)
    result = await scan_feed(feed["id"])
    if result is None:
        return {
            "feed_id": feed["id"],
            "outcome": "error",
            "error": "Another process is scanning this feed right now; try again later.",
        }
    return result
