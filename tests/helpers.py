"""Helpers the test modules share (fixtures live in conftest.py files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

TEST_DATA = Path(__file__).parent / "data"
ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "correct horse battery"


async def make_user(username: str, role: str, password: str = PASSWORD) -> None:
    from registry.services import users

    await users.create_user(username, password, role)


async def token_for(client: AsyncTestClient[Any], username: str, role: str) -> str:
    await make_user(username, role)
    response = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["token"])
