"""Phone normalisation to E.164 with Google's numbering data (``phonenumbers``).

A phone is the strongest key we have, and one differing digit is a different phone: numbers are only
ever compared as exact E.164 strings. A number written without a country code is read against each
region the context suggests; every valid reading is kept (a Tajik and an Uzbek mobile can share the
national digits), the explicit or most likely one first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

__all__ = ("DEFAULT_REGIONS", "extract_phone_groups", "extract_phones", "normalise_phone")

DEFAULT_REGIONS: tuple[str, ...] = ("KZ", "KG", "UZ", "TJ", "RU")

_E164 = PhoneNumberFormat.E164
# a written phone: optional +, digits with short runs of the separators phonenumbers accepts
# (spaces, hyphens and the dashes auto-correct makes of them, dots, slashes, brackets)
_SEPARATOR = r"[\s\-\u2010-\u2015\u2212\u30fc\uff0d/\uff0f.()\uff08\uff09\[\]~\u2053\u223c\uff5e]"
_PHONE_RUN = re.compile(rf"(?<![\w+])\+?\(?\d(?:{_SEPARATOR}{{0,3}}\d){{6,15}}(?![\w])")
# what must never become a phone: licence numbers (KZ-2024-00002: a year after the country),
# dates, times; 'тел. 0772 254 347' is a phone
_NOT_PHONE = re.compile(
    r"\b[A-Za-zА-Яа-яЁё]{1,4}[\s\-/._]*(?:19|20)\d\d[\s\-/._]*\d{3,7}\b"
    r"|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"
    r"|\b\d{4}[-./]\d{2}[-./]\d{2}\b"
)
_MONEY_AFTER = re.compile(
    r"\s*(?:тг|тенге|₸|руб|р\.|₽|сом|сум|so'm|somoni|сомони|usd|\$|eur|€|тыс|млн|kzt|rub|kgs|uzs)",
    re.IGNORECASE,
)


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, _E164))


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def normalise_phone(text: str, regions: Sequence[str] = DEFAULT_REGIONS) -> list[str]:
    """All plausible E.164 readings of one written phone, most likely first; [] if not a phone."""
    return list(_readings(text, tuple(regions)))


@lru_cache(maxsize=65536)
def _readings(text: str, regions: tuple[str, ...]) -> tuple[str, ...]:
    """Cached: a recruiter writes the same phone in ad after ad, and parsing it is the slow part."""
    digits = re.sub(r"\D", "", text)
    if not 6 <= len(digits) <= 15 or _NOT_PHONE.search(text):
        return ()
    readings: list[str] = []

    def keep(number: phonenumbers.PhoneNumber | None) -> None:
        if number is not None and phonenumbers.is_valid_number(number):
            e164 = _e164(number)
            if e164 not in readings:
                readings.append(e164)

    explicit = "+" in text or text.lstrip().startswith("00")
    if explicit:
        keep(_parse("+" + digits.removeprefix("00"), None))
        return tuple(readings)
    # international digits without the plus (996555123456, 77011234567)
    if len(digits) >= 10 and digits[0] not in "08":
        keep(_parse("+" + digits, None))
    for region in regions:
        keep(_parse(digits, region))
    # an old domestic trunk prefix the metadata does not know (8 99 123 45 67 in Uzbekistan)
    if digits[0] in "08" and not readings:
        for region in regions:
            keep(_parse(digits[1:], region))
    return tuple(readings)


def _candidate_spans(text: str) -> Iterator[tuple[int, str]]:
    """Runs of digits and separators that are not licence numbers, dates or sums of money.

    (phonenumbers' PhoneNumberMatcher found nothing more on our data and fuzzed formats, only
    spurious numbers inside longer runs, at twenty times the cost.)"""
    blocked = [m.span() for m in _NOT_PHONE.finditer(text)]
    for m in _PHONE_RUN.finditer(text):
        start, end = m.span()
        if all(end <= b0 or start >= b1 for b0, b1 in blocked) and not _MONEY_AFTER.match(
            text, end
        ):
            yield start, m.group()


def extract_phone_groups(text: str, regions: Sequence[str] = DEFAULT_REGIONS) -> list[list[str]]:
    """For every phone written in ``text``, its E.164 readings (one group per written phone)."""
    groups: list[list[str]] = []
    seen: set[str] = set()
    for _, raw in sorted(_candidate_spans(text), key=lambda item: item[0]):
        readings = [e for e in normalise_phone(raw, regions) if e not in seen]
        if readings:
            seen.update(readings)
            groups.append(readings)
    return groups


def extract_phones(text: str, regions: Sequence[str] = DEFAULT_REGIONS) -> list[str]:
    """E.164 readings of every phone in free text, de-duplicated, in order of appearance."""
    return [e164 for group in extract_phone_groups(text, regions) for e164 in group]
