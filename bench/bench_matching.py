"""Latency and memory of RegistryIndex on a synthetic 100,000-licence register.

    .venv/bin/python bench/bench_matching.py [--size 100000] [--queries 2000] [--seed 7]

Builds a realistic register (Central Asian person names, company word combinations with legal
forms in several scripts, phones of the five countries), measures the build (time, tracemalloc
peak), then ~2,000 mixed lookups (names in other scripts, typos, phones, licence numbers, unknown
names, pasted ads). The baseline in the same run is a dict lookup of a normalised licence key.
Then ``resolve`` of names met before with other phones, as a feed scan meets a recruiter ad after
ad. Then the ad scan: ``find_names_in_text`` and ``find_risk_wording`` on ~500-character ads, half
naming a registered recruiter without a legal form (in Cyrillic or Latin), half naming nobody
registered.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching import (
    RegistryIndex,
    RegistryRecord,
    normalise_licence_number,
    normalise_name,
)
from matching.risk_wording import find_risk_wording

GIVEN = [
    "Нурлан",
    "Ерлан",
    "Асхат",
    "Бауржан",
    "Данияр",
    "Ерболат",
    "Жандос",
    "Кайрат",
    "Марат",
    "Мурат",
    "Нуржан",
    "Серик",
    "Тимур",
    "Азамат",
    "Алибек",
    "Арман",
    "Бекзат",
    "Дамир",
    "Ильяс",
    "Максат",
    "Руслан",
    "Санжар",
    "Талгат",
    "Улан",
    "Фаррух",
    "Шерзод",
    "Бахтиёр",
    "Дильшод",
    "Жахонгир",
    "Рустам",
    "Фарход",
    "Акмал",
    "Улугбек",
    "Алишер",
    "Сардор",
    "Абдулла",
    "Исмоил",
    "Зафар",
    "Айгерим",
    "Асель",
    "Гульнара",
    "Дана",
    "Жанар",
    "Зарина",
    "Индира",
    "Камила",
    "Мадина",
    "Салтанат",
    "Сауле",
    "Шолпан",
    "Динара",
    "Малика",
    "Нигора",
    "Севара",
    "Дилноза",
    "Гулчехра",
    "Мохира",
    "Айжан",
    "Алия",
    "Жамила",
    "Лейла",
    "Нодира",
]
SURNAME_ROOTS = [
    "Ахмет",
    "Серик",
    "Касым",
    "Жума",
    "Нурлан",
    "Абдулла",
    "Исма",
    "Рахим",
    "Карим",
    "Юсуп",
    "Тулеген",
    "Байзак",
    "Жаксыбек",
    "Омар",
    "Мамыр",
    "Сулейман",
    "Ибрагим",
    "Бекмурат",
    "Турсун",
    "Эргаш",
    "Холмат",
    "Рашид",
    "Садык",
    "Токтогул",
    "Асан",
    "Усен",
    "Алымбек",
    "Бекназар",
    "Жолдош",
    "Калмат",
    "Нурмат",
    "Орозбек",
    "Сатыбалд",
    "Темир",
    "Уразал",
    "Шарип",
    "Эсен",
    "Ташкул",
    "Мирзо",
    "Давлат",
    "Сафар",
    "Назар",
    "Файзулл",
    "Хамид",
    "Шукур",
    "Юлдаш",
    "Кадыр",
    "Мухтар",
    "Абдурахман",
    "Кенжегали",
    "Досмухамед",
]
SUFFIXES_M = ("ов", "ев", "бекoв", "улы", "баев", "заде")
SUFFIXES_F = ("ова", "ева", "бекова", "кызы", "баева", "заде")
WORDS = [
    "Жаксылык",
    "Атамекен",
    "Береке",
    "Болашак",
    "Достар",
    "Дустлик",
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
    "Алатау",
    "Каспий",
    "Памир",
    "Фергана",
    "Самарканд",
    "Сырдарья",
    "Манас",
    "Арман",
    "Еркин",
    "Асыл",
    "Бахор",
    "Барака",
    "Акниет",
    "Истиклол",
    "Нурафшон",
    "Ынтымак",
    "Жулдыз",
    "Зарафшан",
    "Меридиан",
    "Горизонт",
    "Континент",
    "Вектор",
    "Восток",
    "Евразия",
    "Альянс",
    "Алтын",
    "Ак-Жол",
    "Нур",
    "Бирлик",
    "Ала-Тоо",
    "Тянь-Шань",
    "Иссык-Куль",
    "Голден",
    "Скилл",
    "Смарт",
    "Бест",
    "Гранд",
    "Прайм",
    "Азия",
    "Орион",
    "Сапфир",
    "Изумруд",
    "Оазис",
    "Нур-Султан",
    "Туран",
    "Хан-Тенгри",
    "Байконур",
    "Арыс",
    "Кокшетау",
    "Отрар",
]
GENERIC = [
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
    "Консалтинг",
    "Рекрутинг",
    "Эмплоймент",
    "Экспресс",
    "Глобал",
    "Мигрант",
    "Тревел",
]
FORMS = {"KZ": "ТОО", "KG": "ОсОО", "RU": "ООО", "UZ": "МЧЖ", "TJ": "ҶДММ"}
PERSON_FORMS = {"KZ": "ИП", "KG": "ИП", "RU": "ИП", "UZ": "ЯТТ", "TJ": "СЯ"}
PHONE = {
    "KZ": lambda r: f"+77{r.choice('0157')}{r.randrange(10**8):08d}",
    "KG": lambda r: f"+996{r.choice(['555', '700', '770', '772', '502'])}{r.randrange(10**6):06d}",
    "RU": lambda r: f"+79{r.choice(['03', '16', '26', '85'])}{r.randrange(10**7):07d}",
    "UZ": lambda r: f"+998{r.choice(['90', '91', '93', '94', '97'])}{r.randrange(10**7):07d}",
    "TJ": lambda r: f"+992{r.choice(['90', '91', '92', '93', '98'])}{r.randrange(10**7):07d}",
}
TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ё": "yo", "ҷ": "j",
    }
)  # fmt: skip


def synth_registry(size: int, rng: random.Random) -> list[RegistryRecord]:
    records = []
    for i in range(size):
        country = rng.choice(list(FORMS))
        licence = f"{country}-{rng.randint(2021, 2026)}-{i:06d}"
        if rng.random() < 0.45:
            female = rng.random() < 0.5
            suffix = rng.choice(SUFFIXES_F if female else SUFFIXES_M)
            given = rng.choice(GIVEN[30:] if female else GIVEN[:30])
            name = f"{PERSON_FORMS[country]} {rng.choice(SURNAME_ROOTS)}{suffix} {given}"
            kind = "person"
        else:
            n = rng.choice((1, 2, 2, 3))
            words = [*rng.sample(WORDS, n), rng.choice(GENERIC)]
            name = f"{FORMS[country]} «{' '.join(words)}»"
            kind = "company"
        phones = tuple(PHONE[country](rng) for _ in range(rng.choice((1, 1, 2))))
        records.append(
            RegistryRecord(
                record_id=licence,
                names=(name,),
                phones=phones,
                licence_key=normalise_licence_number(licence) or "",
                kind=kind,
                country=country,
            )
        )
    return records


def typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(1, max(2, len(text) - 2))
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def synth_queries(records: list[RegistryRecord], n: int, rng: random.Random) -> list[str]:
    queries = []
    for _ in range(n):
        r = rng.choice(records)
        name = r.names[0].replace("«", "").replace("»", "")
        body = name.split(" ", 1)[1]
        pick = rng.random()
        if pick < 0.2:
            queries.append(name)
        elif pick < 0.4:
            queries.append(body.lower().translate(TRANSLIT) + " llp")
        elif pick < 0.5:
            queries.append(typo(body, rng))
        elif pick < 0.65:
            p = r.phones[0]
            queries.append(f"8 {p[-10:-7]} {p[-7:-4]}-{p[-4:-2]}-{p[-2:]}" if p[1] == "7" else p)
        elif pick < 0.75:
            queries.append(r.record_id.replace("-", " "))
        elif pick < 0.9:
            queries.append(f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(GENERIC)}")
        else:
            queries.append(
                f"Требуются рабочие на стройку в Астане. ТОО «{body}» приглашает, жильё "
                f"бесплатно. Зарплата 350 000 тг. Звоните {r.phones[0]}, WhatsApp."
            )
    return queries


AD_FILLER = [
    "Срочно требуются рабочие на стройку в Астане и Алматы, опыт не обязателен.",
    "Жильё и питание бесплатно, зарплата от 350 000 тг, выплаты каждую неделю.",
    "Оформление документов и билеты за счёт работодателя, возраст от 18 до 50 лет.",
    "Вахта 30/30, спецодежда выдаётся, официальное трудоустройство.",
    "Работа в России и Казахстане: сварщики, монтажники, разнорабочие, водители.",
    "Ish Qozog'istonda, turar joy bepul, maosh har hafta. Ishchilar kerak!",
    "Звоните или пишите в WhatsApp, Telegram, ответим сразу.",
]


def synth_ads(records: list[RegistryRecord], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """~500-character ads, half naming a registered recruiter without a legal form."""
    ads = []
    for k in range(n):
        r = rng.choice(records)
        body = r.names[0].replace("«", "").replace("»", "").split(" ", 1)[1]
        if rng.random() < 0.5:
            body = body.lower().translate(TRANSLIT).title()
        named = k % 2 == 0
        lead = f"Агентство {body} набирает рабочих." if named else "Агентство набирает рабочих."
        filler = rng.sample(AD_FILLER, 5)
        text = " ".join([lead, *filler, f"Тел {r.phones[0]}"])
        ads.append((text[:600], r.record_id if named else ""))
    return ads


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    records = synth_registry(args.size, rng)

    start = time.perf_counter()
    index = RegistryIndex(records)
    build_s = time.perf_counter() - start

    # memory measured on a second build: tracemalloc slows allocation-heavy code down
    tracemalloc.start()
    again = RegistryIndex(records)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del again

    queries = synth_queries(records, args.queries, rng)
    timings = []
    outcomes = {"match": 0, "similar": 0, "none": 0}
    for q in queries:
        t0 = time.perf_counter()
        decision = index.lookup(q)
        timings.append(time.perf_counter() - t0)
        outcomes[decision.outcome] += 1

    keys = {r.licence_key: r.record_id for r in records}
    probe = [normalise_licence_number(r.record_id) or "" for r in rng.sample(records, 2000)]
    t0 = time.perf_counter()
    for _ in range(50):
        for k in probe:
            keys.get(k)
    dict_s = (time.perf_counter() - t0) / (50 * len(probe))

    def pct(p: float) -> float:
        return sorted(timings)[min(len(timings) - 1, int(p * len(timings)))] * 1e3

    print(f"register: {len(index):,} licences, {args.queries:,} queries {outcomes}")
    print(f"{'measure':34}{'value':>14}")
    print(f"{'build time':34}{build_s:12.2f} s")
    print(f"{'index memory (tracemalloc, kept)':34}{current / 2**20:11.1f} MiB")
    print(f"{'index memory (tracemalloc, peak)':34}{peak / 2**20:11.1f} MiB")
    print(f"{'lookup p50':34}{pct(0.50):11.3f} ms")
    print(f"{'lookup p95':34}{pct(0.95):11.3f} ms")
    print(f"{'lookup p99':34}{pct(0.99):11.3f} ms")
    print(f"{'lookup mean':34}{statistics.mean(timings) * 1e3:11.3f} ms")
    print(f"{'baseline: dict get of licence key':34}{dict_s * 1e6:11.3f} µs")
    print(f"{'p95 / baseline':34}{pct(0.95) / (dict_s * 1e3):11.0f} x")

    names = [r.names[0] for r in random.Random(args.seed).sample(records, 500)]
    for name in names:
        index.resolve(name, [])
    t0 = time.perf_counter()
    for k, name in enumerate(names):
        index.resolve(name, [f"+7700{k:07d}"])
    again_ms = (time.perf_counter() - t0) / len(names) * 1e3
    print(f"{'resolve, name met before':34}{again_ms:11.3f} ms")

    ads = synth_ads(records, args.queries, rng)
    scan_times = []
    hits = wrong = 0
    # one name is registered under several licences in a synthetic register: judge names
    key = {r.record_id: normalise_name(r.names[0]).key for r in records}
    for text, expect in ads:
        t0 = time.perf_counter()
        found = index.find_names_in_text(text)
        scan_times.append(time.perf_counter() - t0)
        keys = {key[c.record_id] for c in found}
        hits += bool(expect) and key[expect] in keys
        wrong += any(k != key.get(expect) for k in keys)
    scan_times.sort()
    t0 = time.perf_counter()
    for text, _ in ads:
        find_risk_wording(text)
    risk_ms = (time.perf_counter() - t0) / len(ads) * 1e3
    mean_chars = statistics.mean(len(t) for t, _ in ads)
    named = sum(1 for _, e in ads if e)
    print(f"\nad scan: {len(ads):,} ads of {mean_chars:.0f} characters on average")
    print(f"{'registered name found':34}{hits:8} / {named}")
    print(f"{'ads with another name found':34}{wrong:8} / {len(ads)}")
    print(f"{'find_names_in_text p50':34}{scan_times[len(ads) // 2] * 1e3:11.3f} ms")
    print(f"{'find_names_in_text p95':34}{scan_times[int(0.95 * len(ads))] * 1e3:11.3f} ms")
    print(f"{'find_names_in_text mean':34}{statistics.mean(scan_times) * 1e3:11.3f} ms")
    print(f"{'ads per second (one core)':34}{1 / statistics.mean(scan_times):11.0f}")
    print(f"{'find_risk_wording mean':34}{risk_ms:11.3f} ms")


if __name__ == "__main__":
    main()
