from matching.script import fold, skeleton, split_words


def skels(text: str) -> list[str]:
    return [skeleton(w) for w in split_words(text)]


def test_fold_transliterates_every_script_to_lower_latin() -> None:
    assert fold("ЖАҚСЫЛЫҚ") == "zhaqsylyq"
    assert fold("Ҷамшед") == "jamshed"
    assert fold("O‘zbekiston") == "uzbekiston"


def test_transliterations_collide() -> None:
    assert skels("Жаксылык Жақсылық Zhaksylyk Jaksylyk Jaksilik Zhaqsylyq") == ["jaksilik"] * 6
    assert skels("Шыңғыс Shyngys Şyñğys") == ["Singis"] * 3
    assert skels("Хуршид Xurshid Khurshid") == ["hurSid"] * 3
    assert skels("Цой Tsoy") == ["coi"] * 2
    assert skels("Артём Artyom Artem") == ["artem"] * 3
    assert skels("Дўстлик Do'stlik Дустлик") == ["dustlik"] * 3


def test_different_sounds_stay_apart() -> None:
    assert skeleton("Агро") != skeleton("Строй")
    assert skeleton("Нурлан") != skeleton("Ерлан")
