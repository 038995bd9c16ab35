"""Privacy in logs and headers: the access log names routes, not queries; private answers are
never cached; HSTS in production; the development secret key is announced loudly."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from registry.settings import SettingsError, get_settings
from tests.integration.test_lookup import load_small_registry

PHONE = "+77011234567"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RECRUITWATCH_PRODUCTION", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_the_access_log_has_routes_not_phones_or_references(
    client: AsyncTestClient[Any], caplog: pytest.LogCaptureFixture
) -> None:
    await load_small_registry()
    filed = await client.post(
        "/api/v1/complaints", json={"recruiter_phone": PHONE, "description": "паспорт забрали"}
    )
    reference = filed.json()["reference"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="recruitwatch.access"):
        assert (await client.get("/api/v1/lookup", params={"q": PHONE})).status_code == 200
        assert (await client.get(f"/api/v1/complaints/{reference}")).status_code == 200
        assert (await client.get("/status", params={"ref": reference})).status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "recruitwatch.access"]
    assert len(lines) == 3, lines
    text = "\n".join(lines)
    assert "/api/v1/lookup" in text
    assert "/api/v1/complaints/{reference}" in text
    for secret in (PHONE, PHONE[1:], reference, "q="):
        assert secret not in text


@pytest.mark.parametrize(
    "path", ["/console/login", "/api/v1/complaints", "/api/v1/lookup?q=x", "/complaint", "/"]
)
async def test_private_answers_are_never_cached(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str], path: str
) -> None:
    response = await client.get(path, headers=regulator_headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers


async def test_a_complaint_status_is_not_cached(client: AsyncTestClient[Any]) -> None:
    filed = await client.post(
        "/api/v1/complaints", json={"recruiter_phone": PHONE, "description": "долг за билет"}
    )
    assert filed.headers["cache-control"] == "no-store"
    status = await client.get(f"/api/v1/complaints/{filed.json()['reference']}")
    assert status.headers["cache-control"] == "no-store"


async def test_static_files_keep_their_own_caching(client: AsyncTestClient[Any]) -> None:
    page = await client.get("/")
    css = next(part for part in page.text.split('"') if part.startswith("/static/"))
    response = await client.get(css)
    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]


async def test_production_sends_hsts(production: None) -> None:
    from registry.app import create_app

    async with AsyncTestClient(app=create_app()) as client:
        response = await client.get("/health")
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_the_development_key_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECRUITWATCH_SECRET_KEY")
    monkeypatch.setenv("RECRUITWATCH_PRODUCTION", "true")
    get_settings.cache_clear()
    try:
        from registry.app import create_app

        with pytest.raises(SettingsError, match="SECRET_KEY"):
            create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_the_development_key_is_announced_loudly(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("RECRUITWATCH_SECRET_KEY")
    get_settings.cache_clear()
    try:
        from registry.app import create_app

        with caplog.at_level(logging.WARNING, logger="recruitwatch"):
            create_app()
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert any("development key" in r.getMessage() for r in warnings)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="recruitwatch"):
        from registry.app import create_app

        create_app()
    assert not [r for r in caplog.records if "development key" in r.getMessage()]
