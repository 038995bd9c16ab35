"""The scan pipeline: failing feeds are recorded and never stop the others; ads stored once;
reposts recognised and not counted twice."""

from __future__ import annotations

import json

import pytest

from jobs import scan
from registry.services import feeds
from registry.tables import Ad, Feed, Flag
from tests.integration.feed_fixtures import FeedServer, fast_feeds, feed_server, import_dev_registry

__all__ = ("fast_feeds", "feed_server")

BAD = {
    "slow": "did not answer",
    "error": "HTTP 500",
    "garbage": "could not be read",
    "big": "larger than the limit",
    "loop-a": "redirects in a loop",
}


@pytest.mark.usefixtures("fast_feeds")
async def test_failing_feeds_are_recorded_and_the_others_still_scanned(
    feed_server: FeedServer,
) -> None:
    await import_dev_registry()
    ids = {}
    for path in ["board1.rss", *BAD, "board2.atom"]:
        ids[path] = (await feeds.create_feed(url=f"{feed_server.base}/{path}"))["id"]
    results = {path: await scan.scan_feed(feed_id) for path, feed_id in ids.items()}

    for path, expected in BAD.items():
        result = results[path]
        assert result is not None
        assert result["outcome"] == "error", (path, result)
        assert expected in result["error"], (path, result["error"])
        row = await Feed.select().where(Feed.id == ids[path]).first()
        assert row["last_outcome"] == "error"
        assert expected in row["last_error"]
        assert row["last_scan_at"] is not None
        assert row["lease_owner"] == ""
    for path in ("board1.rss", "board2.atom"):
        assert results[path]["outcome"] == "ok"
        assert results[path]["new_ads"] == 62
    assert await Ad.count() == 124


async def test_every_item_is_stored_once_however_often_scanned(feed_server: FeedServer) -> None:
    await import_dev_registry()
    feed = await feeds.create_feed(url=f"{feed_server.base}/board4.html")
    first = await scan.scan_feed(feed["id"])
    await Feed.update({Feed.etag: "", Feed.last_modified: ""}).where(Feed.id == feed["id"])
    second = await scan.scan_feed(feed["id"])
    assert first["new_ads"] + first["reposts"] == first["fetched"] == 61
    assert second["new_ads"] == 0
    assert second["seen_before"] == 61
    assert await Ad.count() == 61
    flags_after_first = await Flag.select(Flag.id, Flag.ad_count).order_by(Flag.id)
    assert second["flags_opened"] == 0
    assert await Flag.select(Flag.id, Flag.ad_count).order_by(Flag.id) == flags_after_first


async def test_a_repost_under_another_id_is_recognised_and_not_counted_twice(
    feed_server: FeedServer,
) -> None:
    text = "Нужны швеи! Паспорт сдать работодателю. Звонить Бекзат аке +996 555 123 456"
    items = [
        {"id": "one", "title": "Нужны швеи", "content_text": text},
        {"id": "two", "title": "Нужны  швеи", "content_text": text.upper()},
    ]
    feed_server.extra["/repost.json"] = (
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode(),
        "application/feed+json",
    )
    feed = await feeds.create_feed(url=f"{feed_server.base}/repost.json")
    result = await scan.scan_feed(feed["id"])
    assert result["new_ads"] == 1
    assert result["reposts"] == 1
    original, repost = await Ad.select().order_by(Ad.id)
    assert repost["repost_of"] == original["id"]
    assert original["profile"] is not None
    flag = await Flag.select().where(Flag.profile == original["profile"]).first()
    assert flag["ad_count"] == 1
    assert "unlicensed_advertising" in flag["reasons"]
    assert "document_retention" in original["risk_indicators"]
    assert flag["severity"] > 0.5


async def test_a_second_scan_meanwhile_is_refused_by_the_lease(feed_server: FeedServer) -> None:
    feed = await feeds.create_feed(url=f"{feed_server.base}/board1.rss")
    assert await scan.take_lease(feed["id"], "someone-else")
    assert await scan.scan_feed(feed["id"]) is None
    from registry.services.errors import Conflict

    with pytest.raises(Conflict):
        await feeds.scan_feed(feed["id"])
    await scan.release_lease(feed["id"], "someone-else")
    assert (await feeds.scan_feed(feed["id"]))["outcome"] == "ok"


async def test_scan_url_creates_the_feed_once(feed_server: FeedServer) -> None:
    url = f"{feed_server.base}/board3.json"
    first = await scan.scan_url(url)
    second = await scan.scan_url(url, "jsonfeed")
    assert first["outcome"] == "ok"
    assert second["feed_id"] == first["feed_id"]
    assert await Feed.count() == 1
