"""``recruitwatch worker``: scheduled feed scans and daily maintenance, with APScheduler 3.

One scheduler per worker process, in memory (APScheduler 3 job stores cannot be shared between
processes). The Feed table is the schedule's source of truth: a sync job reads it every
``SYNC_SECONDS`` and adds, re-times or removes one interval job per enabled feed, so feeds added or
changed through the API are picked up within a minute. A feed never scanned runs at once. Missed
runs coalesce into one and a feed's job never overlaps itself (``coalesce``, ``max_instances=1``);
across processes the lease on the feed's row (``jobs.scan.take_lease``, which also requires the
feed to be due) keeps a second worker started by mistake from scanning it again. SIGTERM or
SIGINT stops the scheduler, lets running scans finish for a short grace period, cancels the rest
and frees their leases.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import logging.config
import signal
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from jobs import scan
from registry.database import engine, is_postgres
from registry.tables import Feed, Licence

__all__ = ("SYNC_SECONDS", "FeedWorker", "expire_licences", "run_worker")

log = logging.getLogger("recruitwatch.worker")

SYNC_SECONDS = 30
"""How often the schedule is reconciled with the Feed table."""
SHUTDOWN_GRACE_SECONDS = 10.0
"""How long running scans may take to finish after SIGTERM before they are cancelled."""
MAINTENANCE_HOUR_UTC = 2


async def expire_licences(today: dt.date | None = None) -> list[str]:
    """Active licences past ``valid_until`` become ``expired``, each with a history row and
    its holder's flag re-evaluated (``update_licence_status`` does both and bumps the revision)."""
    from registry.services import licences

    today = today or dt.datetime.now(dt.UTC).date()
    rows = await Licence.select(Licence.licence_number).where(
        (Licence.status == "active")
        & Licence.valid_until.is_not_null()
        & (Licence.valid_until < today)
    )
    expired = []
    for row in rows:
        await licences.update_licence_status(
            row["licence_number"], "expired", actor="maintenance", source="maintenance",
            note=f"valid_until passed (checked {today.isoformat()})",
        )  # fmt: skip
        expired.append(row["licence_number"])
    if expired:
        log.info("Maintenance: %d licences expired", len(expired))
    return expired


class FeedWorker:
    """The scheduler and the feed jobs it keeps in step with the Feed table."""

    def __init__(self, *, sync_seconds: float = SYNC_SECONDS, owner: str | None = None) -> None:
        self.owner = owner or scan.new_owner()
        self.sync_seconds = sync_seconds
        self.scheduler = AsyncIOScheduler(
            timezone="UTC",
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self._signatures: dict[int, tuple[Any, ...]] = {}
        self._running: set[asyncio.Task[Any]] = set()

    def start(self) -> None:
        """Needs a running event loop (APScheduler 3's AsyncIOScheduler)."""
        now = dt.datetime.now(dt.UTC)
        self.scheduler.add_job(
            self.sync, IntervalTrigger(seconds=self.sync_seconds, timezone="UTC"),
            id="sync-feeds", next_run_time=now,
        )  # fmt: skip
        self.scheduler.add_job(
            self.maintenance, CronTrigger(hour=MAINTENANCE_HOUR_UTC, timezone="UTC"),
            id="maintenance", next_run_time=now,
        )  # fmt: skip
        self.scheduler.start()

    async def sync(self) -> None:
        """Add, re-time or remove feed jobs to match the Feed table."""
        try:
            rows = await Feed.select(
                Feed.id, Feed.enabled, Feed.interval_minutes, Feed.next_scan_at
            ).where(Feed.enabled.eq(True))
        except Exception:
            log.exception("Could not read the feeds")
            return
        wanted = {row["id"]: row for row in rows}
        for feed_id in list(self._signatures):
            if feed_id not in wanted:
                with contextlib.suppress(Exception):
                    self.scheduler.remove_job(f"feed-{feed_id}")
                del self._signatures[feed_id]
        now = dt.datetime.now(dt.UTC)
        for feed_id, row in wanted.items():
            signature = (row["interval_minutes"], row["next_scan_at"])
            if self._signatures.get(feed_id) == signature:
                continue
            first = row["next_scan_at"] or now
            self.scheduler.add_job(
                self.scan, IntervalTrigger(minutes=row["interval_minutes"], timezone="UTC"),
                args=[feed_id], id=f"feed-{feed_id}", replace_existing=True,
                next_run_time=max(first, now),
            )  # fmt: skip
            self._signatures[feed_id] = signature

    async def scan(self, feed_id: int) -> dict[str, Any] | None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            result = await scan.scan_feed(feed_id, owner=self.owner, only_if_due=True)
        except Exception:
            log.exception("Scan of feed %s failed", feed_id)
            return None
        finally:
            if task is not None:
                self._running.discard(task)
        if result is not None:
            log.info("Feed %s scanned: %s", feed_id, result)
            # the scan moved next_scan_at; the next sync re-times the job from it
        return result

    async def maintenance(self) -> None:
        try:
            await expire_licences()
        except Exception:
            log.exception("Maintenance failed")

    async def stop(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop scheduling, give running scans ``grace`` seconds, cancel the rest, free leases."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        running = [t for t in self._running if not t.done()]
        if running:
            _, pending = await asyncio.wait(running, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=grace)
        await scan.release_leases_of(self.owner)


async def run_worker(*, stop: asyncio.Event | None = None) -> None:
    """Run until SIGTERM or SIGINT (or ``stop`` is set), then shut down cleanly."""
    from registry.logs import logging_config
    from registry.settings import get_settings

    logging.config.dictConfig(logging_config(get_settings().log_format))
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    pooled = is_postgres()
    if pooled:
        await engine().start_connection_pool(min_size=1, max_size=5)
    worker = FeedWorker()
    try:
        worker.start()
        log.info("Worker %s started", worker.owner)
        await stop.wait()
        log.info("Worker %s stopping", worker.owner)
        await worker.stop()
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        if pooled:
            await engine().close_connection_pool()
