import pytest

from matching import RegistryIndex, RegistryRecord, normalise_licence_number


def record(licence: str, name: str, *phones: str, kind: str = "company") -> RegistryRecord:
    return RegistryRecord(
        record_id=licence,
        names=(name,),
        phones=phones,
        licence_key=normalise_licence_number(licence) or "",
        kind=kind,
        country=licence[:2],
    )


@pytest.fixture
def index() -> RegistryIndex:
    return RegistryIndex(
        [
            record("KZ-2024-00001", "ТОО «Жаксылык Агро»", "+77011234567"),
            record("KZ-2024-00002", "ТОО «Жаксылык Строй»", "+77019876543"),
            record("KG-2023-00003", "ИП Ахметов Нурлан", "+996555123456", kind="person"),
            record("UZ-2025-00004", "МЧЖ «Голден Ворк Тревел»", "+998901234567"),
            record("KG-2023-00005", "ОсОО «Сервис»"),
            record("KG-2023-00006", "ОсОО «Ала-Тоо Групп»"),
            record("KZ-2024-00007", "ТОО «Скайлайнер»"),
            record("KZ-2024-00008", "ТОО «Агро Сервис»"),
        ]
    )


def ids(index: RegistryIndex, text: str) -> list[str]:
    return [c.record_id for c in index.find_names_in_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Агентство Жаксылык Агро набирает рабочих на стройку в Астане.", "KZ-2024-00001"),
        ("Работа в Казахстане от Golden Work Travel, звоните +7 777 000 00 00", "UZ-2025-00004"),
        ("Работа в России. JAKSYLYK-AGRO ждёт вас, жильё бесплатно", "KZ-2024-00001"),
        ("Требуются сварщики, Жаксылык Аргo, оплата каждую неделю", "KZ-2024-00001"),
        ("Нурлан Ахметов приглашает на работу в Москву", "KG-2023-00003"),
        ("Вакансии от Ала Тоо Групп, Бишкек", "KG-2023-00006"),
        ("Набор на сезонные работы: Скайлайнер, Алматы", "KZ-2024-00007"),
    ],
)
def test_registered_names_are_found_without_a_legal_form(
    index: RegistryIndex, text: str, expected: str
) -> None:
    found = index.find_names_in_text(text)
    assert [c.record_id for c in found][:1] == [expected]
    assert found[0].matched_on == ("name",)


@pytest.mark.parametrize(
    "text",
    [
        "Сервис по подбору персонала, звоните Нурлану",  # a common word, a given name alone
        "Нурлан и Ерлан ждут вас, агро сервис, строй",  # no registered name in one run
        "Жаксылык Транс набирает рабочих",  # a near name is no name
        "Ахметов Ерлан приглашает",  # another person
        "Жаксылык, Ахметов и компания: агро работы летом",  # words apart, not one name
        "работа скайлайнер",  # a one-word name must be written as a name (capitalised)
        "агро сервис набирает",  # generic words only count when written as a name
    ],
)
def test_no_hit_on_common_words_or_near_names(index: RegistryIndex, text: str) -> None:
    assert ids(index, text) == []


def test_limit_and_several_names(index: RegistryIndex) -> None:
    text = "Партнёры: Жаксылык Агро, Golden Work Travel и Ала-Тоо Групп"
    assert set(ids(index, text)) == {"KZ-2024-00001", "UZ-2025-00004", "KG-2023-00006"}
    assert len(index.find_names_in_text(text, limit=1)) == 1


def test_index_changes_reach_the_scan(index: RegistryIndex) -> None:
    text = "Работа от Береке Агро, звоните"
    assert ids(index, text) == []
    index.upsert(record("KZ-2024-00009", "ТОО «Береке Агро»"))
    assert ids(index, text) == ["KZ-2024-00009"]
    index.remove("KZ-2024-00009")
    assert ids(index, text) == []


def test_lookup_of_a_pasted_ad_without_a_legal_form(index: RegistryIndex) -> None:
    ad = (
        "Срочно требуются рабочие на стройку в Астане, жильё и питание бесплатно, "
        "оформление за наш счёт. Работа от Golden Work Travel, звоните +7 777 000 00 00"
    )
    d = index.lookup(ad)
    assert d.match is not None
    assert d.match.record_id == "UZ-2025-00004"
    assert "name" in d.match.matched_on
    assert d.foreign_phones == ("+77770000000",)


def test_lookup_of_an_ad_naming_nobody_registered(index: RegistryIndex) -> None:
    ad = (
        "Срочно требуются рабочие на стройку в Астане, жильё и питание бесплатно, "
        "сервис агро строй, паспорт сдать работодателю, звоните +7 777 000 00 00"
    )
    assert index.lookup(ad).match is None
