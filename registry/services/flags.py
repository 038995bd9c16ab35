"""The regulator's flag queue: one flag per recruiter, with reasons, severity and a timeline.

Evidence (complaints, ads) and registry changes call in here inside the profiles lock, so a flag is
up to date when the request that brought the evidence returns.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from piccolo.columns import ForeignKey
from piccolo.query.functions.aggregate import Count

from registry.codes import FlagReason, FlagStatus, values
from registry.database import bulk_insert, bulk_update, write_transaction
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
    "Evidence",
    "EvidenceOutcome",
    "absorb",
    "change_status",
    "evaluate",
    "flag_detail",
    "list_flags",
    "record_evidence",
    "record_evidence_many",
    "reevaluate_licences",
)

T = TypeVar("T")

STATUSES = values(FlagStatus)
CLOSED = ("dismissed", "resolved")
REASONS = values(FlagReason)
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
_IN_LIMIT = 400
"""Values per ``IN (...)``: well under SQLite's parameter limit."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """New evidence about one recruiter: a complaint, or the ads a scan attributed to them."""

    kind: str  # "ad" or "complaint"
    indicators: tuple[str, ...] = ()
    minors: bool = False
    detail: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class EvidenceOutcome:
    """What new evidence did to a recruiter's flag."""

    flag_id: int | None
    opened: bool
    """A new flag was created by this call."""
    has_reasons: bool
    """The flag, after the update, has at least one reason."""


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


def _chunks(values: Sequence[T]) -> Iterator[list[T]]:
    for start in range(0, len(values), _IN_LIMIT):
        yield list(values[start : start + _IN_LIMIT])


async def _counts(profile_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Complaints and ads per profile."""
    complaints = await _count_by_profile(Complaint.profile, profile_ids)
    ads = await _count_by_profile(Ad.profile, profile_ids)
    return {p: (complaints.get(p, 0), ads.get(p, 0)) for p in profile_ids}


async def _count_by_profile(column: ForeignKey[Any], profile_ids: Sequence[int]) -> dict[int, int]:
    """Rows per profile, one GROUP BY per chunk; profiles without rows are absent."""
    found: dict[int, int] = {}
    for part in _chunks(profile_ids):
        rows = (
            await column._meta.table.select(column, Count())
            .where(column.is_in(part))
            .group_by(column)
        )
        found.update((r[column._meta.name], r["count"]) for r in rows)
    return found


async def _licence_statuses(profile_ids: Sequence[int]) -> dict[int, str]:
    """The effective status of each licence holder's licence; unregistered recruiters are absent."""
    from registry.services.licences import effective_status

    statuses: dict[int, str] = {}
    for part in _chunks(profile_ids):
        for row in await RecruiterProfile.select(
            RecruiterProfile.id,
            RecruiterProfile.licence.status.as_alias("status"),
            RecruiterProfile.licence.valid_until.as_alias("valid_until"),
        ).where(RecruiterProfile.id.is_in(part) & RecruiterProfile.licence.is_not_null()):
            statuses[row["id"]] = effective_status(row)
    return statuses


async def _claiming_licences(profile_ids: Sequence[int]) -> set[int]:
    """Profiles seen using a licence number that is not theirs."""
    found: set[int] = set()
    for part in _chunks(profile_ids):
        rows = (
            await Mention.select(Mention.profile)
            .where(Mention.profile.is_in(part) & Mention.claimed_licence.is_not_null())
            .distinct()
        )
        found.update(r["profile"] for r in rows)
    return found


async def _reasons(counts: dict[int, tuple[int, int]]) -> dict[int, list[str]]:
    """Each profile's flag reasons, given its (complaints, ads) counts."""
    statuses = await _licence_statuses(list(counts))
    claiming = await _claiming_licences([p for p in counts if p not in statuses])
    threshold = get_settings().repeated_complaints_threshold
    reasons: dict[int, list[str]] = {}
    for profile_id, (complaints, ads) in counts.items():
        status = statuses.get(profile_id)
        found = reasons[profile_id] = []
        if status is None and ads:
            found.append("unlicensed_advertising")
        if status in ("suspended", "revoked", "expired") and (complaints or ads):
            found.append("inactive_license")
        if complaints >= threshold:
            found.append("repeated_complaints")
        if status is None and profile_id in claiming:
            found.append("impersonation")
    return reasons


async def _tallies(profile_ids: Sequence[int]) -> dict[int, dict[str, dict[str, int]]]:
    """Indicator counts recomputed from all of each profile's complaints and ads."""
    complaints: dict[int, Counter[str]] = {p: Counter() for p in profile_ids}
    ads: dict[int, Counter[str]] = {p: Counter() for p in profile_ids}
    for part in _chunks(profile_ids):
        for row in (
            await Complaint.select(Complaint.profile, Complaint.indicators, Complaint.description)
            .where(Complaint.profile.is_in(part))
            .order_by(Complaint.id)
        ):
            complaints[row["profile"]].update(_loads(row["indicators"]) or [])
            if mentions_minors(row["description"]):
                complaints[row["profile"]]["minors"] += 1
        for row in (
            await Ad.select(Ad.profile, Ad.risk_indicators)
            .where(Ad.profile.is_in(part))
            .order_by(Ad.id)
        ):
            ads[row["profile"]].update(_loads(row["risk_indicators"]) or [])
    return {p: {"complaints": dict(complaints[p]), "ads": dict(ads[p])} for p in profile_ids}


async def _flags(profile_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The profiles' flags (id, status, reasons, indicators), by profile."""
    found: dict[int, dict[str, Any]] = {}
    for part in _chunks(profile_ids):
        for row in await Flag.select(
            Flag.id, Flag.profile, Flag.status, Flag.reasons, Flag.indicators
        ).where(Flag.profile.is_in(part)):
            found[row["profile"]] = row
    return found


def _added(stored: Any, evidence: Evidence) -> dict[str, dict[str, int]]:
    """A flag's indicator tallies plus one new piece of evidence, without recounting the rest."""
    tallies: dict[str, dict[str, int]] = _loads(stored) or {"complaints": {}, "ads": {}}
    bucket = tallies.setdefault("complaints" if evidence.kind == "complaint" else "ads", {})
    for code in [*evidence.indicators, *(["minors"] if evidence.minors else [])]:
        bucket[code] = bucket.get(code, 0) + 1
    return tallies


def _values(
    counts: tuple[int, int],
    tallies: dict[str, dict[str, int]],
    reasons: list[str],
    now: dt.datetime,
) -> dict[str, Any]:
    """A flag's columns that follow from its evidence."""
    return {
        "reasons": reasons,
        "reason_codes": "," + ",".join(reasons) + "," if reasons else "",
        "severity": severity(*counts, tallies, reasons),
        "indicators": tallies,
        "complaint_count": counts[0],
        "ad_count": counts[1],
        "updated_at": now,
    }


def _opening(reasons: list[str], detail: dict[str, Any] | None) -> dict[str, Any]:
    """The first entry of a new flag's timeline."""
    return {
        "action": "opened",
        "to_status": "open",
        "detail": {"reasons": reasons, **(detail or {})},
    }


def _change(
    flag: dict[str, Any], reasons: list[str], cause: str, detail: dict[str, Any] | None
) -> tuple[str, dict[str, Any] | None]:
    """An existing flag's status after new evidence or a re-evaluation, and its timeline entry.

    New evidence reopens a closed flag; otherwise a complaint, or a change of reasons, is noted.
    """
    status = flag["status"]
    if status in CLOSED and cause in ("complaint", "ad"):
        return "open", {
            "action": "reopened",
            "from_status": status,
            "to_status": "open",
            "note": f"new {cause} evidence",
            "detail": detail or {},
        }
    if cause == "complaint" or set(reasons) != set(_loads(flag["reasons"]) or []):
        return status, {
            "action": "evidence" if cause in ("complaint", "ad") else cause,
            "detail": {"cause": cause, "reasons": reasons, **(detail or {})},
        }
    return status, None


def _event_row(flag_id: int, actor: str, now: dt.datetime, **fields: Any) -> dict[str, Any]:
    """A FlagEvent with every column, as ``bulk_insert`` needs it."""
    row = {"from_status": "", "to_status": "", "note": "", "detail": {}, **fields}
    return {"flag": flag_id, "at": now, "actor": actor, **row}


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
    evidence = Evidence(kind, tuple(indicators), minors, detail)
    outcomes = await record_evidence_many({profile_id: evidence}, actor=actor)
    return outcomes[profile_id].flag_id


async def record_evidence_many(
    evidence: Mapping[int, Evidence], *, actor: str = "system"
) -> dict[int, EvidenceOutcome]:
    """New evidence about many profiles: as ``record_evidence`` for each in turn, in a number of
    queries that does not grow with the profiles (a feed scan brings thousands).

    A profile without a flag gets one from all its evidence, as ``evaluate`` would open it; an
    existing flag adds this evidence's indicators to its tallies. Every profile gets an outcome;
    one without a flag or reasons gets ``flag_id=None``.
    """
    profile_ids = list(evidence)
    async with write_transaction(lock="profiles"):
        counts = await _counts(profile_ids)
        reasons = await _reasons(counts)
        flags = await _flags(profile_ids)
        now = dt.datetime.now(dt.UTC)
        opened = await _open_flags(
            [p for p in profile_ids if p not in flags and reasons[p]], counts, reasons, now
        )
        updates: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        outcomes: dict[int, EvidenceOutcome] = {}
        for profile_id, item in evidence.items():
            if profile_id in opened:
                flag_id = opened[profile_id]
                event: dict[str, Any] | None = _opening(reasons[profile_id], item.detail)
            elif profile_id in flags:
                flag_id = flags[profile_id]["id"]
                update, event = _updated(
                    flags[profile_id], counts[profile_id], reasons[profile_id], item, now
                )
                updates.append(update)
            else:
                outcomes[profile_id] = EvidenceOutcome(None, opened=False, has_reasons=False)
                continue
            if event is not None:
                events.append(_event_row(flag_id, actor, now, **event))
            outcomes[profile_id] = EvidenceOutcome(
                flag_id, opened=profile_id in opened, has_reasons=bool(reasons[profile_id])
            )
        await bulk_update(Flag, "id", updates)
        await bulk_insert(FlagEvent, events)
    return outcomes


def _updated(
    flag: dict[str, Any],
    counts: tuple[int, int],
    reasons: list[str],
    evidence: Evidence,
    now: dt.datetime,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """An existing flag's new row (for ``bulk_update``) and timeline entry after new evidence."""
    status, event = _change(flag, reasons, evidence.kind, evidence.detail)
    values = _values(counts, _added(flag["indicators"], evidence), reasons, now)
    return {"id": flag["id"], "status": status, **values}, event


async def _open_flags(
    profile_ids: list[int],
    counts: dict[int, tuple[int, int]],
    reasons: dict[int, list[str]],
    now: dt.datetime,
) -> dict[int, int]:
    """Insert the new flags of profiles with reasons but no flag; their ids, by profile."""
    tallies = await _tallies(profile_ids)
    await bulk_insert(
        Flag,
        [
            {
                "profile": p,
                "status": "open",
                "opened_at": now,
                **_values(counts[p], tallies[p], reasons[p], now),
            }
            for p in profile_ids
        ],
    )
    ids: dict[int, int] = {}
    for part in _chunks(profile_ids):
        for row in await Flag.select(Flag.id, Flag.profile).where(Flag.profile.is_in(part)):
            ids[row["profile"]] = row["id"]
    return ids


async def evaluate(
    profile_id: int, *, actor: str = "system", detail: dict[str, Any] | None = None
) -> int | None:
    """Recompute a profile's flag from all its evidence (merges, splits, registry changes)."""
    counts = await _counts([profile_id])
    reasons = (await _reasons(counts))[profile_id]
    flag = (await _flags([profile_id])).get(profile_id)
    if flag is None and not reasons:
        return None
    tallies = (await _tallies([profile_id]))[profile_id]
    values = _values(counts[profile_id], tallies, reasons, dt.datetime.now(dt.UTC))
    if flag is None:
        return await _open(profile_id, values, actor, detail)
    _, event = _change(flag, reasons, "reevaluated", detail)
    if event is not None:
        await _event(flag["id"], actor=actor, **event)
    await Flag.update({getattr(Flag, k): v for k, v in values.items()}).where(Flag.id == flag["id"])
    return int(flag["id"])


async def _open(
    profile_id: int, values: dict[str, Any], actor: str, detail: dict[str, Any] | None
) -> int:
    """A re-evaluation found reasons where there was no flag: one row, Piccolo will do."""
    new = Flag(profile=profile_id, status="open", opened_at=values["updated_at"], **values)
    await new.save()
    await _event(new.id, actor=actor, **_opening(values["reasons"], detail))
    return int(new.id)


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
    for part in _chunks(keys):
        rows = await RecruiterProfile.select(RecruiterProfile.id).where(
            RecruiterProfile.licence_key.is_in(part)
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
    names: dict[int, dict[str, str]] = {}
    for r in (
        await ProfileName.select(ProfileName.profile, ProfileName.name, ProfileName.name_key)
        .where(ProfileName.profile.is_in(profile_ids))
        .order_by(ProfileName.id)
    ):
        # a merge may leave one name under two spellings: the first seen stands for it
        names.setdefault(r["profile"], {}).setdefault(r["name_key"], r["name"])
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
                "names": list(names.get(r["profile"], {}).values()),
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
