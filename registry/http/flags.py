"""The regulator's flag queue and recruiter profiles."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Request, get, patch, post
from litestar.params import FromQuery, JSONBody

from registry.auth import regulator_only
from registry.http.common import Limit, Offset, RowId, actor, client_address, page
from registry.services import audit, flags, profiles


@get("/api/v1/flags", guards=[regulator_only])
async def list_flags(
    status: FromQuery[str | None] = None,
    reason: FromQuery[str | None] = None,
    sort: FromQuery[str] = "severity",
    order: FromQuery[str] = "desc",
    opened_after: FromQuery[dt.datetime | None] = None,
    limit: Limit = None,
    offset: Offset = None,
) -> dict[str, Any]:
    """Flags, filtered by status and reason, sorted by severity, date or counts."""
    size, start = page(limit, offset)
    return await flags.list_flags(
        status=status or None,
        reason=reason or None,
        sort=sort,
        descending=order != "asc",
        opened_after=opened_after,
        limit=size,
        offset=start,
    )


@get("/api/v1/flags/{flag_id:int}", guards=[regulator_only])
async def flag_detail(request: Request[Any, Any, Any], flag_id: RowId) -> dict[str, Any]:
    """A flag with its evidence: timeline, complaints, ads, names and phones, the matched licence."""
    detail = await flags.flag_detail(flag_id)
    await audit.record(
        await actor(request), "flag_viewed", "flag", flag_id, {}, client_address(request)
    )
    return detail


class FlagChange(msgspec.Struct, forbid_unknown_fields=True):
    status: str
    note: str = ""


@patch("/api/v1/flags/{flag_id:int}", guards=[regulator_only])
async def change_flag(
    request: Request[Any, Any, Any], flag_id: RowId, data: JSONBody[FlagChange]
) -> dict[str, Any]:
    """Change a flag's status with a note; kept in its timeline and the audit trail."""
    who = await actor(request)
    flag = await flags.change_status(flag_id, data.status, data.note[:5000], actor=who)
    await audit.record(
        who,
        "flag_status",
        "flag",
        flag_id,
        {"status": data.status, "note": data.note[:5000]},
        client_address(request),
    )
    return flag


@get("/api/v1/profiles/{profile_id:int}", guards=[regulator_only])
async def profile_detail(profile_id: RowId) -> dict[str, Any]:
    return await profiles.profile_detail(profile_id)


@get("/api/v1/profiles", guards=[regulator_only])
async def list_profiles(
    unregistered: FromQuery[bool | None] = None,
    limit: Limit = None,
    offset: Offset = None,
) -> dict[str, Any]:
    size, start = page(limit, offset)
    return await profiles.list_profiles(unregistered=unregistered, limit=size, offset=start)


class Merge(msgspec.Struct, forbid_unknown_fields=True):
    source: int
    target: int


@post("/api/v1/profiles/merge", guards=[regulator_only], status_code=200)
async def merge_profiles(request: Request[Any, Any, Any], data: JSONBody[Merge]) -> dict[str, Any]:
    who = await actor(request)
    target = await profiles.merge_profiles(data.source, data.target, actor=who)
    await audit.record(
        who,
        "profiles_merged",
        "profile",
        target,
        {"source": data.source, "target": data.target},
        client_address(request),
    )
    return await profiles.profile_detail(target)


class Split(msgspec.Struct, forbid_unknown_fields=True):
    phones: list[str] = msgspec.field(default_factory=list)
    names: list[str] = msgspec.field(default_factory=list)


@post("/api/v1/profiles/{profile_id:int}/split", guards=[regulator_only], status_code=200)
async def split_profile(
    request: Request[Any, Any, Any], profile_id: RowId, data: JSONBody[Split]
) -> dict[str, Any]:
    who = await actor(request)
    new_id = await profiles.split_profile(
        profile_id, phones=data.phones, names=data.names, actor=who
    )
    await audit.record(
        who,
        "profile_split",
        "profile",
        profile_id,
        {"new_profile": new_id, "phones": data.phones, "names": data.names},
        client_address(request),
    )
    return {
        "source": await profiles.profile_detail(profile_id),
        "new": await profiles.profile_detail(new_id),
    }
