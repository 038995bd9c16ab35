"""Regulators merge and split recruiter profiles, and filter and sort the flag queue."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from registry.tables import AuditEntry, RecruiterProfile
from tests.integration.test_complaints import complain


async def test_merge_and_split_are_audited_and_move_the_evidence(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    for _ in range(2):
        await complain(client, recruiter_name="Абдуллаев Шерзод", recruiter_phone="+998901234567")
    await complain(client, recruiter_name="Sherzod aka", recruiter_phone="+998977654321")
    profiles = (await client.get("/api/v1/profiles", headers=regulator_headers)).json()
    assert profiles["total"] == 2
    first, second = sorted(p["id"] for p in profiles["items"])
    merged = await client.post(
        "/api/v1/profiles/merge",
        json={"source": second, "target": first},
        headers=regulator_headers,
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["complaint_count"] == 3
    assert sorted(merged.json()["phones"]) == ["+998901234567", "+998977654321"]
    flags = (await client.get("/api/v1/flags", headers=regulator_headers)).json()["items"]
    assert [(f["reasons"], f["complaint_count"]) for f in flags] == [(["repeated_complaints"], 3)]

    split = await client.post(
        f"/api/v1/profiles/{first}/split",
        json={"phones": ["+998977654321"]},
        headers=regulator_headers,
    )
    assert split.status_code == 200, split.text
    assert split.json()["new"]["complaint_count"] == 1
    assert split.json()["source"]["complaint_count"] == 2
    assert split.json()["new"]["phones"] == ["+998977654321"]
    after = (await client.get("/api/v1/flags", headers=regulator_headers)).json()["items"]
    assert [f["reasons"] for f in after] == [[]]  # the flag stays, its reason gone below three
    actions = [
        r["action"] for r in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
    ]
    assert "profiles_merged" in actions
    assert "profile_split" in actions


async def test_merge_refuses_nonsense(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    await complain(client, recruiter_phone="+998901234567")
    only = (await RecruiterProfile.select(RecruiterProfile.id).first())["id"]
    same = await client.post(
        "/api/v1/profiles/merge", json={"source": only, "target": only}, headers=regulator_headers
    )
    assert same.status_code == 400
    missing = await client.post(
        "/api/v1/profiles/merge", json={"source": only, "target": 999}, headers=regulator_headers
    )
    assert missing.status_code == 404
    bad_split = await client.post(
        f"/api/v1/profiles/{only}/split",
        json={"phones": ["+77010000000"]},
        headers=regulator_headers,
    )
    assert bad_split.status_code == 400


async def test_flag_queue_filters_and_sorts(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    for _ in range(3):
        await complain(client, recruiter_phone="+77011110000", indicators=["excessive_overtime"])
    for _ in range(4):
        await complain(
            client, recruiter_phone="+77022220000", indicators=["document_retention", "violence"]
        )
    by_severity = (await client.get("/api/v1/flags", headers=regulator_headers)).json()["items"]
    assert [f["subject"]["phones"] for f in by_severity] == [["+77022220000"], ["+77011110000"]]
    assert by_severity[0]["severity"] > by_severity[1]["severity"]
    oldest_first = (
        await client.get(
            "/api/v1/flags", params={"sort": "opened_at", "order": "asc"}, headers=regulator_headers
        )
    ).json()["items"]
    assert oldest_first[0]["subject"]["phones"] == ["+77011110000"]
    await client.patch(
        f"/api/v1/flags/{oldest_first[0]['id']}",
        json={"status": "escalated", "note": "police"},
        headers=regulator_headers,
    )
    escalated = (
        await client.get("/api/v1/flags", params={"status": "escalated"}, headers=regulator_headers)
    ).json()
    assert escalated["total"] == 1
    by_reason = (
        await client.get(
            "/api/v1/flags", params={"reason": "unlicensed_advertising"}, headers=regulator_headers
        )
    ).json()
    assert by_reason["total"] == 0
    paged = (
        await client.get(
            "/api/v1/flags", params={"limit": 1, "offset": 1}, headers=regulator_headers
        )
    ).json()
    assert paged["total"] == 2
    assert len(paged["items"]) == 1
    bad = await client.get(
        "/api/v1/flags", params={"reason": "witchcraft"}, headers=regulator_headers
    )
    assert bad.status_code == 400
