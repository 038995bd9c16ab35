"""Server-rendered pages: the worker's lookup and complaint form, and the regulator's console."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from litestar import Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import HTTPException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.file import FileStore
from litestar.template.config import TemplateConfig

from registry.pages import console, public
from registry.pages.common import STATIC_DIR, jinja_environment, language_middleware
from registry.pages.errors import public_error
from registry.services.errors import ServiceError
from registry.settings import Settings

__all__ = ("PAGE_ROUTES", "page_app_config")

PAGE_ROUTES: list[Any] = [
    Router(
        path="/",
        route_handlers=public.PUBLIC_ROUTES,
        exception_handlers={ServiceError: public_error, HTTPException: public_error},
    ),
    console.console_router(),
    create_static_files_router(
        path="/static",
        directories=[STATIC_DIR],
        cache_control=CacheControlHeader(max_age=7 * 24 * 3600, public=True),
        opt={"public": True},
    ),
]


def _session_dir(settings: Settings) -> Path:
    if settings.session_dir:
        return Path(settings.session_dir)
    # One directory per database, so two deployments on one machine never share sessions.
    tag = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"recruitwatch-sessions-{tag}"


def page_app_config(settings: Settings) -> dict[str, Any]:
    """Extra Litestar arguments the pages need (templates, sessions' store, CSRF)."""
    return {
        "template_config": TemplateConfig(
            engine=JinjaTemplateEngine.from_environment(jinja_environment())
        ),
        "middleware": [language_middleware],
        "stores": {
            console.SESSION_STORE: FileStore(_session_dir(settings), create_directories=True)
        },
        "csrf_config": CSRFConfig(
            secret=settings.secret_key,
            cookie_name="rw_csrf",
            cookie_httponly=True,
            cookie_samesite="lax",
            cookie_secure=settings.production,
            # A lookup (POST /) changes nothing: it needs no token, and the page sets no cookie.
            exclude=["^/api/", "^/health", "^/schema", "^/$"],
        ),
    }
