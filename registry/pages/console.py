"""The regulator's console: sign-in, flags, register, import, feeds, profiles, dashboard.

Every page calls the same services as the API, and every action a regulator takes here is written
to the audit trail exactly as the API writes it. Sessions live server-side; forms carry CSRF tokens.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import UploadFile
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from litestar.types import ASGIApp

from registry.auth import current_user, regulator_only
from registry.codes import LicenceStatus, values
from registry.database import is_postgres
from registry.http.common import MAX_OFFSET, RowId
from registry.i18n import N_
from registry.pages import stats
from registry.pages.common import client_address, render, safe_next, see_other
from registry.pages.errors import console_error
from registry.services import audit, complaints, feeds, flags, licences, profiles, users
from registry.services.errors import InvalidInput, ServiceError
from registry.settings import get_settings
from registry.tables import Flag, Licence

__all__ = ("CONSOLE", "SESSION_STORE", "console_router")

CONSOLE = "/console"
PAGE_SIZE = 50
MAX_IMPORT_BYTES = 200 * 1024 * 1024
LICENCE_STATUSES = values(LicenceStatus)
ANONYMOUS = {"anonymous": True}
SESSION_STORE = "console_sessions"
SESSION_COOKIE = "rw_session"


def console_sessions(app: ASGIApp) -> ASGIApp:
    """Sessions on the console's routes only: the cookie's path is the console, so the API and the
    public pages never see it (and never authenticate by cookie), and visitors never get one."""
    config = ServerSideSessionConfig(
        key=SESSION_COOKIE,
        path=CONSOLE,
        max_age=12 * 3600,
        httponly=True,
        samesite="lax",
        secure=get_settings().production,
        store=SESSION_STORE,
    )
    return config.middleware(app)


async def console_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Everything but the sign-in page needs a regulator; the error handler redirects to it."""
    if handler.opt.get("anonymous"):
        return
    await regulator_only(connection, handler)


async def _who(request: Request[Any, Any, Any]) -> str:
    user = await current_user(request)
    if user is None:
        raise NotAuthorizedException()
    return str(user["username"])


def _flash(request: Request[Any, Any, Any], message: str, **values: Any) -> None:
    """A one-time notice shown after the redirect that follows a form post."""
    request.session["flash"] = {
        "message": message,
        "values": {k: str(v) for k, v in values.items()},
    }


async def _page(
    request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any
) -> Template:
    flash = request.session.pop("flash", None) if request.session else None
    return render(
        template, status_code=status_code, user=await current_user(request), flash=flash, **context
    )


PageNumber = Annotated[int | None, QueryParameter(ge=1, le=MAX_OFFSET // PAGE_SIZE)]


def _offset(page: int | None) -> tuple[int, int]:
    number = max(1, page or 1)
    return number, (number - 1) * PAGE_SIZE


# --- signing in ------------------------------------------------------------------------------


@get("/login", opt=ANONYMOUS, name="console_login")
async def login_page(
    request: Request[Any, Any, Any], next: FromQuery[str | None] = None
) -> Template:
    """The sign-in form; showing it ends any earlier session, so a planted session id is dropped."""
    request.clear_session()
    return render(
        "console/login.html",
        next=safe_next(next, CONSOLE + "/flags"),
        error=False,
        user=None,
        flash=None,
    )


@post("/login", opt=ANONYMOUS, name="console_login_submit")
async def login_submit(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    username = str(form.get("username") or "")[:150]
    password = str(form.get("password") or "")[:1024]
    target = safe_next(str(form.get("next") or ""), CONSOLE + "/flags")
    if request.cookies.get(SESSION_COOKIE, "null") != "null":
        # A session id arrived before sign-in: never promote it (session fixation); start afresh.
        request.clear_session()
        return render(
            "console/login.html", status_code=400, next=target, error=True, user=None, flash=None
        )
    user = await users.authenticate(username, password)
    if user is None:
        await audit.record(username, "login_failed", client=client_address(request))
        return render(
            "console/login.html", status_code=401, next=target, error=True, user=None, flash=None
        )
    await audit.record(
        user["username"], "login", detail={"via": "console"}, client=client_address(request)
    )
    request.set_session({"username": user["username"]})
    return see_other(target)


@post("/logout", name="console_logout")
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    user = await current_user(request)
    if user:
        await audit.record(
            user["username"], "logout", detail={"via": "console"}, client=client_address(request)
        )
    request.clear_session()
    return see_other(CONSOLE + "/login")


@get("/", name="console_home")
async def home() -> Redirect:
    return Redirect(path=CONSOLE + "/flags")


# --- flags -----------------------------------------------------------------------------------


def _flag_filters(
    status: str | None, reason: str | None, sort: str | None, order: str | None
) -> dict[str, Any]:
    return {
        "status": status if status in flags.STATUSES else None,
        "reason": reason if reason in flags.REASONS else None,
        "sort": sort if sort in flags.SORTS else "severity",
        "descending": order != "asc",
    }


@get("/flags", name="console_flags")
async def flag_queue(
    request: Request[Any, Any, Any],
    status: FromQuery[str | None] = None,
    reason: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
    order: FromQuery[str | None] = None,
    page: PageNumber = None,
) -> Template:
    """The queue, gravest first by default; filters and sort are links, so no script is needed."""
    filters = _flag_filters(status, reason, sort, order)
    number, offset = _offset(page)
    found = await flags.list_flags(**filters, limit=PAGE_SIZE, offset=offset)
    return await _page(
        request,
        "console/flags.html",
        flags=found["items"],
        total=found["total"],
        page=number,
        pages=max(1, -(-found["total"] // PAGE_SIZE)),
        filters=filters,
        statuses=flags.STATUSES,
        reasons=flags.REASONS,
        sorts=tuple(flags.SORTS),
        params={
            "status": filters["status"] or "",
            "reason": filters["reason"] or "",
            "sort": filters["sort"],
            "order": "desc" if filters["descending"] else "asc",
        },
    )


_PHONE = re.compile(r"^[+-]?[\d ()-]+$")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = (
        ";".join(map(str, value))
        if isinstance(value, list | tuple)
        else ("" if value is None else str(value))
    )
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in "+-" and text and not _PHONE.match(text)):
        return "'" + text
    return text


@get("/flags.csv", name="console_flags_csv")
async def flags_csv(
    request: Request[Any, Any, Any],
    status: FromQuery[str | None] = None,
    reason: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
    order: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The filtered queue as CSV, every page of it; the export is audited."""
    filters = _flag_filters(status, reason, sort, order)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "id",
            "status",
            "reasons",
            "license_number",
            "names",
            "phones",
            "claimed_licences",
            "severity",
            "complaint_count",
            "ad_count",
            "opened_at",
            "updated_at",
        ]
    )
    offset, rows = 0, 0
    while True:
        batch = await flags.list_flags(**filters, limit=500, offset=offset)
        for f in batch["items"]:
            s = f["subject"]
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        f["id"],
                        f["status"],
                        f["reasons"],
                        s["license_number"],
                        s["names"],
                        s["phones"],
                        s.get("claimed_licences", []),
                        f["severity"],
                        f["complaint_count"],
                        f["ad_count"],
                        f["opened_at"],
                        f["updated_at"],
                    )
                ]
            )
        rows += len(batch["items"])
        offset += 500
        if offset >= batch["total"] or not batch["items"]:
            break
    who = await _who(request)
    await audit.record(
        who, "flags_exported", "flag", "", {**filters, "rows": rows}, client_address(request)
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    return Response(
        ("\ufeff" + buffer.getvalue()).encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="flags-{stamp}.csv"'},
    )


def _timeline(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Decisions, complaints and ads about the recruiter, in the order they happened."""
    items = [{"at": e["at"], "kind": "event", "event": e} for e in detail["timeline"]]
    items += [
        {"at": c["received_at"], "kind": "complaint", "complaint": c} for c in detail["complaints"]
    ]
    items += [{"at": a["first_seen_at"], "kind": "ad", "ad": a} for a in detail["ads"]]
    return sorted(items, key=lambda item: item["at"])


@get("/flags/{flag_id:int}", name="console_flag")
async def flag_page(request: Request[Any, Any, Any], flag_id: RowId) -> Template:
    detail = await flags.flag_detail(flag_id)
    await audit.record(
        await _who(request), "flag_viewed", "flag", flag_id, {}, client_address(request)
    )
    return await _page(
        request,
        "console/flag.html",
        flag=detail,
        timeline=_timeline(detail),
        statuses=flags.STATUSES,
    )


@post("/flags/{flag_id:int}/status", name="console_flag_status")
async def flag_status(request: Request[Any, Any, Any], flag_id: RowId) -> Redirect:
    """Change a flag's status with a note: in the flag's timeline and the audit trail."""
    form = await request.form()
    status = str(form.get("status") or "")
    note = str(form.get("note") or "")[:5000]
    who = await _who(request)
    await flags.change_status(flag_id, status, note, actor=who)
    await audit.record(
        who,
        "flag_status",
        "flag",
        flag_id,
        {"status": status, "note": note},
        client_address(request),
    )
    _flash(request, N_("Status changed to %(status)s."), status=status)
    return see_other(f"{CONSOLE}/flags/{flag_id}")


@post("/complaints/{reference:str}/contact", name="console_complaint_contact")
async def complaint_contact(request: Request[Any, Any, Any], reference: FromPath[str]) -> Template:
    """The complainant's contact, on purpose and audited: a post, never a link that prefetches."""
    form = await request.form()
    contact = await complaints.read_contact(
        reference, actor=await _who(request), client=client_address(request)
    )
    back = safe_next(str(form.get("back") or ""), CONSOLE + "/flags")
    return await _page(request, "console/contact.html", contact=contact, back=back)


# --- the register ----------------------------------------------------------------------------


@get("/registry", name="console_registry")
async def registry_page(
    request: Request[Any, Any, Any],
    q: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    page: PageNumber = None,
) -> Template:
    number, offset = _offset(page)
    query = Licence.select(
        Licence.licence_number,
        Licence.name,
        Licence.country,
        Licence.status,
        Licence.valid_until,
    ).order_by(Licence.licence_number)
    count = Licence.count()
    text = (q or "").strip()[:200]
    if text:
        like = f"%{text}%"
        # SQLite's LIKE ignores case already (ASCII); PostgreSQL needs ILIKE.
        method = "ilike" if is_postgres() else "like"
        condition = getattr(Licence.name, method)(like) | getattr(Licence.licence_number, method)(
            like
        )
        query, count = query.where(condition), count.where(condition)
    if status in LICENCE_STATUSES:
        query, count = query.where(Licence.status == status), count.where(Licence.status == status)
    rows = await query.limit(PAGE_SIZE).offset(offset)
    total = await count
    return await _page(
        request,
        "console/registry.html",
        licences=rows,
        total=total,
        page=number,
        pages=max(1, -(-total // PAGE_SIZE)),
        q=text,
        status=status or "",
        statuses=LICENCE_STATUSES,
    )


@get("/registry/{number:str}", name="console_licence")
async def licence_page(request: Request[Any, Any, Any], number: FromPath[str]) -> Template:
    licence = await licences.get_licence(number)
    return await _page(
        request,
        "console/licence.html",
        licence=licences.licence_public(licence),
        verdict=licences.effective_status(licence),
        history=await licences.licence_history(number),
        statuses=LICENCE_STATUSES,
    )


@post("/registry/{number:str}/status", name="console_licence_status")
async def licence_status(request: Request[Any, Any, Any], number: FromPath[str]) -> Redirect:
    form = await request.form()
    status = str(form.get("status") or "")
    note = str(form.get("note") or "")[:2000]
    who = await _who(request)
    licence = await licences.update_licence_status(number, status, actor=who, note=note)
    await audit.record(
        who,
        "licence_status",
        "licence",
        licence["licence_number"],
        {"status": status, "note": note},
        client_address(request),
    )
    _flash(request, N_("Status changed to %(status)s."), status=status)
    return see_other(f"{CONSOLE}/registry/{licence['licence_number']}")


@get("/import", name="console_import")
async def import_page(request: Request[Any, Any, Any]) -> Template:
    return await _page(
        request, "console/import.html", report=None, errors=None, message=None, filename=""
    )


@post("/import", name="console_import_submit", request_max_body_size=MAX_IMPORT_BYTES)
async def import_submit(request: Request[Any, Any, Any]) -> Template:
    """Import a CSV; when any row is bad nothing is written and every bad row is listed."""
    form = await request.form()
    upload = form.get("file")
    dry_run = form.get("dry_run") == "1"
    data, filename = b"", ""
    if isinstance(upload, UploadFile):
        data, filename = await upload.read(), upload.filename or ""
    if not data.strip():
        return await _page(
            request,
            "console/import.html",
            status_code=400,
            report=None,
            errors=None,
            message=N_("Choose a CSV file to import."),
            filename=filename,
        )
    who = await _who(request)
    try:
        report = await licences.import_registry(
            data, actor=who, filename=filename, dry_run=dry_run, client=client_address(request)
        )
    except InvalidInput as exc:
        return await _page(
            request,
            "console/import.html",
            status_code=422,
            report=None,
            errors=exc.details,
            message=exc.message,
            filename=filename,
        )
    return await _page(
        request,
        "console/import.html",
        report=report.as_dict(),
        errors=None,
        message=None,
        filename=filename,
    )


# --- feeds -----------------------------------------------------------------------------------


@get("/feeds", name="console_feeds")
async def feeds_page(request: Request[Any, Any, Any]) -> Template:
    listing = await feeds.list_feeds()
    return await _page(request, "console/feeds.html", feeds=listing["items"])


@post("/feeds", name="console_feed_add")
async def feed_add(request: Request[Any, Any, Any]) -> Redirect:
    form = await request.form()
    url = str(form.get("url") or "").strip()
    try:
        interval = int(str(form.get("interval_minutes") or "60"))
    except ValueError:
        raise InvalidInput("The interval must be a whole number of minutes.") from None
    who = await _who(request)
    feed = await feeds.create_feed(
        url=url,
        format=str(form.get("format") or "auto"),
        interval_minutes=interval,
        name=str(form.get("name") or "").strip(),
    )
    await audit.record(
        who, "feed_created", "feed", feed.get("id", ""), {"url": url}, client_address(request)
    )
    _flash(request, N_("Feed added."))
    return see_other(CONSOLE + "/feeds")


@post("/feeds/{feed_id:int}/scan", name="console_feed_scan")
async def feed_scan(request: Request[Any, Any, Any], feed_id: RowId) -> Redirect:
    """Scan now: the page returns when the scan is done, with its counts."""
    who = await _who(request)
    counts = await feeds.scan_feed(feed_id)
    await audit.record(who, "feed_scanned", "feed", feed_id, dict(counts), client_address(request))
    _flash(
        request,
        N_("Scan finished: %(fetched)s ads fetched, %(new)s new, %(flags)s flags opened."),
        fetched=counts.get("fetched", 0),
        new=counts.get("new_ads", 0),
        flags=counts.get("flags_opened", 0),
    )
    return see_other(CONSOLE + "/feeds")


# --- recruiter profiles ----------------------------------------------------------------------


@get("/profiles", name="console_profiles")
async def profiles_page(
    request: Request[Any, Any, Any],
    kind: FromQuery[str | None] = None,
    page: PageNumber = None,
) -> Template:
    number, offset = _offset(page)
    unregistered = {"unregistered": True, "licensed": False}.get(kind or "")
    found = await profiles.list_profiles(unregistered=unregistered, limit=PAGE_SIZE, offset=offset)
    return await _page(
        request,
        "console/profiles.html",
        profiles=found["items"],
        total=found["total"],
        page=number,
        pages=max(1, -(-found["total"] // PAGE_SIZE)),
        kind=kind or "",
    )


@get("/profiles/{profile_id:int}", name="console_profile")
async def profile_page(request: Request[Any, Any, Any], profile_id: RowId) -> Template:
    detail = await profiles.profile_detail(profile_id)
    flag = await Flag.select(Flag.id, Flag.status).where(Flag.profile == profile_id).first()
    return await _page(request, "console/profile.html", profile=detail, flag=flag)


@post("/profiles/{profile_id:int}/merge", name="console_profile_merge")
async def profile_merge(request: Request[Any, Any, Any], profile_id: RowId) -> Redirect:
    """Merge another profile with this one: two sightings were the same recruiter after all."""
    form = await request.form()
    try:
        other = int(str(form.get("other") or ""))
    except ValueError:
        raise InvalidInput("Give the number of the other profile.") from None
    who = await _who(request)
    target = await profiles.merge_profiles(other, profile_id, actor=who)
    await audit.record(
        who,
        "profiles_merged",
        "profile",
        target,
        {"source": other, "target": profile_id},
        client_address(request),
    )
    _flash(request, N_("Profiles merged."))
    return see_other(f"{CONSOLE}/profiles/{target}")


@post("/profiles/{profile_id:int}/split", name="console_profile_split")
async def profile_split(request: Request[Any, Any, Any], profile_id: RowId) -> Redirect:
    """Move the ticked phones and names, with their evidence, to a new profile."""
    form = await request.form()
    phones = [str(v) for v in form.getall("phones", [])]
    names = [str(v) for v in form.getall("names", [])]
    who = await _who(request)
    new_id = await profiles.split_profile(profile_id, phones=phones, names=names, actor=who)
    await audit.record(
        who,
        "profile_split",
        "profile",
        profile_id,
        {"new_profile": new_id, "phones": phones, "names": names},
        client_address(request),
    )
    _flash(request, N_("Split off as a new profile."))
    return see_other(f"{CONSOLE}/profiles/{new_id}")


# --- dashboard -------------------------------------------------------------------------------


@get("/dashboard", name="console_dashboard")
async def dashboard_page(request: Request[Any, Any, Any]) -> Template:
    data = await stats.dashboard()
    return await _page(request, "console/dashboard.html", data=data, charts=_charts(data))


@get("/dashboard.json", name="console_dashboard_json")
async def dashboard_json() -> dict[str, Any]:
    """The dashboard's numbers, for a spreadsheet or another tool."""
    return await stats.dashboard()


REASON_COLOURS = {
    "unlicensed_advertising": "#1f5fbf",
    "inactive_license": "#b35c00",
    "repeated_complaints": "#a4001d",
    "impersonation": "#6a1b9a",
}


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    """Geometry for the server-drawn SVG charts: stacked weekly bars and horizontal bars."""
    weeks = data["flags_per_week"]["weeks"]
    peak = max([w["total"] for w in weeks] + [1])
    height, bar = 160, 30
    columns = []
    for i, week in enumerate(weeks):
        y = height
        segments = []
        for reason, n in sorted(week["by_reason"].items()):
            h = round(n / peak * (height - 24), 1)
            y -= h
            segments.append(
                {
                    "reason": reason,
                    "n": n,
                    "y": round(y, 1),
                    "h": h,
                    "colour": REASON_COLOURS.get(reason, "#555"),
                }
            )
        columns.append(
            {
                "x": 40 + i * (bar + 8),
                "week": week["week"],
                "total": week["total"],
                "segments": segments,
            }
        )
    indicator_peak = max([i["complaints"] for i in data["complaints_by_indicator"]] + [1])
    top_peak = max([t["complaints"] for t in data["top_unregistered"]] + [1])
    return {
        "height": height,
        "bar": bar,
        "peak": peak,
        "columns": columns,
        "width": 40 + len(weeks) * (bar + 8),
        "colours": REASON_COLOURS,
        "indicator_peak": indicator_peak,
        "top_peak": top_peak,
    }


def console_router() -> Router:
    return Router(
        path=CONSOLE,
        route_handlers=[
            login_page,
            login_submit,
            logout,
            home,
            flag_queue,
            flags_csv,
            flag_page,
            flag_status,
            complaint_contact,
            registry_page,
            licence_page,
            licence_status,
            import_page,
            import_submit,
            feeds_page,
            feed_add,
            feed_scan,
            profiles_page,
            profile_page,
            profile_merge,
            profile_split,
            dashboard_page,
            dashboard_json,
        ],
        guards=[console_guard],
        middleware=[console_sessions],
        exception_handlers={ServiceError: console_error, HTTPException: console_error},
        include_in_schema=False,
    )
