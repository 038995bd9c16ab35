"""Errors on pages are pages: a worker or regulator never lands on a JSON error body."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from registry.i18n import N_
from registry.pages.common import render
from registry.services.errors import ServiceError

__all__ = ("console_error", "public_error")

_MESSAGES = {
    403: N_("This request was refused. Reload the page and try again."),
    404: N_("This page does not exist."),
}


def _status(exc: Exception) -> int:
    if isinstance(exc, HTTPException | ServiceError):
        return int(exc.status_code)
    return HTTP_500_INTERNAL_SERVER_ERROR


def public_error(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Workers get a translated sentence; the technical message stays in the logs."""
    status = _status(exc)
    message = _MESSAGES.get(status, N_("The request could not be handled. Please try again."))
    return render("error.html", status_code=status, message=message, translate=True)


def console_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Not signed in: to the login page; otherwise the service's own plain sentence."""
    if isinstance(exc, NotAuthorizedException):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = request.url.path
        return Redirect(path=f"/console/login?{_next(target)}", status_code=303)
    status = _status(exc)
    if isinstance(exc, PermissionDeniedException):
        message = str(exc.detail) if "role" in str(exc.detail) else _MESSAGES[403]
    elif isinstance(exc, ServiceError):
        message = exc.message
    elif isinstance(exc, HTTPException):
        message = exc.detail
    else:
        message = N_("The request could not be handled. Please try again.")
    return render("console/error.html", status_code=status, message=message, user=None, flash=None)


def _next(target: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": target})
