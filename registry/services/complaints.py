"""Complaint intake and review. A complaint's text and its complainant are for regulators only.

Intake validates, stores the contact encrypted, resolves the recruiter to a profile and updates the
flag, all in one transaction, so the flag is current when the request returns.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from matching import normalise_phone
from matching.phones import DEFAULT_REGIONS
from matching.risk_wording import INDICATORS
from registry.codes import ComplaintStatus, values
from registry.database import write_transaction
from registry.services import audit, flags, profiles
from registry.services.attribution import Sighting, attribute
from registry.services.errors import InvalidInput, NotFound
from registry.services.secrets_box import decrypt, encrypt
from registry.tables import Complaint

__all__ = (
    "INDICATORS",
    "ComplaintInput",
    "complaint_status",
    "file_complaint",
    "list_complaints",
    "normalise_reference",
    "read_contact",
)

STATUSES = values(ComplaintStatus)
# No 0/O, 1/I/L: a reference is read aloud over a phone and typed on a cheap keyboard.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_GROUPS = 3
REFERENCE_GROUP_SIZE = 4
# A worker on a Cyrillic keyboard types the look-alike letter: А for A, Н for H, З for 3.
_LOOK_ALIKES = str.maketrans(
    {
        "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "Р": "P",
        "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "Һ": "H", "З": "3", "Б": "6", "Ѕ": "S",
        "Ј": "J", "Ԛ": "Q", "Ԝ": "W",
    }
)  # fmt: skip
_COUNTRIES = frozenset(code for code in Locale("en").territories if len(code) == 2)
LIMITS = {
    "recruiter_name": 300,
    "recruiter_phone": 64,
    "description": 5000,
    "sector": 100,
    "contact": 500,
}


@dataclass
class ComplaintInput:
    description: str
    recruiter_name: str = ""
    recruiter_phone: str = ""
    indicators: list[str] = field(default_factory=list)
    origin_country: str = ""
    destination_country: str = ""
    sector: str = ""
    contact: str = ""


def new_reference() -> str:
    groups = (
        "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
        for _ in range(REFERENCE_GROUPS)
    )
    return "-".join(groups)


def normalise_reference(text: str) -> str:
    """A reference as it was typed, read the way it was meant: ``авсd 2345 нк7м`` is ``ABCD-2345-HK7M``.

    Case, spaces, dashes and Cyrillic look-alike letters are forgiven; anything else is kept, so
    a wrong code stays wrong and is not found.
    """
    upper = text.strip().upper().translate(_LOOK_ALIKES)
    compact = "".join(c for c in upper if c not in " -_.\u2010\u2011\u2012\u2013\u2014\u00a0\t")
    size = REFERENCE_GROUP_SIZE
    if len(compact) == size * REFERENCE_GROUPS:
        return "-".join(compact[i : i + size] for i in range(0, len(compact), size))
    return upper


def _validate(data: ComplaintInput) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []

    def problem(column: str, reason: str) -> None:
        problems.append({"field": column, "reason": reason})

    data.recruiter_name = data.recruiter_name.strip()
    data.recruiter_phone = data.recruiter_phone.strip()
    data.description = data.description.strip()
    for name, limit in LIMITS.items():
        if len(getattr(data, name)) > limit:
            problem(name, f"is longer than {limit} characters")
    if not data.recruiter_name and not data.recruiter_phone:
        problem("recruiter_name", "give the recruiter's name or phone (or both)")
    if not data.description:
        problem("description", "describe what happened")
    unknown = [c for c in data.indicators if c not in INDICATORS]
    if unknown:
        problem("indicators", f"unknown codes: {', '.join(map(str, unknown))}")
    for name in ("origin_country", "destination_country"):
        value = getattr(data, name).strip().upper()
        setattr(data, name, value)
        if value and value not in _COUNTRIES:
            problem(name, f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    if data.recruiter_phone and not _phone_readings(data):
        problem("recruiter_phone", f"{data.recruiter_phone!r} is not a phone number")
    return problems


def _regions(data: ComplaintInput) -> tuple[str, ...]:
    context = [c for c in (data.origin_country, data.destination_country) if c]
    return tuple(dict.fromkeys([*context, *DEFAULT_REGIONS]))


def _phone_readings(data: ComplaintInput) -> tuple[str, ...]:
    return (
        tuple(normalise_phone(data.recruiter_phone, _regions(data))) if data.recruiter_phone else ()
    )


def _without_nul(data: ComplaintInput) -> ComplaintInput:
    """PostgreSQL cannot store NUL in text; a worker's complaint is never lost over one."""
    return ComplaintInput(
        **{
            name: [v.replace("\x00", "") for v in value]
            if isinstance(value, list)
            else value.replace("\x00", "")
            for name, value in dataclasses.asdict(data).items()
        }
    )


async def file_complaint(data: ComplaintInput) -> dict[str, Any]:
    data = _without_nul(data)
    problems = _validate(data)
    if problems:
        raise InvalidInput(
            "The complaint was not filed: "
            + "; ".join(f"{p['field']} {p['reason']}" for p in problems),
            problems,
            400,
        )
    readings = _phone_readings(data)
    indicators = list(dict.fromkeys(data.indicators))
    async with write_transaction(lock=profiles.PROFILE_LOCK):
        complaint = Complaint(
            reference=new_reference(),
            recruiter_name=data.recruiter_name,
            recruiter_phone=data.recruiter_phone,
            phones=list(readings[:1]),
            description=data.description,
            indicators=indicators,
            origin_country=data.origin_country,
            destination_country=data.destination_country,
            sector=data.sector.strip(),
            contact_encrypted=encrypt(data.contact.strip()),
        )
        await complaint.save()
        attribution = await attribute(
            Sighting(
                source="complaint",
                name=data.recruiter_name,
                phone_readings=(readings,) if readings else (),
                complaint_id=complaint.id,
            )
        )
        await Complaint.update(
            {Complaint.profile: attribution.profile_id, Complaint.phones: list(attribution.phones)}
        ).where(Complaint.id == complaint.id)
        await flags.record_evidence(
            attribution.profile_id,
            kind="complaint",
            indicators=indicators,
            minors=flags.mentions_minors(data.description),
            detail={"complaint": complaint.reference},
        )
    return {"reference": complaint.reference, "received_at": complaint.received_at.isoformat()}


async def complaint_status(reference: str) -> dict[str, Any]:
    row = (
        await Complaint.select(Complaint.reference, Complaint.status, Complaint.received_at)
        .where(Complaint.reference == normalise_reference(reference))
        .first()
    )
    if row is None:
        raise NotFound("No complaint has this reference. Check the code and try again.")
    return {
        "reference": row["reference"],
        "status": row["status"],
        "received_at": row["received_at"].isoformat(),
    }


def _public_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "reference": row["reference"],
        "status": row["status"],
        "received_at": row["received_at"].isoformat(),
        "recruiter_name": row["recruiter_name"],
        "recruiter_phone": row["recruiter_phone"],
        "phones": row["phones"],
        "description": row["description"],
        "indicators": row["indicators"],
        "origin_country": row["origin_country"],
        "destination_country": row["destination_country"],
        "sector": row["sector"],
        "profile_id": row["profile"],
        "has_contact": bool(row["contact_encrypted"]),
    }


async def list_complaints(
    *, status: str | None = None, profile_id: int | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """For regulators: complaints without the complainant's contact (read it with ``read_contact``)."""
    query = Complaint.select().order_by(Complaint.id, ascending=False)
    count = Complaint.count()
    if status:
        query, count = (
            query.where(Complaint.status == status),
            count.where(Complaint.status == status),
        )
    if profile_id is not None:
        query = query.where(Complaint.profile == profile_id)
        count = count.where(Complaint.profile == profile_id)
    rows = await query.limit(limit).offset(offset).output(load_json=True)
    return {"items": [_public_fields(r) for r in rows], "total": await count}


async def read_contact(reference: str, *, actor: str, client: str = "") -> dict[str, Any]:
    """The complainant's contact, decrypted; every read is audited."""
    row = (
        await Complaint.select(Complaint.id, Complaint.reference, Complaint.contact_encrypted)
        .where(Complaint.reference == reference.strip().upper())
        .first()
    )
    if row is None:
        raise NotFound("No complaint has this reference.")
    await audit.record(actor, "complaint_contact_read", "complaint", row["reference"], {}, client)
    return {"reference": row["reference"], "contact": decrypt(row["contact_encrypted"])}


async def change_complaint_status(
    reference: str, status: str, *, actor: str, client: str = ""
) -> dict[str, Any]:
    if status not in STATUSES:
        raise InvalidInput(f"The status must be one of: {', '.join(STATUSES)}.")
    updated = (
        await Complaint.update({Complaint.status: status})
        .where(Complaint.reference == reference.strip().upper())
        .returning(Complaint.reference)
    )
    if not updated:
        raise NotFound("No complaint has this reference.")
    await audit.record(
        actor, "complaint_status", "complaint", reference, {"status": status}, client
    )
    return await complaint_status(reference)
