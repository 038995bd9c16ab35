"""Job-ad feeds: which boards are scanned, how often, and how their last scan went.

A feed URL is typed in by a regulator and then fetched by the server, so it is checked here
first: http or https only, and no loopback or private address (unless
``RECRUITWATCH_ALLOW_PRIVATE_FEEDS``); the fetcher checks every redirect hop again at scan time.
Every function returns plain dicts, shared by the API, the console and the CLI.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import json
import socket
from typing import Any
from urllib.parse import urlsplit

from registry.codes import FeedFormat, values
from registry.database import write_transaction
from registry.services.errors import Conflict, InvalidInput, NotFound
from registry.settings import get_settings
from registry.tables import Ad, Feed

__all__ = (
    "FORMATS",
    "MAX_INTERVAL_MINUTES",
    "create_feed",
    "feed_for_url",
    "get_feed",
    "list_feeds",
    "scan_feed",
    "update_feed",
    "validate_feed_url",
)

FORMATS = values(FeedFormat)
MAX_INTERVAL_MINUTES = 7 * 24 * 60
_RESOLVE_TIMEOUT = 3.0


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _public(row: dict[str, Any], ad_count: int | None = None) -> dict[str, Any]:
    lease_until = row["lease_until"]
    scanning = bool(lease_until and lease_until > dt.datetime.now(dt.UTC))
    feed = {
        "id": row["id"],
        "url": row["url"],
        "name": row["name"],
        "format": row["format"],
        "interval_minutes": row["interval_minutes"],
        "enabled": row["enabled"],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
        "last_scan_at": _iso(row["last_scan_at"]),
        "last_outcome": row["last_outcome"],
        "last_error": row["last_error"],
        "last_counts": _loads(row["last_counts"]) or {},
        "next_scan_at": _iso(row["next_scan_at"]),
        "scanning": scanning,
    }
    if ad_count is not None:
        feed["ad_count"] = ad_count
    return feed


def _forbidden(address: str) -> bool:
    from jobs.fetching import is_forbidden_address

    return is_forbidden_address(ipaddress.ip_address(address.split("%", 1)[0]))


async def validate_feed_url(url: str) -> str:
    """The URL, stripped, once it is an http(s) address that does not lead into a private network.

    A host that does not resolve now is accepted (boards have outages); the fetcher refuses it
    at scan time if it later resolves to a private address.
    """
    url = (url or "").strip()
    if not url:
        raise InvalidInput("Give the feed's address (URL).")
    if len(url) > 2000:
        raise InvalidInput("The feed's address is longer than 2000 characters.")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise InvalidInput(f"{url!r} is not a valid address.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidInput("A feed address must start with http:// or https://.")
    if not host:
        raise InvalidInput(f"{url!r} has no host name.")
    if get_settings().allow_private_feeds:
        return url
    private = "The feed address leads to a private or local network address, which is refused."
    with contextlib.suppress(ValueError):
        if _forbidden(host):
            raise InvalidInput(private)
        return url
    if host.lower() == "localhost" or host.lower().endswith((".localhost", ".local")):
        raise InvalidInput(private)
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM), _RESOLVE_TIMEOUT
        )
    except (OSError, TimeoutError):
        return url
    if any(_forbidden(str(info[4][0])) for info in infos):
        raise InvalidInput(private)
    return url


def _check_fields(format: str | None, interval_minutes: int | None, name: str | None) -> None:
    if format is not None and format not in FORMATS:
        raise InvalidInput(f"The format must be one of: {', '.join(FORMATS)}.")
    if interval_minutes is not None and not 1 <= interval_minutes <= MAX_INTERVAL_MINUTES:
        raise InvalidInput(
            f"The interval must be between 1 and {MAX_INTERVAL_MINUTES} minutes (one week)."
        )
    if name is not None and len(name) > 200:
        raise InvalidInput("The feed's name is longer than 200 characters.")


async def create_feed(
    *,
    url: str,
    format: str = "auto",
    interval_minutes: int = 60,
    name: str = "",
    enabled: bool = True,
) -> dict[str, Any]:
    """A new feed, due for its first scan at once; the same address twice is refused."""
    _check_fields(format, interval_minutes, name)
    url = await validate_feed_url(url)
    async with write_transaction(lock="feeds"):
        if await Feed.exists().where(Feed.url == url):
            raise Conflict("A feed with this address exists already.")
        now = dt.datetime.now(dt.UTC)
        feed = Feed(
            url=url,
            name=(name or "").strip(),
            format=format,
            interval_minutes=interval_minutes,
            enabled=enabled,
            created_at=now,
            updated_at=now,
            next_scan_at=None,
        )
        await feed.save()
    return await get_feed(int(feed.id))


async def feed_for_url(url: str, *, format: str = "auto") -> dict[str, Any]:
    """The feed row for ``url``, created on first use (the CLI's ``scan URL``)."""
    _check_fields(format, None, None)
    url = await validate_feed_url(url)
    row = await Feed.select(Feed.id, Feed.format).where(Feed.url == url).first()
    if row is None:
        try:
            return await create_feed(url=url, format=format)
        except Conflict:
            row = await Feed.select(Feed.id, Feed.format).where(Feed.url == url).first()
            if row is None:
                raise
    if format != "auto" and row["format"] != format:
        return await update_feed(row["id"], format=format)
    return await get_feed(row["id"])


async def get_feed(feed_id: int) -> dict[str, Any]:
    row = await Feed.select().where(Feed.id == feed_id).first()
    if row is None:
        raise NotFound(f"No feed {feed_id}.")
    return _public(row, await Ad.count().where(Ad.feed == feed_id))


async def list_feeds(*, limit: int = 500, offset: int = 0) -> dict[str, Any]:
    rows = await Feed.select().order_by(Feed.id).limit(limit).offset(offset)
    return {"items": [_public(r) for r in rows], "total": await Feed.count()}


async def update_feed(
    feed_id: int,
    *,
    enabled: bool | None = None,
    interval_minutes: int | None = None,
    name: str | None = None,
    format: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """Enable, disable or re-time a feed; the worker picks the change up within a minute."""
    _check_fields(format, interval_minutes, name)
    if url is not None:
        url = await validate_feed_url(url)
    async with write_transaction(lock="feeds"):
        row = await Feed.select().where(Feed.id == feed_id).first()
        if row is None:
            raise NotFound(f"No feed {feed_id}.")
        now = dt.datetime.now(dt.UTC)
        values: dict[Any, Any] = {Feed.updated_at: now}
        if enabled is not None:
            values[Feed.enabled] = enabled
        if name is not None:
            values[Feed.name] = name.strip()
        if format is not None:
            values[Feed.format] = format
        if url is not None and url != row["url"]:
            if await Feed.exists().where((Feed.url == url) & (Feed.id != feed_id)):
                raise Conflict("A feed with this address exists already.")
            values.update({Feed.url: url, Feed.etag: "", Feed.last_modified: ""})
        if interval_minutes is not None:
            values[Feed.interval_minutes] = interval_minutes
            last = row["last_scan_at"]
            values[Feed.next_scan_at] = (
                None if last is None else max(now, last + dt.timedelta(minutes=interval_minutes))
            )
        if enabled and not row["enabled"] and row["next_scan_at"] and row["next_scan_at"] < now:
            values[Feed.next_scan_at] = now
        await Feed.update(values).where(Feed.id == feed_id)
    return await get_feed(feed_id)


async def scan_feed(feed_id: int) -> dict[str, Any]:
    """Scan a feed now (a regulator's "scan now"); the counts once it is done.

    The pipeline lives with the scheduler in ``jobs.scan``; it is imported here, late, because
    a regulator may start the same scan from the console or the API.
    """
    from jobs import scan

    await get_feed(feed_id)
    result = await scan.scan_feed(feed_id)
    if result is None:
        raise Conflict(
            "This feed is being scanned right now; its counts will show when it is done."
        )
    return result
