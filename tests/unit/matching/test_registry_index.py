import pytest

from matching import (
    RegistryIndex,
    RegistryRecord,
    normalise_licence_number,
)
from matching.tokens import is_lexicon_word


def record(licence: str, name: str, *phones: str, kind: str = "company") -> RegistryRecord:
    return RegistryRecord(
        record_id=licence,
        names=(name,),
        phones=phones,
        licence_key=normalise_licence_number(licence) or "",
        kind=kind,
        country=licence[:2],
    )


RECORDS = [
    record("KZ-2024-00001", "ТОО «Жаксылык Агро»", "+77011234567"),
    record("KZ-2024-00002", "ТОО «Жаксылык Строй»", "+77019876543"),
    record("KG-2023-00003", "ИП Ахметов Нурлан", "+996555123456", kind="person"),
    record("UZ-2025-00004", "МЧЖ «Голден Ворк Тревел»", "+998901234567"),
]


@pytest.fixture
def index() -> RegistryIndex:
    return RegistryIndex(RECORDS)


def test_licence_number_match(index: RegistryIndex) -> None:
    d = index.lookup("№ kz 2024 00002")
    assert d.outcome == "match"
    assert d.match is not None
    assert d.match.record_id == "KZ-2024-00002"
    assert d.match.matched_on == ("license_number",)


def test_phone_match_in_any_format(index: RegistryIndex) -> None:
    d = index.lookup("8 (701) 123-45-67")
    assert d.match is not None
    assert d.match.record_id == "KZ-2024-00001"
    assert "phone" in d.match.matched_on
    assert d.foreign_phones == ()


def test_near_phone_matches_nothing(index: RegistryIndex) -> None:
    assert index.lookup("8 (701) 123-45-68").outcome == "none"


def test_name_in_another_script(index: RegistryIndex) -> None:
    d = index.lookup("Zhaksylyk Agro LLP")
    assert d.match is not None
    assert d.match.record_id == "KZ-2024-00001"
    assert d.match.matched_on == ("name",)
    assert [c.record_id for c in d.candidates] == ["KZ-2024-00002"]


def test_loanword_name(index: RegistryIndex) -> None:
    d = index.lookup("Golden Work Travel")
    assert d.match is not None
    assert d.match.record_id == "UZ-2025-00004"


def test_near_name_is_similar_not_a_match(index: RegistryIndex) -> None:
    d = index.lookup("ТОО Жаксылык Транс")
    assert d.outcome == "similar"
    assert d.match is None
    assert {c.record_id for c in d.candidates} >= {"KZ-2024-00001", "KZ-2024-00002"}


def test_near_person_is_not_a_match(index: RegistryIndex) -> None:
    d = index.lookup("Ахметов Ерлан")
    assert d.match is None


def test_impostor_phone_next_to_a_licensed_name(index: RegistryIndex) -> None:
    d = index.resolve("Жаксылык Агро", ["+77770000000"])
    assert d.match is not None
    assert d.match.record_id == "KZ-2024-00001"
    assert d.foreign_phones == ("+77770000000",)


def test_pasted_ad(index: RegistryIndex) -> None:
    ad = (
        "Срочно! Требуются рабочие в Россию.\nТОО «Жаксылык Агро», жильё бесплатно, "
        "зарплата 300 000 тг. Звоните +7 777 000 00 00"
    )
    d = index.lookup(ad)
    assert d.match is not None
    assert d.match.record_id == "KZ-2024-00001"
    assert d.foreign_phones == ("+77770000000",)


def test_unknown_name(index: RegistryIndex) -> None:
    assert index.lookup("Самарканд Экспресс").outcome == "none"


def test_upsert_replaces_and_remove_forgets(index: RegistryIndex) -> None:
    index.upsert(record("KZ-2024-00001", "ТОО «Береке Агро»", "+77010000001"))
    assert len(index) == 4
    assert index.lookup("Жаксылык Агро").match is None
    assert index.lookup("+77011234567").match is None
    d = index.lookup("Береке Агро")
    assert d.match is not None
    assert d.match.record_id == "KZ-2024-00001"
    index.remove("KZ-2024-00001")
    index.remove("KZ-2024-00001")
    assert len(index) == 3
    assert index.lookup("Береке Агро").match is None
    assert index.lookup("KZ-2024-00001").match is None


def test_name_searches_follow_changes_to_the_index(index: RegistryIndex) -> None:
    assert not [rid for rid, c in index.search_name("Береке Агро") if c.same]
    added = record("KZ-2024-00005", "ТОО «Береке Агро»", "+77010000005")
    index.upsert(added)
    assert [rid for rid, c in index.search_name("Береке Агро") if c.same] == ["KZ-2024-00005"]
    # another licence changes every word's weight, so every score
    another = record("KZ-2024-00006", "ТОО «Береке Строй»", "+77010000006")
    index.upsert(another)
    fresh = RegistryIndex([*RECORDS, added, another])
    assert index.search_name("Береке Агро") == fresh.search_name("Береке Агро")
    index.remove("KZ-2024-00005")
    assert not [rid for rid, c in index.search_name("Береке Агро") if c.same]


def test_a_caller_cannot_change_the_remembered_search(index: RegistryIndex) -> None:
    found = index.search_name("Жаксылык Агро")
    found.clear()
    assert index.search_name("Жаксылык Агро")


def test_an_index_that_knows_other_words_keeps_its_own_answers() -> None:
    class LexiconOnly(RegistryIndex):
        def _known(self, token: str) -> bool:
            return is_lexicon_word(token)

    records = [
        record("KG-2023-00001", "Жумшаев Нурик", kind="person"),
        record("KG-2023-00002", "Жумашев Нурик", kind="person"),
    ]
    register, observed = RegistryIndex(records), LexiconOnly(records)

    # two registered names are two names; two spellings seen in complaints may be one
    assert [rid for rid, c in register.search_name("Жумашев Нурик") if c.same] == ["KG-2023-00002"]
    assert len([rid for rid, c in observed.search_name("Жумашев Нурик") if c.same]) == 2
