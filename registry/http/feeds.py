"""Job-ad feeds and the ads they brought (regulators only); every change is audited."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, patch, post
from litestar.params import FromQuery, JSONBody

from registry.auth import regulator_only
from registry.http.common import Limit, Offset, QueryRowId, RowId, actor, client_address, page
from registry.services import ads, audit, feeds


class NewFeed(msgspec.Struct, forbid_unknown_fields=True):
    url: str
    format: str = "auto"
    interval_minutes: int = 60
    name: str = ""
    enabled: bool = True


class FeedChange(msgspec.Struct, forbid_unknown_fields=True):
    enabled: bool | None = None
    interval_minutes: int | None = None
    name: str | None = None
    format: str | None = None
    url: str | None = None


@post("/api/v1/feeds", guards=[regulator_only], status_code=201)
async def create_feed(request: Request[Any, Any, Any], data: JSONBody[NewFeed]) -> dict[str, Any]:
    """Add a feed; it is scanned at once by the worker, then every ``interval_minutes``."""
    feed = await feeds.create_feed(
        url=data.url,
        format=data.format,
        interval_minutes=data.interval_minutes,
        name=data.name,
        enabled=data.enabled,
    )
    detail = {k: feed[k] for k in ("url", "format", "interval_minutes", "enabled")}
    await audit.record(
        await actor(request), "feed_created", "feed", feed["id"], detail, client_address(request)
    )
    return feed


@get("/api/v1/feeds", guards=[regulator_only])
async def list_feeds(limit: Limit = None, offset: Offset = None) -> dict[str, Any]:
    """Feeds with their last scan's time, outcome, error and counts."""
    size, start = page(limit, offset, default=100, most=500)
    return await feeds.list_feeds(limit=size, offset=start)


@get("/api/v1/feeds/{feed_id:int}", guards=[regulator_only])
async def get_feed(feed_id: RowId) -> dict[str, Any]:
    return await feeds.get_feed(feed_id)


@patch("/api/v1/feeds/{feed_id:int}", guards=[regulator_only])
async def update_feed(
    request: Request[Any, Any, Any], feed_id: RowId, data: JSONBody[FeedChange]
) -> dict[str, Any]:
    """Enable, disable, rename or re-time a feed; the worker follows within a minute."""
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
    feed = await feeds.update_feed(feed_id, **changes)
    await audit.record(
        await actor(request), "feed_updated", "feed", feed_id, changes, client_address(request)
    )
    return feed


@post("/api/v1/feeds/{feed_id:int}/scan", guards=[regulator_only], status_code=200)
async def scan_feed(request: Request[Any, Any, Any], feed_id: RowId) -> dict[str, Any]:
    """Scan now; answers when the scan is done, with its counts (fetched, new ads, flags opened).

    A feed that cannot be fetched or read still answers 200: the scan happened, and its
    ``outcome`` and ``error`` say how it went (as the feed's row does).
    """
    who = await actor(request)
    result = await feeds.scan_feed(feed_id)
    await audit.record(who, "feed_scanned", "feed", feed_id, result, client_address(request))
    return result


@get("/api/v1/ads", guards=[regulator_only])
async def list_ads(
    flagged: FromQuery[bool | None] = None,
    feed_id: QueryRowId = None,
    profile_id: QueryRowId = None,
    limit: Limit = None,
    offset: Offset = None,
) -> dict[str, Any]:
    """Stored ads, newest first; ``flagged=true`` keeps those whose recruiter has a flag."""
    size, start = page(limit, offset)
    return await ads.list_ads(
        flagged=flagged, feed_id=feed_id, profile_id=profile_id, limit=size, offset=start
    )
