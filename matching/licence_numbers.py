"""Licence numbers as comparable keys.

Workers copy licence numbers with spaces, dashes, slashes or dots, in any case, with or without
"№", "No." or "лицензия". The key keeps only letters (Cyrillic look-alikes mapped to Latin) and
digits. A licence number here is a short letter prefix followed by digit groups with at least six
digits (``KZ-2024-00002``); bare digit runs are phones, not licences.
"""

from __future__ import annotations

import re

__all__ = ("extract_licence_numbers", "normalise_licence_number")

_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI")
_PREFIX_WORDS = re.compile(
    r"^\s*(?:№|no\.?|nr\.?|#|лицензи[яи]|license|licence|litsenziya|лицензия\s*№)\s*[:.]?\s*",
    re.IGNORECASE,
)
_SHAPE = re.compile(r"^([A-Z]{1,4})[\s\-/._]*(\d[\d\s\-/._]*\d)$")
# in free text the prefix must be written in capitals (a country code), as official lists do
_IN_TEXT = re.compile(
    r"(?<![\w])([A-ZА-Я]{1,4}[\s\-/._]?\d{2,4}[\s\-/._]?\d{2,7}(?:[\s\-/._]\d{1,7})?)(?!\w|[./-]\d)"
)
_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}$")
_PHONE_LABELS = frozenset({"ТЕЛ", "TEL", "МОБ", "MOB", "WA", "PH", "Т", "T"})


def normalise_licence_number(text: str) -> str | None:
    """Comparable key (``KZ202400002``), or None when ``text`` is not shaped like a licence."""
    text = text.strip()
    while (stripped := _PREFIX_WORDS.sub("", text)) != text:
        text = stripped
    text = text.upper().translate(_LOOKALIKES)
    m = _SHAPE.match(text)
    if m is None:
        return None
    digits = re.sub(r"\D", "", m.group(2))
    if len(digits) < 6 or len(digits) > 16:
        return None
    return m.group(1) + digits


def extract_licence_numbers(text: str) -> list[str]:
    """Keys of every licence number in free text, de-duplicated, in order."""
    keys: list[str] = []
    for m in _IN_TEXT.finditer(text):
        raw = m.group(1)
        prefix = re.match(r"[^\W\d_]+", raw)
        if _DATE.search(raw) or (prefix is not None and prefix.group().upper() in _PHONE_LABELS):
            continue
        key = normalise_licence_number(raw)
        if key is not None and key not in keys:
            keys.append(key)
    return keys
