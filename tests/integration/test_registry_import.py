"""The register's import through the HTTP API and the CLI: validation, atomicity, idempotence, history."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from registry.tables import Licence, LicenceChange
from tests.helpers import TEST_DATA

REGISTRY = TEST_DATA / "registry"


def csv_bytes(name: str) -> bytes:
    return (REGISTRY / name).read_bytes()


async def test_import_requires_a_regulator(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/api/v1/registry/import", content=csv_bytes("small.csv"))
    assert response.status_code == 401
    assert await Licence.count() == 0


async def test_import_with_a_forged_token_is_refused(client: AsyncTestClient[Any]) -> None:
    response = await client.post(
        "/api/v1/registry/import",
        content=csv_bytes("small.csv"),
        headers={"Authorization": "Bearer not.a.token"},
    )
    assert response.status_code == 401


async def test_import_stores_licences_with_e164_phones(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/registry/import", content=csv_bytes("small.csv"), headers=regulator_headers
    )
    assert response.status_code == 200, response.text
    assert response.json() | {"import_id": None} == {
        "rows": 6,
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "dry_run": False,
        "import_id": None,
        "warnings": [],
    }
    licence = (await client.get("/api/v1/intermediaries/KZ-2024-00002")).json()
    assert licence["phones"] == ["+77011234567", "+77076083299"]
    assert licence["aliases"] == ["Zhaksylyk Agro LLP", "JAKSYLYK-AGRO TOO"]
    assert licence["valid_until"] == "2099-05-26"
    kg = (await client.get("/api/v1/intermediaries/KG-2023-00003")).json()
    assert kg["phones"] == ["+996555123456"]
    assert kg["status"] == "suspended"


async def test_second_import_of_the_same_file_changes_nothing(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    for _ in range(2):
        response = await client.post(
            "/api/v1/registry/import", content=csv_bytes("small.csv"), headers=regulator_headers
        )
    assert response.json()["created"] == 0
    assert response.json()["unchanged"] == 6
    assert await Licence.count() == 6
    assert await LicenceChange.count() == 6


async def test_changed_licence_keeps_its_history(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    await client.post(
        "/api/v1/registry/import", content=csv_bytes("small.csv"), headers=regulator_headers
    )
    changed = csv_bytes("small.csv").replace(
        b"KZ-2024-00003,\xd0\xa2\xd0\x9e\xd0\x9e \xc2\xab\xd0\x96\xd0\xb0\xd0\xba\xd1\x81\xd1\x8b\xd0\xbb\xd1\x8b\xd0\xba \xd0\xa1\xd1\x82\xd1\x80\xd0\xbe\xd0\xb9\xc2\xbb,,company,KZ,active",
        "KZ-2024-00003,ТОО «Жаксылык Строй»,,company,KZ,revoked".encode(),
    )
    assert changed != csv_bytes("small.csv")
    response = await client.post(
        "/api/v1/registry/import",
        files={"file": ("official.csv", changed, "text/csv")},
        headers=regulator_headers,
    )
    assert response.json()["updated"] == 1
    history = await client.get(
        "/api/v1/registry/licences/KZ-2024-00003/history", headers=regulator_headers
    )
    items = history.json()["items"]
    assert [i["action"] for i in items] == ["created", "updated"]
    assert items[1]["changes"] == {"status": ["active", "revoked"]}
    assert items[1]["actor"] == "inspector"
    assert items[1]["import_id"] is not None


async def test_bom_is_accepted(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/registry/import", content=csv_bytes("bom.csv"), headers=regulator_headers
    )
    assert response.status_code == 200, response.text
    assert (await client.get("/api/v1/intermediaries/KZ-2024-00002")).status_code == 200


async def test_wrong_encoding_is_refused_with_a_reason(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/registry/import", content=csv_bytes("cp1251.csv"), headers=regulator_headers
    )
    assert response.status_code == 422
    assert "UTF-8" in response.json()["details"][0]["reason"]
    assert await Licence.count() == 0


async def test_missing_required_column(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/registry/import",
        content=csv_bytes("missing_column.csv"),
        headers=regulator_headers,
    )
    assert response.status_code == 422
    assert response.json()["details"] == [
        {"line": 1, "column": "name", "reason": "required column is missing from the header"}
    ]


async def test_every_bad_row_is_reported_and_nothing_is_written(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/registry/import", content=csv_bytes("bad_rows.csv"), headers=regulator_headers
    )
    assert response.status_code == 422
    found = {(d["line"], d["column"]) for d in response.json()["details"]}
    assert {
        (2, "valid_from"),
        (3, "name"),
        (4, "status"),
        (5, "phones"),
        (6, "license_number"),
        (8, "kind"),
        (8, "country"),
        (8, "phones"),
        (8, "email"),
    } <= found
    assert not any(line == 7 for line, _ in found)
    assert await Licence.count() == 0
    assert await LicenceChange.count() == 0


async def test_dry_run_reports_without_writing(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/registry/import?dry_run=true",
        content=csv_bytes("small.csv"),
        headers=regulator_headers,
    )
    assert response.json()["created"] == 6
    assert response.json()["dry_run"] is True
    assert await Licence.count() == 0


async def test_empty_body_is_a_clear_400(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    response = await client.post("/api/v1/registry/import", content=b"", headers=regulator_headers)
    assert response.status_code == 400
    assert "CSV" in response.json()["error"]


async def test_unknown_licence_is_404(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/api/v1/intermediaries/KZ-1999-99999")
    assert response.status_code == 404
    assert "KZ-1999-99999" in response.json()["error"]


async def test_a_licence_ending_before_it_began_is_imported_with_a_warning(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    odd = (
        "license_number,name,status,valid_from,valid_until\n"
        "KZ-2025-00523,ТОО «Тенгри Стафф»,expired,2025-12-07,2025-11-28\n"
    ).encode()
    response = await client.post("/api/v1/registry/import", content=odd, headers=regulator_headers)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1
    assert response.json()["warnings"] == [
        {"line": 2, "column": "valid_until", "reason": "is before valid_from"}
    ]


async def test_every_applied_import_is_audited_once_with_who_and_which_file(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    from registry.tables import AuditEntry

    for _ in range(2):
        await client.post(
            "/api/v1/registry/import",
            files={"file": ("official.csv", csv_bytes("small.csv"), "text/csv")},
            headers=regulator_headers,
        )
    await client.post(
        "/api/v1/registry/import?dry_run=true",
        content=csv_bytes("small.csv"),
        headers=regulator_headers,
    )
    rows = (
        await AuditEntry.select()
        .where(AuditEntry.action == "registry_import")
        .output(load_json=True)
    )
    assert [(r["actor"], r["detail"]["filename"], r["detail"]["created"]) for r in rows] == [
        ("inspector", "official.csv", 6),
        ("inspector", "official.csv", 0),
    ]
