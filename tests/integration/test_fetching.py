"""fetch_feed against a real HTTP server on 127.0.0.1: timeouts, retries, limits, redirects,
conditional requests and the private-address rule."""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from jobs import fetching
from jobs.feed_formats import FeedFormatError, parse_feed
from jobs.fetching import FetchError, fetch_feed

FEED = (Path(__file__).parents[1] / "data" / "feeds" / "board1.rss").read_bytes()
BIG = 50 * 1024 * 1024
CHUNK = b"x" * 65536


@pytest.fixture(autouse=True)
def clean_db() -> None:
    """These tests need no database: replaces the integration suite's autouse cleaner."""


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.hits: Counter[str] = Counter()
        self.headers_seen: dict[str, dict[str, str]] = {}
        self.bytes_sent: Counter[str] = Counter()
        self.stop = threading.Event()

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
        self.server.headers_seen[path] = dict(self.headers.items())
        route = getattr(self, "route_" + path.strip("/").replace("-", "_"), None)
        if route is None:
            self.reply(404, b"not found")
        else:
            route()

    def reply(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        headers.setdefault("Content-Type", "application/rss+xml; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_feed(self) -> None:
        if self.headers.get("If-None-Match") == '"v1"':
            self.reply(304, ETag='"v1"')
        else:
            self.reply(200, FEED, ETag='"v1"', Last_Modified="Sat, 28 Nov 2026 10:00:00 GMT")

    def route_slow(self) -> None:
        self.server.stop.wait(5)
        self.reply(200, FEED)

    def route_drip(self) -> None:
        """Headers at once, then one byte at a time: no single read ever times out."""
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            if self.server.stop.wait(0.05):
                return
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return

    def route_error(self) -> None:
        self.reply(500, b"boom")

    def route_missing(self) -> None:
        self.reply(404, b"gone")

    def route_busy(self) -> None:
        if self.server.hits["/busy"] == 1:
            self.reply(429, b"slow down", Retry_After="0")
        else:
            self.reply(200, FEED)

    def route_garbage(self) -> None:
        self.reply(200, bytes(range(256)) * 20, Content_Type="application/octet-stream")

    def route_big(self) -> None:
        """50 MB, no Content-Length: only streaming with a limit stops it."""
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for _ in range(BIG // len(CHUNK)):
            try:
                self.wfile.write(CHUNK)
            except OSError:
                return
            self.server.bytes_sent["/big"] += len(CHUNK)

    def route_big_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(BIG))
        self.end_headers()
        self.close_connection = True
        for _ in range(BIG // len(CHUNK)):
            try:
                self.wfile.write(CHUNK)
            except OSError:
                return
            self.server.bytes_sent["/big-declared"] += len(CHUNK)

    def route_loop_a(self) -> None:
        self.reply(302, Location="/loop-b")

    def route_loop_b(self) -> None:
        self.reply(301, Location=f"{self.server.base}/loop-a")

    def route_hop(self) -> None:
        self.reply(307, Location="/feed")

    def route_to_metadata(self) -> None:
        self.reply(302, Location="http://169.254.169.254/latest/meta-data/")

    def route_to_private_name(self) -> None:
        self.reply(302, Location=f"http://localhost:{self.server.server_address[1]}/feed")

    def route_to_file(self) -> None:
        self.reply(302, Location="file:///etc/passwd")

    def route_to_ftp(self) -> None:
        self.reply(301, Location="ftp://127.0.0.1/feed.xml")


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    httpd = FeedServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.stop.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "BACKOFF_BASE_SECONDS", 0.01)


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend 127.0.0.1 (only) is a public address, so a redirect's next hop is what is judged."""
    real = fetching.is_forbidden_address
    local = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(
        fetching, "is_forbidden_address", lambda address: address != local and real(address)
    )


async def test_a_feed_is_fetched_with_a_descriptive_user_agent(server: FeedServer) -> None:
    result = await fetch_feed(f"{server.base}/feed", allow_private=True)

    assert result.status == "ok"
    assert result.body == FEED
    assert result.url == f"{server.base}/feed"
    assert result.content_type.startswith("application/rss+xml")
    assert (result.etag, result.last_modified) == ('"v1"', "Sat, 28 Nov 2026 10:00:00 GMT")
    assert "recruitwatch" in server.headers_seen["/feed"]["User-Agent"]
    assert len(parse_feed(result.body, content_type=result.content_type)) == 62


async def test_a_conditional_request_answered_304_is_not_modified(server: FeedServer) -> None:
    result = await fetch_feed(
        f"{server.base}/feed",
        etag='"v1"',
        last_modified="Sat, 28 Nov 2026 10:00:00 GMT",
        allow_private=True,
    )

    assert (result.status, result.body, result.etag) == ("not_modified", b"", '"v1"')
    sent = server.headers_seen["/feed"]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Sat, 28 Nov 2026 10:00:00 GMT"


async def test_a_server_that_does_not_answer_times_out_and_is_retried(server: FeedServer) -> None:
    before = server.hits["/slow"]
    started = time.monotonic()

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/slow", timeout=0.3, retries=1, allow_private=True)

    assert caught.value.kind == "timeout"
    assert server.hits["/slow"] - before == 2
    assert time.monotonic() - started < 2.5


async def test_the_timeout_covers_the_whole_body_not_each_read(server: FeedServer) -> None:
    started = time.monotonic()

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/drip", timeout=0.5, retries=0, allow_private=True)

    assert caught.value.kind == "timeout"
    assert time.monotonic() - started < 2


async def test_http_500_is_retried_then_fails(server: FeedServer) -> None:
    before = server.hits["/error"]

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/error", retries=2, allow_private=True)

    assert caught.value.kind == "http_status"
    assert caught.value.status_code == 500
    assert "500" in str(caught.value)
    assert server.hits["/error"] - before == 3


async def test_http_404_is_not_retried(server: FeedServer) -> None:
    before = server.hits["/missing"]

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/missing", retries=2, allow_private=True)

    assert (caught.value.kind, caught.value.status_code) == ("http_status", 404)
    assert server.hits["/missing"] - before == 1


async def test_429_then_200_is_retried_successfully(server: FeedServer) -> None:
    result = await fetch_feed(f"{server.base}/busy", retries=2, allow_private=True)

    assert result.status == "ok"
    assert server.hits["/busy"] == 2


async def test_garbage_is_fetched_but_does_not_parse(server: FeedServer) -> None:
    result = await fetch_feed(f"{server.base}/garbage", allow_private=True)

    assert result.status == "ok"
    with pytest.raises(FeedFormatError):
        parse_feed(result.body, content_type=result.content_type)


async def test_a_50_mb_stream_is_refused_without_reading_it_all(server: FeedServer) -> None:
    limit = 1024 * 1024

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/big", max_bytes=limit, allow_private=True)

    assert caught.value.kind == "too_large"
    await asyncio.sleep(0.2)  # let the server notice the closed connection
    assert server.bytes_sent["/big"] < 16 * limit < BIG


async def test_a_declared_50_mb_body_is_refused_before_reading(server: FeedServer) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/big-declared", max_bytes=1024 * 1024, allow_private=True)

    assert caught.value.kind == "too_large"
    await asyncio.sleep(0.2)
    assert server.bytes_sent["/big-declared"] < 16 * 1024 * 1024


async def test_a_redirect_is_followed_and_the_final_url_reported(server: FeedServer) -> None:
    result = await fetch_feed(f"{server.base}/hop", allow_private=True)

    assert (result.status, result.url) == ("ok", f"{server.base}/feed")


async def test_a_redirect_loop_is_detected(server: FeedServer) -> None:
    before = server.hits["/loop-a"]

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/loop-a", max_redirects=10, allow_private=True)

    assert caught.value.kind == "redirects"
    assert "loop" in str(caught.value)
    assert server.hits["/loop-a"] - before == 1


async def test_too_many_redirects_are_refused(server: FeedServer) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/hop", max_redirects=0, allow_private=True)

    assert caught.value.kind == "redirects"


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
async def test_a_redirect_to_another_scheme_is_refused(server: FeedServer, path: str) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}{path}", allow_private=True)

    assert caught.value.kind == "bad_url"


@pytest.mark.usefixtures("loopback_is_public")
async def test_a_redirect_to_a_private_address_is_refused(server: FeedServer) -> None:
    ok = await fetch_feed(f"{server.base}/feed")
    assert ok.status == "ok"  # the first hop itself is allowed in this test

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/to-metadata")

    assert caught.value.kind == "forbidden_address"
    assert "169.254.169.254" in str(caught.value)


@pytest.mark.usefixtures("loopback_is_public")
async def test_a_redirect_to_a_name_resolving_privately_is_refused(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def resolve(host: str, port: int) -> list[fetching.IPAddress]:
        if host == "localhost":
            return [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("10.1.2.3")]
        return [ipaddress.ip_address(host)]

    monkeypatch.setattr(fetching, "_resolve", resolve)

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"{server.base}/to-private-name")

    assert caught.value.kind == "forbidden_address"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "0.0.0.0", "2130706433"])  # noqa: S104
async def test_loopback_urls_are_refused_unless_allowed(server: FeedServer, host: str) -> None:
    before = server.hits["/feed"]
    port = server.server_address[1]

    with pytest.raises(FetchError) as caught:
        await fetch_feed(f"http://{host}:{port}/feed")

    assert caught.value.kind == "forbidden_address"
    assert server.hits["/feed"] == before


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "not a url", ""])
async def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch_feed(url)

    assert caught.value.kind == "bad_url"


async def test_a_refused_connection_is_a_connection_error() -> None:
    with pytest.raises(FetchError) as caught:
        await fetch_feed("http://127.0.0.1:9/feed", retries=1, allow_private=True)

    assert caught.value.kind == "connection"
