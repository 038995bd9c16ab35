"""Integration fixtures: a migrated database emptied before each test, the app, signed-in clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from registry.database import engine, is_postgres, migrate
from registry.tables import ALL_TABLES
from tests.helpers import make_user, token_for

__all__ = ("make_user", "token_for")


@pytest.fixture(scope="session")
async def migrated() -> None:
    await migrate()


async def empty_database() -> None:
    from registry.services.lookup import registry_lookup
    from registry.services.profile_names import profile_names

    names = [t._meta.tablename for t in ALL_TABLES]
    if is_postgres():
        await engine().run_ddl(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
    else:
        for name in reversed(names):
            await engine().run_ddl(f"DELETE FROM {name}")
    registry_lookup.reset()
    profile_names.reset()


@pytest.fixture(autouse=True)
async def clean_db(migrated: None) -> None:
    await empty_database()


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Any]]:
    from registry.app import create_app

    async with AsyncTestClient(app=create_app()) as test_client:
        yield test_client


@pytest.fixture
async def regulator_headers(client: AsyncTestClient[Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {await token_for(client, 'inspector', 'regulator')}"}


@pytest.fixture
async def admin_headers(client: AsyncTestClient[Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {await token_for(client, 'chief', 'admin')}"}


@pytest.fixture
def immediate_public_counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Public counts without the delay and with a threshold of 1, for tests about counting itself."""
    from registry.settings import get_settings

    monkeypatch.setenv("RECRUITWATCH_PUBLIC_REPORT_DELAY_HOURS", "0")
    monkeypatch.setenv("RECRUITWATCH_PUBLIC_COMPLAINTS_MIN", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
