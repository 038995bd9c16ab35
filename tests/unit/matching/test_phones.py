import pytest

from matching import extract_phones, normalise_phone


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("8 (701) 123-45-67", "+77011234567"),
        ("+7 701 1234567", "+77011234567"),
        ("0555 123 456", "+996555123456"),
        ("996555123456", "+996555123456"),
        ("WhatsApp +998901234567", "+998901234567"),
        ("(90) 123-45-67", "+998901234567"),
        ("8-915-014-38-18", "+79150143818"),
    ],
)
def test_written_phones_normalise(text: str, e164: str) -> None:
    assert e164 in normalise_phone(text)


def test_national_number_keeps_every_valid_reading() -> None:
    readings = normalise_phone("(90) 123-45-67")
    assert "+998901234567" in readings
    assert "+992901234567" in readings


def test_explicit_country_code_is_the_only_reading() -> None:
    assert normalise_phone("+996 555 123 456") == ["+996555123456"]


@pytest.mark.parametrize("text", ["", "ТОО Жаксылык", "2024", "KZ-2024-00002", "12.05.2024", "123"])
def test_not_a_phone(text: str) -> None:
    assert normalise_phone(text) == []


def test_one_digit_differs_means_another_phone() -> None:
    assert normalise_phone("+77011234567") != normalise_phone("+77011234568")


def test_extract_from_an_ad_skips_dates_prices_licences_years() -> None:
    ad = (
        "Работа в Алматы с 01.06.2025! Звоните 8 (701) 123-45-67 или WhatsApp +996 555 123 456. "
        "Зарплата 350 000 тг, аванс 150 000 000 сум. Лицензия KZ-2024-00002, 2024 год."
    )
    assert extract_phones(ad) == ["+77011234567", "+996555123456"]


def test_extract_deduplicates_in_order() -> None:
    assert extract_phones("+77011234567, 8 701 123 45 67; 0555123456") == [
        "+77011234567",
        "+996555123456",
    ]


def test_a_short_word_before_a_phone_does_not_make_it_a_licence_number() -> None:
    assert extract_phones("тел. 0772 254 347", ("KG",)) == ["+996772254347"]
    assert extract_phones("Плюс 0500 250 563", ("KG",)) == ["+996500250563"]
    assert extract_phones("лицензия KZ-2024-00002, тел. 8 701 123 45 67") == ["+77011234567"]
