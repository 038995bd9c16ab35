"""Recruiter names in free text (pasted ads, job ads, complaints).

Ads name the recruiter by a legal form next to a name (ТОО «Жаксылык Агро», OsOO Ordo Servis,
ИП Ахметов Нурлан, Zhaksylyk Agro LLP) or by a quoted name. We find those patterns; a name found
this way is then compared like any typed name.
"""

from __future__ import annotations

import re

__all__ = ("extract_recruiter_names",)

_FORMS = (
    r"ТОО|ТОВ|ЖШС|ООО|ОсОО|ОСОО|МЧЖ|ҶДММ|ЧДММ|ИП|ЖК|ЖИ|СЯ|ЯТТ|АО|ЗАО|ПАО"
    r"|TOO|LLP|LLC|OOO|OsOO|OSOO|MChJ|MCHJ|MChZh|MCHZH|JDMM|IP|YaTT|YATT|SYa|ZhK|ZhI|JSC|Ltd|LTD"
    r"|Товарищество с ограниченной ответственностью|Общество с ограниченной ответственностью"
    r"|Индивидуальный предприниматель|индивидуальный предприниматель"
    r"|Кадровое агентство|кадровое агентство|Агентство|агентство|Recruitment agency"
    r"|Компания|компания"
)
_CAP = r"(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲҶӢӮ][\w'ʻʼ’\-]*)"
_QUOTED = r"[«\"“„']([^»\"”“'\n]{2,60})[»\"”“']"
_PATTERNS = (
    re.compile(rf"(?<!\w)({_FORMS})\s*{_QUOTED}"),
    re.compile(rf"(?<!\w)({_FORMS})\s+({_CAP}(?:\s+{_CAP}){{0,3}})"),
    re.compile(
        rf"({_CAP}(?:\s+{_CAP}){{0,3}})\s+(LLP|LLC|TOO|OOO|ТОО|ООО|ОсОО|МЧЖ|ИП|Ltd|LTD)"
        r"(?!\w)(?!\s*[«\"“„']|\s+[A-ZА-ЯЁ])"
    ),
)
_QUOTED_ONLY = re.compile(_QUOTED)
_STOP = frozenset(
    [
        "Работа",
        "Вакансия",
        "Вакансии",
        "Требуются",
        "Требуется",
        "Звоните",
        "Зарплата",
        "Тел",
        "Телефон",
        "WhatsApp",
        "Telegram",
        "Viber",
        "Job",
        "Jobs",
        "Work",
        "Salary",
        "Call",
        "Контакты",
        "Адрес",
        "Лицензия",
        "Срочно",
    ]
)


def _clean(name: str) -> str:
    words = name.split()
    while words and words[-1].strip(".,:;!") in _STOP:
        words.pop()
    return " ".join(words).strip(" .,:;!-")


def extract_recruiter_names(text: str) -> list[str]:
    """Recruiter names (with their legal form when written) in order of appearance."""
    found: list[tuple[int, str]] = []
    for n, pattern in enumerate(_PATTERNS):
        for m in pattern.finditer(text):
            if n == 2:
                body, form = _clean(m.group(1)), m.group(2)
                name = f"{body} {form}" if body else ""
            else:
                form, body = m.group(1), _clean(m.group(2))
                name = f"{form} {body}" if body else ""
            if name and not any(s <= m.start() < e for s, e, *_ in _spans(found)):
                found.append((m.start(), name))
    for m in _QUOTED_ONLY.finditer(text):
        body = _clean(m.group(1))
        if body and body[0].isupper() and not any(body in f for _, f in found):
            found.append((m.start(), body))
    names: list[str] = []
    for _, name in sorted(found):
        if name not in names:
            names.append(name)
    return names


def _spans(found: list[tuple[int, str]]) -> list[tuple[int, int]]:
    return [(start, start + len(name)) for start, name in found]
