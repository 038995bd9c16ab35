"""The regulator's flag queue: one flag per recruiter, with reasons, severity and a timeline.

Evidence (complaints, ads) and registry changes call in here inside the profiles lock, so a flag is
up to date when the request that brought the evidence returns.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from registry.database import write_transaction
from registry.services.errors import InvalidInput, NotFound
from registry.settings import get_settings
from registry.tables import (
    Ad,
    Complaint,
    Flag,
    FlagEvent,
    Licence,
    Mention,
    ProfileName,
    ProfilePhone,
    RecruiterProfile,
)

__all__ = (
    "INDICATOR_WEIGHTS",
    "REASONS",
    "STATUSES",
    "absorb",
    "change_status",
    "evaluate",
    "flag_detail",
    "list_flags",
    "record_evidence",
    "reevaluate_licences",
)

STATUSES = ("open", "under_review", "escalated", "dismissed", "resolved")
CLOSED = ("dismissed", "resolved")
REASONS = ("unlicensed_advertising", "inactive_license", "repeated_complaints", "impersonation")
INDICATOR_WEIGHTS = {
    "document_retention": 3.0,
    "debt_bondage": 3.0,
    "violence": 3.0,
    "minors": 3.0,
    "threats": 2.0,
    "restricted_movement": 2.0,
    "isolation": 2.0,
    "withheld_wages": 2.0,
    "abuse_of_vulnerability": 1.5,
    "deception": 1.0,
    "abusive_conditions": 1.0,
    "excessive_overtime": 1.0,
}
SORTS = {
    "severity": Flag.severity,
    "opened_at": Flag.opened_at,
    "updated_at": Flag.updated_at,
    "complaint_count": Flag.complaint_count,
    "ad_count": Flag.ad_count,
}


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def severity(
    complaints: int, ads: int, tallies: dict[str, dict[str, int]], reasons: Sequence[str]
) -> float:
    """Complaints weigh twice an ad; the gravest indicators weigh most; inactive or fake licences add."""
    score = complaints * 1.0 + ads * 0.5
    score += sum(
        INDICATOR_WEIGHTS.get(c, 1.0) * n for c, n in tallies.get("complaints", {}).items()
    )
    score += 0.5 * sum(INDICATOR_WEIGHTS.get(c, 1.0) * n for c, n in tallies.get("ads", {}).items())
    score += 5.0 * sum(1 for r in reasons if r in ("inactive_license", "impersonation"))
    return round(score, 2)


async def _licence_status(profile_id: int) -> str | None:
    """The effective status of the profile's licence, or None for an unregistered recruiter."""
    from registry.services.licences import effective_status

    row = (
        await RecruiterProfile.select(RecruiterProfile.licence)
        .where(RecruiterProfile.id == profile_id)
        .first()
    )
    if row is None or row["licence"] is None:
        return None
    licence = (
        await Licence.select(Licence.status, Licence.valid_until)
        .where(Licence.id == row["licence"])
        .first()
    )
    return effective_status(licence) if licence else None


async def _reasons(profile_id: int, complaints: int, ads: int) -> list[str]:
    status = await _licence_status(profile_id)
    reasons: list[str] = []
    if status is None and ads:
        reasons.append("unlicensed_advertising")
    if status in ("suspended", "revoked", "expired") and (complaints or ads):
        reasons.append("inactive_license")
    if complaints >= get_settings().repeated_complaints_threshold:
        reasons.append("repeated_complaints")
    if status is None and await Mention.exists().where(
        (Mention.profile == profile_id) & Mention.claimed_licence.is_not_null()
    ):
        reasons.append("impersonation")
    return reasons


async def _tally(profile_id: int) -> dict[str, dict[str, int]]:
    complaints: Counter[str] = Counter()
    for row in await Complaint.select(Complaint.indicators, Complaint.description).where(
        Complaint.profile == profile_id
    ):
        complaints.update(_loads(row["indicators"]) or [])
        if mentions_minors(row["description"]):
            complaints["minors"] += 1
    ads: Counter[str] = Counter()
    for row in await Ad.select(Ad.risk_indicators).where(Ad.profile == profile_id):
        ads.update(_loads(row["risk_indicators"]) or [])
    return {"complaints": dict(complaints), "ads": dict(ads)}


_MINOR_WORDS = (
    "несовершеннолет",
    "подрост",
    "ребен",
    "ребён",
    "детей",
    "дети ",
    "минор",
    "minor",
    "child",
    "voyaga yetmagan",
    "bola",
    "балдар",
    "бала ",
    "кәмелетке толмаған",
    "ноболиғ",
    "кӯдак",
    "15 лет",
    "16 лет",
    "17 лет",
    "14 лет",
)


def mentions_minors(text: str) -> bool:
    lowered = f" {(text or '').casefold()} "
    return any(word in lowered for word in _MINOR_WORDS)


async def _counts(profile_id: int) -> tuple[int, int]:
    complaints = await Complaint.count().where(Complaint.profile == profile_id)
    ads = await Ad.count().where(Ad.profile == profile_id)
    return complaints, ads


async def _event(flag_id: int, action: str, actor: str, **fields: Any) -> None:
    await FlagEvent.insert(FlagEvent(flag=flag_id, action=action, actor=actor, **fields))


async def record_evidence(
    profile_id: int,
    *,
    kind: str,
    indicators: Iterable[str] = (),
    minors: bool = False,
    actor: str = "system",
    detail: dict[str, Any] | None = None,
) -> int | None:
    """New evidence about a profile: open, update or reopen its flag. Returns the flag id, if any."""
    complaints, ads = await _counts(profile_id)
    flag = await Flag.select().where(Flag.profile == profile_id).first()
    if flag is None:
        return await evaluate(profile_id, actor=actor, detail=detail)
    tallies = _loads(flag["indicators"]) or {"complaints": {}, "ads": {}}
    bucket = tallies.setdefault("complaints" if kind == "complaint" else "ads", {})
    for code in [*indicators, *(["minors"] if minors else [])]:
        bucket[code] = bucket.get(code, 0) + 1
    reasons = await _reasons(profile_id, complaints, ads)
    return await _save(flag, profile_id, complaints, ads, tallies, reasons, actor, kind, detail)


async def evaluate(
    profile_id: int, *, actor: str = "system", detail: dict[str, Any] | None = None
) -> int | None:
    """Recompute a profile's flag from all its evidence (merges, splits, registry changes)."""
    complaints, ads = await _counts(profile_id)
    reasons = await _reasons(profile_id, complaints, ads)
    flag = await Flag.select().where(Flag.profile == profile_id).first()
    if flag is None and not reasons:
        return None
    tallies = await _tally(profile_id)
    return await _save(
        flag, profile_id, complaints, ads, tallies, reasons, actor, "reevaluated", detail
    )


async def _save(
    flag: dict[str, Any] | None,
    profile_id: int,
    complaints: int,
    ads: int,
    tallies: dict[str, dict[str, int]],
    reasons: list[str],
    actor: str,
    cause: str,
    detail: dict[str, Any] | None,
) -> int | None:
    now = dt.datetime.now(dt.UTC)
    values = {
        "reasons": reasons,
        "reason_codes": "," + ",".join(reasons) + "," if reasons else "",
        "severity": severity(complaints, ads, tallies, reasons),
        "indicators": tallies,
        "complaint_count": complaints,
        "ad_count": ads,
        "updated_at": now,
    }
    if flag is None:
        if not reasons:
            return None
        new = Flag(profile=profile_id, status="open", opened_at=now, **values)
        await new.save()
        await _event(
            new.id, "opened", actor, to_status="open", detail={"reasons": reasons, **(detail or {})}
        )
        return int(new.id)
    status = flag["status"]
    old_reasons = _loads(flag["reasons"]) or []
    if status in CLOSED and cause in ("complaint", "ad"):
        values["status"] = "open"
        await _event(
            flag["id"],
            "reopened",
            actor,
            from_status=status,
            to_status="open",
            note=f"new {cause} evidence",
            detail=detail or {},
        )
    elif cause == "complaint" or set(reasons) != set(old_reasons):
        await _event(
            flag["id"],
            "evidence" if cause in ("complaint", "ad") else cause,
            actor,
            detail={"cause": cause, "reasons": reasons, **(detail or {})},
        )
    await Flag.update({getattr(Flag, k): v for k, v in values.items()}).where(Flag.id == flag["id"])
    return int(flag["id"])


async def absorb(source: int, target: int, *, actor: str, reason: str) -> None:
    """After a profile merge: the source's flag closes, pointing at the target, which re-evaluates."""
    flag = await Flag.select(Flag.id, Flag.status).where(Flag.profile == source).first()
    if flag is not None:
        target_flag = await evaluate(target, actor=actor)
        await Flag.update(
            {Flag.status: "resolved", Flag.updated_at: dt.datetime.now(dt.UTC)}
        ).where(Flag.id == flag["id"])
        await _event(
            flag["id"],
            "merged",
            actor,
            from_status=flag["status"],
            to_status="resolved",
            note=reason,
            detail={"into_profile": target, "into_flag": target_flag},
        )


async def reevaluate_licences(licence_numbers: tuple[str, ...]) -> None:
    """A licence was revoked, suspended, reinstated or expired: its holder's flag follows."""
    if not licence_numbers:
        return
    from matching import normalise_licence_number

    keys = [k for k in (normalise_licence_number(n) for n in licence_numbers) if k]
    for start in range(0, len(keys), 400):
        rows = await RecruiterProfile.select(RecruiterProfile.id).where(
            RecruiterProfile.licence_key.is_in(keys[start : start + 400])
        )
        for row in rows:
            async with write_transaction(lock="profiles"):
                await evaluate(row["id"], actor="registry")


async def change_status(flag_id: int, status: str, note: str, *, actor: str) -> dict[str, Any]:
    if status not in STATUSES:
        raise InvalidInput(f"The status must be one of: {', '.join(STATUSES)}.")
    async with write_transaction(lock="profiles"):
        flag = await Flag.select(Flag.id, Flag.status).where(Flag.id == flag_id).first()
        if flag is None:
            raise NotFound(f"No flag {flag_id}.")
        await Flag.update({Flag.status: status, Flag.updated_at: dt.datetime.now(dt.UTC)}).where(
            Flag.id == flag_id
        )
        await _event(
            flag_id,
            "status_changed",
            actor,
            from_status=flag["status"],
            to_status=status,
            note=note,
        )
    return (await _render([await Flag.select().where(Flag.id == flag_id).first()]))[0]


async def _render(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flags in the contract's shape, with their subjects fetched in three queries."""
    if not rows:
        return []
    profile_ids = [r["profile"] for r in rows]
    phones: dict[int, list[str]] = {}
    for r in (
        await ProfilePhone.select(ProfilePhone.profile, ProfilePhone.phone)
        .where(ProfilePhone.profile.is_in(profile_ids))
        .order_by(ProfilePhone.id)
    ):
        phones.setdefault(r["profile"], []).append(r["phone"])
    names: dict[int, list[str]] = {}
    for r in (
        await ProfileName.select(ProfileName.profile, ProfileName.name)
        .where(ProfileName.profile.is_in(profile_ids))
        .order_by(ProfileName.id)
    ):
        names.setdefault(r["profile"], []).append(r["name"])
    licences: dict[int, str] = {}
    claimed: dict[int, set[str]] = {}
    for r in await RecruiterProfile.select(
        RecruiterProfile.id, RecruiterProfile.licence.licence_number.as_alias("licence_number")
    ).where(RecruiterProfile.id.is_in(profile_ids)):
        if r["licence_number"]:
            licences[r["id"]] = r["licence_number"]
    for r in await Mention.select(Mention.profile, Mention.claimed_licence).where(
        Mention.profile.is_in(profile_ids) & Mention.claimed_licence.is_not_null()
    ):
        claimed.setdefault(r["profile"], set()).add(r["claimed_licence"])
    return [
        {
            "id": r["id"],
            "status": r["status"],
            "reasons": _loads(r["reasons"]) or [],
            "subject": {
                "license_number": licences.get(r["profile"]),
                "names": names.get(r["profile"], []),
                "phones": phones.get(r["profile"], []),
                "claimed_licences": sorted(claimed.get(r["profile"], ())),
            },
            "profile_id": r["profile"],
            "severity": r["severity"],
            "indicators": _loads(r["indicators"]) or {},
            "complaint_count": r["complaint_count"],
            "ad_count": r["ad_count"],
            "opened_at": r["opened_at"].isoformat(),
            "updated_at": r["updated_at"].isoformat(),
        }
        for r in rows
    ]


async def list_flags(
    *,
    status: str | None = None,
    reason: str | None = None,
    sort: str = "severity",
    descending: bool = True,
    limit: int = 50,
    offset: int = 0,
    opened_after: dt.datetime | None = None,
) -> dict[str, Any]:
    if status and status not in STATUSES:
        raise InvalidInput(f"The status must be one of: {', '.join(STATUSES)}.")
    if reason and reason not in REASONS:
        raise InvalidInput(f"The reason must be one of: {', '.join(REASONS)}.")
    if sort not in SORTS:
        raise InvalidInput(f"Sort by one of: {', '.join(SORTS)}.")
    query = Flag.select()
    count = Flag.count()
    conditions = []
    if status:
        conditions.append(Flag.status == status)
    if reason:
        conditions.append(Flag.reason_codes.like(f"%,{reason},%"))
    if opened_after:
        conditions.append(Flag.opened_at >= opened_after)
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = (
        await query.order_by(SORTS[sort], ascending=not descending)
        .order_by(Flag.id, ascending=not descending)
        .limit(limit)
        .offset(offset)
    )
    return {"items": await _render(rows), "total": await count}


async def flag_detail(flag_id: int) -> dict[str, Any]:
    """A flag with its evidence: timeline, complaints (without complainants), ads, the licence."""
    from registry.services.licences import licence_public

    row = await Flag.select().where(Flag.id == flag_id).first()
    if row is None:
        raise NotFound(f"No flag {flag_id}.")
    flag = (await _render([row]))[0]
    profile_id = row["profile"]
    events = (
        await FlagEvent.select()
        .where(FlagEvent.flag == flag_id)
        .order_by(FlagEvent.id)
        .output(load_json=True)
    )
    complaints = (
        await Complaint.select(
            Complaint.id,
            Complaint.reference,
            Complaint.status,
            Complaint.received_at,
            Complaint.recruiter_name,
            Complaint.phones,
            Complaint.indicators,
            Complaint.description,
            Complaint.origin_country,
            Complaint.destination_country,
            Complaint.sector,
        )
        .where(Complaint.profile == profile_id)
        .order_by(Complaint.id)
        .output(load_json=True)
    )
    ads = (
        await Ad.select(
            Ad.id,
            Ad.title,
            Ad.url,
            Ad.first_seen_at,
            Ad.phones,
            Ad.names,
            Ad.risk_indicators,
            Ad.risk_phrases,
            Ad.feed,
        )
        .where(Ad.profile == profile_id)
        .order_by(Ad.id, ascending=False)
        .limit(100)
        .output(load_json=True)
    )
    licence = None
    if flag["subject"]["license_number"]:
        lic = (
            await Licence.select()
            .where(Licence.licence_number == flag["subject"]["license_number"])
            .first()
        )
        licence = licence_public(lic) if lic else None
    return {
        **flag,
        "licence": licence,
        "timeline": [
            {
                **{
                    k: e[k]
                    for k in ("action", "actor", "from_status", "to_status", "note", "detail")
                },
                "at": e["at"].isoformat(),
            }
            for e in events
        ],
        "complaints": [{**c, "received_at": c["received_at"].isoformat()} for c in complaints],
        "ads": [{**a, "first_seen_at": a["first_seen_at"].isoformat()} for a in ads],
    }
