"""Bearer tokens for the API and role guards shared by the API and the console.

A token is a short-lived HS256 JWT signed with the secret key; the role in it is re-checked
against the database so a deactivated account loses access at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from registry.services import users
from registry.settings import get_settings

__all__ = ("admin_only", "current_user", "issue_token", "regulator_only")

_ALGORITHM = "HS256"
_AUDIENCE = "recruitwatch-api"


def issue_token(user: dict[str, Any]) -> str:
    settings = get_settings()
    now = dt.datetime.now(dt.UTC)
    claims = {
        "sub": user["username"],
        "role": user["role"],
        "iat": now,
        "exp": now + dt.timedelta(minutes=settings.token_ttl_minutes),
        "aud": _AUDIENCE,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=_ALGORITHM)


def _username_from_token(token: str) -> str | None:
    try:
        claims = jwt.decode(
            token, get_settings().secret_key, algorithms=[_ALGORITHM], audience=_AUDIENCE
        )
    except jwt.PyJWTError:
        return None
    sub = claims.get("sub")
    return sub if isinstance(sub, str) else None


async def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any] | None:
    """The signed-in user from a bearer token or the console's session, else None."""
    cached = connection.scope.get("state", {}).get("user", ...)
    if cached is not ...:
        return cached  # type: ignore[no-any-return]
    username: str | None = None
    header = connection.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        username = _username_from_token(header[7:].strip())
    elif "session" in connection.scope and connection.scope.get("session"):
        username = connection.session.get("username")
    user = await users.get_user(username) if username else None
    connection.scope.setdefault("state", {})["user"] = user
    return user


def _require(roles: tuple[str, ...]):  # type: ignore[no-untyped-def]
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = await current_user(connection)
        if user is None:
            raise NotAuthorizedException("Sign in with a regulator account first.")
        if user["role"] not in roles:
            raise PermissionDeniedException("Your role may not do this.")

    return guard


regulator_only = _require(("regulator", "admin"))
admin_only = _require(("admin",))
