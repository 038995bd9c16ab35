from __future__ import annotations

from typing import Any

from litestar import get
from litestar.params import FromPath, FromQuery

from registry.services import licences
from registry.services import lookup as lookup_service


@get("/api/v1/lookup", opt={"public": True})
async def lookup(q: FromQuery[str | None] = None) -> dict[str, Any]:
    """Is this recruiter licensed? ``q`` is a name in any script, a phone, a licence number or an ad."""
    return await lookup_service.lookup(q or "")


@get("/api/v1/intermediaries/{license_number:str}", opt={"public": True})
async def intermediary(license_number: FromPath[str]) -> dict[str, Any]:
    """One licence as the register holds it, or 404."""
    return licences.licence_public(await licences.get_licence(license_number))
