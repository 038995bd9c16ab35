from __future__ import annotations

from typing import Any

import msgspec
from litestar import get, post
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery, JSONBody

from registry.services import licences
from registry.services import lookup as lookup_service
from registry.services.errors import InvalidInput


class LookupQuery(msgspec.Struct, forbid_unknown_fields=True):
    """A lookup sent in the body: a pasted ad is too long for a URL."""

    q: str


@get("/api/v1/lookup", opt={"public": True})
async def lookup(q: FromQuery[str | None] = None) -> dict[str, Any]:
    """Is this recruiter licensed? ``q`` is a name in any script, a phone, a licence number or an ad.

    Up to 500 characters; a longer text (a whole ad) goes to ``POST /api/v1/lookup``.
    """
    text = (q or "").strip()
    if len(text) > lookup_service.MAX_QUERY:
        raise InvalidInput(
            f"The query is {len(text)} characters long; a URL takes up to "
            f"{lookup_service.MAX_QUERY}. Nothing was checked: send a longer text (up to "
            f"{lookup_service.MAX_AD:,} characters) with POST /api/v1/lookup."
        )
    return await lookup_service.lookup(q or "")


@post(
    "/api/v1/lookup",
    opt={"public": True},
    status_code=200,
    summary="Check a long text (a pasted ad)",
    description=(
        "The same answer as `GET /api/v1/lookup`, for a text of up to 5,000 characters sent as "
        '`{"q": TEXT}`. A longer or empty text is refused with 400; it is never cut, because the '
        "part cut off may hold the phone number that gives an impostor away."
    ),
    raises=[ValidationException],
)
async def lookup_long(data: JSONBody[LookupQuery]) -> dict[str, Any]:
    return await lookup_service.lookup(data.q, max_length=lookup_service.MAX_AD)


@get("/api/v1/intermediaries/{license_number:str}", opt={"public": True})
async def intermediary(license_number: FromPath[str]) -> dict[str, Any]:
    """One licence as the register holds it, or 404."""
    return licences.licence_public(await licences.get_licence(license_number))
