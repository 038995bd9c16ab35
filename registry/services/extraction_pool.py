"""Reading ads off the event loop: in worker processes for a big feed, else in a thread.

Extraction (phones, names, risky wording) is pure CPU work, about as costly as storing and
attributing the ad. In a worker process it runs on another core while the database takes the
chunk before, which nearly halves a big scan; a thread only keeps the event loop answering. The
processes are spawned (not forked: the scanning process has database threads) on the first big
chunk and get the registered names once, at start.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Awaitable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from matching.ad_extraction import AdExtraction, AdFields, extract_ads

__all__ = ("PROCESS_MIN_BATCH", "Extractor")

log = logging.getLogger("recruitwatch.scan")

PROCESS_MIN_BATCH = 200
"""Smaller batches are read in a thread: a process is not worth starting for a few ads."""

_registered_in_worker: frozenset[str] = frozenset()


def _start_worker(registered: frozenset[str]) -> None:
    global _registered_in_worker
    _registered_in_worker = registered


def _extract_in_worker(batch: Sequence[AdFields]) -> list[AdExtraction]:
    return extract_ads(batch, _registered_in_worker)


class Extractor:
    """One scan's extraction; ``close`` (or ``async with``) stops its processes."""

    def __init__(self, registered: frozenset[str], processes: int) -> None:
        self.registered = registered
        self.processes = processes
        self._pool: Executor | None = None

    def submit(self, batch: Sequence[AdFields]) -> Awaitable[list[AdExtraction]]:
        """Start extracting ``batch`` now; the result comes in the batch's order."""
        return asyncio.ensure_future(self._extract(list(batch)))

    async def _extract(self, batch: list[AdFields]) -> list[AdExtraction]:
        if self.processes and len(batch) >= PROCESS_MIN_BATCH:
            try:
                return await self._in_processes(batch)
            except (BrokenProcessPool, OSError, RuntimeError) as exc:
                # a process that cannot start (a script without a main guard, no memory) or
                # died: the scan goes on in a thread, slower but complete
                log.warning("Extraction processes failed (%s); reading ads in a thread.", exc)
                self.close()
                self.processes = 0
        return await asyncio.to_thread(extract_ads, batch, self.registered)

    async def _in_processes(self, batch: list[AdFields]) -> list[AdExtraction]:
        loop = asyncio.get_running_loop()
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.registered,),
            )
        size = -(-len(batch) // self.processes)
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(self._pool, _extract_in_worker, batch[start : start + size])
                for start in range(0, len(batch), size)
            )
        )
        return [extraction for part in parts for extraction in part]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    async def __aenter__(self) -> Extractor:
        return self

    async def __aexit__(self, *_: object) -> None:
        self.close()
