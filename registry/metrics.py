"""Prometheus metrics of this process: requests, lookups, scans, outbox depth.

The counters live in one registry per process. Behind several workers (``serve --workers N``)
set ``PROMETHEUS_MULTIPROC_DIR`` to a directory shared by the workers and ``/metrics`` sums them
(prometheus-client's multiprocess mode); without it each worker reports its own.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

__all__ = (
    "CONTENT_TYPE_LATEST",
    "LOOKUPS",
    "REQUESTS",
    "REQUEST_SECONDS",
    "SCANS",
    "SCAN_SECONDS",
    "exposition",
    "register_gauge",
)

REQUESTS = Counter(
    "recruitwatch_http_requests_total",
    "HTTP requests answered, by route template, method and status code.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "recruitwatch_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
LOOKUPS = Counter("recruitwatch_lookups_total", "Public lookups answered, by verdict.", ["verdict"])
SCANS = Counter("recruitwatch_scans_total", "Feed scans finished, by outcome.", ["outcome"])
SCAN_SECONDS = Histogram(
    "recruitwatch_scan_duration_seconds",
    "Time one feed scan took, fetch to flags.",
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)

_gauges: dict[str, tuple[Gauge, Callable[[], Awaitable[float]]]] = {}


def register_gauge(name: str, doc: str, read: Callable[[], Awaitable[float]]) -> None:
    """A gauge read from the database when ``/metrics`` is scraped (the outbox's depth)."""
    if name not in _gauges:
        _gauges[name] = (Gauge(name, doc, multiprocess_mode="max"), read)


async def exposition() -> bytes:
    """The text format Prometheus scrapes, gauges read fresh."""
    for gauge, read in _gauges.values():
        with contextlib.suppress(Exception):  # unreadable now: the gauge keeps its last value
            gauge.set(await read())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()
