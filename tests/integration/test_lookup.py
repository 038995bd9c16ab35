"""The public lookup over HTTP and the CLI, and its freshness when another process changes the register."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

from litestar.testing import AsyncTestClient

from registry.services import licences
from tests.helpers import TEST_DATA


async def load_small_registry() -> None:
    await licences.import_registry(
        (TEST_DATA / "registry" / "small.csv").read_bytes(), actor="test", filename="small.csv"
    )


async def lookup(client: AsyncTestClient[Any], q: str) -> dict[str, Any]:
    response = await client.get("/api/v1/lookup", params={"q": q})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_spellings_of_a_licensed_company_match_it(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    for q in (
        "ТОО «Жаксылык Агро»",
        "Zhaksylyk Agro LLP",
        "JAKSYLYK-AGRO TOO",
        "Жаксылык агро",
        "ЖШС Жақсылық Агро",
    ):
        result = await lookup(client, q)
        assert result["verdict"] == "licensed", q
        assert result["match"]["license_number"] == "KZ-2024-00002", q
        assert "name" in result["match"]["matched_on"]
        assert result["query"] == q


async def test_a_near_name_is_not_a_match_but_a_candidate(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    result = await lookup(client, "ТОО «Жаксылык Транс»")
    assert result["match"] is None
    assert result["verdict"] == "not_registered"
    assert "KZ-2024-00002" in [c["license_number"] for c in result["candidates"]]


async def test_phone_in_any_format_matches(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    for q in ("8 (701) 123-45-67", "+7 701 1234567", "77011234567", "WhatsApp +7 701 123 45 67"):
        result = await lookup(client, q)
        assert result["match"]["license_number"] == "KZ-2024-00002", q
        assert result["match"]["matched_on"] == ["phone"]
    near = await lookup(client, "8 (701) 123-45-68")
    assert near["match"] is None
    assert near["verdict"] == "not_registered"


async def test_licence_number_any_way_and_status_verdicts(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    assert (await lookup(client, "№ KG 2023 00003"))["verdict"] == "suspended"
    assert (await lookup(client, "ru-2022-00020"))["verdict"] == "revoked"
    expired = await lookup(client, "UZ202000010")
    assert expired["verdict"] == "expired"  # active in the file, but valid_until has passed
    assert expired["match"]["status"] == "active"
    assert expired["match"]["matched_on"] == ["license_number"]


async def test_licensed_name_with_a_foreign_phone_warns(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    result = await lookup(client, "ТОО Жаксылык Агро, звоните +7 777 555 44 33")
    assert result["match"]["license_number"] == "KZ-2024-00002"
    assert result["warnings"] == ["phone_not_licence_holders"]
    assert result["foreign_phones"] == ["+77775554433"]


async def test_empty_and_overlong_queries_are_400(client: AsyncTestClient[Any]) -> None:
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "x" * 501}):
        response = await client.get("/api/v1/lookup", params=params)
        assert response.status_code == 400, params
        assert response.json()["error"]


async def test_lookup_sees_an_import_by_another_process(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    assert (await lookup(client, "ООО Новый Горизонт"))["match"] is None
    extra = TEST_DATA / "registry" / "small.csv"
    rows = extra.read_text(encoding="utf-8").splitlines()
    added = (
        rows[0]
        + "\n"
        + "KZ-2025-09999,ТОО «Новый Горизонт»,,company,KZ,active,2025-01-01,2099-01-01,+77015550011,,\n"
    )
    path = TEST_DATA.parent / "artifacts"
    path.mkdir(exist_ok=True)
    (path / "added.csv").write_text(added, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "registry.cli", "import-registry", str(path / "added.csv")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for _ in range(50):  # the contract allows 5 seconds; the test settings check every request
        found = await lookup(client, "ТОО Новый Горизонт")
        if found["match"]:
            break
        await asyncio.sleep(0.1)
    assert found["match"]["license_number"] == "KZ-2025-09999"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_cli_lookup_and_import_errors() -> None:
    imported = cli("import-registry", str(TEST_DATA / "registry" / "small.csv"))
    assert imported.returncode == 0, imported.stderr
    assert "6 new" in imported.stdout
    answer = cli("lookup", "Zhaksylyk Agro", "--json")
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["match"]["license_number"] == "KZ-2024-00002"
    plain = cli("lookup", "8 701 123 45 67")
    assert plain.stdout.startswith("LICENSED")
    bad = cli("import-registry", str(TEST_DATA / "registry" / "bad_rows.csv"))
    assert bad.returncode != 0
    assert "not imported" in bad.stderr
    assert "line 4, column status" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = cli("import-registry", "/nonexistent/file.csv")
    assert missing.returncode != 0
    assert missing.stderr.startswith("Cannot read")
    empty = cli("lookup", "")
    assert empty.returncode != 0
    assert "Traceback" not in empty.stderr
