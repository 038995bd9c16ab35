"""A big feed's ads read in a worker process are stored, attributed and flagged exactly as ads
read in the scanning process, chunk after chunk."""

from __future__ import annotations

import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from bench.bench_scan import generate_feed, generate_registry
from jobs.feed_formats import parse_feed
from registry.services import ads, extraction_pool, licences
from registry.settings import get_settings
from registry.tables import Ad, Flag
from tests.integration.conftest import empty_database


class CountedPool(ProcessPoolExecutor):
    started = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).started += 1
        super().__init__(*args, **kwargs)


def _generated(seed: int, licences: int, ads: int) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    registry_csv, licence_rows = generate_registry(licences, rng)
    return registry_csv, generate_feed(ads, licence_rows, rng)


async def _scan(
    registry_csv: bytes, feed: bytes, processes: int, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """A fresh database, the register, one scan of the feed; what it stored and flagged."""
    monkeypatch.setenv("RECRUITWATCH_SCAN_PROCESSES", str(processes))
    get_settings.cache_clear()
    await empty_database()
    await licences.import_registry(registry_csv, actor="test")
    items = parse_feed(feed, "csv", "text/csv")
    result = await ads.store_items(None, items, chunk_size=150)
    rows = await Ad.select(
        Ad.item_key, Ad.phones, Ad.names, Ad.risk_indicators, Ad.licence_number, Ad.repost_of
    ).output(load_json=True)
    flags = await Flag.select(Flag.reasons, Flag.ad_count, Flag.severity).output(load_json=True)
    return {
        "counts": result.as_dict(),
        "ads": sorted(
            (
                *(
                    r[c]
                    for c in ("item_key", "phones", "names", "risk_indicators", "licence_number")
                ),
                r["repost_of"] is not None,
            )
            for r in rows
        ),
        "flags": sorted((f["reasons"], f["ad_count"], f["severity"]) for f in flags),
    }


@pytest.mark.slow
async def test_ads_read_in_a_worker_process_match_ads_read_in_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry_csv, feed = _generated(seed=11, licences=300, ads=700)
    monkeypatch.setattr(extraction_pool, "PROCESS_MIN_BATCH", 20)
    monkeypatch.setattr(extraction_pool, "ProcessPoolExecutor", CountedPool)
    in_thread = await _scan(registry_csv, feed, 0, monkeypatch)
    assert CountedPool.started == 0
    in_processes = await _scan(registry_csv, feed, 2, monkeypatch)
    assert CountedPool.started == 1, "one pool for the scan, started on the first big chunk"

    assert in_processes == in_thread
    assert in_thread["counts"]["new_ads"] > 600
    assert in_thread["counts"]["reposts"] > 0
    assert any("unlicensed_advertising" in reasons for reasons, *_ in in_thread["flags"])
    assert any("impersonation" in reasons for reasons, *_ in in_thread["flags"])


class FailingPool(ProcessPoolExecutor):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("An attempt has been made to start a new process before ...")


@pytest.mark.slow
async def test_a_scan_whose_worker_process_cannot_start_reads_its_ads_in_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry_csv, feed = _generated(seed=5, licences=100, ads=300)
    monkeypatch.setattr(extraction_pool, "PROCESS_MIN_BATCH", 20)
    in_thread = await _scan(registry_csv, feed, 0, monkeypatch)
    monkeypatch.setattr(extraction_pool, "ProcessPoolExecutor", FailingPool)
    assert await _scan(registry_csv, feed, 1, monkeypatch) == in_thread


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    yield
    get_settings.cache_clear()
