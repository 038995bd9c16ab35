"""Complaints: public intake and status, regulator review."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from registry.auth import regulator_only
from registry.http.common import Limit, Offset, QueryRowId, actor, client_address, page
from registry.services import complaints


class NewComplaint(msgspec.Struct, forbid_unknown_fields=True):
    description: str
    recruiter_name: str | None = None
    recruiter_phone: str | None = None
    indicators: list[str] | None = None
    origin_country: str | None = None
    destination_country: str | None = None
    sector: str | None = None
    contact: str | None = None


@post("/api/v1/complaints", opt={"public": True, "strip_nul": True}, status_code=201)
async def file_complaint(data: JSONBody[NewComplaint]) -> dict[str, Any]:
    """File a complaint; the answer is a reference to follow it, never anything about others."""
    result = await complaints.file_complaint(
        complaints.ComplaintInput(
            description=data.description,
            recruiter_name=data.recruiter_name or "",
            recruiter_phone=data.recruiter_phone or "",
            indicators=list(data.indicators or []),
            origin_country=data.origin_country or "",
            destination_country=data.destination_country or "",
            sector=data.sector or "",
            contact=data.contact or "",
        )
    )
    return {"reference": result["reference"]}


@get("/api/v1/complaints/{reference:str}", opt={"public": True})
async def complaint_status(reference: FromPath[str]) -> dict[str, Any]:
    """The status of one complaint by its reference, and nothing more."""
    return await complaints.complaint_status(reference)


@get("/api/v1/complaints", guards=[regulator_only])
async def list_complaints(
    request: Request[Any, Any, Any],
    status: FromQuery[str | None] = None,
    profile_id: QueryRowId = None,
    limit: Limit = None,
    offset: Offset = None,
) -> dict[str, Any]:
    size, start = page(limit, offset)
    result = await complaints.list_complaints(
        status=status, profile_id=profile_id, limit=size, offset=start
    )
    from registry.services import audit

    await audit.record(
        await actor(request),
        "complaints_listed",
        "complaint",
        "",
        {"status": status, "profile_id": profile_id, "count": len(result["items"])},
        client_address(request),
    )
    return result


@get("/api/v1/complaints/{reference:str}/contact", guards=[regulator_only])
async def complaint_contact(
    request: Request[Any, Any, Any], reference: FromPath[str]
) -> dict[str, Any]:
    """The complainant's contact (decrypted); each read is audited with who and when."""
    return await complaints.read_contact(
        reference, actor=await actor(request), client=client_address(request)
    )


class ComplaintStatus(msgspec.Struct, forbid_unknown_fields=True):
    status: str


@patch("/api/v1/complaints/{reference:str}", guards=[regulator_only])
async def change_complaint_status(
    request: Request[Any, Any, Any], reference: FromPath[str], data: JSONBody[ComplaintStatus]
) -> dict[str, Any]:
    return await complaints.change_complaint_status(
        reference, data.status, actor=await actor(request), client=client_address(request)
    )
