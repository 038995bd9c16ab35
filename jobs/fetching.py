"""Fetch one job-ad feed over HTTP, safely enough to point at URLs typed in by regulators.

A feed URL comes from outside, so a fetch must not become a way into the server's own network
(SSRF): every hop of a redirect chain is checked, every address a host resolves to must be public,
and the connection goes to the address that was checked (no second DNS lookup to rebind). A feed
is also untrusted in size and speed, so one deadline covers connecting, redirects and the whole
body, and the body is streamed against a byte limit. Transient failures (timeouts, dropped
connections, 429 and 5xx) are retried with jittered exponential backoff; anything else fails at
once. Every failure is a ``FetchError`` whose message is one plain sentence the scan can record.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import random
import socket
from dataclasses import dataclass
from typing import Literal

import httpx

__all__ = (
    "BACKOFF_BASE_SECONDS",
    "USER_AGENT",
    "FetchError",
    "FetchResult",
    "fetch_feed",
    "is_forbidden_address",
    "make_client",
)

USER_AGENT = (
    "recruitwatch-feed-scanner/0.1 "
    "(registry of licensed labour recruiters; reads public job-ad feeds once per interval)"
)
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/csv;q=0.9, text/html;q=0.8, */*;q=0.5"
)
BACKOFF_BASE_SECONDS = 0.5
"""First retry waits about this long, doubling per attempt; tests lower it."""
MAX_RETRY_AFTER_SECONDS = 10.0
"""A server's Retry-After is honoured up to this; a scan should not stall longer on one feed."""

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
FetchErrorKind = Literal[
    "timeout", "http_status", "too_large", "redirects", "forbidden_address", "bad_url", "connection"
]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchResult:
    status: Literal["ok", "not_modified"]
    url: str
    """The final URL, after redirects."""
    body: bytes
    content_type: str
    etag: str
    last_modified: str


class FetchError(Exception):
    """A feed could not be fetched; the message says why in one plain sentence."""

    def __init__(
        self,
        kind: FetchErrorKind,
        message: str,
        *,
        url: str = "",
        status_code: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind: FetchErrorKind = kind
        self.url = url
        self.status_code = status_code
        self.retryable = retryable
        self.retry_after = retry_after


def make_client(timeout: float = 20.0) -> httpx.AsyncClient:
    """A client suited to ``fetch_feed``: no automatic redirects, no proxies or .netrc from the
    environment (a proxy would hide the address actually reached), a descriptive User-Agent."""
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
    )


async def fetch_feed(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    timeout: float = 20.0,  # noqa: ASYNC109 - the whole attempt's deadline, applied inside
    max_bytes: int = 20 * 1024 * 1024,
    max_redirects: int = 5,
    retries: int = 2,
    allow_private: bool = False,
    client: httpx.AsyncClient | None = None,
) -> FetchResult:
    """Fetch ``url`` once, following redirects, retrying transient failures ``retries`` times.

    ``timeout`` bounds each attempt as a whole (connect, every redirect hop, the entire body).
    ``etag`` / ``last_modified`` from the previous fetch make the request conditional; a 304
    gives ``status='not_modified'`` with an empty body. Raises only ``FetchError``.
    """
    own_client = client is None
    http = make_client(timeout) if client is None else client
    headers = _request_headers(etag, last_modified)
    try:
        for attempt in range(retries + 1):
            try:
                return await _attempt(
                    http, url, headers, timeout, max_bytes, max_redirects, allow_private
                )
            except FetchError as error:
                if not error.retryable or attempt == retries:
                    raise
                await asyncio.sleep(_backoff_delay(attempt, error.retry_after))
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover
    finally:
        if own_client:
            await http.aclose()


def _request_headers(etag: str, last_modified: str) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _backoff_delay(attempt: int, retry_after: float | None) -> float:
    delay = BACKOFF_BASE_SECONDS * 2**attempt
    delay += random.uniform(0, BACKOFF_BASE_SECONDS)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER_SECONDS))
    return delay


async def _attempt(
    http: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    deadline: float,
    max_bytes: int,
    max_redirects: int,
    allow_private: bool,
) -> FetchResult:
    """One attempt under one deadline, with transport errors mapped to ``FetchError``."""
    try:
        async with asyncio.timeout(deadline):
            return await _follow(http, url, headers, max_bytes, max_redirects, allow_private)
    except (TimeoutError, httpx.TimeoutException):
        raise FetchError(
            "timeout",
            f"The feed at {url} did not answer within {deadline:g} s.",
            url=url,
            retryable=True,
        ) from None
    except httpx.UnsupportedProtocol:
        raise _bad_url(url, "is not an http or https address") from None
    except httpx.InvalidURL:
        raise _bad_url(url, "is not a valid address") from None
    except httpx.HTTPError as exc:
        raise FetchError(
            "connection",
            f"The connection to {url} failed ({_describe(exc)}).",
            url=url,
            retryable=True,
        ) from None


async def _follow(
    http: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    max_bytes: int,
    max_redirects: int,
    allow_private: bool,
) -> FetchResult:
    """Follow the redirect chain by hand, checking every hop before connecting to it."""
    current = _parse_url(url)
    seen = {str(current)}
    for _ in range(max_redirects + 1):
        request = await _build_request(http, current, headers, allow_private)
        response = await http.send(request, stream=True, follow_redirects=False)
        try:
            if not response.has_redirect_location:
                return await _finish(response, str(current), headers, max_bytes)
            target = _redirect_target(current, response.headers["location"])
        finally:
            await response.aclose()
        if str(target) in seen:
            raise FetchError(
                "redirects", f"The feed at {url} redirects in a loop (back to {target}).", url=url
            )
        seen.add(str(target))
        current = target
    raise FetchError(
        "redirects", f"The feed at {url} redirects more than {max_redirects} times.", url=url
    )


def _parse_url(raw: str) -> httpx.URL:
    try:
        url = httpx.URL(raw.strip())
    except (httpx.InvalidURL, ValueError, TypeError):
        raise _bad_url(raw, "is not a valid address") from None
    if url.scheme not in ("http", "https"):
        raise _bad_url(raw, "is not an http or https address")
    if not url.host:
        raise _bad_url(raw, "has no host name")
    return url


def _redirect_target(current: httpx.URL, location: str) -> httpx.URL:
    try:
        joined = current.join(location.strip())
    except (httpx.InvalidURL, ValueError):
        raise _bad_url(location, "is not a valid redirect target") from None
    return _parse_url(str(joined))


def _bad_url(url: str, reason: str) -> FetchError:
    return FetchError("bad_url", f"The feed address {url!r} {reason}.", url=url)


async def _build_request(
    http: httpx.AsyncClient, url: httpx.URL, headers: dict[str, str], allow_private: bool
) -> httpx.Request:
    """A request to ``url``; unless private addresses are allowed, it is pinned to the checked
    public address, so a second DNS answer cannot point the connection elsewhere."""
    if allow_private:
        return http.build_request("GET", url, headers=headers)
    address = await _public_address(url)
    pinned = url.copy_with(host=str(address))
    request = http.build_request("GET", pinned, headers={**headers, "Host": url.netloc.decode()})
    if url.scheme == "https":
        request.extensions["sni_hostname"] = url.host
    return request


async def _public_address(url: httpx.URL) -> IPAddress:
    """The first address ``url``'s host resolves to, once every resolved address is public."""
    addresses = await _resolve(url.host, url.port or (443 if url.scheme == "https" else 80))
    for address in addresses:
        if is_forbidden_address(address):
            raise FetchError(
                "forbidden_address",
                f"The feed address {url} leads to a private or local network address "
                f"({address}), which is refused.",
                url=str(url),
            )
    return addresses[0]


async def _resolve(host: str, port: int) -> list[IPAddress]:
    with contextlib.suppress(ValueError):
        return [ipaddress.ip_address(host)]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(
            "connection", f"The host name {host} could not be resolved ({exc}).", retryable=True
        ) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise FetchError("connection", f"The host name {host} has no address.", retryable=True)
    return addresses


def is_forbidden_address(address: IPAddress) -> bool:
    """True for every address that is not globally routable (the standard library's
    ``is_global``, which covers loopback, private, link-local, reserved, unspecified and the
    special-purpose blocks), old-style site-local IPv6, and multicast; IPv4 inside IPv6 is
    judged as IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_forbidden_address(embedded)
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return True  # fec0::/10: deprecated, but not in the registry ``is_global`` reads
    return not address.is_global or address.is_multicast


async def _finish(
    response: httpx.Response, url: str, headers: dict[str, str], max_bytes: int
) -> FetchResult:
    """Turn a non-redirect response into a result or an error."""
    if response.status_code == 304:
        return FetchResult(
            status="not_modified",
            url=url,
            body=b"",
            content_type=response.headers.get("content-type", ""),
            etag=response.headers.get("etag", headers.get("If-None-Match", "")),
            last_modified=response.headers.get(
                "last-modified", headers.get("If-Modified-Since", "")
            ),
        )
    if response.status_code >= 300:
        raise _status_error(response, url)
    body = await _read_limited(response, url, max_bytes)
    return FetchResult(
        status="ok",
        url=url,
        body=body,
        content_type=response.headers.get("content-type", ""),
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
    )


def _status_error(response: httpx.Response, url: str) -> FetchError:
    code = response.status_code
    retryable = code in RETRYABLE_STATUS
    return FetchError(
        "http_status",
        f"The feed at {url} answered HTTP {code} {response.reason_phrase}".rstrip() + ".",
        url=url,
        status_code=code,
        retryable=retryable,
        retry_after=_retry_after(response) if retryable else None,
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


async def _read_limited(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """The body, read chunk by chunk; stops as soon as it would exceed ``max_bytes``."""
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes)
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise _too_large(url, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, max_bytes: int) -> FetchError:
    return FetchError(
        "too_large", f"The feed at {url} is larger than the limit of {max_bytes} bytes.", url=url
    )


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__
