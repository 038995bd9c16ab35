"""What controllers share: the signed-in actor, the client's address, paging limits."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.params import PathParameter, QueryParameter

from registry.auth import current_user

__all__ = (
    "MAX_OFFSET",
    "MAX_ROW_ID",
    "Limit",
    "Offset",
    "QueryRowId",
    "RowId",
    "actor",
    "client_address",
    "page",
)

MAX_ROW_ID = 2**31 - 1
"""Row ids are PostgreSQL ``serial`` (int4): a larger id names no row, and is refused up front."""
MAX_OFFSET = 10_000_000

RowId = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID, description="A row id (1 to 2^31-1).")]
"""A row id in a path: out-of-range ids are a 400 from the type, not a driver error."""
Limit = Annotated[int | None, QueryParameter(ge=1, le=MAX_ROW_ID, description="Page size.")]
Offset = Annotated[
    int | None, QueryParameter(ge=0, le=MAX_OFFSET, description="Rows to skip (at most 10^7).")
]
QueryRowId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ROW_ID, description="A row id.")]


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
