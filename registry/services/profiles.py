"""Recruiter profiles: one per recruiter as the evidence knows them, licensed or not.

Sightings are attributed to profiles in ``registry.services.attribution``; here a regulator
merges and splits them and reads them. Everything that changes profiles holds
``write_transaction(lock=PROFILE_LOCK)``, so concurrent sightings of one new recruiter make one
profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from registry.services.errors import InvalidInput, NotFound
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
    "PROFILE_LOCK",
    "list_profiles",
    "live_profile_id",
    "merge_evidence",
    "merge_profiles",
    "profile_detail",
    "split_profile",
)

PROFILE_LOCK = "profiles"


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


async def _profile_phones(profile_id: int) -> set[str]:
    rows = await ProfilePhone.select(ProfilePhone.phone).where(ProfilePhone.profile == profile_id)
    return {r["phone"] for r in rows}


async def _new_profile(display_name: str) -> int:
    profile = RecruiterProfile(display_name=display_name[:300])
    await profile.save()
    return int(profile.id)


async def _is_licence_profile(profile_id: int) -> bool:
    row = (
        await RecruiterProfile.select(RecruiterProfile.licence_key)
        .where(RecruiterProfile.id == profile_id)
        .first()
    )
    return bool(row and row["licence_key"])


async def merge_evidence(source: int, target: int, *, actor: str, reason: str) -> None:
    """Move all evidence of ``source`` onto ``target``; ``source`` stays as a pointer.

    The caller holds the profiles lock and has checked that the merge is wanted."""
    from registry.services import flags

    if source == target:
        return
    await ProfilePhone.update({ProfilePhone.profile: target}).where(ProfilePhone.profile == source)
    # moved, never deleted (even where the target has the name already): a deleted row's id
    # could be handed out again by SQLite, and other processes' name indexes would miss the row
    await ProfileName.update({ProfileName.profile: target}).where(ProfileName.profile == source)
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
        await merge_evidence(source, target, actor=actor, reason="merged by a regulator")
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
        # every spelling of the names (a merge may have brought two), written as new rows, not
        # moved ones, so every process's name index picks them up; written before the old ones
        # go, so SQLite cannot hand the old (highest) ids out again
        keys = {by_name[name]["name_key"] for name in names}
        moving = sorted((r for r in name_rows if r["name_key"] in keys), key=lambda r: r["id"])
        if moving:
            await ProfileName.insert(
                *[
                    ProfileName(
                        profile=new_id,
                        name=r["name"],
                        name_key=r["name_key"],
                        first_seen_at=r["first_seen_at"],
                    )
                    for r in moving
                ]
            )
            await ProfileName.delete().where(ProfileName.id.is_in([r["id"] for r in moving]))
        names = list(dict.fromkeys([*names, *(r["name"] for r in moving)]))
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
    spellings: dict[str, str] = {}
    for r in (
        await ProfileName.select(ProfileName.name, ProfileName.name_key)
        .where(ProfileName.profile == profile_id)
        .order_by(ProfileName.id)
    ):
        # a merge may leave one name under two spellings: the first seen stands for it
        spellings.setdefault(r["name_key"], r["name"])
    names = list(spellings.values())
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
