"""The catalogues: every message of every page translated in every language, placeholders intact."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from registry.i18n import LANGUAGES, LOCALE_DIR, negotiate, source_messages, translations

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_catalogue_is_complete(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    for message in source_messages():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        assert entry is not None, f"{language}: {msgid!r} is not in the catalogue"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), f"{language}: {msgid!r} has no translation"
        wanted = set(_PLACEHOLDER.findall(msgid))
        for text in strings:
            assert set(_PLACEHOLDER.findall(text)) == wanted, f"{language}: {msgid!r} -> {text!r}"


def test_plural_forms_follow_the_language() -> None:
    ru = translations("ru")
    singular = "%(count)s complaint was made about this recruiter."
    plural = "%(count)s complaints were made about this recruiter."
    assert ru.ngettext(singular, plural, 1) != ru.ngettext(singular, plural, 5)
    assert ru.ngettext(singular, plural, 2) != ru.ngettext(singular, plural, 5)
    assert ru.ngettext(singular, plural, 21) == ru.ngettext(singular, plural, 1)


def test_negotiation() -> None:
    assert negotiate("en;q=0.2, tg;q=0.9") == "tg"
    assert negotiate("en", cookie="uz") == "uz"
    assert negotiate("en", cookie="zz") == "en"
    assert negotiate("fr, de") == "ru"
