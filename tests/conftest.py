"""One suite, two databases: SQLite by default, PostgreSQL with RECRUITWATCH_TEST_DB=postgres.

The database is chosen before anything imports ``registry``, because Piccolo binds its engine on
first use. On PostgreSQL each run gets a database of its own on the local server, dropped at the end;
when PostgreSQL is asked for and cannot be reached the run fails instead of skipping.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import uuid
from pathlib import Path

import pytest

BACKEND = os.environ.get("RECRUITWATCH_TEST_DB", "sqlite").lower()
POSTGRES_ADMIN_URL = os.environ.get(
    "RECRUITWATCH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
_TMP = Path(tempfile.mkdtemp(prefix="recruitwatch-tests-"))
_PG_DB = f"rw_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _postgres_url(dbname: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{dbname}"


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


if BACKEND == "postgres":
    DATABASE_URL = _postgres_url(_PG_DB)
elif BACKEND == "sqlite":
    DATABASE_URL = f"sqlite:///{_TMP / 'test.db'}"
else:
    raise RuntimeError(f"RECRUITWATCH_TEST_DB must be sqlite or postgres, not {BACKEND!r}")

os.environ["RECRUITWATCH_DATABASE_URL"] = DATABASE_URL
os.environ["RECRUITWATCH_SECRET_KEY"] = "test-secret-key-" + "x" * 32
os.environ["RECRUITWATCH_RATE_LIMIT_PER_MINUTE"] = "0"
os.environ["RECRUITWATCH_ALLOW_PRIVATE_FEEDS"] = "true"
os.environ["RECRUITWATCH_REGISTRY_REFRESH_SECONDS"] = "0"
# The test client runs the app in an event loop of its own: a pool bound to one loop breaks the other.
os.environ["RECRUITWATCH_DATABASE_POOL_SIZE"] = "0"
os.environ.setdefault("PICCOLO_CONF", "registry.piccolo_conf")

from tests.helpers import TEST_DATA  # noqa: E402

__all__ = ("TEST_DATA",)


def pytest_configure(config: pytest.Config) -> None:
    if BACKEND == "postgres":
        try:
            asyncio.run(_admin(f'CREATE DATABASE "{_PG_DB}"'))
        except OSError as exc:
            raise pytest.UsageError(
                f"PostgreSQL was asked for (RECRUITWATCH_TEST_DB=postgres) but {POSTGRES_ADMIN_URL} "
                f"cannot be reached: {exc}"
            ) from exc


def pytest_unconfigure(config: pytest.Config) -> None:
    if BACKEND == "postgres":
        with contextlib.suppress(OSError):
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{_PG_DB}" WITH (FORCE)'))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_pg = pytest.mark.skip(reason="PostgreSQL-only; this run is on SQLite")
    skip_sqlite = pytest.mark.skip(reason="SQLite-only; this run is on PostgreSQL")
    for item in items:
        if "postgres_only" in item.keywords and BACKEND != "postgres":
            item.add_marker(skip_pg)
        if "sqlite_only" in item.keywords and BACKEND != "sqlite":
            item.add_marker(skip_sqlite)


@pytest.fixture(scope="session")
def backend() -> str:
    return BACKEND


@pytest.fixture(scope="session")
def database_url() -> str:
    return DATABASE_URL
