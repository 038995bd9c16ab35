"""Accounts, tokens and roles through the API and the CLI."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from litestar.testing import AsyncTestClient

from registry.tables import AuditEntry, User
from tests.helpers import make_user


async def test_login_returns_a_token_that_opens_regulator_endpoints(
    client: AsyncTestClient[Any],
) -> None:
    await make_user("inspector", "regulator")
    response = await client.post(
        "/api/v1/auth/login", json={"username": "inspector", "password": "correct horse battery"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    history = await client.get(
        "/api/v1/registry/licences/KZ-1/history", headers={"Authorization": f"Bearer {token}"}
    )
    assert history.status_code == 404  # authorised; the licence simply does not exist


async def test_wrong_password_and_unknown_user_are_401(client: AsyncTestClient[Any]) -> None:
    await make_user("inspector", "regulator")
    for username, password in (("inspector", "wrong password!"), ("nobody", "whatever password")):
        response = await client.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        assert response.status_code == 401
    assert await AuditEntry.count().where(AuditEntry.action == "login_failed") == 2


async def test_malformed_login_is_400(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/api/v1/auth/login", json={"username": "x"})
    assert response.status_code == 400
    assert "password" in response.json()["error"]


async def test_passwords_are_stored_as_argon2id() -> None:
    await make_user("inspector", "regulator")
    stored = (await User.select(User.password_hash).first())["password_hash"]
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored


async def test_regulator_may_not_manage_users_but_admin_may(
    client: AsyncTestClient[Any], regulator_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    new = {"username": "second", "password": "long enough pw", "role": "regulator"}
    assert (await client.post("/api/v1/users", json=new)).status_code == 401
    assert (
        await client.post("/api/v1/users", json=new, headers=regulator_headers)
    ).status_code == 403
    created = await client.post("/api/v1/users", json=new, headers=admin_headers)
    assert created.status_code == 201
    again = await client.post("/api/v1/users", json=new, headers=admin_headers)
    assert again.status_code == 409


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_cli_users_add_reads_the_password_from_stdin(client: AsyncTestClient[Any]) -> None:
    result = run_cli(
        "users",
        "add",
        "cli-inspector",
        "--role",
        "regulator",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert result.returncode == 0, result.stderr
    response = await client.post(
        "/api/v1/auth/login", json={"username": "cli-inspector", "password": "a long password"}
    )
    assert response.status_code == 200
    again = run_cli(
        "users",
        "add",
        "cli-inspector",
        "--role",
        "regulator",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert again.returncode != 0
    assert "exists already" in again.stderr
    assert "Traceback" not in again.stderr


def test_cli_refuses_a_short_password_in_one_sentence() -> None:
    result = run_cli(
        "users", "add", "x-user", "--role", "admin", "--password-stdin", stdin="short\n"
    )
    assert result.returncode != 0
    assert result.stderr.strip() == "A password needs at least 10 characters."
