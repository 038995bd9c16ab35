"""What the page tests share: reading CSRF tokens out of forms, signing in through the console."""

from __future__ import annotations

import contextlib
import html
import re
from typing import Any

from litestar.testing import AsyncTestClient

from tests.helpers import PASSWORD, TEST_DATA, make_user

__all__ = ("csrf_token", "load_small_registry", "post_form", "sign_in")

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]*)"')


def csrf_token(page: str) -> str:
    found = _TOKEN.search(page)
    assert found, "the page has no CSRF token"
    return html.unescape(found.group(1))


async def post_form(
    client: AsyncTestClient[Any], form_page: str, action: str, data: dict[str, Any], **kwargs: Any
) -> Any:
    """Fetch the page with the form (which sets the CSRF cookie), then post it with its token."""
    page = await client.get(form_page)
    assert page.status_code == 200, page.text
    kwargs.setdefault("follow_redirects", False)
    return await client.post(action, data={**data, "_csrf_token": csrf_token(page.text)}, **kwargs)


async def sign_in(
    client: AsyncTestClient[Any], username: str = "inspector", role: str = "regulator"
) -> None:
    from registry.services.errors import Conflict

    with contextlib.suppress(Conflict):  # signed in before, in this test
        await make_user(username, role)
    response = await post_form(
        client,
        "/console/login",
        "/console/login",
        {"username": username, "password": PASSWORD, "next": "/console/flags"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/console/flags"


async def load_small_registry() -> None:
    from registry.services import licences

    await licences.import_registry(
        (TEST_DATA / "registry" / "small.csv").read_bytes(), actor="test", filename="small.csv"
    )
