"""How many complaints and flags concern a licence, or an unregistered phone or name.

Counts only: a public answer never carries what a complaint says or who made it.
"""

from __future__ import annotations

from typing import Any

from matching import normalise_licence_number, normalise_name
from registry.tables import Complaint, Flag, ProfileName, ProfilePhone, RecruiterProfile

__all__ = ("profiles_about", "report_counts")


async def profiles_about(
    *, licence_number: str | None, phones: list[str], names: list[str]
) -> set[int]:
    """Recruiter profiles the query is about: the licence holder's, or those holding its phones/names."""
    if licence_number:
        key = normalise_licence_number(licence_number)
        rows = await RecruiterProfile.select(RecruiterProfile.id).where(
            RecruiterProfile.licence_key == key
        )
        return {r["id"] for r in rows}
    ids: set[int] = set()
    if phones:
        rows = await ProfilePhone.select(ProfilePhone.profile).where(
            ProfilePhone.phone.is_in(phones)
        )
        ids.update(r["profile"] for r in rows)
    keys = [k for k in (normalise_name(n).key for n in names) if k]
    if keys:
        rows = await ProfileName.select(ProfileName.profile).where(ProfileName.name_key.is_in(keys))
        ids.update(r["profile"] for r in rows)
    return await _live(ids)


async def _live(ids: set[int]) -> set[int]:
    """Follow merges: a merged profile's evidence lives on the profile it was merged into."""
    if not ids:
        return ids
    rows = await RecruiterProfile.select(RecruiterProfile.id, RecruiterProfile.merged_into).where(
        RecruiterProfile.id.is_in(list(ids))
    )
    return {r["merged_into"] or r["id"] for r in rows}


async def report_counts(
    *, licence_number: str | None, phones: list[str], names: list[str]
) -> dict[str, Any]:
    ids = await profiles_about(licence_number=licence_number, phones=phones, names=names)
    if not ids:
        return {"complaints": 0, "flags": 0}
    complaints = await Complaint.count().where(Complaint.profile.is_in(list(ids)))
    flags = await Flag.count().where(Flag.profile.is_in(list(ids)))
    return {"complaints": complaints, "flags": flags}
