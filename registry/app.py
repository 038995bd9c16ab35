"""The one place that assembles the web application."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from piccolo.engine.postgres import PostgresEngine

from registry.database import engine, is_unique_violation, is_unstorable_value, migrate
from registry.http import auth, complaints, feeds, flags, health, lookup, registry_admin, users
from registry.http.access_log import access_log_middleware
from registry.http.headers import response_headers_middleware
from registry.http.hygiene import hygiene_middleware
from registry.pages import PAGE_ROUTES, page_app_config
from registry.services.errors import ServiceError
from registry.services.lookup import registry_lookup
from registry.settings import DEFAULT_SECRET_KEY, get_settings

__all__ = ("create_app",)

log = logging.getLogger("recruitwatch")

ROUTES: list[Any] = [
    health.health,
    lookup.lookup,
    lookup.lookup_long,
    lookup.intermediary,
    auth.login,
    registry_admin.import_registry,
    registry_admin.licence_history,
    registry_admin.change_status,
    users.create_user,
    users.list_users,
    complaints.file_complaint,
    complaints.complaint_status,
    complaints.list_complaints,
    complaints.complaint_contact,
    complaints.change_complaint_status,
    flags.list_flags,
    flags.flag_detail,
    flags.change_flag,
    flags.profile_detail,
    flags.list_profiles,
    flags.merge_profiles,
    flags.split_profile,
    feeds.create_feed,
    feeds.list_feeds,
    feeds.get_feed,
    feeds.update_feed,
    feeds.scan_feed,
    feeds.list_ads,
]


def _json_error(status: int, message: str, details: list[Any] | None = None) -> Response[Any]:
    body: dict[str, Any] = {"status_code": status, "error": message, "detail": message}
    if details:
        body["details"] = details
    return Response(body, status_code=status)


def service_error(_: Request[Any, Any, Any], exc: ServiceError) -> Response[Any]:
    return _json_error(exc.status_code, exc.message, exc.details)


def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    details = exc.extra if isinstance(exc.extra, list) else None
    message = exc.detail
    if isinstance(exc, ValidationException) and details:
        message = "The request is not valid: " + "; ".join(
            f"{d.get('key') or d.get('source', '')}: {d.get('message', '')}".strip(": ")
            for d in details
            if isinstance(d, dict)
        )
    return Response(
        {"status_code": exc.status_code, "error": message, "detail": message, "details": details}
        if details
        else {"status_code": exc.status_code, "error": message, "detail": message},
        status_code=exc.status_code,
        headers=exc.headers,
    )


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if is_unique_violation(exc):
        return _json_error(409, "That record exists already.")
    if is_unstorable_value(exc):
        return _json_error(400, "A value in the request is out of range or not allowed.")
    if isinstance(exc, RecursionError):
        return _json_error(400, "The request is nested too deeply.")
    log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json_error(HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side.")


@contextlib.asynccontextmanager
async def lifespan(_: Litestar) -> AsyncIterator[None]:
    await migrate()
    db = engine()
    pool_size = get_settings().database_pool_size
    pooled = isinstance(db, PostgresEngine) and pool_size > 0
    if pooled:
        await db.start_connection_pool(min_size=1, max_size=pool_size)
    # Build the lookup index before the first worker's request, not during it.
    await registry_lookup.refresh(force=True)
    try:
        yield
    finally:
        if pooled:
            await db.close_connection_pool()


def _is_public(request: Request[Any, Any, Any]) -> bool:
    handler = request.scope.get("route_handler")
    return bool(handler is not None and handler.opt.get("public"))


def warn_about_development_key() -> None:
    """Production refuses the development key (``Settings.check``); anywhere else, say it loudly."""
    if get_settings().secret_key == DEFAULT_SECRET_KEY:
        log.warning(
            "RECRUITWATCH_SECRET_KEY is the built-in development key: anyone can forge sessions "
            "and tokens and read complainants' contacts. Set a long random key before real use "
            "(production mode refuses to start without one)."
        )


def create_app(*, extra_routes: list[Any] | None = None) -> Litestar:
    settings = get_settings()
    warn_about_development_key()
    # outermost first: every answer is logged and gets its headers, even a refusal below
    middleware: list[Any] = [access_log_middleware, response_headers_middleware, hygiene_middleware]
    if settings.rate_limit_per_minute > 0:
        middleware.append(
            RateLimitConfig(
                rate_limit=("minute", settings.rate_limit_per_minute),
                check_throttle_handler=_is_public,
            ).middleware
        )
    pages = page_app_config(settings)
    middleware.extend(pages.pop("middleware", []))
    return Litestar(
        route_handlers=[*ROUTES, *PAGE_ROUTES, *(extra_routes or [])],
        lifespan=[lifespan],
        middleware=middleware,
        **pages,
        exception_handlers={
            ServiceError: service_error,
            HTTPException: http_error,
            Exception: unexpected_error,
        },
        openapi_config=OpenAPIConfig(
            title="recruitwatch",
            version="1.0.0",
            description="Licensed labour-recruitment intermediaries: lookup, complaints, flags.",
            path="/schema",
        ),
        request_max_body_size=2 * 1024 * 1024,
        debug=False,
    )
