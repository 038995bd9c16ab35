"""Accuracy of RegistryIndex.lookup on the dev queries, plus held-out variants generated here.

    .venv/bin/python bench/eval_queries.py [--data /work/shared/data/dev] [--misses 40]

Positives must match the expected licence; negatives must match nothing. The held-out part
re-spells registry names with an independent transliterator and typo generator (seeded), so that
tuning on the dev queries alone shows up as a gap.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching import (
    RegistryIndex,
    RegistryRecord,
    normalise_licence_number,
    normalise_name,
    normalise_phone,
)

DATA = Path("/work/shared/data/dev")


def load_registry(path: Path) -> tuple[RegistryIndex, list[dict[str, str]]]:
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    records = []
    for row in rows:
        phones: list[str] = []
        for raw in row["phones"].split("|"):
            for e164 in normalise_phone(raw)[:1] if raw.strip() else []:
                phones.append(e164)
        names = (row["name"], *(a for a in row["aliases"].split("|") if a.strip()))
        records.append(
            RegistryRecord(
                record_id=row["license_number"],
                names=names,
                phones=tuple(phones),
                licence_key=normalise_licence_number(row["license_number"]) or "",
                kind=row["kind"],
                country=row["country"],
            )
        )
    return RegistryIndex(records), rows


# ---- held-out variants: an independent Cyrillic -> Latin scheme and typo model ----------------
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ә": "ä", "ғ": "ğ", "қ": "q",
    "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü", "һ": "h", "і": "ı", "ҷ": "ch", "ҳ": "h", "ӣ": "i",
    "ӯ": "u", "ў": "o'",
}  # fmt: skip
_FORMS = {
    "ТОО": ["TOO", "LLP", "ЖШС", "Товарищество с ограниченной ответственностью", ""],
    "ОсОО": ["OsOO", "LLC", "ООО", "Общество с ограниченной ответственностью", ""],
    "ООО": ["OOO", "LLC", ""],
    "МЧЖ": ["MChJ", "OOO", "LLC", ""],
    "ҶДММ": ["JDMM", "ООО", ""],
    "ИП": ["IP", "ЖК", "индивидуальный предприниматель", ""],
    "ЯТТ": ["YaTT", "ИП", ""],
    "СЯ": ["SYa", "ИП", ""],
}


_KAZ_LATIN = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ",
    "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü",
    "ф": "f", "х": "h", "һ": "h", "ц": "s", "ч": "ch", "ш": "ş", "щ": "ş", "ъ": "", "ы": "y",
    "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_UZ_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g'", "д": "d", "е": "e", "ё": "yo", "ж": "j",
    "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "o'", "ф": "f", "х": "x", "ҳ": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "ъ": "'", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# loanwords written back in English, and generic descriptors translated
_ENGLISH = {
    "Ворк": "Work", "Групп": "Group", "Сервис": "Service", "Трейд": "Trade", "Лайн": "Line",
    "Плюс": "Plus", "Экспресс": "Express", "Консалтинг": "Consulting", "Рекрутинг": "Recruiting",
    "Эмплоймент": "Employment", "Персонал": "Personnel", "Альянс": "Alliance", "Глобал": "Global",
    "Стафф": "Staff", "Партнер": "Partner", "Вектор": "Vector", "Континент": "Continent",
    "Евразия": "Eurasia", "Кадровое Агентство": "Recruitment Agency", "Профи": "Profi",
    "Инвест": "Invest", "Транс": "Trans", "Мигрант": "Migrant", "Агро": "Agro",
}  # fmt: skip


def scheme(text: str, table: dict[str, str]) -> str:
    out = []
    for ch in text:
        t = table.get(ch.lower(), ch)
        out.append(t[:1].upper() + t[1:] if ch.isupper() else t)
    return "".join(out)


def translit(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in _TRANSLIT:
            t = _TRANSLIT[low]
            if low == "ж" and rng.random() < 0.5:
                t = "zh"
            if low == "х" and rng.random() < 0.5:
                t = "kh"
            if low in "ыи" and rng.random() < 0.3:
                t = "y"
            out.append(t.upper() if ch.isupper() and t else t)
        else:
            out.append(ch)
    return "".join(out)


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    op = rng.choice(("swap", "drop", "double"))
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def variants(rows: list[dict[str, str]], seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    for row in rows:
        name = row["name"].replace("«", "").replace("»", "")
        form, _, body = name.partition(" ")
        words = body.split()
        if form in _FORMS:
            form2 = rng.choice(_FORMS[form])
        else:
            form2, words = "", name.split()
        order = words[::-1] if row["kind"] == "person" and rng.random() < 0.5 else list(words)
        latin = translit(" ".join(order), rng)
        out.append((f"{latin} {form2}".strip(), row["license_number"], "heldout:translit"))
        words3 = list(words)
        j = rng.randrange(len(words3))
        words3[j] = typo(words3[j], rng)
        out.append((f"{form2} {' '.join(words3)}".strip(), row["license_number"], "heldout:typo"))
        upper = translit(" ".join(words), rng).upper() if rng.random() < 0.5 else body.lower()
        out.append((upper, row["license_number"], "heldout:case"))
        table = _KAZ_LATIN if row["country"] in ("KZ", "KG") else _UZ_LATIN
        out.append((scheme(" ".join(order), table), row["license_number"], "heldout:latin-2021"))
        if row["kind"] == "company":
            english = " ".join(words)
            for ru, en in _ENGLISH.items():
                english = english.replace(ru, en)
            english = scheme(english, _TRANSLIT)
            out.append((f"{english} LLP", row["license_number"], "heldout:english-words"))
    return out


def near_negatives(rows: list[dict[str, str]], seed: int) -> list[tuple[str, None, str]]:
    """Registered names with one word replaced by another registered word: must match nothing."""
    rng = random.Random(seed + 1)
    keys = set()
    for row in rows:
        for n in (row["name"], *row["aliases"].split("|")):
            if n.strip():
                keys.add(normalise_name(n).key)
    bodies = {"company": [], "person": []}
    for row in rows:
        form, _, body = row["name"].replace("«", "").replace("»", "").partition(" ")
        bodies[row["kind"]].append((form, body.split()))
    vocab = {
        kind: sorted({w for _, words in items for w in words}) for kind, items in bodies.items()
    }
    out: list[tuple[str, None, str]] = []
    for kind, items in bodies.items():
        for form, words in items:
            for _ in range(5):
                words2 = list(words)
                j = rng.randrange(len(words2)) if kind == "company" else len(words2) - 1
                words2[j] = rng.choice(vocab[kind])
                name = f"{form} {' '.join(words2)}"
                if normalise_name(name).key not in keys:
                    out.append((name, None, f"heldout-neg:{kind}-word-swapped"))
                    break
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--misses", type=int, default=60)
    parser.add_argument("--seed", type=int, default=20260)
    args = parser.parse_args()
    index, rows = load_registry(args.data / "registry.csv")
    queries = [json.loads(line) for line in (args.data / "queries.jsonl").open(encoding="utf-8")]
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    timings: list[float] = []
    cases = [(q["q"], q["expect"], q["category"]) for q in queries]
    by_id = {r["license_number"]: r for r in rows}
    # held-out names must not collide with another registered record's name; skip ambiguous rows
    cases += variants(rows, args.seed)
    cases += near_negatives(rows, args.seed)
    for text, expect, category in cases:
        start = time.perf_counter()
        decision = index.lookup(text)
        timings.append(time.perf_counter() - start)
        got = decision.match.record_id if decision.match else None
        positive = expect is not None
        ok = got == expect if positive else got is None
        tally[category][0] += ok
        tally[category][1] += 1
        if not ok:
            extra = f"  [{by_id[got]['name']}]" if got in by_id else ""
            want = f"  [{by_id[expect]['name']}]" if expect in by_id else ""
            misses.append(f"{category:26} {text!r:60} want={expect}{want} got={got}{extra}")
    print(f"{'category':28}{'ok':>6}{'total':>7}{'rate':>8}")
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for cat in sorted(tally):
        ok, total = tally[cat]
        print(f"{cat:28}{ok:6}{total:7}{ok / total:8.1%}")
        group = cat.split(":")[0]
        groups[group][0] += ok
        groups[group][1] += total
    print()
    for group, (ok, total) in sorted(groups.items()):
        label = {"positive": "positives matched right", "negative": "negatives matched to anything"}
        if group.endswith("neg"):
            print(
                f"{group + ' matched to anything':32} {total - ok}/{total} = "
                f"{(total - ok) / total:.2%}"
            )
        elif group == "negative":
            print(f"{label[group]:32} {total - ok}/{total} = {(total - ok) / total:.2%}")
        elif group == "positive":
            print(f"{label[group]:32} {ok}/{total} = {ok / total:.2%}")
        else:
            print(f"{group + ' matched right':32} {ok}/{total} = {ok / total:.2%}")
    timings.sort()
    print(f"lookup p50 {timings[len(timings) // 2] * 1e3:.2f} ms, max {timings[-1] * 1e3:.2f} ms")
    print(f"\nmisses ({len(misses)}):")
    for line in misses[: args.misses]:
        print(" ", line)


if __name__ == "__main__":
    main()
