"""Fixtures for feed, scan and worker tests: a loopback HTTP server with good and bad feeds."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jobs import fetching
from registry.settings import get_settings
from tests.helpers import TEST_DATA

FEEDS = TEST_DATA / "feeds"
DEV_REGISTRY = TEST_DATA / "registry" / "dev_registry.csv"
BIG = 50 * 1024 * 1024


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()
        self.extra: dict[str, tuple[bytes, str]] = {}
        """Paths a test serves: body and content type."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.hits[path] += 1
        if path in self.server.extra:
            body, content_type = self.server.extra[path]
            self.reply(200, body, content_type)
            return
        name = path.strip("/")
        if (FEEDS / name).is_file() and name != "truth.json":
            self.reply(200, (FEEDS / name).read_bytes(), "application/octet-stream")
            return
        route = getattr(self, "route_" + name.replace("-", "_"), None)
        if route is None:
            self.reply(404, b"not found")
        else:
            route()

    def reply(
        self, status: int, body: bytes = b"", content_type: str = "text/plain", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_slow(self) -> None:
        self.server.stop.wait(5)
        with_body = b"<rss version='2.0'><channel></channel></rss>"
        with contextlib.suppress(OSError):
            self.reply(200, with_body, "application/rss+xml")

    def route_error(self) -> None:
        self.reply(500, b"internal error")

    def route_garbage(self) -> None:
        self.reply(200, b"\x00\x01 this is not a feed at all \xff\xfe" * 50, "application/rss+xml")

    def route_big(self) -> None:
        """50 MB streamed without a Content-Length: the size limit must stop it."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"x" * 65536
        try:
            for _ in range(BIG // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass
        self.close_connection = True

    def route_loop_a(self) -> None:
        self.reply(302, Location="/loop-b")

    def route_loop_b(self) -> None:
        self.reply(302, Location="/loop-a")


@pytest.fixture(scope="module")
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def fast_feeds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Short timeouts, one retry, a small size limit: failures show in a second, not minutes."""
    monkeypatch.setattr(fetching, "BACKOFF_BASE_SECONDS", 0.01)
    monkeypatch.setenv("RECRUITWATCH_FEED_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("RECRUITWATCH_FEED_RETRIES", "1")
    monkeypatch.setenv("RECRUITWATCH_FEED_MAX_BYTES", str(5 * 1024 * 1024))
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def import_dev_registry() -> None:
    """The dev register, without the two rows the importer refuses (see bench/eval_feeds.py)."""
    from bench.eval_feeds import importable_registry
    from registry.services import licences

    data, _ = importable_registry(DEV_REGISTRY)
    await licences.import_registry(data, actor="test")


async def import_csv(text: str) -> None:
    from registry.services import licences

    header = "license_number,name,aliases,kind,country,status,valid_from,valid_until,phones,email,address\n"
    await licences.import_registry((header + text).encode(), actor="test")
