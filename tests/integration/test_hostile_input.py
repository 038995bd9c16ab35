"""Input no database can store gives a clear 4xx on both databases, and never loses a complaint:
NUL characters, ids beyond int4 and 2^63, JSON nested a thousand levels deep, odd feed hosts."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from litestar.testing import AsyncTestClient

from registry.settings import get_settings
from tests.integration.pages_helpers import csrf_token
from tests.integration.test_lookup import load_small_registry

DEEP = "[" * 1000 + "]" * 1000


async def test_a_complaint_with_nul_characters_is_filed_without_them(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/complaints",
        json={
            "recruiter_name": "Сатыбалдиев\x00 Канат",
            "recruiter_phone": "+7 701 123\x00 45 67",
            "description": "Забрали паспорт\x00 и не отдают",
            "contact": "telegram\x00 @aigul",
            "sector": "стройка\x00",
        },
    )
    assert response.status_code == 201, response.text
    reference = response.json()["reference"]
    listed = await client.get("/api/v1/complaints", headers=regulator_headers)
    assert listed.status_code == 200
    (item,) = [c for c in listed.json()["items"] if c["reference"] == reference]
    assert item["description"] == "Забрали паспорт и не отдают"
    assert "\x00" not in json.dumps(item, ensure_ascii=False).replace("\\u0000", "\x00")
    contact = await client.get(f"/api/v1/complaints/{reference}/contact", headers=regulator_headers)
    assert contact.status_code == 200
    assert "telegram @aigul" in contact.text


async def test_the_complaint_form_with_nul_characters_files_the_complaint(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    page = await client.get("/complaint")
    token = quote(csrf_token(page.text), safe="")
    response = await client.post(
        "/complaint",
        content=(
            "recruiter_name=%D0%90%D0%B9%D0%B1%D0%B5%D0%BA%00&description=passport%00+taken"
            f"&_csrf_token={token}"
        ),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    listed = await client.get("/api/v1/complaints", headers=regulator_headers)
    assert [c["description"] for c in listed.json()["items"]] == ["passport taken"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/lookup?q=%2B77011234567%00", None),
        ("POST", "/api/v1/auth/login", {"username": "inspector\x00", "password": "x" * 12}),
        ("GET", "/api/v1/intermediaries/KZ-2024%0000002", None),
    ],
)
async def test_nul_elsewhere_is_refused_with_a_clear_400(
    client: AsyncTestClient[Any], method: str, path: str, body: Any
) -> None:
    await load_small_registry()
    response = await client.request(method, path, json=body)
    assert response.status_code == 400, response.text
    assert "NUL" in response.json()["error"]


async def test_nul_in_a_regulator_body_is_refused(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/feeds",
        json={"url": "http://127.0.0.1:9/feed", "name": "board\x00"},
        headers=regulator_headers,
    )
    assert response.status_code == 400, response.text
    assert (await client.get("/api/v1/feeds", headers=regulator_headers)).json()["total"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/flags/79157143713",
        "/api/v1/flags/9223372036854775808",
        "/api/v1/profiles/79157143713",
        "/api/v1/feeds/99999999999999999999999",
        "/api/v1/flags?offset=9223372036854775808",
        "/api/v1/flags?offset=79157143713",
        "/api/v1/ads?feed_id=79157143713",
        "/api/v1/complaints?limit=9223372036854775808",
    ],
)
async def test_ids_and_offsets_beyond_the_columns_are_a_400(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str], path: str
) -> None:
    response = await client.get(path, headers=regulator_headers)
    assert response.status_code == 400, response.text


async def test_a_huge_id_in_a_body_is_a_400(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.patch(
        "/api/v1/flags/1", json={"status": "dismissed", "note": "x"}, headers=regulator_headers
    )
    assert response.status_code == 404
    response = await client.post(
        "/api/v1/profiles/merge",
        json={"source": 79157143713, "target": 9223372036854775808},
        headers=regulator_headers,
    )
    assert response.status_code in (400, 404), response.text


@pytest.mark.parametrize("path", ["/api/v1/complaints", "/api/v1/auth/login", "/api/v1/feeds"])
async def test_json_nested_a_thousand_deep_is_a_400(
    client: AsyncTestClient[Any], path: str
) -> None:
    body = '{"description": ' + DEEP + ', "q": ' + DEEP + "}"
    response = await client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert "nested" in response.json()["error"]


async def test_brackets_inside_strings_are_not_nesting(client: AsyncTestClient[Any]) -> None:
    response = await client.post(
        "/api/v1/complaints",
        json={"recruiter_name": "Айбек", "description": "[" * 500 + '"\\' + "{" * 500},
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "url",
    [
        "http://[fec0::1]/feed",
        "http://[fec0:1234::5]:8080/rss",
        "http://100.64.0.1/feed",
        "http://[::ffff:10.0.0.1]/x",
        "http://192.0.2.10/feed",
        "http://[2001:db8::1]/feed",
        "http://0.0.0.0/",
    ],
)
async def test_every_non_global_feed_host_is_refused(
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


def test_the_fetcher_refuses_site_local_ipv6_too() -> None:
    import ipaddress

    from jobs.fetching import is_forbidden_address

    assert is_forbidden_address(ipaddress.ip_address("fec0::1"))
    assert is_forbidden_address(ipaddress.ip_address("feff::1"))
    assert not is_forbidden_address(ipaddress.ip_address("2a00:1450:4001:81b::200e"))
    assert not is_forbidden_address(ipaddress.ip_address("8.8.8.8"))
