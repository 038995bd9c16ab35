"""Privacy: after complaints exist, no public response carries what a complainant wrote or who
they are. Limits: public endpoints are rate-limited per client; regulators' are not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from registry.settings import get_settings
from tests.integration.test_lookup import load_small_registry

SECRET_TEXT = "Тайна-описания-7731"
SECRET_CONTACT = "+996 700 313 313 whatsapp Гульнара"
SECRET_SECTOR = "стройка-сектор-5521"


def public_get_paths(app: Any, reference: str) -> list[str]:
    """Every public GET route of the app, with its path parameters filled in."""
    fill = {"reference": reference, "license_number": "KZ-2024-00002", "code": "ky"}
    paths = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if "GET" not in handler.http_methods or not handler.opt.get("public"):
                continue
            path = re.sub(r"\{(\w+):\w+\}", lambda m: fill.get(m.group(1), "x"), route.path)
            paths.append(path)
    return sorted(set(paths))


async def test_no_public_response_leaks_a_complaint(
    client: AsyncTestClient[Any], immediate_public_counts: None
) -> None:
    await load_small_registry()
    references = []
    for phone in ("+7 701 123 45 67", "+7 702 999 00 11", "+7 702 999 00 11", "+7 702 999 00 11"):
        response = await client.post(
            "/api/v1/complaints",
            json={
                "recruiter_name": "Сатыбалдиев Канат",
                "recruiter_phone": phone,
                "description": SECRET_TEXT,
                "contact": SECRET_CONTACT,
                "sector": SECRET_SECTOR,
                "indicators": ["document_retention"],
            },
        )
        assert response.status_code == 201
        references.append(response.json()["reference"])
    paths = public_get_paths(client.app, references[0])
    assert {"/", "/api/v1/lookup", "/api/v1/complaints/" + references[0]} <= set(paths)
    queries = [
        "",
        "?q=Сатыбалдиев+Канат",
        "?q=%2B77029990011",
        "?q=8+701+123+45+67",
        f"?ref={references[0]}",
        "?q=KZ-2024-00002",
    ]
    checked = 0
    for path in [*paths, "/schema/openapi.json"]:
        for query in queries:
            response = await client.get(path + query, follow_redirects=True)
            body = response.text
            for secret in (SECRET_TEXT, SECRET_CONTACT, SECRET_SECTOR, "700 313 313", "Гульнара"):
                assert secret not in body, (path + query, secret)
            checked += 1
    assert checked >= len(paths) * len(queries)
    lookup = (await client.get("/api/v1/lookup", params={"q": "+77029990011"})).json()
    assert lookup["reports"] == {"complaints": 3, "flags": 1}  # counts, never contents


async def test_regulator_endpoints_say_nothing_to_the_public(client: AsyncTestClient[Any]) -> None:
    await client.post(
        "/api/v1/complaints",
        json={
            "recruiter_phone": "+77029990011",
            "description": SECRET_TEXT,
            "contact": SECRET_CONTACT,
        },
    )
    for path in (
        "/api/v1/complaints",
        "/api/v1/flags",
        "/api/v1/profiles",
        "/api/v1/flags/1",
        "/api/v1/profiles/1",
        "/api/v1/ads",
        "/api/v1/feeds",
    ):
        response = await client.get(path)
        assert response.status_code == 401, path
        assert SECRET_TEXT not in response.text


@pytest.fixture
def limit_of_three() -> Iterator[None]:
    import os

    os.environ["RECRUITWATCH_RATE_LIMIT_PER_MINUTE"] = "3"
    get_settings.cache_clear()
    yield
    os.environ["RECRUITWATCH_RATE_LIMIT_PER_MINUTE"] = "0"
    get_settings.cache_clear()


async def test_public_endpoints_are_rate_limited_per_client(
    limit_of_three: None, regulator_headers: dict[str, str]
) -> None:
    from registry.app import create_app

    async with AsyncTestClient(app=create_app()) as limited:
        codes = [
            (await limited.get("/api/v1/lookup", params={"q": "x y"})).status_code for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        assert (await limited.post("/api/v1/complaints", json={})).status_code == 429
        assert (await limited.get("/health")).status_code == 200
        flags = await limited.get("/api/v1/flags", headers=regulator_headers)
        assert flags.status_code == 200
