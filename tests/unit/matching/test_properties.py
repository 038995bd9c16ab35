"""Properties of the normalisers and the comparison, checked on generated input."""

import phonenumbers
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from matching import compare_names, normalise_licence_number, normalise_name, normalise_phone
from matching.lexicon import LEGAL_ABBREVIATIONS
from matching.script import fold, skeleton

RUSSIAN = "абвгдежзийклмнопрстуфхцчшщыьэюя"  # ё and ъ are spelled several ways: left out
ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip

# a word spelled like a legal form ("Аг", "Тоо") at the end of an unquoted name is read as one
words = (
    st.text(alphabet=RUSSIAN, min_size=3, max_size=10)
    .filter(lambda w: w[0] not in "ьы")
    .filter(lambda w: skeleton(w) not in LEGAL_ABBREVIATIONS)
)
names = st.lists(words, min_size=1, max_size=4)


def icao(text: str) -> str:
    return "".join(ICAO.get(c, c) for c in text)


@given(names)
def test_key_survives_transliteration_case_and_quotes(ws: list[str]) -> None:
    text = " ".join(ws)
    key = normalise_name(text).key
    assert normalise_name(icao(text).upper()).key == key
    assert normalise_name(f"«{fold(text)}»").key == key


@given(names)
def test_normalising_is_idempotent_on_its_folded_form(ws: list[str]) -> None:
    n = normalise_name(" ".join(ws))
    again = normalise_name(fold(" ".join(ws)))
    assert again.key == n.key
    assert again.tokens == n.tokens


@given(names, st.sampled_from(["ТОО", "LLP", "ЖШС", "ООО", "МЧЖ", "LLC"]), st.randoms())
def test_word_order_and_legal_form_do_not_change_the_key(ws: list[str], form: str, rnd) -> None:
    shuffled = list(ws)
    rnd.shuffle(shuffled)
    expected = normalise_name(f"{' '.join(ws)} LLP").key
    assert normalise_name(f"{form} «{' '.join(shuffled)}»").key == expected


COMPANY_WORDS = [
    "Жаксылык",
    "Атамекен",
    "Береке",
    "Болашак",
    "Достар",
    "Кайнар",
    "Камолот",
    "Кыран",
    "Мерей",
    "Мехнат",
    "Омад",
    "Ордо",
    "Самал",
    "Ситора",
    "Сомон",
    "Сункар",
    "Табыс",
    "Тенгри",
    "Ватан",
    "Байтерек",
    "Шанырак",
    "Жетысу",
    "Сарыарка",
    "Каспий",
    "Памир",
    "Фергана",
    "Самарканд",
    "Манас",
    "Арман",
    "Еркин",
    "Асыл",
    "Бахор",
    "Барака",
    "Акниет",
    "Истиклол",
    "Агро",
    "Строй",
    "Транс",
    "Инвест",
    "Профи",
    "Партнер",
    "Ворк",
    "Стафф",
    "Кадры",
    "Лайн",
    "Сервис",
    "Групп",
    "Трейд",
    "Плюс",
    "Персонал",
]
GIVEN_NAMES = [
    "Нурлан",
    "Ерлан",
    "Марат",
    "Мурат",
    "Самат",
    "Азамат",
    "Алмат",
    "Данияр",
    "Ерболат",
    "Асхат",
    "Бауржан",
    "Кайрат",
    "Серик",
    "Айгерим",
    "Асель",
    "Гульнара",
    "Дана",
    "Жанар",
    "Зарина",
    "Индира",
    "Камила",
    "Мадина",
    "Сауле",
    "Шолпан",
]


@given(st.lists(st.sampled_from(COMPANY_WORDS), min_size=2, max_size=4, unique=True), st.data())
def test_a_word_replaced_by_another_word_is_never_same(ws: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(ws) - 1))
    other = data.draw(st.sampled_from([w for w in COMPANY_WORDS if w not in ws]))
    changed = [*ws[:i], other, *ws[i + 1 :]]
    assert not compare_names("ТОО " + " ".join(ws), " ".join(changed)).same


@given(
    st.sampled_from(GIVEN_NAMES),
    st.sampled_from(GIVEN_NAMES),
    st.sampled_from(["Ахметов", "Сапарова", "Ким"]),
)
def test_a_different_given_name_is_another_person(a: str, b: str, surname: str) -> None:
    assume(a != b)
    assert not compare_names(f"{surname} {a}", f"{b} {surname}").same
    assert compare_names(f"{surname} {a}", f"{a} {surname}").same


REGIONS = ["KZ", "KG", "UZ", "TJ", "RU"]


@st.composite
def valid_numbers(draw: st.DrawFn) -> phonenumbers.PhoneNumber:
    region = draw(st.sampled_from(REGIONS))
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    national = str(example.national_number)
    digits = draw(st.lists(st.integers(0, 9), min_size=4, max_size=4))
    tail = "".join(map(str, digits))
    number = phonenumbers.parse(f"+{example.country_code}{national[:-4]}{tail}", None)
    assume(phonenumbers.is_valid_number(number))
    return number


@given(valid_numbers(), st.integers(0, 3), st.integers(1, 9))
def test_phones_differing_in_one_digit_never_normalise_alike(number, pos: int, delta: int) -> None:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    i = len(e164) - 1 - pos
    other = e164[:i] + str((int(e164[i]) + delta) % 10) + e164[i + 1 :]
    assert set(normalise_phone(e164)).isdisjoint(normalise_phone(other))
    assert normalise_phone(e164) == [e164]


@given(valid_numbers())
def test_every_written_format_reads_to_the_same_phone(number) -> None:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    for fmt in (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        phonenumbers.PhoneNumberFormat.NATIONAL,
    ):
        written = phonenumbers.format_number(number, fmt)
        assert e164 in normalise_phone(written)


@settings(max_examples=200)
@given(
    st.sampled_from(["KZ", "KG", "UZ", "TJ", "RU"]),
    st.integers(2000, 2030),
    st.integers(1, 99999),
    st.lists(st.sampled_from([" ", "-", "/", ".", "_", "", " - "]), min_size=2, max_size=2),
    st.sampled_from(["", "№ ", "No. ", "лицензия ", "License "]),
    st.booleans(),
)
def test_licence_separators_do_not_matter(
    cc: str, year: int, serial: int, seps: list[str], prefix: str, lower: bool
) -> None:
    canonical = f"{cc}-{year}-{serial:05d}"
    written = f"{prefix}{cc}{seps[0]}{year}{seps[1]}{serial:05d}"
    written = written.lower() if lower else written
    assert normalise_licence_number(written) == normalise_licence_number(canonical)
    assert normalise_licence_number(written) is not None
