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
