"""Parse and validate a registry CSV into clean rows, reporting every problem with line and column.

Validation is separate from writing so that a file with any bad row writes nothing, and so that a
dry run reports exactly what a real import would refuse.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from matching import normalise_licence_number, normalise_phone
from matching.phones import DEFAULT_REGIONS
from registry.codes import LicenceStatus, values

__all__ = ("COLUMNS", "LicenceRow", "ParsedRegistry", "parse_registry_csv")

COLUMNS = (
    "license_number",
    "name",
    "aliases",
    "kind",
    "country",
    "status",
    "valid_from",
    "valid_until",
    "phones",
    "email",
    "address",
)
REQUIRED = ("license_number", "name")
STATUSES = values(LicenceStatus)
KINDS = ("company", "person")
MAX_FIELD = {"license_number": 64, "name": 300, "email": 254, "address": 2000}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRIES = frozenset(code for code in Locale("en").territories if len(code) == 2)


@dataclass(frozen=True, slots=True)
class LicenceRow:
    line: int
    licence_number: str
    licence_key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    status: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    phones: tuple[str, ...]
    email: str
    address: str

    def fields(self) -> dict[str, Any]:
        """The stored fields, in the shape the licence table keeps them."""
        return {
            "licence_number": self.licence_number,
            "licence_key": self.licence_key,
            "name": self.name,
            "aliases": list(self.aliases),
            "kind": self.kind,
            "country": self.country,
            "status": self.status,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "phones": list(self.phones),
            "email": self.email,
            "address": self.address,
        }


@dataclass
class ParsedRegistry:
    rows: list[LicenceRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    """Oddities an official list does contain (an expired licence ending before it began)."""

    def warn(self, line: int, column: str, reason: str) -> None:
        self.warnings.append({"line": line, "column": column, "reason": reason})

    def error(self, line: int, column: str, reason: str) -> None:
        self.errors.append({"line": line, "column": column, "reason": reason})


def _decode(data: bytes, parsed: ParsedRegistry) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        parsed.error(
            line, "", f"the file is not UTF-8 (byte {exc.start}); save it as UTF-8 and try again"
        )
        return None


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _date(value: str, line: int, column: str, parsed: ParsedRegistry) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        parsed.error(line, column, f"{value!r} is not a date in the form YYYY-MM-DD")
        return None


def _phones(value: str, country: str, line: int, parsed: ParsedRegistry) -> list[str]:
    regions = (
        (country, *[r for r in DEFAULT_REGIONS if r != country]) if country else DEFAULT_REGIONS
    )
    phones: list[str] = []
    for raw in _split(value):
        readings = normalise_phone(raw, regions)
        if not readings:
            parsed.error(line, "phones", f"{raw!r} is not a phone number")
        elif readings[0] not in phones:
            phones.append(readings[0])
    return phones


def _row(line: int, record: dict[str, str], parsed: ParsedRegistry) -> LicenceRow | None:
    before = len(parsed.errors)
    value = {col: (record.get(col) or "").strip() for col in COLUMNS}
    for col in REQUIRED:
        if not value[col]:
            parsed.error(line, col, "is required")
    for col, limit in MAX_FIELD.items():
        if len(value[col]) > limit:
            parsed.error(line, col, f"is longer than {limit} characters")
    key = normalise_licence_number(value["license_number"]) if value["license_number"] else None
    if value["license_number"] and not key:
        parsed.error(line, "license_number", f"{value['license_number']!r} is not a licence number")
    kind = value["kind"].lower() or "company"
    if kind not in KINDS:
        parsed.error(line, "kind", f"{value['kind']!r} is not one of {', '.join(KINDS)}")
    status = value["status"].lower() or "active"
    if status not in STATUSES:
        parsed.error(line, "status", f"{value['status']!r} is not one of {', '.join(STATUSES)}")
    country = value["country"].upper()
    if country and country not in _COUNTRIES:
        parsed.error(line, "country", f"{value['country']!r} is not an ISO 3166-1 alpha-2 code")
    valid_from = _date(value["valid_from"], line, "valid_from", parsed)
    valid_until = _date(value["valid_until"], line, "valid_until", parsed)
    if valid_from and valid_until and valid_until < valid_from:
        parsed.warn(line, "valid_until", "is before valid_from")
    phones = _phones(value["phones"], country, line, parsed)
    if value["email"] and not _EMAIL.match(value["email"]):
        parsed.error(line, "email", f"{value['email']!r} is not an e-mail address")
    if len(parsed.errors) > before or key is None:
        return None
    aliases = tuple(dict.fromkeys(a for a in _split(value["aliases"]) if a != value["name"]))
    return LicenceRow(
        line=line,
        licence_number=value["license_number"],
        licence_key=key,
        name=value["name"],
        aliases=aliases,
        kind=kind,
        country=country,
        status=status,
        valid_from=valid_from,
        valid_until=valid_until,
        phones=tuple(phones),
        email=value["email"],
        address=value["address"],
    )


def parse_registry_csv(data: bytes) -> ParsedRegistry:
    """Every row checked; ``errors`` empty means the whole file may be written."""
    parsed = ParsedRegistry()
    text = _decode(data, parsed)
    if text is None:
        return parsed
    if "\x00" in text:
        parsed.error(1, "", "the file contains NUL bytes; it is not a CSV text file")
        return parsed
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not header:
        parsed.error(1, "", "the file is empty; it needs a header row")
        return parsed
    reader.fieldnames = header
    for dup in sorted({h for h in header if header.count(h) > 1}):
        parsed.error(1, dup, "the column appears more than once in the header")
    missing = [col for col in REQUIRED if col not in header]
    for col in missing:
        parsed.error(1, col, "required column is missing from the header")
    if missing or parsed.errors:
        return parsed
    first_line: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if None in record:
                parsed.error(line, "", "the row has more fields than the header")
                continue
            if not any((v or "").strip() for v in record.values()):
                continue
            number = (record.get("license_number") or "").strip()
            key = normalise_licence_number(number) if number else None
            if key and key in first_line:
                parsed.error(
                    line,
                    "license_number",
                    f"{number!r} repeats the licence on line {first_line[key]}",
                )
            elif key:
                first_line[key] = line
            row = _row(line, record, parsed)
            if row is None or first_line.get(row.licence_key) != line:
                continue
            parsed.rows.append(row)
    except csv.Error as exc:
        parsed.error(reader.line_num, "", f"the CSV is malformed: {exc}")
    if not parsed.rows and not parsed.errors:
        parsed.error(2, "", "the file has a header but no licences")
    return parsed
