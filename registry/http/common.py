"""What controllers share: the signed-in actor, the client's address, paging limits."""

from __future__ import annotations

from typing import Any

from litestar import Request

from registry.auth import current_user

__all__ = ("actor", "client_address", "page")


async def actor(request: Request[Any, Any, Any]) -> str:
    user = await current_user(request)
    return user["username"] if user else "anonymous"


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


def page(
    limit: int | None, offset: int | None, *, default: int = 50, most: int = 500
) -> tuple[int, int]:
    limit = default if limit is None else max(1, min(limit, most))
    return limit, max(0, offset or 0)
