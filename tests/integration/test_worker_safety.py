"""The worker's safety over HTTP and the CLI: the danger said first, long ads read whole, public
complaint counts that cannot betray a complainant, reference codes that forgive typing."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from registry.settings import get_settings
from registry.tables import Complaint, Flag
from tests.integration.pages_helpers import load_small_registry

AGRO = "KZ-2024-00002"
IMPOSTOR_AD = "ТОО Жаксылык Агро, звоните +7 777 555 44 33"


def long_ad(tail: str, length: int = 2000) -> str:
    """An ad of ``length`` characters whose last words are ``tail``: what a page used to cut off."""
    head = "ТОО «Жаксылык Агро» набирает рабочих на стройку в Алматы. "
    filler = "Жильё и питание, оплата каждую неделю, опыт не нужен. "
    body = head + filler * (length // len(filler))
    return body[: length - len(tail) - 1] + " " + tail


@pytest.fixture
def public_counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The defaults, set explicitly: counts published after 24 hours, complaints from 3."""
    monkeypatch.setenv("RECRUITWATCH_PUBLIC_REPORT_DELAY_HOURS", "24")
    monkeypatch.setenv("RECRUITWATCH_PUBLIC_COMPLAINTS_MIN", "3")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def get_lookup(client: AsyncTestClient[Any], q: str) -> dict[str, Any]:
    response = await client.get("/api/v1/lookup", params={"q": q})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def post_lookup(client: AsyncTestClient[Any], q: str) -> dict[str, Any]:
    response = await client.post("/api/v1/lookup", json={"q": q})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_impersonation_is_a_verdict_detail(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    impostor = await get_lookup(client, IMPOSTOR_AD)
    assert impostor["verdict"] == "licensed"  # the contract's verdict is kept
    assert impostor["verdict_detail"] == "impersonation_risk"
    assert impostor["foreign_phones"] == ["+77775554433"]
    genuine = await get_lookup(client, "ТОО «Жаксылык Агро», звоните 8 (701) 123-45-67")
    assert genuine["verdict"] == "licensed"
    assert genuine["verdict_detail"] is None
    unknown = await get_lookup(client, "ТОО «Жаксылык Транс»")
    assert unknown["verdict_detail"] is None
    revoked = await get_lookup(client, "ООО «Голден Ворк Тревел» +7 777 000 11 22")
    assert revoked["verdict"] == "revoked"
    assert revoked["verdict_detail"] == "impersonation_risk"


async def test_post_lookup_reads_a_long_ad_whole(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    ad = long_ad("Звоните: +7 777 555 44 33")
    assert len(ad) == 2000
    answer = await post_lookup(client, ad)
    assert answer["match"]["license_number"] == AGRO
    assert answer["verdict_detail"] == "impersonation_risk"
    assert answer["foreign_phones"] == ["+77775554433"]
    assert answer["query"] == ad
    # the same text in the URL is refused, never cut, and the answer says where to send it
    too_long = await client.get("/api/v1/lookup", params={"q": ad})
    assert too_long.status_code == 400
    assert "POST /api/v1/lookup" in too_long.json()["error"]
    # a short query gets the same answer either way
    assert await post_lookup(client, IMPOSTOR_AD) == await get_lookup(client, IMPOSTOR_AD)


async def test_post_lookup_limits(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    at_limit = await post_lookup(client, long_ad("+7 777 555 44 33", 5000))
    assert at_limit["verdict_detail"] == "impersonation_risk"
    for body in ({"q": long_ad("+7 777 555 44 33", 5001)}, {"q": ""}, {"q": "  "}, {}, {"x": 1}):
        response = await client.post("/api/v1/lookup", json=body)
        assert response.status_code == 400, body
        assert response.json()["error"], body
    over = await client.post("/api/v1/lookup", json={"q": "x" * 5001})
    assert "5000" in over.json()["error"] or "5,000" in over.json()["error"]


async def test_the_page_reads_a_long_ad_by_post(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    ad = long_ad("Звоните: +7 777 555 44 33")
    page = await client.post("/", data={"q": ad}, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "This phone is not the agency" in page.text
    assert "+77775554433" in page.text
    assert 'method="post"' in page.text
    assert 'maxlength="500"' not in page.text  # a browser would cut a pasted ad silently


async def _file(client: AsyncTestClient[Any], phone: str, n: int) -> list[str]:
    references = []
    for i in range(n):
        response = await client.post(
            "/api/v1/complaints", json={"recruiter_phone": phone, "description": f"обман {i}"}
        )
        assert response.status_code == 201, response.text
        references.append(response.json()["reference"])
    return references


async def _age(references: list[str], hours: float) -> None:
    """Move complaints (and their recruiter's flag) back in time, as if filed ``hours`` ago."""
    when = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
    await Complaint.update({Complaint.received_at: when}).where(
        Complaint.reference.is_in(references)
    )
    profiles = await Complaint.select(Complaint.profile).where(
        Complaint.reference.is_in(references)
    )
    await Flag.update({Flag.opened_at: when}).where(
        Flag.profile.is_in([p["profile"] for p in profiles])
    )


async def test_public_counts_are_delayed_and_thresholded(
    client: AsyncTestClient[Any], public_counts: None, regulator_headers: dict[str, str]
) -> None:
    phone = "+996 555 777 001"
    first = await _file(client, phone, 1)
    assert (await get_lookup(client, phone))["reports"] == {"complaints": 0, "flags": 0}
    await _age(first, 25)
    # one old complaint: still 0, a count of one would point at its complainant
    assert (await get_lookup(client, phone))["reports"]["complaints"] == 0
    fresh = await _file(client, phone, 2)
    # three complaints, two of them fresh: only the old one is public, which is below 3
    assert (await get_lookup(client, phone))["reports"]["complaints"] == 0
    await _age(fresh, 24.5)
    reports = (await get_lookup(client, phone))["reports"]
    assert reports["complaints"] == 3
    assert reports["flags"] == 1
    assert (await post_lookup(client, phone))["reports"] == reports
    # regulators see everything at once
    fourth = await _file(client, phone, 1)
    assert (await get_lookup(client, phone))["reports"]["complaints"] == 3
    flags = await client.get(
        "/api/v1/flags", params={"reason": "repeated_complaints"}, headers=regulator_headers
    )
    assert [f["complaint_count"] for f in flags.json()["items"]] == [4]
    assert fourth


async def test_a_fresh_flag_is_not_public(
    client: AsyncTestClient[Any], public_counts: None
) -> None:
    phone = "+996 555 777 002"
    references = await _file(client, phone, 3)
    assert (await get_lookup(client, phone))["reports"] == {"complaints": 0, "flags": 0}
    await _age(references, 23)
    assert (await get_lookup(client, phone))["reports"] == {"complaints": 0, "flags": 0}
    await _age(references, 24.1)
    assert (await get_lookup(client, phone))["reports"] == {"complaints": 3, "flags": 1}


async def test_the_page_says_how_counts_are_published(
    client: AsyncTestClient[Any], public_counts: None
) -> None:
    await _file(client, "+996 555 777 003", 1)
    page = await client.get(
        "/", params={"q": "+996 555 777 003"}, headers={"Accept-Language": "en"}
    )
    assert "No complaints are recorded" in page.text
    assert "counted here 24 hours after they are made" in page.text
    assert "at least 3" in page.text


_CYRILLIC = str.maketrans("ABCEHKMPTXY3", "АВСЕНКМРТХУЗ")


def typed_variants(reference: str) -> list[str]:
    compact = reference.replace("-", "")
    return [
        reference.lower(),
        compact,
        compact.lower(),
        " ".join(reference.split("-")),
        f"  {reference}  ",
        reference.translate(_CYRILLIC),
        reference.translate(_CYRILLIC).lower(),
        compact.translate(_CYRILLIC).lower(),
        reference.replace("-", "–"),
    ]


async def test_reference_codes_forgive_typing(client: AsyncTestClient[Any]) -> None:
    (reference,) = await _file(client, "+996 555 777 004", 1)
    for typed in typed_variants(reference):
        api = await client.get(f"/api/v1/complaints/{typed}")
        assert api.status_code == 200, typed
        assert api.json()["reference"] == reference
        page = await client.get("/status", params={"ref": typed})
        assert page.status_code == 200, typed
    wrong = reference[:-1] + ("A" if reference[-1] != "A" else "B")
    assert (await client.get(f"/api/v1/complaints/{wrong}")).status_code == 404
    assert (await client.get("/status", params={"ref": wrong})).status_code == 404


async def test_a_reference_never_wraps_inside_a_group(client: AsyncTestClient[Any]) -> None:
    (reference,) = await _file(client, "+996 555 777 005", 1)
    page = (await client.get("/status", params={"ref": reference})).text
    groups = reference.split("-")
    assert "-<wbr>".join(f'<span class="nowrap">{g}</span>' for g in groups) in page
    css = (await client.get("/static/app.css")).text
    assert "break-all" not in css


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_cli_says_the_danger_first() -> None:
    await load_small_registry()
    plain = cli("lookup", IMPOSTOR_AD)
    assert plain.returncode == 0, plain.stderr
    first = plain.stdout.splitlines()[0]
    assert first.startswith("DANGER")
    assert "+77775554433" in first
    assert "LICENSED" not in first
    answer = json.loads(cli("lookup", long_ad("+7 777 555 44 33"), "--json").stdout)
    assert answer["verdict_detail"] == "impersonation_risk"
