"""Languages for the pages: gettext catalogues chosen per request through a context variable.

Jinja's ``i18n`` extension calls the functions below; they look up the catalogue of the language
the current request chose, so one Jinja environment serves every language at once. The ``.po``
files are read at start-up and compiled in memory: ``pip install -e .`` needs no build step.
"""

from __future__ import annotations

import contextvars
import io
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = (
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "babel_locale",
    "current_language",
    "gettext",
    "negotiate",
    "ngettext",
    "reset_language",
    "translations",
    "use_language",
)

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES: dict[str, str] = {
    "ru": "Русский",
    "ky": "Кыргызча",
    "kk": "Қазақша",
    "uz": "Oʻzbekcha",
    "tg": "Тоҷикӣ",
    "en": "English",
}
"""Codes as written in ``<html lang>`` and the switcher, with each language's own name."""
DEFAULT_LANGUAGE = "ru"
"""Understood by most workers in the region when the browser names none of ours."""
_BABEL_LOCALES = {"uz": "uz_Latn"}

_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "language", default=DEFAULT_LANGUAGE
)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of a language, compiled in memory from its ``.po`` file."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=_BABEL_LOCALES.get(language, language))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


def use_language(language: str) -> contextvars.Token[str]:
    return _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def reset_language(token: contextvars.Token[str]) -> None:
    _language.reset(token)


def current_language() -> str:
    return _language.get()


def babel_locale(language: str | None = None) -> Locale:
    code = language or current_language()
    return Locale.parse(_BABEL_LOCALES.get(code, code))


def gettext(message: str, **variables: Any) -> str:
    text = translations(current_language()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations(current_language()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def negotiate(accept_language: str, cookie: str | None = None) -> str:
    """The visitor's choice (cookie) first, then the browser's preferences by weight."""
    if cookie in LANGUAGES:
        return cookie
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and weight > 0:
            choices.append((-weight, position, primary))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def source_messages() -> set[str | tuple[str, ...]]:
    """Every message the pages use (templates and page controllers), as gettext extracts them.

    The tests compare this with each catalogue, so a string added to a page without its
    translations fails the build instead of appearing in English to a Kyrgyz reader.
    """
    from babel.messages.extract import extract_from_dir

    root = Path(__file__).parent
    found: set[str | tuple[str, ...]] = set()
    sources = (
        (
            root / "templates",
            [("**.html", "jinja2")],
            {"**.html": {"extensions": "jinja2.ext.i18n"}},
        ),
        (root / "pages", [("**.py", "python")], {}),
    )
    for directory, method_map, options in sources:
        for _, _, message, _, _ in extract_from_dir(
            str(directory),
            method_map,
            options,
            keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
        ):
            found.add(message)
    return found
