"""Real Chromium against a live server: the worker's lookup and complaint, the regulator's review.

Screenshots of the main pages, phone-sized, go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.helpers import ARTIFACTS, TEST_DATA

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 900}


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def html_lang(page: Any) -> str:
    return str(page.locator("html").get_attribute("lang"))


def sign_in(page: Any, live_server: Any) -> None:
    page.goto("/console/flags")
    assert "/console/login" in page.url
    page.get_by_label(re.compile("Username|Имя пользователя")).fill(live_server.regulator)
    page.get_by_label(re.compile("Password|Пароль")).fill(live_server.password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/console/flags")


def test_lookup_in_russian_then_kyrgyz_remembered(open_page: Any) -> None:
    page = open_page("ru-RU")
    page.goto("/")
    assert html_lang(page) == "ru"
    shot(page, "lookup-empty-ru")
    page.get_by_label(re.compile("Имя, номер телефона")).fill("Zhaksylyk Agro LLP")
    page.get_by_role("button", name="Проверить").click()
    page.wait_for_selector(".verdict")
    assert page.locator(".verdict.v-licensed").count() == 1
    assert "KZ-2024-00002" in page.content()
    shot(page, "lookup-licensed-ru")

    page.get_by_role("link", name="Кыргызча").click()
    page.wait_for_load_state()
    assert html_lang(page) == "ky"
    assert page.locator(".verdict.v-licensed").count() == 1  # the same result, now in Kyrgyz
    page.goto("/?q=" + "ТОО «Жаксылык Транс»")
    assert html_lang(page) == "ky"  # the choice is remembered over Accept-Language
    assert page.locator(".verdict.v-not_registered").count() == 1
    shot(page, "lookup-not-registered-ky")


def test_lookup_in_english_and_uzbek(open_page: Any) -> None:
    page = open_page("en-US")
    page.goto("/?q=KG-2023-00003")
    assert html_lang(page) == "en"
    assert page.locator(".verdict").count() == 1
    shot(page, "lookup-en")
    uz = open_page("uz-UZ")
    uz.goto("/?q=Sabitov+Bek")
    assert html_lang(uz) == "uz"
    assert uz.locator(".verdict").count() == 1
    shot(uz, "lookup-uz")


def test_complaint_filed_and_status_checked(open_page: Any) -> None:
    page = open_page("ru-RU")
    page.goto("/")
    page.get_by_role("link", name="Сообщить о нарушении").click()
    page.get_by_label("Имя человека или название агентства").fill("Ахметов Ерлан")
    page.get_by_label("Его номер телефона").fill("+7 705 000 11 22")
    page.get_by_label(re.compile("забрал ваш паспорт")).check()
    page.get_by_label(re.compile("не платили зарплату")).check()
    page.get_by_label("Расскажите своими словами, что случилось").fill(
        "Забрали паспорт, не платят."
    )
    page.get_by_label("Страна, откуда вы приехали").select_option("KG")
    page.get_by_label("Страна работы").select_option("KZ")
    shot(page, "complaint-form-ru")
    page.get_by_role("button", name="Отправить жалобу").click()
    page.wait_for_url("**/complaint/filed?ref=*")
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    shot(page, "complaint-reference-ru")

    status = open_page("tg-TJ")
    status.goto("/status")
    assert html_lang(status) == "tg"
    status.locator("#ref").fill(reference)
    status.locator("form.search button").click()
    status.wait_for_selector("[role=status]")
    assert reference in status.content()
    assert "Забрали паспорт" not in status.content()
    shot(status, "status-tg")


def test_regulator_reviews_a_flag(open_page: Any, live_server: Any) -> None:
    phone = "+996 555 010 203"
    for n in range(3):
        response = httpx.post(
            f"{live_server.url}/api/v1/complaints",
            json={"recruiter_phone": phone, "description": f"обман {n}"},
            timeout=10,
        )
        assert response.status_code == 201
    page = open_page("en-GB", DESK)
    sign_in(page, live_server)
    page.get_by_label("Reason").select_option("repeated_complaints")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    shot(page, "console-flags")
    page.locator("table a", has_text="+996555010203").first.click()
    page.wait_for_selector("h1")
    assert "+996555010203" in page.content()
    page.get_by_label("New status").select_option("under_review")
    page.get_by_label(re.compile("Note")).fill("Calling the recruiter's number")
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_selector(".notice")
    assert "Status changed to under_review." in page.locator(".notice").inner_text()
    assert "Calling the recruiter's number" in page.content()
    shot(page, "console-flag")
    page.goto("/console/dashboard")
    assert page.locator("svg.chart").count() >= 2
    shot(page, "console-dashboard")
    phone_view = open_page("ru-RU")
    sign_in(phone_view, live_server)
    shot(phone_view, "console-flags-phone")


def test_csv_import_shows_each_bad_row(open_page: Any, live_server: Any) -> None:
    page = open_page("en-GB", DESK)
    sign_in(page, live_server)
    page.get_by_role("link", name="Import").click()
    page.get_by_label("CSV file").set_input_files(str(TEST_DATA / "registry" / "bad_rows.csv"))
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("#import-errors")
    rows = page.locator("#import-errors tbody tr")
    assert rows.count() >= 4
    lines = {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
    assert {"2", "3", "4", "5"} <= lines
    shot(page, "console-import-errors")
