"""Complaints through the public API: validation, references, privacy, profiles and flags."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from litestar.testing import AsyncTestClient

from registry.tables import AuditEntry, Complaint, Flag, RecruiterProfile
from tests.integration.test_lookup import load_small_registry

REFERENCE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


async def complain(client: AsyncTestClient[Any], **body: Any) -> str:
    body.setdefault("description", "Забрали паспорт и не платят зарплату.")
    response = await client.post("/api/v1/complaints", json=body)
    assert response.status_code == 201, response.text
    assert set(response.json()) == {"reference"}
    return str(response.json()["reference"])


async def test_reference_is_readable_and_status_says_nothing_else(
    client: AsyncTestClient[Any],
) -> None:
    reference = await complain(client, recruiter_phone="0555 111 222", contact="+996 700 000 111")
    assert REFERENCE.match(reference)
    status = await client.get(f"/api/v1/complaints/{reference}")
    assert status.status_code == 200
    assert set(status.json()) == {"reference", "status", "received_at"}
    assert (await client.get(f"/api/v1/complaints/{reference.lower()}")).status_code == 200
    assert (await client.get("/api/v1/complaints/AAAA-BBBB-CCCC")).status_code == 404


async def test_invalid_complaints_are_400_with_reasons(client: AsyncTestClient[Any]) -> None:
    cases = [
        ({"description": "x"}, "recruiter_name"),
        ({"description": "", "recruiter_name": "Bek"}, "description"),
        ({"description": "x", "recruiter_name": "Bek", "indicators": ["slavery"]}, "indicators"),
        ({"description": "x", "recruiter_name": "Bek", "origin_country": "QQ"}, "origin_country"),
        ({"description": "x", "recruiter_phone": "not a phone"}, "recruiter_phone"),
        ({"description": "x" * 5001, "recruiter_name": "Bek"}, "description"),
        ({"recruiter_name": "Bek"}, "description"),
        ({"description": "x", "recruiter_name": "Bek", "unexpected": 1}, "unexpected"),
    ]
    for body, field in cases:
        response = await client.post("/api/v1/complaints", json=body)
        assert response.status_code == 400, (body, response.text)
        assert field in response.text, (body, response.text)
    assert await Complaint.count() == 0


async def test_contact_is_encrypted_and_only_regulators_read_it_audited(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    reference = await complain(
        client, recruiter_name="Ахметов Нурлан", contact="whatsapp +996700123456"
    )
    stored = await Complaint.select(Complaint.contact_encrypted).first()
    assert "996700123456" not in stored["contact_encrypted"]
    assert (await client.get(f"/api/v1/complaints/{reference}/contact")).status_code == 401
    listing = await client.get("/api/v1/complaints", headers=regulator_headers)
    assert listing.json()["total"] == 1
    assert "996700123456" not in listing.text
    contact = await client.get(f"/api/v1/complaints/{reference}/contact", headers=regulator_headers)
    assert contact.json()["contact"] == "whatsapp +996700123456"
    reads = await AuditEntry.select().where(AuditEntry.action == "complaint_contact_read")
    assert [(r["actor"], r["subject_id"]) for r in reads] == [("inspector", reference)]


async def test_three_complaints_open_one_repeated_complaints_flag(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    phones = ["0772 254 347", "+996 772 254347", "996772254347"]
    for i, phone in enumerate(phones):
        await complain(
            client,
            recruiter_name="Жумшаев Нурик",
            recruiter_phone=phone,
            indicators=["document_retention"] if i == 0 else ["excessive_overtime"],
            origin_country="KG",
        )
        flags = (await client.get("/api/v1/flags", headers=regulator_headers)).json()
        if i < 2:
            assert flags["total"] == 0, "no flag below the threshold"
    assert flags["total"] == 1
    flag = flags["items"][0]
    assert flag["reasons"] == ["repeated_complaints"]
    assert flag["complaint_count"] == 3
    assert flag["subject"] == {
        "license_number": None,
        "names": ["Жумшаев Нурик"],
        "phones": ["+996772254347"],
        "claimed_licences": [],
    }
    assert flag["status"] == "open"


async def test_complaints_about_an_inactive_licence_flag_it(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    await load_small_registry()
    await complain(client, recruiter_name="Ordo Kadrovoe Agentstvo")
    items = (await client.get("/api/v1/flags", headers=regulator_headers)).json()["items"]
    assert [i["reasons"] for i in items] == [["inactive_license"]]
    assert items[0]["subject"]["license_number"] == "KG-2023-00003"


async def test_similar_names_do_not_merge_recruiters(client: AsyncTestClient[Any]) -> None:
    await complain(client, recruiter_name="Ахметов Нурлан", recruiter_phone="+77011112233")
    await complain(client, recruiter_name="Ахметов Ерлан", recruiter_phone="+77014445566")
    await complain(client, recruiter_name="Ахметов Нурлан Серикович")
    assert await RecruiterProfile.count() == 2


async def test_new_evidence_links_two_profiles(client: AsyncTestClient[Any]) -> None:
    await complain(client, recruiter_name="Karimov Rustam", recruiter_phone="+998901112233")
    await complain(client, recruiter_phone="+998 90 111 22 33")
    await complain(client, recruiter_name="Каримов Рустам")
    assert await RecruiterProfile.count().where(RecruiterProfile.merged_into.is_null()) == 1


async def test_flag_status_changes_are_kept_and_dismissed_flags_reopen(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    for _ in range(3):
        await complain(client, recruiter_phone="+992 93 555 66 77")
    flag = (await client.get("/api/v1/flags", headers=regulator_headers)).json()["items"][0]
    assert (
        await client.patch(f"/api/v1/flags/{flag['id']}", json={"status": "dismissed"})
    ).status_code == 401
    bad = await client.patch(
        f"/api/v1/flags/{flag['id']}", json={"status": "closed"}, headers=regulator_headers
    )
    assert bad.status_code == 400
    changed = await client.patch(
        f"/api/v1/flags/{flag['id']}",
        json={"status": "dismissed", "note": "duplicate reports"},
        headers=regulator_headers,
    )
    assert changed.json()["status"] == "dismissed"
    await complain(client, recruiter_phone="+992935556677")
    detail = (await client.get(f"/api/v1/flags/{flag['id']}", headers=regulator_headers)).json()
    assert detail["status"] == "open"
    assert detail["complaint_count"] == 4
    actions = [(e["action"], e["actor"], e["to_status"]) for e in detail["timeline"]]
    assert ("status_changed", "inspector", "dismissed") in actions
    assert ("reopened", "system", "open") in actions
    assert await AuditEntry.count().where(AuditEntry.action == "flag_status") == 1


async def test_revoking_a_licence_reevaluates_its_flag(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    await load_small_registry()
    await complain(client, recruiter_phone="+7 701 222 33 44")  # ТОО «Жаксылык Строй», active
    assert await Flag.count() == 0
    response = await client.patch(
        "/api/v1/registry/licences/KZ-2024-00003",
        json={"status": "revoked", "note": "fraud"},
        headers=regulator_headers,
    )
    assert response.status_code == 200, response.text
    items = (await client.get("/api/v1/flags", headers=regulator_headers)).json()["items"]
    assert [i["reasons"] for i in items] == [["inactive_license"]]


async def test_twenty_complaints_at_once_make_one_profile_and_one_flag(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str]
) -> None:
    async def one(i: int) -> int:
        response = await client.post(
            "/api/v1/complaints",
            json={
                "recruiter_name": "Турсунов Бахтиёр",
                "recruiter_phone": "+998 93 777 00 11",
                "description": f"жалоба {i}",
            },
        )
        return response.status_code

    codes = await asyncio.gather(*(one(i) for i in range(20)))
    assert codes == [201] * 20
    assert await Complaint.count() == 20
    assert await RecruiterProfile.count() == 1
    flags = (await client.get("/api/v1/flags", headers=regulator_headers)).json()
    assert flags["total"] == 1
    assert flags["items"][0]["complaint_count"] == 20


async def test_lookup_reports_count_complaints_about_an_unregistered_phone(
    client: AsyncTestClient[Any], immediate_public_counts: None
) -> None:
    for _ in range(3):
        await complain(client, recruiter_name="Сатыбалдиев Канат", recruiter_phone="+77029998877")
    result = (await client.get("/api/v1/lookup", params={"q": "8 702 999 88 77"})).json()
    assert result["verdict"] == "not_registered"
    assert result["reports"] == {"complaints": 3, "flags": 1}
    assert "Забрали" not in str(result)


async def test_a_typo_in_a_short_part_joins_only_where_phones_cannot_contradict(
    client: AsyncTestClient[Any],
) -> None:
    await complain(
        client,
        recruiter_name="ОсОО «Иссык-Куль Шанырак Консалтинг»",
        recruiter_phone="+996 555 010 203",
    )
    await complain(client, recruiter_name="Иссык-Кцль Шанырак Консалтинг")
    assert await RecruiterProfile.count() == 1
    await complain(
        client, recruiter_name="Ак Жол Мигрант Сервис", recruiter_phone="+996 555 777 001"
    )
    await complain(
        client, recruiter_name="Ак Кол Мигрант Сервис", recruiter_phone="+996 555 777 002"
    )
    assert await RecruiterProfile.count() == 3
