"""What an ad says about its recruiter: phones, names and risky wording."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching import RegistryIndex, RegistryRecord
from matching.ad_extraction import AdFields, extract_ad


def test_structured_fields_come_first_and_phones_are_read_in_the_ads_region() -> None:
    ad = AdFields(
        title="Жумуш бар! Курулушчулар керек",
        text="Айлык жакшы. Звоните Нурлан Ахметов 0555 123 456",
        organisation_names=("ОсОО «Береке Стафф»",),
        phones_raw=("0700 111 222",),
    )
    found = extract_ad(ad)
    assert found.names[0] == "ОсОО «Береке Стафф»"
    assert "Нурлан Ахметов" in found.names
    # a Kyrgyz ad: a number without a country code is read as Kyrgyz first
    assert found.phones == ["+996700111222", "+996555123456"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Требуются швеи. Обращаться: Айгуль Садыкова, +7 701 123 45 67", "Айгуль Садыкова"),
        ("Для связи: Айбек Токтосунов +996 555 123 456", "Айбек Токтосунов"),
        ("Жумуш бар. Байланыш үчүн: Нурлан Ахметов", "Нурлан Ахметов"),
        ("Ish bor. Murojaat uchun: Dilshod aka +998 90 123 45 67", "Dilshod aka"),
        ("Кор ҳаст. Барои тамос: Фаррух Назаров", "Фаррух Назаров"),
        ("Жұмыс бар. Хабарласу үшін: Ерлан Касымов", "Ерлан Касымов"),
        ("Работа в Москве, жильё. Саян аке", "Саян аке"),
        ("Вакансии грузчиков. ТОО «Ала Тоо Групп» ждёт вас", "ТОО Ала Тоо Групп"),
    ],
)
def test_recruiter_names_are_found_however_the_ad_signs(text: str, name: str) -> None:
    assert name in extract_ad(AdFields("", text)).names


def test_a_lone_capitalised_word_after_a_contact_word_is_not_a_name() -> None:
    assert extract_ad(AdFields("", "Пишите в WhatsApp Алия")).names == ()


def test_registered_names_are_found_in_running_text_only_when_registered() -> None:
    ad = AdFields("", "Набор на стройку, работаем с Ала Тоо Групп уже пять лет")
    assert extract_ad(ad).names == ()
    index = RegistryIndex(
        RegistryRecord(number, (name,), (), "", "company", "KZ")
        for number, name in (("KZ-1", "ТОО «Ала Тоо Групп»"), ("KZ-2", "ИП Ахметов"))
    )
    keys = index.name_keys()
    assert len(keys) == 1, "a one-word name is not looked for in running text"
    assert extract_ad(ad, keys).names == ("Ала Тоо Групп",)


def test_licence_numbers_and_dates_are_not_phones_but_a_short_word_before_a_phone_is_fine() -> None:
    found = extract_ad(AdFields("", "Лицензия KZ-2024-00002 от 01.02.2024, тел. 0772 254 347"))
    assert found.phones == ["+996772254347"]


def test_risky_wording_is_evidence_with_the_words_of_the_ad() -> None:
    found = extract_ad(AdFields("", "Работа в Казани! Паспорт сдать работодателю на время работы."))
    assert found.risk_indicators == ("document_retention",)
    assert found.risk_phrases[0]["indicator"] == "document_retention"
    assert "Паспорт" in found.risk_phrases[0]["phrase"]


@given(st.text(max_size=300), st.text(max_size=40), st.lists(st.text(max_size=20), max_size=3))
def test_any_text_gives_clean_names_and_e164_phones(text: str, title: str, raw: list[str]) -> None:
    found = extract_ad(AdFields(title, text, phones_raw=tuple(raw)))
    assert all(name and name == name.strip() for name in found.names)
    assert len(set(found.names)) == len(found.names)
    for readings in found.phone_readings:
        assert readings
        assert all(re.fullmatch(r"\+\d{7,15}", phone) for phone in readings)
