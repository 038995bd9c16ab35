"""Input no database can store, refused (or cleaned) before any handler sees it.

PostgreSQL cannot store a NUL character in text, and a JSON document nested a thousand levels
deep exhausts the decoder's recursion; both used to end in a 500. This middleware answers 400
with a plain message instead, on every route, on both databases alike. Routes that must never
lose what they were sent (a worker's complaint) set ``opt={"strip_nul": True}``: their NUL
characters are removed instead of refused.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar.datastructures import Headers
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("MAX_JSON_DEPTH", "hygiene_middleware", "strip_nul")

MAX_JSON_DEPTH = 32
"""No request body of ours nests deeper than a few levels; 32 leaves room and stops abuse."""

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_NUL_ENCODED = re.compile(rb"%00|\x00")


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects; brackets inside strings are text, not nesting."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def strip_nul(value: Any) -> Any:
    """``value`` with every NUL character removed from its strings (keys included)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [strip_nul(v) for v in value]
    if isinstance(value, dict):
        return {strip_nul(k): strip_nul(v) for k, v in value.items()}
    return value


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


async def _refuse(send: Send, message: str) -> None:
    body = msgspec.json.encode({"status_code": 400, "error": message, "detail": message})
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


NUL_REFUSED = "The request contains a NUL character (\\u0000), which is not accepted."
TOO_DEEP = f"The JSON in the request is nested more than {MAX_JSON_DEPTH} levels deep."


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    chunks: list[bytes] = []
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def _replay(body: bytes, rest: list[Message], receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if rest:
            return rest.pop(0)
        return await receive()

    return replay


def hygiene_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        handler = scope.get("route_handler")
        strip = bool(handler is not None and handler.opt.get("strip_nul"))
        if "\x00" in scope.get("path", "") or _NUL_ENCODED.search(scope.get("query_string", b"")):
            await _refuse(send, NUL_REFUSED)
            return
        content_type = Headers.from_scope(scope).get("content-type", "").lower()
        is_json = content_type.startswith("application/json") or "+json" in content_type
        is_form = content_type.startswith("application/x-www-form-urlencoded")
        if scope.get("method", "GET") in ("GET", "HEAD", "OPTIONS") or not (is_json or is_form):
            await app(scope, receive, send)
            return
        body, messages = await _read_body(receive)
        rest = [m for m in messages if m["type"] != "http.request"]
        if is_json and body:
            if json_depth(body) > MAX_JSON_DEPTH:
                await _refuse(send, TOO_DEEP)
                return
            if b"\\u0000" in body.lower() or b"\x00" in body:
                try:
                    decoded = msgspec.json.decode(body)
                except (msgspec.DecodeError, RecursionError):
                    decoded = None  # the handler's own decoding reports the error
                if decoded is not None and _has_nul(decoded):
                    if not strip:
                        await _refuse(send, NUL_REFUSED)
                        return
                    body = msgspec.json.encode(strip_nul(decoded))
        elif is_form and _NUL_ENCODED.search(body):
            if not strip:
                await _refuse(send, NUL_REFUSED)
                return
            body = re.sub(rb"%00|\x00", b"", body)
        scope_headers = [
            (k, str(len(body)).encode() if k.lower() == b"content-length" else v)
            for k, v in scope.get("headers", [])
        ]
        scope = {**scope, "headers": scope_headers}  # type: ignore[typeddict-item]
        await app(scope, _replay(body, rest, receive), send)

    return middleware
