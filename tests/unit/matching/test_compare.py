import pytest

from matching import compare_names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ТОО «Жаксылык Агро»", "Zhaksylyk Agro LLP"),
        ("Ахметов Нурлан", "Nurlan Akhmetov"),
        ("Ахметов Нурлан Серикович", "Ахметов Нурлан"),
        ("ООО Мердиан Ак Жол Мигрант Сервис", "ҶДММ «Меридиан Ак Жол Мигрант Сервис»"),
        ("Atamekrn Vork", "ТОО «Атамекен Ворк»"),
        ("Голден Ворк Тревел", "Golden Work Travel LLP"),
        ("Ala Too Grupp", "ОсОО «Ала-Тоо Групп»"),
        ("Кадровое агентство Омад", "ОсОО «Омад»"),
    ],
)
def test_same(a: str, b: str) -> None:
    c = compare_names(a, b)
    assert c.same, c
    assert not c.similar


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Жаксылык Агро", "Жаксылык Строй"),
        ("Ахметов Нурлан", "Ахметов Ерлан"),
        ("Марат Сапаров", "Мурат Сапаров"),
        ("ТОО Жаксылык Агро Сервис", "ТОО Жаксылык Агро"),
        ("Омад Кадровое Агентство", "Омад Трудовые Ресурсы"),
    ],
)
def test_near_names_are_similar_not_same(a: str, b: str) -> None:
    c = compare_names(a, b)
    assert not c.same, c
    assert c.similar, c


def test_company_and_individual_entrepreneur_conflict() -> None:
    c = compare_names("ИП Ахметов Нурлан", "ТОО Ахметов Нурлан")
    assert not c.same
    assert any("legal form" in r for r in c.reasons)


def test_unrelated_names_are_neither() -> None:
    c = compare_names("Жаксылык Агро", "Ахметов Нурлан")
    assert not c.same
    assert not c.similar
    assert 0.0 <= c.score < 0.5


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ООО Тянь-Шнь Стафф", "ООО «Тянь-Шань Стафф»"),  # a typo in a short hyphenated part
        ("Ала-оо Групп", "ОсОО «Ала-Тоо Групп»"),
        ("Иссык-Клуь Партнер", "ТОО «Иссык-Куль Партнер»"),
        ("Ёркин Саидов", "Erkin Saidov"),  # ё at the start of a word
        ("Yorqin Saidov", "Ёркин Саидов"),
        ("S'ymkent Jaqsy Agro", "ТОО «Шымкент Жақсы Агро»"),  # Kazakh Latin of 2017
        ("Ө'нер Ai'dar", "Өнер Айдар"),
        ("Sáýle Ǵalymova", "Сәуле Ғалымова"),  # Kazakh Latin of 2018
        ("Do'stlik Mehnat", "Дўстлик Меҳнат"),  # Uzbek o' stays ў
        ("V. Putin", "Vladimir Putin"),  # an initial and the same surname
        ("Н. Ахметов", "Нурлан Ахметов"),
        ("Саша Иванов", "Александр Иванов"),  # a short form of a given name
        ("Bill Gates", "William Gates"),
        ("Barack Obama", "Բարակ Օբամա"),  # other scripts are romanised
        ("ბარაკ ობამა", "Barack Obama"),
        ("FridrichBuchenberg", "Friedrich Buchenberg"),  # words joined, with a typo
        ("Anjem Iftikhar Choudary Mahmood", "Anjem Choudary"),  # several middle names
    ],
)
def test_same_across_spellings(a: str, b: str) -> None:
    assert compare_names(a, b).same, compare_names(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ак Кол", "Ак Жол"),  # a replaced letter in a short word makes another word
        ("Тянь-Шань Агро", "Тянь-Шань Строй"),
        ("Н. Ахметов", "Ерлан Ахметов"),  # the initial is not the given name's
        ("Н. Ахметов", "Нурлан Ахмедов"),  # initials only next to an exact surname
        ("Тим Кук", "Том Кук"),
        ("Саша Иванов", "Александр Петров"),
        ("Salman bin Muhammad al-Rawi", "Muhammad bin Salman al-Rawi"),  # father's name
        ("Izzat Ibrahim al-Mosuli", "Izzat Ibrahim al-Duri"),  # -uli after a short stem
        ("习近朋", "习近平"),  # one Han character differs
        ("김종은", "김정은"),  # one Hangul syllable differs
    ],
)
def test_not_same(a: str, b: str) -> None:
    assert not compare_names(a, b).same, compare_names(a, b)
