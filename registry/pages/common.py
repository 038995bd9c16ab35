"""What the page controllers share: templates, the language of the request, security headers.

Pages are rendered on the server and work without JavaScript; the language is chosen once per
request (cookie, then Accept-Language) and held in a context variable the templates read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request
from litestar.datastructures import Headers
from litestar.enums import MediaType
from litestar.response import Redirect, Template
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from markupsafe import Markup

from registry import i18n
from registry.settings import get_settings

__all__ = (
    "LANGUAGE_COOKIE",
    "SECURITY_HEADERS",
    "STATIC_DIR",
    "TEMPLATE_DIR",
    "client_address",
    "jinja_environment",
    "language_middleware",
    "render",
    "safe_next",
    "see_other",
)

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
LANGUAGE_COOKIE = "lang"
SECURITY_HEADERS = {
    # No scripts at all, styles only from our own file, forms only to us, never framed.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Complaint references travel in URLs: never leak them to another site.
    "Referrer-Policy": "no-referrer",
}


def _date(value: Any, fmt: str = "medium") -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    locale = i18n.babel_locale()
    if isinstance(value, dt.datetime):
        return format_datetime(value, format=fmt if fmt != "medium" else "short", locale=locale)
    return format_date(value, format=fmt, locale=locale)


def _number(value: Any) -> str:
    return format_decimal(value, locale=i18n.babel_locale())


def _reference(value: Any) -> Markup:
    """A reference code that breaks only between its groups, never inside one (a code split over
    two lines gets copied wrong)."""
    groups = str(value).split("-")
    return Markup("-<wbr>").join(Markup('<span class="nowrap">{}</span>').format(g) for g in groups)


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def jinja_environment() -> Environment:
    """One environment for every language: gettext resolves through the request's language."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "svg"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: i18n.translations(i18n.current_language()).gettext(message),
        lambda singular, plural, n: i18n.translations(i18n.current_language()).ngettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    env.filters.update(
        date=_date,
        number=_number,
        reference=_reference,
        urlquote=lambda v: quote(str(v), safe=""),
    )
    env.globals.update(
        languages=i18n.LANGUAGES,
        current_language=i18n.current_language,
        settings=get_settings,
        query=_query,
    )
    return env


def render(template: str, status_code: int = 200, **context: Any) -> Template:
    return Template(
        template_name=template,
        context=context,
        status_code=status_code,
        media_type=MediaType.HTML,
        headers=SECURITY_HEADERS,
    )


def see_other(path: str) -> Redirect:
    """After a form post: the browser fetches the result with GET, so a reload never re-posts."""
    return Redirect(path=path, status_code=303)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: a redirect target from a query string must not leave it."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def language_middleware(app: ASGIApp) -> ASGIApp:
    """Choose the request's language and say which in the response headers."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        cookies = _cookies(headers.get("cookie", ""))
        language = i18n.negotiate(headers.get("accept-language", ""), cookies.get(LANGUAGE_COOKIE))
        token = i18n.use_language(language)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                if any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in raw):
                    raw += [
                        (b"content-language", language.encode()),
                        (b"vary", b"Accept-Language, Cookie"),
                    ]
                    message = {**message, "headers": raw}  # type: ignore[typeddict-item]
            await send(message)

        try:
            await app(scope, receive, send_with_language)
        finally:
            i18n.reset_language(token)

    return middleware


def _cookies(header: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            found.setdefault(name, value.strip('"'))
    return found


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""
