"""Response headers every answer gets: no caching of private data, HSTS in production.

Complaint references, complainants' words and regulators' queues must never sit in a browser's
or a proxy's cache, so every response says ``Cache-Control: no-store`` unless its handler chose a
caching policy of its own (static files, public feeds). In production, where the service runs
behind TLS, ``Strict-Transport-Security`` keeps browsers from ever falling back to plain HTTP.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from registry.settings import get_settings

__all__ = ("HSTS", "response_headers_middleware")

HSTS = b"max-age=31536000; includeSubDomains"


def response_headers_middleware(app: ASGIApp) -> ASGIApp:
    production = get_settings().production

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if production and b"strict-transport-security" not in names:
                    headers.append((b"strict-transport-security", HSTS))
                message = {**message, "headers": headers}  # type: ignore[typeddict-item]
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
