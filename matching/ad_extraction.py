"""What a job ad says about its recruiter: phones, names, and wording that hints at forced labour.

Pure text work, no I/O: a scan can run it in another process while the database takes the previous
chunk of ads. Names come from the board's structured fields first, then legal-form patterns
("ТОО «...»"), signatures ("Обращаться: Нурлан Ахметов"), and registered names found in the text.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass

from .extract import extract_recruiter_names
from .names import normalise_name
from .phones import DEFAULT_REGIONS, extract_phone_groups, normalise_phone
from .risk_wording import find_risk_wording

__all__ = (
    "AdExtraction",
    "AdFields",
    "extract_ad",
    "extract_ads",
    "phone_regions",
)


@dataclass(frozen=True, slots=True)
class AdFields:
    """The parts of a feed item extraction reads (picklable, to cross to a worker process)."""

    title: str
    text: str
    organisation_names: tuple[str, ...] = ()
    contact_names: tuple[str, ...] = ()
    phones_raw: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AdExtraction:
    """What one ad says about its recruiter, and the risky wording in it."""

    phone_readings: tuple[tuple[str, ...], ...]
    """Per written phone, its plausible E.164 readings, most likely first."""
    names: tuple[str, ...]
    """Recruiter names: structured fields first, then legal-form patterns, then registered names."""
    risk_indicators: tuple[str, ...]
    risk_phrases: tuple[dict[str, str], ...]

    @property
    def phones(self) -> list[str]:
        return [readings[0] for readings in self.phone_readings if readings]

    @property
    def name(self) -> str:
        return self.names[0] if self.names else ""


_REGION_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # the ad's language hints at where the recruiter (and their phone) is from
    ("UZ", re.compile(r"(?i)\b(?:ishga|murojaat|taklif|kerak|maosh|ish\s+bor|o['ʻ’]zbek)|[ўҳ]")),
    ("TJ", re.compile(r"(?i)[ҷӣӯ]|\b(?:кор\s+ҳаст|тоҷик|душанбе|хуҷанд)")),
    ("KG", re.compile(r"(?i)\b(?:жумуш|керек|кыргыз|бишкек)|[ңөү]")),
    ("KZ", re.compile(r"(?i)[әғқұһі]|\b(?:жұмыс|қазақ|алматы|астана)")),
)


def phone_regions(text: str) -> tuple[str, ...]:
    """Regions to read a phone without a country code against, the ad's own first."""
    hinted = [region for region, pattern in _REGION_HINTS if pattern.search(text)]
    return tuple(dict.fromkeys([*hinted, *DEFAULT_REGIONS]))


def _ad_text(title: str, text: str) -> str:
    """The text read for evidence: boards often repeat the title as the first sentence."""
    title, text = title.strip(), text.strip()
    if not title or title in text:
        return text
    return f"{title}. {text}" if text else title


_CAPITALISED_RUN = re.compile(
    r"(?:[«\"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲҶӢӮ][\w'ʻʼ’\-]*[»\"”]?)"
    r"(?:\s+[«\"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲҶӢӮ][\w'ʻʼ’\-]*[»\"”]?){1,3}"
)


_NAME_WORD = r"[«\"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲҶӢӮ][\w'ʻʼ’\-]*[»\"”]?"
_HONORIFIC = r"(?:aka|ака|аке|ага|агай|байке|апа|эже|opa|eje|aga|ake)(?!\w)"
"""How a recruiter signs by given name in the region ("Dilshod aka", "Саян аке"): with the
honorific the name is a signature, not a word that happens to be capitalised."""
_CONTACT_WORDS = (
    # Russian
    r"обращаться|обращайтесь|звонить|звоните|спросить|контакт\w*|контактное\s+лицо"
    r"|для\s+связи|связь|пишите|менеджер|рекрутер|координатор|по\s+всем\s+вопросам"
    # Kyrgyz, Kazakh
    r"|кайрылуу|кайрылыңыз|байланыш\w*|чалыңыз|хабарлашыңыз|хабарласыңыз|хабарласу\s+үшін"
    r"|байланыс\w*|қоңырау\s+шалыңыз"
    # Uzbek (Latin and Cyrillic), Tajik
    r"|murojaat\s+uchun|murojaat|aloqa\s+uchun|aloqa|мурожаат\s+учун|мурожаат|алоқа\s+учун"
    r"|тамос|барои\s+тамос|занг\s+занед|муроҷиат"
    # English
    r"|contact|manager|recruiter|ask\s+for"
)
# a signature: a given name with an honorific, or two to four capitalised words
_SIGNATURE = (
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}\s+{_HONORIFIC}"
    rf"|{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})"
)
_CONTACT_NAME = re.compile(
    rf"(?i:(?:{_CONTACT_WORDS})(?:\s+(?:үчүн|учун|uchun|үшін))?)\s*[:\-–]?\s*" + _SIGNATURE
)
_TRAILING_NAME = re.compile(rf"(?:^|[.!?]\s+){_SIGNATURE}\s*\.?\s*$")
_NOT_NAME = re.compile(r"(?i)^(?:whats\s*app|telegram|viber|тел\w*|tel\w*|phone|call|звон\w*)$")


def _contact_names(text: str) -> list[str]:
    """Names of two to four words after "Обращаться:", "Звонить", "Murojaat uchun:" and the like,
    or standing alone as an ad's last sentence: how unregistered recruiters sign their ads."""
    names = []
    for match in (*_CONTACT_NAME.finditer(text), *_TRAILING_NAME.finditer(text)):
        words = []
        for word in match.group(1).split():
            if _NOT_NAME.match(word.strip('«»"“”.,:')):
                break
            words.append(word)
        if len(words) >= 2:
            names.append(" ".join(words).strip(".,:;"))
    return names


def _registered_names_in(text: str, registered: Container[str]) -> list[str]:
    """Runs of two to four capitalised words whose name key is a registered name's key."""
    found: list[str] = []
    for match in _CAPITALISED_RUN.finditer(text):
        words = match.group().split()
        for size in range(len(words), 1, -1):
            hit = False
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size]).strip('«»"“”')
                key = normalise_name(phrase).key
                if key and key in registered:
                    found.append(phrase)
                    hit = True
                    break
            if hit:
                break
    return found


_PHONE_RUN = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s\-.()]{0,2}\d){8,15}(?!\w)")
_LICENCE_BEFORE = re.compile(r"[A-Za-zА-Яа-яЁё]{1,4}[\s\-/._]*$")
_YEAR = re.compile(r"\(?(?:19|20)\d\d\b")


def _missed_phones(text: str) -> list[str]:
    """Phones of nine or more digits ``extract_phone_groups`` takes for a licence number because
    a short word precedes them ("тел. 0772 254 347", "Плюс 0500 250 563"); a licence number's
    first group is a year, a phone's is not. (Remove once matching's licence rule says so.)"""
    found = []
    for match in _PHONE_RUN.finditer(text):
        run = match.group()
        if _LICENCE_BEFORE.search(text, max(0, match.start() - 8), match.start()) and _YEAR.match(
            run
        ):
            continue
        found.append(run)
    return found


def extract_ad(fields: AdFields, registered: Container[str] = frozenset()) -> AdExtraction:
    """Phones, recruiter names and risky wording of one ad; ``registered`` holds the name keys
    of registered names to look for in the text (``RegistryIndex.name_keys``)."""
    body = _ad_text(fields.title, fields.text)
    regions = phone_regions(body)
    readings: list[tuple[str, ...]] = []
    seen: set[str] = set()

    def add(group: Sequence[str]) -> None:
        fresh = tuple(p for p in group if p not in seen)
        if fresh:
            seen.update(fresh)
            readings.append(fresh)

    for raw in fields.phones_raw:
        add(normalise_phone(raw, regions))
    for group in extract_phone_groups(body, regions):
        add(group)
    for raw in _missed_phones(body):
        found = normalise_phone(raw, regions)
        if not seen.intersection(found):
            add(found)
    names = [
        *fields.organisation_names,
        *fields.contact_names,
        *extract_recruiter_names(body),
        *_contact_names(body),
    ]
    if registered:
        names.extend(_registered_names_in(body, registered))
    risk = find_risk_wording(body)
    return AdExtraction(
        phone_readings=tuple(readings),
        names=tuple(dict.fromkeys(n.strip() for n in names if n and n.strip())),
        risk_indicators=tuple(dict.fromkeys(hit.indicator for hit in risk)),
        risk_phrases=tuple({"indicator": hit.indicator, "phrase": hit.phrase} for hit in risk),
    )


def extract_ads(
    batch: Sequence[AdFields], registered: Container[str] = frozenset()
) -> list[AdExtraction]:
    return [extract_ad(fields, registered) for fields in batch]
