"""The regulator's side of the register: imports, licence history, status changes."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, patch, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery, JSONBody

from registry.auth import regulator_only
from registry.http.common import actor, client_address
from registry.services import audit, licences
from registry.services.errors import InvalidInput

MAX_IMPORT_BYTES = 200 * 1024 * 1024


async def _csv_bytes(request: Request[Any, Any, Any]) -> tuple[bytes, str]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = next((v for v in form.values() if isinstance(v, UploadFile)), None)
        if upload is None:
            raise InvalidInput("Attach the CSV file as a form field named 'file'.")
        return await upload.read(), upload.filename or ""
    return await request.body(), ""


@post(
    "/api/v1/registry/import",
    guards=[regulator_only],
    request_max_body_size=MAX_IMPORT_BYTES,
    status_code=200,
)
async def import_registry(
    request: Request[Any, Any, Any], dry_run: FromQuery[bool] = False
) -> dict[str, Any]:
    """Upsert the register from a CSV (the body, or a multipart file); any bad row writes nothing."""
    data, filename = await _csv_bytes(request)
    if not data.strip():
        raise InvalidInput("The request has no CSV in it.")
    report = await licences.import_registry(
        data,
        actor=await actor(request),
        filename=filename,
        dry_run=dry_run,
        client=client_address(request),
    )
    return report.as_dict()


@get("/api/v1/registry/licences/{license_number:str}/history", guards=[regulator_only])
async def licence_history(license_number: FromPath[str]) -> dict[str, Any]:
    return {"items": await licences.licence_history(license_number)}


class StatusChange(msgspec.Struct, forbid_unknown_fields=True):
    status: str
    note: str = ""


@patch("/api/v1/registry/licences/{license_number:str}", guards=[regulator_only])
async def change_status(
    request: Request[Any, Any, Any], license_number: FromPath[str], data: JSONBody[StatusChange]
) -> dict[str, Any]:
    """Suspend, revoke, expire or reinstate a licence; flags about it are re-evaluated."""
    who = await actor(request)
    licence = await licences.update_licence_status(
        license_number, data.status, actor=who, note=data.note[:2000]
    )
    await audit.record(
        who,
        "licence_status",
        "licence",
        licence["licence_number"],
        {"status": data.status, "note": data.note[:2000]},
        client_address(request),
    )
    return licences.licence_public(licence)
