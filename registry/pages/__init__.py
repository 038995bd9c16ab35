"""Server-rendered pages: the worker's lookup and complaint form, and the regulator's console."""

from __future__ import annotations

from typing import Any

from registry.settings import Settings

__all__ = ("PAGE_ROUTES", "page_app_config")

PAGE_ROUTES: list[Any] = []


def page_app_config(settings: Settings) -> dict[str, Any]:
    """Extra Litestar arguments the pages need (templates, sessions, CSRF, static files)."""
    return {}
