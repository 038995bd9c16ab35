"""The parts of fetching that need no server: which addresses are refused, and the backoff."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from jobs import fetching
from jobs.fetching import FetchError, fetch_feed, is_forbidden_address


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
        "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "100.64.0.1", "192.0.2.10",  # noqa: S104
        "::1", "::", "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "2002:7f00:1::",
    ],
)  # fmt: skip
def test_private_and_special_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2a00:1450:4001::1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert not is_forbidden_address(ipaddress.ip_address(address))


async def test_every_resolved_address_must_be_public(monkeypatch: pytest.MonkeyPatch) -> None:
    async def getaddrinfo(*args: object, **kwargs: object) -> list[tuple[object, ...]]:
        return [
            (2, 1, 6, "", ("93.184.216.34", 80)),
            (2, 1, 6, "", ("192.168.0.7", 80)),
        ]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)

    with pytest.raises(FetchError) as caught:
        await fetch_feed("https://board.example.test/feed", retries=0)

    assert caught.value.kind == "forbidden_address"
    assert "192.168.0.7" in str(caught.value)


def test_backoff_grows_is_jittered_and_honours_a_short_retry_after() -> None:
    base = fetching.BACKOFF_BASE_SECONDS
    first = [fetching._backoff_delay(0, None) for _ in range(50)]
    third = [fetching._backoff_delay(2, None) for _ in range(50)]

    assert all(base <= d <= 2 * base for d in first)
    assert all(4 * base <= d <= 5 * base for d in third)
    assert len(set(first)) > 1
    assert fetching._backoff_delay(0, 3.0) == 3.0
    assert fetching._backoff_delay(0, 3600.0) == fetching.MAX_RETRY_AFTER_SECONDS
