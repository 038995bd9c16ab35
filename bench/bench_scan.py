"""Ads per second through fetch, parse, extract, match, store and flag, on a big generated feed.

Generates a register of ``--licences`` licences (imported into a fresh SQLite database) and a CSV
feed of ``--ads`` ads (licence holders with their own phones, unregistered recruiters, holders of
inactive licences, impostors using licensed names, a few reposts), serves the feed over HTTP on
loopback and scans it through ``jobs.scan.scan_feed``. Prints the scan's throughput, a
parse-only baseline measured in the same run (fetch + parse, nothing else), a second scan of the
same feed (every ad known already) and the process's peak memory:

    .venv/bin/python bench/bench_scan.py [--ads 100000] [--licences 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.eval_feeds import serve_directory  # noqa: E402

WORDS = [
    "Ала",
    "Тоо",
    "Жаксылык",
    "Береке",
    "Нур",
    "Ак",
    "Жол",
    "Самал",
    "Ордо",
    "Алтын",
    "Асыл",
    "Бирлик",
    "Достык",
    "Евразия",
    "Жетысу",
    "Камолот",
    "Керемет",
    "Мерей",
    "Нурафшон",
    "Омад",
    "Сункар",
    "Табыс",
    "Тенгри",
    "Умит",
    "Ырыс",
    "Шанырак",
    "Байтерек",
    "Атамекен",
    "Бахор",
    "Вектор",
    "Гулистан",
    "Дилшод",
    "Зарафшан",
    "Истиклол",
    "Каспий",
    "Марказ",
    "Навруз",
    "Памир",
    "Сарыарка",
    "Сырдарья",
    "Тянь",
    "Фергана",
    "Хисор",
    "Чинар",
    "Юлдуз",
    "Алатау",
    "Иссык",
    "Бишкек",
    "Азия",
    "Олимп",
    "Меридиан",
    "Орион",
    "Гранит",
    "Импульс",
]
TAILS = [
    "Групп",
    "Стафф",
    "Транс",
    "Агро",
    "Сервис",
    "Плюс",
    "Инвест",
    "Партнер",
    "Ворк",
    "Лайн",
    "Консалтинг",
    "Кадры",
    "Экспресс",
]
SURNAMES = [
    "Ахметов",
    "Нурланов",
    "Касымов",
    "Бекмуратов",
    "Исаев",
    "Алиев",
    "Садыков",
    "Жумабаев",
    "Токтогулов",
    "Юсупов",
    "Рахимов",
    "Каримов",
    "Мусаев",
    "Абдуллаев",
    "Турсунов",
    "Ибрагимов",
    "Омаров",
    "Сулейменов",
    "Есенов",
    "Маратов",
    "Тлегенов",
]
GIVEN = [
    "Нурлан",
    "Ерлан",
    "Айдар",
    "Бекзат",
    "Азамат",
    "Руслан",
    "Тимур",
    "Данияр",
    "Арман",
    "Максат",
    "Жамал",
    "Айгуль",
    "Динара",
    "Гульнара",
    "Асель",
    "Мадина",
    "Зарина",
    "Камила",
    "Алия",
    "Сабина",
    "Фарход",
    "Шахзод",
    "Бахтиёр",
    "Рустам",
]
FORMS = {"KZ": "ТОО", "KG": "ОсОО", "UZ": "МЧЖ", "TJ": "ҶДММ", "RU": "ООО"}
PREFIX = {"KZ": "+7701", "KG": "+996555", "UZ": "+99890", "TJ": "+99292", "RU": "+7916"}
JOBS = [
    "строители",
    "грузчики",
    "швеи",
    "повара",
    "сварщики",
    "доярки",
    "водители",
    "разнорабочие",
    "упаковщики",
]
CITIES = [
    "Москва",
    "Алматы",
    "Астана",
    "Новосибирск",
    "Екатеринбург",
    "Шымкент",
    "Казань",
    "Тараз",
    "Бишкек",
]
OPENINGS = (
    "Требуются {job} в {city}. Зарплата от 250000, жильё и питание бесплатно.",
    "Вакансия: {job}. Место работы: {city}. График 6/1, з/п 300 000.",
    "Жумуш бар! {job}, {city}. Айлык жакшы.",
    "Нужны {job}! Аванс сразу, проезд оплатим, долг вычтем из зарплаты.",
    "Работа в {city}! {job}. Паспорт сдать работодателю на время работы.",
    "Ishga taklif: {job}, {city}. Maosh yaxshi.",
)


def _phone(country: str, n: int) -> str:
    total = 11 if PREFIX[country].startswith("+7") else 12  # digits after the plus
    digits = total - len(PREFIX[country]) + 1
    return PREFIX[country] + str(n).zfill(digits)[-digits:]


def _written(e164: str, rng: random.Random) -> str:
    """The phone as an ad writes it: local or international, with some separators."""
    if e164.startswith("+7"):
        local = "8" + e164[2:]
        return rng.choice([e164, local, f"8 ({e164[2:5]}) {e164[5:8]}-{e164[8:10]}-{e164[10:]}"])
    return rng.choice([e164, e164[1:], f"{e164[:4]} {e164[4:7]} {e164[7:]}"])


def generate_registry(count: int, rng: random.Random) -> tuple[bytes, list[dict[str, Any]]]:
    countries = list(FORMS)
    licences, names = [], set()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["license_number", "name", "aliases", "kind", "country", "status",
                     "valid_from", "valid_until", "phones", "email", "address"])  # fmt: skip
    i = 0
    while len(licences) < count:
        i += 1
        country = countries[i % len(countries)]
        if rng.random() < 0.3:
            name = f"ИП {rng.choice(SURNAMES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}ович"
            kind = "person"
        else:
            words = rng.sample(WORDS, rng.choice((2, 3)))
            name = f"{FORMS[country]} «{' '.join(words)} {rng.choice(TAILS)}»"
            kind = "company"
        if name in names:
            continue
        names.add(name)
        status = rng.choices(["active", "suspended", "revoked", "expired"], [90, 4, 3, 3])[0]
        phone = _phone(country, 1_000_000 + len(licences))
        number = f"{country}-{2020 + len(licences) % 6}-{len(licences) + 1:06d}"
        writer.writerow([number, name, "", kind, country, status, "2024-01-01", "2030-12-31",
                         phone, "", ""])  # fmt: skip
        licences.append({"number": number, "name": name, "phone": phone, "status": status,
                         "country": country})  # fmt: skip
    return out.getvalue().encode(), licences


def generate_feed(count: int, licences: list[dict[str, Any]], rng: random.Random) -> bytes:
    """Ads by a pool of recruiters: each posts several ads, as recruiters do."""
    holders = rng.sample(licences, min(len(licences), count // 12))
    unregistered = [
        {"name": f"{rng.choice(GIVEN)} {rng.choice(['аке', 'байке', 'ага'])}",
         "phone": _phone(rng.choice(["KG", "UZ", "TJ"]), 5_000_000 + n)}
        for n in range(count // 25)
    ]  # fmt: skip
    impostors = [
        {"name": lic["name"], "phone": _phone("KZ", 8_000_000 + n)}
        for n, lic in enumerate(rng.sample(licences, max(1, count // 400)))
    ]
    pool = (
        [("holder", h["name"], h["phone"]) for h in holders]
        + [("unregistered", u["name"], u["phone"]) for u in unregistered]
        + [("impostor", m["name"], m["phone"]) for m in impostors]
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "url", "title", "description", "company", "phone", "date"])
    texts: list[tuple[str, str]] = []
    for n in range(count):
        if texts and rng.random() < 0.03:
            title, text = rng.choice(texts)  # a repost under a new id
            writer.writerow([f"ad-{n}", f"https://board.test/ads/{n}", title, text, "", "", ""])
            continue
        _, name, phone = rng.choice(pool)
        opening = rng.choice(OPENINGS).format(job=rng.choice(JOBS), city=rng.choice(CITIES))
        structured = rng.random() < 0.3
        contact = f" Звонить {name} {_written(phone, rng)}" if not structured else ""
        title = opening.split(".")[0].split("!")[0]
        text = f"{opening}{contact}. Объявление {n}."
        texts.append((title, text))
        writer.writerow([
            f"ad-{n}", f"https://board.test/ads/{n}", title, text,
            name if structured else "", _written(phone, rng) if structured else "", "2026-11-28",
        ])  # fmt: skip
    return out.getvalue().encode()


async def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from jobs import scan
    from jobs.feed_formats import parse_feed
    from jobs.fetching import fetch_feed
    from registry.database import engine, is_postgres, migrate
    from registry.services import feeds, licences
    from registry.services.lookup import registry_lookup
    from registry.tables import Feed, Flag

    rng = random.Random(args.seed)
    registry_csv, licence_rows = generate_registry(args.licences, rng)
    (workdir / "feed.csv").write_bytes(generate_feed(args.ads, licence_rows, rng))
    await migrate()
    if is_postgres():
        await engine().start_connection_pool()
    report: dict[str, Any] = {"ads": args.ads, "licences": args.licences}
    try:
        started = time.perf_counter()
        await licences.import_registry(registry_csv, actor="bench")
        report["import_seconds"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        await registry_lookup.refresh(force=True)
        report["index_seconds"] = round(time.perf_counter() - started, 2)
        with serve_directory(workdir) as base:
            url = f"{base}/feed.csv"
            started = time.perf_counter()
            fetched = await fetch_feed(url, allow_private=True, max_bytes=500 * 1024 * 1024)
            items = parse_feed(fetched.body, "csv", fetched.content_type)
            baseline = time.perf_counter() - started
            report["parse_only_ads_per_second"] = round(len(items) / baseline)
            del items, fetched
            feed = await feeds.create_feed(url=url, format="csv", name="bench")
            started = time.perf_counter()
            first = await scan.scan_feed(feed["id"])
            elapsed = time.perf_counter() - started
            if first is None or first["outcome"] != "ok":
                raise SystemExit(f"The scan failed: {first}")
            report["scan"] = first
            report["scan_seconds"] = round(elapsed, 2)
            report["ads_per_second"] = round(args.ads / elapsed)
            report["baseline_ratio"] = round(
                report["ads_per_second"] / report["parse_only_ads_per_second"], 3
            )
            await Feed.update({Feed.etag: "", Feed.last_modified: ""}).where(Feed.id == feed["id"])
            started = time.perf_counter()
            second = await scan.scan_feed(feed["id"])
            elapsed = time.perf_counter() - started
            report["rescan_ads_per_second"] = round(args.ads / elapsed)
            report["rescan_new_ads"] = second["new_ads"] if second else None
        report["flags"] = await Flag.count()
    finally:
        if is_postgres():
            await engine().close_connection_pool()
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--licences", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rw-bench-scan-"))
    os.environ["RECRUITWATCH_DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.db"
    os.environ["RECRUITWATCH_ALLOW_PRIVATE_FEEDS"] = "true"
    os.environ["RECRUITWATCH_FEED_MAX_BYTES"] = str(500 * 1024 * 1024)
    os.environ["RECRUITWATCH_FEED_TIMEOUT_SECONDS"] = "120"
    os.environ.setdefault("PICCOLO_CONF", "registry.piccolo_conf")
    report = asyncio.run(run(args, workdir))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
