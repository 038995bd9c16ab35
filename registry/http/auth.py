from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, post
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody

from registry.auth import issue_token
from registry.http.common import client_address
from registry.services import audit, users


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: str = msgspec.field()
    password: str = msgspec.field()


class TokenResponse(msgspec.Struct):
    token: str
    token_type: str = "bearer"  # noqa: S105 - a token kind, not a secret
    role: str = ""


@post("/api/v1/auth/login", opt={"public": True}, status_code=200)
async def login(request: Request[Any, Any, Any], data: JSONBody[LoginRequest]) -> TokenResponse:
    """A bearer token for a regulator or admin; 401 for a wrong username or password."""
    user = await users.authenticate(data.username[:150], data.password[:1024])
    if user is None:
        await audit.record(data.username[:150], "login_failed", client=client_address(request))
        raise NotAuthorizedException("Wrong username or password.")
    await audit.record(user["username"], "login", client=client_address(request))
    return TokenResponse(token=issue_token(user), role=user["role"])
