"""The worker: leases against double scans, feeds picked up from the table, licence expiry,
and a clean exit on SIGTERM."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from jobs import scan
from jobs.worker import FeedWorker, expire_licences
from registry.services import feeds
from registry.tables import Ad, Feed, Flag, Licence, LicenceChange
from tests.integration.feed_fixtures import FeedServer, feed_server, import_csv

__all__ = ("feed_server",)

ROOT = Path(__file__).parents[2]


async def test_only_one_lease_at_a_time() -> None:
    feed = await feeds.create_feed(url="http://127.0.0.1:9/feed")
    assert await scan.take_lease(feed["id"], "worker-a")
    assert not await scan.take_lease(feed["id"], "worker-b")
    await scan.release_lease(feed["id"], "worker-b")  # not the owner: nothing happens
    assert not await scan.take_lease(feed["id"], "worker-b")
    await scan.release_lease(feed["id"], "worker-a")
    assert await scan.take_lease(feed["id"], "worker-b")


async def test_an_expired_lease_can_be_taken_over() -> None:
    feed = await feeds.create_feed(url="http://127.0.0.1:9/feed")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await Feed.update({Feed.lease_owner: "crashed", Feed.lease_until: past}).where(
        Feed.id == feed["id"]
    )
    assert await scan.take_lease(feed["id"], "worker-b")


async def test_two_workers_scan_a_due_feed_once(feed_server: FeedServer) -> None:
    feed = await feeds.create_feed(url=f"{feed_server.base}/board3.json")
    before = feed_server.hits["/board3.json"]
    a, b = FeedWorker(), FeedWorker()
    results = await asyncio.gather(a.scan(feed["id"]), b.scan(feed["id"]))
    assert sum(r is not None for r in results) == 1
    # the one that lost the race, run again right after, finds the feed not due
    assert await b.scan(feed["id"]) is None
    assert await a.scan(feed["id"]) is None
    assert feed_server.hits["/board3.json"] - before == 1
    assert await Ad.count() == 62


async def test_feeds_added_later_are_picked_up_and_scanned(feed_server: FeedServer) -> None:
    worker = FeedWorker(sync_seconds=0.2)
    worker.start()
    try:
        feed = await feeds.create_feed(url=f"{feed_server.base}/board1.rss", interval_minutes=5)
        for _ in range(100):
            row = (
                await Feed.select(Feed.last_scan_at, Feed.next_scan_at)
                .where(Feed.id == feed["id"])
                .first()
            )
            if row["last_scan_at"] is not None:
                break
            await asyncio.sleep(0.1)
        assert row["last_scan_at"] is not None
        assert row["next_scan_at"] > row["last_scan_at"]
        job = worker.scheduler.get_job(f"feed-{feed['id']}")
        assert job is not None
        await feeds.update_feed(feed["id"], enabled=False)
        await worker.sync()
        assert worker.scheduler.get_job(f"feed-{feed['id']}") is None
    finally:
        await worker.stop(grace=1)
    assert await Feed.count().where(Feed.lease_owner != "") == 0


async def test_licences_past_valid_until_expire_and_their_flags_follow(
    feed_server: FeedServer,
) -> None:
    today = dt.date.today()
    await import_csv(
        f"KZ-2024-00001,ТОО «Жаксылык Агро»,,company,KZ,active,2024-01-01,{today},+77011234567,,\n"
        f"KZ-2024-00002,ТОО «Береке Строй»,,company,KZ,active,2024-01-01,2099-01-01,+77021234567,,\n"
    )
    feed_server.extra["/holder.csv"] = (
        "id,title,description\n1,Нужны швеи,Нужны швеи. Звонить ТОО «Жаксылык Агро» 8 701 123 45 67\n".encode(),
        "text/csv",
    )
    feed = await feeds.create_feed(url=f"{feed_server.base}/holder.csv")
    await scan.scan_feed(feed["id"])
    assert await Flag.count() == 0  # an active holder advertising with its own phone

    tomorrow = today + dt.timedelta(days=1)
    assert await expire_licences(tomorrow) == ["KZ-2024-00001"]
    assert await expire_licences(tomorrow) == []
    row = (
        await Licence.select(Licence.id, Licence.status)
        .where(Licence.licence_number == "KZ-2024-00001")
        .first()
    )
    assert row["status"] == "expired"
    history = (
        await LicenceChange.select()
        .where(LicenceChange.licence == row["id"])
        .order_by(LicenceChange.id)
    )
    assert history[-1]["source"] == "maintenance"
    flag = await Flag.select().first()
    assert flag is not None
    assert "inactive_license" in flag["reasons"]


def test_the_worker_exits_cleanly_on_sigterm(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "RECRUITWATCH_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "registry.cli", "worker"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while b"started" not in log.read_bytes() and time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
            assert b"started" in log.read_bytes(), log.read_text()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0, log.read_text()
        finally:
            if process.poll() is None:
                process.kill()
    assert "stopping" in log.read_text()
