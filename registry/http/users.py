"""Account management: admins only."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.params import JSONBody

from registry.auth import admin_only
from registry.http.common import actor, client_address
from registry.services import audit, users


class NewUser(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    password: str
    role: str


@post("/api/v1/users", guards=[admin_only], status_code=201)
async def create_user(request: Request[Any, Any, Any], data: JSONBody[NewUser]) -> dict[str, Any]:
    user = await users.create_user(data.username, data.password, data.role)
    await audit.record(
        await actor(request),
        "user_created",
        "user",
        data.username,
        {"role": data.role},
        client_address(request),
    )
    return user


@get("/api/v1/users", guards=[admin_only])
async def list_users() -> dict[str, Any]:
    rows = await users.list_users()
    return {"items": [{**r, "created_at": r["created_at"].isoformat()} for r in rows]}
