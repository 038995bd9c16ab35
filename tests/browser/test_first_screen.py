"""On a 360x740 phone, in every language, the verdict is the first thing a worker sees."""

from __future__ import annotations

from typing import Any

import pytest

from registry.i18n import LANGUAGES
from tests.helpers import ARTIFACTS

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
QUERIES = {
    "licensed": "Zhaksylyk Agro LLP",
    "impostor": "ТОО Жаксылык Агро, звоните +7 777 555 44 33",
    "not_registered": "ТОО «Жаксылык Транс»",
    "revoked": "RU-2022-00020",
}


def first_screen_check(page: Any) -> dict[str, Any]:
    """Where the heading and its one-line meaning end, and where the licence card starts."""
    return dict(
        page.evaluate(
            """() => {
        const h = document.querySelector('h1');
        const lead = h.closest('section').querySelector('.lead');
        const card = document.querySelector('#lic-h');
        return {
            heading: h.textContent.trim(),
            headingBottom: h.getBoundingClientRect().bottom,
            leadBottom: lead ? lead.getBoundingClientRect().bottom : null,
            cardTop: card ? card.getBoundingClientRect().top : null,
            screen: window.innerHeight,
            sectionClass: h.closest('section').className,
        };
    }"""
        )
    )


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_verdict_is_on_the_first_screen(open_page: Any, language: str) -> None:
    page = open_page(language, SMALL_PHONE)
    for case, query in QUERIES.items():
        page.goto("/")
        page.locator("#q").fill(query)
        page.locator("form.search button[type=submit]").click()
        page.wait_for_selector("h1#verdict-h, h1#status-h")
        found = first_screen_check(page)
        # the first screen, as a worker sees it, for a person to look at
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"first-screen-{case}-{language}.png"))
        assert found["leadBottom"] is not None, (language, case)
        assert found["leadBottom"] <= found["screen"], (language, case, found)
        if case == "impostor":
            assert "v-impersonation" in found["sectionClass"], (language, found)
            assert found["cardTop"] > found["headingBottom"], (language, found)
        else:
            assert f"v-{case}" in found["sectionClass"], (language, case, found)


def test_a_long_ad_with_a_foreign_phone_at_its_end_warns(open_page: Any) -> None:
    filler = "Жильё и питание, оплата каждую неделю, опыт не нужен. "
    ad = "ТОО «Жаксылык Агро» набирает рабочих на стройку в Алматы. " + filler * 40
    tail = " Звоните: +7 777 555 44 33"
    ad = ad[: 2000 - len(tail)] + tail
    assert len(ad) == 2000
    page = open_page("ru-RU", SMALL_PHONE)
    page.goto("/")
    page.locator("#q").fill(ad)
    assert len(page.locator("#q").input_value()) == 2000  # the box keeps all of it
    page.locator("form.search button[type=submit]").click()
    page.wait_for_selector("h1")
    found = first_screen_check(page)
    assert "v-impersonation" in found["sectionClass"], found
    assert found["leadBottom"] <= found["screen"]
    assert "+77775554433" in page.content()
