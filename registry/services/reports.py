"""How many complaints and flags concern a licence, or an unregistered phone or name.

Counts only: a public answer never carries what a complaint says or who made it. One query per
lookup, because every public lookup pays for it.

Public counts are delayed and thresholded (``public_report_delay_hours``,
``public_complaints_min``): a count that moved a minute after a complaint, or a count of one, would
tell the recruiter that someone complained, and perhaps who.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matching import normalise_licence_number, normalise_name
from registry.settings import get_settings
from registry.tables import Complaint

__all__ = ("report_counts",)

_COUNTS = """
WITH about AS (
    SELECT COALESCE(p.merged_into, p.id) AS id FROM recruiter_profile p WHERE {condition}
)
SELECT
    (SELECT COUNT(*) FROM complaint
     WHERE profile IN (SELECT id FROM about) AND received_at <= {{}}) AS complaints,
    (SELECT COUNT(*) FROM flag WHERE profile IN (SELECT id FROM about) AND opened_at <= {{}}) AS flags
"""
_FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def _marks(n: int) -> str:
    return ", ".join("{}" for _ in range(n))


async def report_counts(
    *, licence_number: str | None, phones: list[str], names: list[str], public: bool = True
) -> dict[str, Any]:
    """Counts about the licence holder, else about the profiles holding these phones or names.

    ``public=False`` (regulators) counts everything at once, without delay or threshold.
    """
    args: list[Any] = []
    if licence_number:
        condition = "p.licence_key = {}"
        args.append(normalise_licence_number(licence_number))
    else:
        parts = []
        if phones:
            parts.append(  # only placeholders are formatted in; values are parameters
                f"p.id IN (SELECT profile FROM profile_phone WHERE phone IN ({_marks(len(phones))}))"  # noqa: S608
            )
            args.extend(phones)
        keys = [k for k in dict.fromkeys(normalise_name(n).key for n in names) if k]
        if keys:
            parts.append(
                f"p.id IN (SELECT profile FROM profile_name WHERE name_key IN ({_marks(len(keys))}))"  # noqa: S608
            )
            args.extend(keys)
        if not parts:
            return {"complaints": 0, "flags": 0}
        condition = " OR ".join(parts)
    settings = get_settings()
    cutoff = (
        dt.datetime.now(dt.UTC) - dt.timedelta(hours=settings.public_report_delay_hours)
        if public
        else _FAR_FUTURE
    )
    rows = await Complaint.raw(_COUNTS.format(condition=condition), *args, cutoff, cutoff)
    row = rows[0] if rows else {}
    complaints = int(row.get("complaints") or 0)
    if public and complaints < settings.public_complaints_min:
        complaints = 0
    return {"complaints": complaints, "flags": int(row.get("flags") or 0)}
