import pytest

from matching import extract_licence_numbers, normalise_licence_number


@pytest.mark.parametrize(
    "text",
    [
        "TJ-2024-00052",
        "TJ 2024 00052",
        "tj202400052",
        "№ TJ-2024-00052",
        "License No. TJ/2024/00052",
        "лицензия № TJ.2024.00052",
        "TJ_2024_00052",
    ],
)
def test_separators_case_and_prefixes_do_not_matter(text: str) -> None:
    assert normalise_licence_number(text) == "TJ202400052"


def test_cyrillic_lookalikes_are_latin() -> None:
    assert normalise_licence_number("КТ-2024-00052") == normalise_licence_number("KT-2024-00052")


@pytest.mark.parametrize("text", ["", "ТОО Жаксылык", "87011234567", "2024", "KZ-12"])
def test_not_a_licence_number(text: str) -> None:
    assert normalise_licence_number(text) is None


def test_extract_from_text() -> None:
    text = "Лицензия KZ-2024-00002 от 12.05.2024, тел 87011234567; также UZ202500457."
    assert extract_licence_numbers(text) == ["KZ202400002", "UZ202500457"]
