"""The access log and request metrics, by route template, never by the query.

A lookup's query is a phone or a name a worker typed; a complaint's reference is their key to
their case. Neither belongs in a log next to the client's address, so each request is logged as
its route template (``/api/v1/complaints/{reference}``) with its status and duration, and
counted in ``/metrics`` under the same template.
"""

from __future__ import annotations

import logging
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from registry.metrics import REQUEST_SECONDS, REQUESTS

__all__ = ("access_log_middleware", "route_of")

log = logging.getLogger("recruitwatch.access")


def route_of(scope: Scope) -> str:
    """The route template of the request, or ``unmatched`` (never the raw path)."""
    return str(scope.get("path_template") or "unmatched")


def access_log_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await app(scope, receive, send_and_note)
        finally:
            seconds = time.perf_counter() - started
            route, method = route_of(scope), scope.get("method", "")
            REQUESTS.labels(route, method, str(status)).inc()
            REQUEST_SECONDS.labels(route, method).observe(seconds)
            client = scope.get("client")
            log.info(
                '%s "%s %s" %d %.1fms',
                client[0] if client else "-",
                method,
                route,
                status,
                seconds * 1000,
                extra={"route": route, "method": method, "status": status},
            )

    return middleware
