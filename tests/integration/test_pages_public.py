"""The worker's pages over HTTP: language, lookup verdicts, complaint, status, size and privacy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from registry.i18n import LANGUAGES
from tests.integration.pages_helpers import csrf_token, load_small_registry, post_form

SIZE_LIMIT = 50 * 1024


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', page)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("ru-RU,ru;q=0.9", "ru"),
        ("ky-KG", "ky"),
        ("kk", "kk"),
        ("uz-Latn-UZ,uz;q=0.9", "uz"),
        ("tg-TJ", "tg"),
        ("en-GB,en;q=0.8", "en"),
        ("de-DE,fr;q=0.5", "ru"),
        ("de, kk;q=0.3, ky;q=0.7", "ky"),
        ("", "ru"),
    ],
)
async def test_home_page_speaks_the_browsers_language(
    client: AsyncTestClient[Any], accept: str, expected: str
) -> None:
    response = await client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert html_lang(response.text) == expected
    assert response.headers["content-language"] == expected
    assert 'name="q"' in response.text


async def test_each_language_has_its_own_words(client: AsyncTestClient[Any]) -> None:
    headings = set()
    for code in LANGUAGES:
        page = (await client.get("/", headers={"Accept-Language": code})).text
        headings.add(re.search(r"<h1>(.*?)</h1>", page).group(1))  # type: ignore[union-attr]
    assert len(headings) == len(LANGUAGES)


async def test_the_switcher_is_remembered(client: AsyncTestClient[Any]) -> None:
    response = await client.get(
        "/lang/kk", params={"next": "/status?ref=AB"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/status?ref=AB"
    assert "lang=kk" in response.headers["set-cookie"]
    page = await client.get("/", headers={"Accept-Language": "en"})
    assert html_lang(page.text) == "kk"
    # every page links to the switcher, keeping where the visitor was
    assert '/lang/en?next=%2F"' in page.text


async def test_the_switcher_never_leaves_the_site(client: AsyncTestClient[Any]) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = await client.get("/lang/ky", params={"next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"
    unknown = await client.get("/lang/xx", params={"next": "/complaint"}, follow_redirects=False)
    assert unknown.status_code == 303
    assert "set-cookie" not in unknown.headers


async def test_licensed_lookup_shows_verdict_licence_and_phones(
    client: AsyncTestClient[Any],
) -> None:
    await load_small_registry()
    api = (await client.get("/api/v1/lookup", params={"q": "Zhaksylyk Agro LLP"})).json()
    assert api["verdict"] == "licensed"
    page = (
        await client.get("/", params={"q": "Zhaksylyk Agro LLP"}, headers={"Accept-Language": "en"})
    ).text
    assert 'class="verdict v-licensed"' in page
    assert "Licensed" in page
    assert api["match"]["license_number"] in page
    for phone in api["match"]["phones"]:
        assert f'href="tel:{phone}"' in page
    assert 'type="application/json"' in page


async def test_suspended_licence_is_said_plainly(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    page = (
        await client.get("/", params={"q": "KG-2023-00003"}, headers={"Accept-Language": "ru"})
    ).text
    api = (await client.get("/api/v1/lookup", params={"q": "KG-2023-00003"})).json()
    assert f"v-{api['verdict']}" in page
    if api["verdict"] == "suspended":
        assert "Лицензия приостановлена" in page


async def test_near_name_is_not_registered_and_similar_names_are_not_the_same(
    client: AsyncTestClient[Any],
) -> None:
    await load_small_registry()
    q = "ТОО «Жаксылык Транс»"
    api = (await client.get("/api/v1/lookup", params={"q": q})).json()
    page = (await client.get("/", params={"q": q}, headers={"Accept-Language": "en"})).text
    assert api["verdict"] == "not_registered"
    assert "v-not_registered" in page
    assert "Not found in the register" in page
    assert "does not prove anything" in page
    verdict = page[page.index('class="verdict v-not_registered"') :]
    assert verdict.index("Do not pay") < verdict.index("does not prove anything")
    if api["candidates"]:
        assert "but NOT the same" in page
        for candidate in api["candidates"]:
            assert candidate["license_number"] in page
    assert "v-licensed" not in page


async def test_a_foreign_phone_with_a_licensed_name_warns_first(
    client: AsyncTestClient[Any],
) -> None:
    await load_small_registry()
    q = "ТОО «Жаксылык Агро» звоните +7 777 555 12 34"
    api = (await client.get("/api/v1/lookup", params={"q": q})).json()
    page = (await client.get("/", params={"q": q}, headers={"Accept-Language": "en"})).text
    assert api["verdict_detail"] == "impersonation_risk"
    assert api["verdict"] == "licensed"
    danger = page.index("This phone is not the agency")
    assert danger < page.index('class="verdict v-licensed context"')
    assert danger < page.index(api["match"]["license_number"])
    assert page.index("<h1") == page.index('<h1 id="verdict-h"')  # the warning is the heading
    for phone in api["foreign_phones"]:
        assert phone in page


async def test_too_long_query_is_refused_kindly(client: AsyncTestClient[Any]) -> None:
    text = "Работа на стройке, звоните " + "x" * 5000
    response = await client.post("/", data={"q": text}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Nothing was checked" in response.text
    assert "5,000" in response.text
    assert html_lang(response.text) == "en"
    assert text in response.text  # kept in the box, to be shortened, not lost
    ru = await client.post("/", data={"q": text}, headers={"Accept-Language": "ru"})
    assert "Ничего не проверено" in ru.text


async def test_hotlines_come_from_settings(
    client: AsyncTestClient[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from registry.settings import get_settings

    monkeypatch.setenv(
        "RECRUITWATCH_HOTLINES", "Migrant help KZ: +7 800 080 0080; Embassy KG: +996 312 000 000"
    )
    get_settings.cache_clear()
    try:
        page = (await client.get("/", params={"q": "anything at all"})).text
    finally:
        monkeypatch.delenv("RECRUITWATCH_HOTLINES")
        get_settings.cache_clear()
    assert 'href="tel:+78000800080"' in page
    assert "Embassy KG" in page


async def test_complaint_needs_a_csrf_token(client: AsyncTestClient[Any]) -> None:
    await client.get("/complaint")
    response = await client.post(
        "/complaint", data={"recruiter_name": "Ахметов Нурлан", "description": "x"}
    )
    assert response.status_code == 403
    assert "<html" in response.text


async def test_complaint_is_filed_and_followed_by_reference(client: AsyncTestClient[Any]) -> None:
    secret = "Он забрал мой паспорт на складе номер семь"
    contact = "whatsapp +996 700 111 222"
    response = await post_form(
        client,
        "/complaint",
        "/complaint",
        {
            "recruiter_name": "Ахметов Нурлан",
            "recruiter_phone": "0555 987 654",
            "indicators": ["document_retention", "withheld_wages"],
            "description": secret,
            "origin_country": "KG",
            "destination_country": "KZ",
            "sector": "стройка",
            "contact": contact,
        },
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/complaint/filed?ref=")
    reference = location.split("=", 1)[1]
    filed = await client.get(location, headers={"Accept-Language": "en"})
    assert filed.status_code == 200
    assert reference in filed.text
    assert "Write this code down" in filed.text
    status = await client.get(
        "/status", params={"ref": reference.lower()}, headers={"Accept-Language": "ru"}
    )
    assert status.status_code == 200
    assert "Получена: ожидает рассмотрения" in status.text
    # privacy: what the complainant wrote and how to reach them never appears on a public page
    lookup = await client.get("/", params={"q": "Ахметов Нурлан"})
    for page in (filed.text, status.text, lookup.text):
        assert secret not in page
        assert "996 700 111 222" not in page
        assert "стройка" not in page


async def test_complaint_lookup_counts_complaints_without_text(
    client: AsyncTestClient[Any], immediate_public_counts: None
) -> None:
    for _ in range(2):
        await post_form(
            client,
            "/complaint",
            "/complaint",
            {"recruiter_phone": "+996 555 444 333", "description": "тайна жалобы"},
        )
    api = (await client.get("/api/v1/lookup", params={"q": "+996 555 444 333"})).json()
    page = (
        await client.get("/", params={"q": "+996 555 444 333"}, headers={"Accept-Language": "en"})
    ).text
    assert api["reports"]["complaints"] == 2
    assert "2 complaints were made" in page
    assert "counted here 0 hours after" in page
    assert "тайна жалобы" not in page


async def test_invalid_complaint_shows_the_problems_in_the_language(
    client: AsyncTestClient[Any],
) -> None:
    response = await post_form(
        client,
        "/complaint",
        "/complaint",
        {"description": "", "recruiter_phone": "abc", "sector": "ферма"},
        headers={"Accept-Language": "ky"},
    )
    assert response.status_code == 400
    assert html_lang(response.text) == "ky"
    assert "Бул телефон номерине окшобойт" in response.text
    assert 'value="ферма"' in response.text  # what was typed is kept
    assert csrf_token(response.text)


async def test_unknown_reference_says_so(client: AsyncTestClient[Any]) -> None:
    response = await client.get(
        "/status", params={"ref": "AAAA-BBBB-CCCC"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 404
    assert "No complaint has this reference" in response.text


async def test_public_pages_are_small_and_script_free(client: AsyncTestClient[Any]) -> None:
    await load_small_registry()
    filed = await post_form(
        client,
        "/complaint",
        "/complaint",
        {"recruiter_name": "Сабитов Бек", "description": "обман"},
    )
    urls = [
        "/",
        "/?q=Zhaksylyk+Agro",
        "/?q=" + "Ищем рабочих на стройку +7 701 123 45 67 " * 10,
        "/complaint",
        "/status",
        filed.headers["location"],
    ]
    for url in urls:
        for language in LANGUAGES:
            response = await client.get(url, headers={"Accept-Language": language})
            assert response.status_code == 200, url
            assert len(response.content) < SIZE_LIMIT, (url, language, len(response.content))
            assert "<script" not in response.text
            assert response.headers["content-security-policy"].startswith("default-src 'none'")
    css = await client.get("/static/app.css")
    assert css.status_code == 200
    assert "max-age" in css.headers["cache-control"]


async def test_forms_are_labelled(client: AsyncTestClient[Any]) -> None:
    page = (await client.get("/complaint")).text
    ids = set(re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page))
    labelled = set(re.findall(r'<label for="([^"]+)"', page))
    assert ids <= labelled, ids - labelled
    for code in (
        "abuse_of_vulnerability",
        "deception",
        "restricted_movement",
        "isolation",
        "violence",
        "threats",
        "document_retention",
        "withheld_wages",
        "debt_bondage",
        "abusive_conditions",
        "excessive_overtime",
    ):
        assert f'value="{code}"' in page


async def test_public_pages_set_no_session(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/")
    assert "rw_session" not in response.headers.get("set-cookie", "")
