"""Recruiter profiles: who a complaint or an ad is about, licensed or not.

A sighting (a name and/or phones from one complaint or ad) resolves to the licence holder when the
matching engine is confident, else to an unregistered profile found by a shared phone or a
confidently-same name. Two profiles are merged only when new evidence links them; a name alone never
joins two profiles whose phones differ. Callers hold ``write_transaction(lock="profiles")`` so
concurrent sightings of one new recruiter make one profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from matching import normalise_name
from matching.lexicon import GIVEN_NAMES, canonical_word
from registry.services.errors import InvalidInput, NotFound
from registry.services.lookup import registry_lookup
from registry.services.profile_names import profile_names
from registry.tables import (
    Ad,
    Complaint,
    Licence,
    Mention,
    ProfileName,
    ProfilePhone,
    RecruiterProfile,
)

__all__ = (
    "Attribution",
    "Sighting",
    "attribute",
    "live_profile_id",
    "merge_profiles",
    "profile_detail",
    "split_profile",
)

PROFILE_LOCK = "profiles"


@dataclass(frozen=True, slots=True)
class Sighting:
    source: Literal["complaint", "ad"]
    name: str
    phone_readings: tuple[tuple[str, ...], ...]
    """Per written phone, every plausible E.164 reading, most likely first."""
    complaint_id: int | None = None
    ad_id: int | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    profile_id: int
    licence_number: str | None
    """The licence holder the sighting is about; None for an unregistered recruiter."""
    claimed_licence: str | None
    """A licensed name used with phones that are not the holder's (impersonation)."""
    phones: tuple[str, ...]


def _groupable_name(name: str) -> str | None:
    """A name specific enough to group on: two distinctive words ('Идрисов Бауржан'), or one long
    distinctive word named as a business ('Сырдарья Кадровое Агентство'); never a lone given name."""
    normalised = normalise_name(name)
    if not normalised.key:
        return None
    if len(normalised.tokens) >= 2:
        return normalised.key
    word = normalised.tokens[0]
    business = bool(normalised.legal_form or normalised.descriptors)
    if business and len(word) >= 5 and canonical_word(word) not in GIVEN_NAMES:
        return normalised.key
    return None


async def live_profile_id(profile_id: int) -> int:
    seen: set[int] = set()
    while profile_id not in seen:
        seen.add(profile_id)
        row = (
            await RecruiterProfile.select(RecruiterProfile.merged_into)
            .where(RecruiterProfile.id == profile_id)
            .first()
        )
        if row is None or row["merged_into"] is None:
            return profile_id
        profile_id = row["merged_into"]
    return profile_id


async def _phone_owners(phones: Iterable[str]) -> dict[str, int]:
    phones = list(dict.fromkeys(phones))
    if not phones:
        return {}
    rows = await ProfilePhone.select(ProfilePhone.phone, ProfilePhone.profile).where(
        ProfilePhone.phone.is_in(phones)
    )
    return {r["phone"]: r["profile"] for r in rows}


async def _profile_phones(profile_id: int) -> set[str]:
    rows = await ProfilePhone.select(ProfilePhone.phone).where(ProfilePhone.profile == profile_id)
    return {r["phone"] for r in rows}


async def _licence_profile(licence: dict[str, Any]) -> int:
    key = licence["licence_key"]
    row = (
        await RecruiterProfile.select(RecruiterProfile.id)
        .where(RecruiterProfile.licence_key == key)
        .first()
    )
    if row:
        return int(row["id"])
    licence_id = (await Licence.select(Licence.id).where(Licence.licence_key == key).first())["id"]
    profile = RecruiterProfile(licence=licence_id, licence_key=key, display_name=licence["name"])
    await profile.save()
    return int(profile.id)


async def _new_profile(display_name: str) -> int:
    profile = RecruiterProfile(display_name=display_name[:300])
    await profile.save()
    return int(profile.id)


async def _record(
    profile_id: int, sighting: Sighting, phones: Sequence[str], claimed: str | None
) -> None:
    owners = await _phone_owners(phones)
    now = dt.datetime.now(dt.UTC)
    fresh = [p for p in phones if p not in owners]
    if fresh:
        await ProfilePhone.insert(
            *[ProfilePhone(profile=profile_id, phone=p, first_seen_at=now) for p in fresh]
        )
    name = sighting.name.strip()[:300]
    if name:
        key = normalise_name(name).key or name.casefold()
        exists = await ProfileName.exists().where(
            (ProfileName.profile == profile_id) & (ProfileName.name_key == key)
        )
        if not exists:
            await ProfileName.insert(
                ProfileName(profile=profile_id, name=name, name_key=key, first_seen_at=now)
            )
    mentions = [
        Mention(
            profile=profile_id,
            source=sighting.source,
            complaint=sighting.complaint_id,
            ad=sighting.ad_id,
            name=name,
            phone=phone,
            claimed_licence=claimed,
            seen_at=now,
        )
        for phone in (phones or [""])
    ]
    await Mention.insert(*mentions)
    await RecruiterProfile.update({RecruiterProfile.updated_at: now}).where(
        RecruiterProfile.id == profile_id
    )


def _choose_phones(sighting: Sighting, known: set[str]) -> list[str]:
    """One reading per written phone: a reading already known wins, else the most likely."""
    chosen: list[str] = []
    for readings in sighting.phone_readings:
        if not readings:
            continue
        pick = next((r for r in readings if r in known), readings[0])
        if pick not in chosen:
            chosen.append(pick)
    return chosen


async def attribute(sighting: Sighting) -> Attribution:
    """Resolve a sighting to a profile and record it there (inside the profiles lock)."""
    readings = [r for group in sighting.phone_readings for r in group]
    decision = await registry_lookup.resolve(sighting.name or None, readings)
    claimed: str | None = None
    if decision.match is not None:
        licence = registry_lookup.licences[decision.match.record_id]
        holders_phone = bool(set(readings) & set(licence["phones"]))
        by_number_or_phone = {"phone", "license_number"} & set(decision.match.matched_on)
        if by_number_or_phone or holders_phone or not readings:
            phones = _choose_phones(sighting, set(licence["phones"]))
            owners = await _phone_owners(phones)
            profile_id = await _licence_profile(licence)
            # a phone already tied to another recruiter stays with them
            phones = [p for p in phones if owners.get(p, profile_id) == profile_id]
            await _record(profile_id, sighting, phones, None)
            return Attribution(profile_id, licence["licence_number"], None, tuple(phones))
        claimed = licence["licence_number"]
    owners_any = await _phone_owners(readings)
    phones = _choose_phones(sighting, set(owners_any))
    live = await _live_ids(owners_any[p] for p in phones if p in owners_any)
    linked = set(live.values())
    linked = (linked - await _licence_profiles(linked)) or linked
    if not claimed and sighting.name and _groupable_name(sighting.name):
        linked |= await _profiles_by_name(sighting.name, set(phones), linked)
    if not linked:
        profile_id = await _new_profile(sighting.name or (phones[0] if phones else ""))
    else:
        profile_id = min(linked)
        for other in sorted(linked - {profile_id}):
            await _merge(other, profile_id, actor="system", reason="shared evidence")
    await _record(profile_id, sighting, phones, claimed)
    return Attribution(profile_id, None, claimed, tuple(phones))


def _parts(values: list[Any], size: int = 400) -> Iterable[list[Any]]:
    """Values per ``IN (...)``: well under SQLite's parameter limit."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


async def _live_ids(profile_ids: Iterable[int]) -> dict[int, int]:
    """``live_profile_id`` of many profiles at once: one query per step along merge pointers."""
    live: dict[int, int] = {}
    current = {pid: pid for pid in profile_ids}
    seen = {pid: {pid} for pid in current}
    while current:
        merged_into: dict[int, int | None] = {}
        for part in _parts(sorted(set(current.values()))):
            rows = await RecruiterProfile.select(
                RecruiterProfile.id, RecruiterProfile.merged_into
            ).where(RecruiterProfile.id.is_in(part))
            merged_into.update((r["id"], r["merged_into"]) for r in rows)
        following: dict[int, int] = {}
        for start, pid in current.items():
            target = merged_into.get(pid)
            if target is None or target in seen[start]:
                live[start] = pid if target is None else target
            else:
                seen[start].add(target)
                following[start] = target
        current = following
    return live


async def _licence_profiles(profile_ids: Iterable[int]) -> set[int]:
    """The licence holders' profiles among ``profile_ids``."""
    found: set[int] = set()
    for part in _parts(sorted(set(profile_ids))):
        rows = await RecruiterProfile.select(
            RecruiterProfile.id, RecruiterProfile.licence_key
        ).where(RecruiterProfile.id.is_in(part))
        found.update(r["id"] for r in rows if r["licence_key"])
    return found


async def _profiles_with_phones(profile_ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for part in _parts(sorted(set(profile_ids))):
        rows = await ProfilePhone.select(ProfilePhone.profile).where(
            ProfilePhone.profile.is_in(part)
        )
        found.update(r["profile"] for r in rows)
    return found


async def _is_licence_profile(profile_id: int) -> bool:
    row = (
        await RecruiterProfile.select(RecruiterProfile.licence_key)
        .where(RecruiterProfile.id == profile_id)
        .first()
    )
    return bool(row and row["licence_key"])


async def _profiles_by_name(name: str, phones: set[str], linked: set[int]) -> set[int]:
    """Unregistered profiles holding a confidently-same name, whatever phones each has (recruiters
    advertise several numbers). A name held by several profiles kept apart is ambiguous: none."""
    matches = dict(await profile_names.same_name_rows(name))
    if not matches:
        return set()
    rows = []
    for part in _parts(list(matches)):
        rows += await ProfileName.select(ProfileName.id, ProfileName.profile).where(
            ProfileName.id.is_in(part)
        )
    live = await _live_ids(r["profile"] for r in rows)
    licensed = await _licence_profiles(live.values())
    loose = {live[r["profile"]] for r in rows if not matches[r["id"]]} if phones else set()
    with_phones = await _profiles_with_phones(loose - licensed - linked)
    found: set[int] = set()
    for row in rows:
        profile_id = live[row["profile"]]
        if profile_id in linked or profile_id in licensed:
            continue
        if not matches[row["id"]] and phones and profile_id in with_phones:
            continue  # a loose match never joins two recruiters who both have phones
        found.add(profile_id)
    if len(found) > 1:
        return set()
    return found


async def _merge(source: int, target: int, *, actor: str, reason: str) -> None:
    """Move all evidence of ``source`` onto ``target``; ``source`` stays as a pointer."""
    from registry.services import flags

    if source == target:
        return
    await ProfilePhone.update({ProfilePhone.profile: target}).where(ProfilePhone.profile == source)
    target_keys = {
        r["name_key"]
        for r in await ProfileName.select(ProfileName.name_key).where(ProfileName.profile == target)
    }
    for row in await ProfileName.select().where(ProfileName.profile == source):
        if row["name_key"] in target_keys:
            await ProfileName.delete().where(ProfileName.id == row["id"])
        else:
            await ProfileName.update({ProfileName.profile: target}).where(
                ProfileName.id == row["id"]
            )
    await Mention.update({Mention.profile: target}).where(Mention.profile == source)
    await Complaint.update({Complaint.profile: target}).where(Complaint.profile == source)
    await Ad.update({Ad.profile: target}).where(Ad.profile == source)
    await RecruiterProfile.update(
        {RecruiterProfile.merged_into: target, RecruiterProfile.updated_at: dt.datetime.now(dt.UTC)}
    ).where(RecruiterProfile.id == source)
    await flags.absorb(source, target, actor=actor, reason=reason)


async def merge_profiles(source: int, target: int, *, actor: str) -> int:
    """A regulator's merge: both must be live and not both licence holders."""
    from registry.database import write_transaction
    from registry.services import flags

    if source == target:
        raise InvalidInput("A profile cannot be merged into itself.")
    async with write_transaction(lock=PROFILE_LOCK):
        for pid in (source, target):
            row = await RecruiterProfile.select().where(RecruiterProfile.id == pid).first()
            if row is None:
                raise NotFound(f"No recruiter profile {pid}.")
            if row["merged_into"] is not None:
                raise InvalidInput(f"Profile {pid} was merged into {row['merged_into']} already.")
        if await _is_licence_profile(source) and await _is_licence_profile(target):
            raise InvalidInput("Two licence holders are two recruiters; they cannot be merged.")
        if await _is_licence_profile(source):
            source, target = target, source
        await _merge(source, target, actor=actor, reason="merged by a regulator")
        await flags.evaluate(target, actor=actor)
    return target


async def split_profile(
    profile_id: int, *, phones: Sequence[str], names: Sequence[str], actor: str
) -> int:
    """Move the given phones and names, with the evidence that carried them, to a new profile."""
    from registry.database import write_transaction
    from registry.services import flags

    phones = list(dict.fromkeys(phones))
    names = list(dict.fromkeys(n for n in names if n))
    if not phones and not names:
        raise InvalidInput("Name at least one phone or name to split off.")
    async with write_transaction(lock=PROFILE_LOCK):
        row = await RecruiterProfile.select().where(RecruiterProfile.id == profile_id).first()
        if row is None or row["merged_into"] is not None:
            raise NotFound(f"No live recruiter profile {profile_id}.")
        held = await _profile_phones(profile_id)
        missing = [p for p in phones if p not in held]
        if missing:
            raise InvalidInput(f"Profile {profile_id} does not hold {', '.join(missing)}.")
        name_rows = await ProfileName.select().where(ProfileName.profile == profile_id)
        by_name = {r["name"]: r for r in name_rows}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise InvalidInput(f"Profile {profile_id} has no name {', '.join(unknown)}.")
        new_id = await _new_profile(names[0] if names else phones[0])
        if phones:
            await ProfilePhone.update({ProfilePhone.profile: new_id}).where(
                (ProfilePhone.profile == profile_id) & ProfilePhone.phone.is_in(phones)
            )
        for name in names:
            await ProfileName.update({ProfileName.profile: new_id}).where(
                ProfileName.id == by_name[name]["id"]
            )
        moved = Mention.profile == profile_id
        carried = None
        if phones:
            carried = Mention.phone.is_in(phones)
        if names:
            by = Mention.name.is_in(names)
            carried = by if carried is None else (carried | by)
        mentions = await Mention.select(Mention.id, Mention.complaint, Mention.ad).where(
            moved & carried
        )
        ids = [m["id"] for m in mentions]
        if ids:
            await Mention.update({Mention.profile: new_id}).where(Mention.id.is_in(ids))
        complaint_ids = [m["complaint"] for m in mentions if m["complaint"]]
        ad_ids = [m["ad"] for m in mentions if m["ad"]]
        if complaint_ids:
            await Complaint.update({Complaint.profile: new_id}).where(
                Complaint.id.is_in(complaint_ids)
            )
        if ad_ids:
            await Ad.update({Ad.profile: new_id}).where(Ad.id.is_in(ad_ids))
        await flags.evaluate(profile_id, actor=actor)
        await flags.evaluate(new_id, actor=actor)
    return new_id


async def profile_detail(profile_id: int) -> dict[str, Any]:
    row = await RecruiterProfile.select().where(RecruiterProfile.id == profile_id).first()
    if row is None:
        raise NotFound(f"No recruiter profile {profile_id}.")
    phones = sorted(await _profile_phones(profile_id))
    names = [
        r["name"]
        for r in await ProfileName.select(ProfileName.name)
        .where(ProfileName.profile == profile_id)
        .order_by(ProfileName.id)
    ]
    claimed = sorted(
        {
            r["claimed_licence"]
            for r in await Mention.select(Mention.claimed_licence).where(
                (Mention.profile == profile_id) & Mention.claimed_licence.is_not_null()
            )
        }
    )
    return {
        "id": row["id"],
        "license_number": await _licence_number(row),
        "display_name": row["display_name"],
        "merged_into": row["merged_into"],
        "names": names,
        "phones": phones,
        "claimed_licences": claimed,
        "complaint_count": await Complaint.count().where(Complaint.profile == profile_id),
        "ad_count": await Ad.count().where(Ad.profile == profile_id),
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


async def _licence_number(row: dict[str, Any]) -> str | None:
    if not row.get("licence"):
        return None
    licence = (
        await Licence.select(Licence.licence_number).where(Licence.id == row["licence"]).first()
    )
    return licence["licence_number"] if licence else None


async def list_profiles(*, unregistered: bool | None, limit: int, offset: int) -> dict[str, Any]:
    """Live profiles, most recently active first."""
    live = RecruiterProfile.merged_into.is_null()
    condition = live
    if unregistered is True:
        condition = live & RecruiterProfile.licence_key.is_null()
    elif unregistered is False:
        condition = live & RecruiterProfile.licence_key.is_not_null()
    rows = (
        await RecruiterProfile.select(RecruiterProfile.id)
        .where(condition)
        .order_by(RecruiterProfile.updated_at, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    items = [await profile_detail(r["id"]) for r in rows]
    return {"items": items, "total": await RecruiterProfile.count().where(condition)}
