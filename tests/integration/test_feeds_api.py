"""The feeds and ads API: regulator-only, validated URLs, audited changes, scan counts."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from registry.settings import get_settings
from registry.tables import AuditEntry
from tests.integration.feed_fixtures import FeedServer, feed_server, import_dev_registry

__all__ = ("feed_server",)


async def test_feeds_need_a_regulator(client: AsyncTestClient[Any]) -> None:
    assert (await client.get("/api/v1/feeds")).status_code == 401
    response = await client.post("/api/v1/feeds", json={"url": "https://board.example/rss"})
    assert response.status_code == 401
    assert (await client.get("/api/v1/ads")).status_code == 401


async def test_a_feed_is_created_listed_changed_and_audited(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/feeds",
        json={"url": "https://board.example/rss", "interval_minutes": 30, "name": "Board"},
        headers=regulator_headers,
    )
    assert response.status_code == 201, response.text
    feed = response.json()
    assert feed["interval_minutes"] == 30
    assert feed["enabled"] is True
    assert feed["last_scan_at"] is None

    listed = (await client.get("/api/v1/feeds", headers=regulator_headers)).json()
    assert [f["id"] for f in listed["items"]] == [feed["id"]]
    assert listed["total"] == 1

    response = await client.patch(
        f"/api/v1/feeds/{feed['id']}",
        json={"enabled": False, "interval_minutes": 120},
        headers=regulator_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["enabled"] is False
    assert response.json()["interval_minutes"] == 120

    actions = {r["action"] for r in await AuditEntry.select(AuditEntry.action)}
    assert {"feed_created", "feed_updated"} <= actions

    again = await client.post(
        "/api/v1/feeds", json={"url": "https://board.example/rss"}, headers=regulator_headers
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://board.example/feed"},
        {"url": "file:///etc/passwd"},
        {"url": "not a url"},
        {"url": "https://board.example/rss", "format": "xls"},
        {"url": "https://board.example/rss", "interval_minutes": 0},
    ],
)
async def test_bad_feeds_are_refused(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str], body: dict[str, Any]
) -> None:
    response = await client.post("/api/v1/feeds", json=body, headers=regulator_headers)
    assert response.status_code == 400, response.text


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/feed", "http://localhost:8000/x", "http://10.1.2.3/rss", "http://[::1]/"],
)
async def test_private_addresses_are_refused_unless_allowed(
    client: AsyncTestClient[Any],
    regulator_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    monkeypatch.setenv("RECRUITWATCH_ALLOW_PRIVATE_FEEDS", "false")
    get_settings.cache_clear()
    try:
        response = await client.post("/api/v1/feeds", json={"url": url}, headers=regulator_headers)
        assert response.status_code == 400, response.text
        assert "private" in response.json()["error"]
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


async def test_scan_now_answers_with_counts_and_ads_are_listed(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str], feed_server: FeedServer
) -> None:
    await import_dev_registry()
    feed = (
        await client.post(
            "/api/v1/feeds",
            json={"url": f"{feed_server.base}/board3.json"},
            headers=regulator_headers,
        )
    ).json()
    response = await client.post(f"/api/v1/feeds/{feed['id']}/scan", headers=regulator_headers)
    assert response.status_code == 200, response.text
    counts = response.json()
    assert counts["outcome"] == "ok"
    assert counts["fetched"] == 62
    assert counts["new_ads"] + counts["reposts"] == 62
    assert counts["flags_opened"] > 0

    ads = (await client.get("/api/v1/ads?limit=500", headers=regulator_headers)).json()
    assert ads["total"] == 62
    flagged = (
        await client.get("/api/v1/ads?flagged=true&limit=500", headers=regulator_headers)
    ).json()
    unflagged = (
        await client.get("/api/v1/ads?flagged=false&limit=500", headers=regulator_headers)
    ).json()
    assert flagged["total"] > 0
    assert flagged["total"] + unflagged["total"] == 62
    assert all(ad["flagged"] for ad in flagged["items"])
    assert not any(ad["flagged"] for ad in unflagged["items"])
    risky = [ad for ad in ads["items"] if ad["risk_indicators"]]
    assert risky
    assert all(ad["risk_phrases"] for ad in risky)

    listed = (await client.get("/api/v1/feeds", headers=regulator_headers)).json()["items"][0]
    assert listed["last_outcome"] == "ok"
    assert listed["last_counts"]["new_ads"] == counts["new_ads"]
    assert listed["last_scan_at"] is not None

    again = (
        await client.post(f"/api/v1/feeds/{feed['id']}/scan", headers=regulator_headers)
    ).json()
    assert again["new_ads"] == 0
    assert (await client.get("/api/v1/ads", headers=regulator_headers)).json()["total"] == 62
    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action)]
    assert actions.count("feed_scanned") == 2


async def test_scanning_an_unknown_feed_is_404(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post("/api/v1/feeds/999/scan", headers=regulator_headers)
    assert response.status_code == 404
