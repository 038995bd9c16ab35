"""Registry benchmark: import of 100,000 licences on SQLite, lookups in-process and over HTTP.

HTTP lookups per second are reported as a ratio to ``GET /health`` on the same server in the same
run, so the figure means something on a shared, noisy machine.

    .venv/bin/python bench/bench_registry.py [--size 100000] [--requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_matching import TRANSLIT, synth_queries, synth_registry  # noqa: E402

from registry.services.registry_csv import COLUMNS  # noqa: E402

VALID_PREFIXES = {
    "KZ": ["+7701", "+7702", "+7705", "+7707", "+7747", "+7771", "+7775", "+7777", "+7778"],
    "KG": ["+996555", "+996700", "+996770", "+996772", "+996502"],
    "RU": ["+7903", "+7916", "+7926", "+7985"],
    "UZ": ["+99890", "+99891", "+99893", "+99894", "+99897"],
    "TJ": ["+99290", "+99291", "+99292", "+99293", "+99298"],
}


def valid_phone(country: str, rng: random.Random) -> str:
    prefix = rng.choice(VALID_PREFIXES[country])
    digits = (12 if prefix.startswith("+99") else 11) - (len(prefix) - 1)
    return prefix + "".join(rng.choice("0123456789") for _ in range(digits))


def write_csv(path: Path, size: int, seed: int) -> list:
    records = synth_registry(size, random.Random(seed))
    statuses = ["active"] * 17 + ["suspended", "revoked", "expired"]
    rng = random.Random(seed + 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for r in records:
            name = r.names[0]
            alias = name.lower().translate(TRANSLIT).title()
            writer.writerow(
                [
                    r.record_id,
                    name,
                    alias,
                    r.kind,
                    r.country,
                    rng.choice(statuses),
                    "2024-01-01",
                    "2030-12-31",
                    "|".join(valid_phone(r.country, rng) for _ in r.phones),
                    "",
                    "",
                ]
            )
    return records


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def hammer(base: str, paths: list[str], concurrency: int) -> float:
    import httpx

    queue = list(paths)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def worker() -> None:
            while queue:
                response = await client.get(queue.pop())
                response.raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return len(paths) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rw-bench-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    env = {
        **os.environ,
        "RECRUITWATCH_DATABASE_URL": db_url,
        "RECRUITWATCH_RATE_LIMIT_PER_MINUTE": "0",
    }
    csv_path = work / "registry.csv"
    records = write_csv(csv_path, args.size, seed=7)
    cli = [sys.executable, "-m", "registry.cli"]

    timings = {}
    for label in ("import (new)", "import again (unchanged)"):
        start = time.perf_counter()
        subprocess.run(
            [*cli, "import-registry", str(csv_path)], env=env, check=True, capture_output=True
        )
        timings[label] = time.perf_counter() - start

    queries = synth_queries(records, 400, random.Random(11))
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(600):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        start = time.perf_counter()
        httpx.get(f"{base}/api/v1/lookup", params={"q": "warm up"}, timeout=300)
        index_load = time.perf_counter() - start
        from urllib.parse import quote

        lookups = [f"/api/v1/lookup?q={quote(q)}" for q in queries]
        health_rates, lookup_rates = [], []
        for _ in range(3):  # interleaved rounds: both see the same machine load
            n = args.requests // 3
            health_rates.append(asyncio.run(hammer(base, ["/health"] * n, args.concurrency)))
            picked = [lookups[i % len(lookups)] for i in range(n)]
            lookup_rates.append(asyncio.run(hammer(base, picked, args.concurrency)))
        latencies = []
        for q in lookups[:300]:
            start = time.perf_counter()
            httpx.get(base + q, timeout=30)
            latencies.append((time.perf_counter() - start) * 1000)
    finally:
        server.terminate()
        server.wait(timeout=30)

    health = statistics.median(health_rates)
    lookup = statistics.median(lookup_rates)
    latencies.sort()
    print(f"registry size: {args.size:,} licences (SQLite, {work})")
    for label, seconds in timings.items():
        print(f"{label:<28} {seconds:8.1f} s")
    print(f"{'first lookup (index load)':<28} {index_load:8.1f} s")
    print(
        f"GET /health        {health:8.0f} req/s (median of 3 rounds, concurrency {args.concurrency})"
    )
    print(f"GET /api/v1/lookup {lookup:8.0f} req/s")
    print(f"lookup / health ratio: {lookup / health:.2f}")
    print(
        f"sequential HTTP lookup latency: p50 {latencies[len(latencies) // 2]:.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)]:.1f} ms"
    )


if __name__ == "__main__":
    main()
