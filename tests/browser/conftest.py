"""A live server (uvicorn in a subprocess, on the test database) and Debian's Chromium.

No Playwright browser download: Chromium comes from Debian (installed here when missing), and the
server is a real process so the browser sees exactly what a worker's phone would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import ARTIFACTS, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


@dataclass
class LiveServer:
    url: str
    regulator: str
    password: str = PASSWORD


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(*args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        input=stdin,
        text=True,
        check=True,
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        timeout=120,
    )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["RECRUITWATCH_RATE_LIMIT_PER_MINUTE"] = "0"
    return env


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        subprocess.run(["bash", str(Path(__file__).with_name("ensure_chromium.sh"))], check=True)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """uvicorn on a free port; the register and a regulator loaded through the CLI first."""
    _cli("import-registry", str(ROOT / "tests" / "data" / "registry" / "small.csv"))
    regulator = f"inspector-{uuid.uuid4().hex[:6]}"
    _cli(
        "users", "add", regulator, "--role", "regulator", "--password-stdin", stdin=PASSWORD + "\n"
    )
    port = _free_port()
    log = (ARTIFACTS / "uvicorn.log").open("w") if ARTIFACTS.exists() else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "registry.asgi:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=_env(),
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the live server did not start; see tests/artifacts/uvicorn.log")
        time.sleep(0.2)
    try:
        yield LiveServer(url=url, regulator=regulator)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser: object, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """Phone-sized pages in fresh browser contexts, each with the browser language asked for."""
    contexts: list[Any] = []

    def factory(locale: str = "ru-RU", viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport=viewport or PHONE, locale=locale, base_url=live_server.url
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield factory
    for context in contexts:
        context.close()
