import pytest

from matching import normalise_name


@pytest.mark.parametrize(
    "spelling",
    [
        "ТОО «Жаксылык Агро»",
        "Zhaksylyk Agro LLP",
        "JAKSYLYK-AGRO TOO",
        "Жаксылык агро",
        "ЖШС Жақсылық Агро",
        'Товарищество с ограниченной ответственностью "Жаксылык Агро"',
        "Agro Jaksilik",
    ],
)
def test_spellings_of_one_name_share_a_key(spelling: str) -> None:
    assert normalise_name(spelling).key == normalise_name("ТОО «Жаксылык Агро»").key


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("ТОО «Альфа»", "llp"),
        ("Alfa LLP", "llp"),
        ("ЖШС Альфа", "llp"),
        ("ОсОО «Альфа»", "llc"),
        ("Alfa OOO", "llc"),
        ("МЧЖ Альфа", "llc"),
        ("MChJ Alfa", "llc"),
        ("ҶДММ «Альфа»", "llc"),
        ("Общество с ограниченной ответственностью Альфа", "llc"),
        ("ИП Ахметов Нурлан", "ie"),
        ("Ahmetov Nurlan IP", "ie"),
        ("ЯТТ Karimov Aziz", "ie"),
        ("ЖК Ахметов Нурлан", "ie"),
        ("Ахметов Нурлан индивидуальный предприниматель", "ie"),
        ("Ахметов Нурлан", None),
    ],
)
def test_legal_forms_map_to_one_code(text: str, form: str | None) -> None:
    assert normalise_name(text).legal_form == form


def test_descriptors_are_taken_out() -> None:
    a = normalise_name("ОсОО «Ордо Кадровое Агентство»")
    b = normalise_name("Ordo recruitment agency")
    assert a.tokens == b.tokens == ("ordo",)
    assert a.descriptors == b.descriptors == ("employment_agency",)


def test_descriptor_with_a_typo_is_still_a_descriptor() -> None:
    assert normalise_name("Камолот Кадровое Агетнство").descriptors == ("employment_agency",)


def test_quoted_words_are_never_a_legal_form() -> None:
    assert normalise_name("ОсОО «Ала Тоо»").tokens == ("ala", "to")


def test_patronymic_is_kept_apart() -> None:
    n = normalise_name("Ахметов Нурлан Серикович")
    assert n.tokens == ("ahmetov", "nurlan")
    assert n.patronymics == ("serikoviC",)
    assert n.key == normalise_name("Нурлан Ахметов").key


def test_loanwords_meet_their_english_spelling() -> None:
    assert normalise_name("Голден Ворк Тревел").key == normalise_name("Golden Work Travel").key
    assert normalise_name("Скилл Вэй Консалтинг").key == normalise_name("Skill Way Consulting").key
    assert normalise_name("Вектор Групп").key == normalise_name("Vector Group").key


def test_empty_and_punctuation() -> None:
    assert normalise_name("").tokens == ()
    assert normalise_name(" «» - ").key == ""
