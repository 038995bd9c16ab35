"""Numbers for the regulator's dashboard, computed from the tables at request time.

Read-only aggregates: complaints are few and flags are per recruiter, so counting in Python over one
query each stays fast on SQLite and PostgreSQL alike and needs no dialect-specific date functions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from registry.tables import Complaint, Flag, RecruiterProfile

__all__ = ("complaints_by_indicator", "dashboard", "flags_per_week", "top_unregistered")


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _week(moment: dt.datetime) -> dt.date:
    day = moment.date()
    return day - dt.timedelta(days=day.weekday())


async def flags_per_week(weeks: int = 12, today: dt.date | None = None) -> dict[str, Any]:
    """Flags opened in each of the last ``weeks`` weeks (Monday first), counted per reason."""
    today = today or dt.datetime.now(dt.UTC).date()
    this_week = today - dt.timedelta(days=today.weekday())
    starts = [this_week - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    since = dt.datetime.combine(starts[0], dt.time(), tzinfo=dt.UTC)
    rows = await Flag.select(Flag.opened_at, Flag.reasons).where(Flag.opened_at >= since)
    counts: dict[dt.date, Counter[str]] = {start: Counter() for start in starts}
    for row in rows:
        week = _week(row["opened_at"])
        if week in counts:
            counts[week].update(_loads(row["reasons"]) or ["none"])
    reasons = sorted({reason for c in counts.values() for reason in c})
    return {
        "reasons": reasons,
        "weeks": [
            {
                "week": start.isoformat(),
                "total": sum(counts[start].values()),
                "by_reason": dict(counts[start]),
            }
            for start in starts
        ],
    }


async def complaints_by_indicator() -> list[dict[str, Any]]:
    tally: Counter[str] = Counter()
    for row in await Complaint.select(Complaint.indicators):
        tally.update(_loads(row["indicators"]) or [])
    return [{"indicator": code, "complaints": n} for code, n in tally.most_common()]


async def top_unregistered(limit: int = 10) -> list[dict[str, Any]]:
    """Recruiters without a licence, most complained about first (merged profiles followed)."""
    rows = await Complaint.select(Complaint.profile).where(Complaint.profile.is_not_null())
    per_profile = Counter(r["profile"] for r in rows)
    if not per_profile:
        return []
    profiles = {
        r["id"]: r
        for r in await RecruiterProfile.select(
            RecruiterProfile.id,
            RecruiterProfile.display_name,
            RecruiterProfile.licence_key,
            RecruiterProfile.merged_into,
        ).where(RecruiterProfile.id.is_in(list(per_profile)))
    }
    live: Counter[int] = Counter()
    for pid, n in per_profile.items():
        row = profiles.get(pid)
        if row is not None and row["licence_key"] is None:
            live[row["merged_into"] or pid] += n
    names = {
        r["id"]: r["display_name"]
        for r in await RecruiterProfile.select(
            RecruiterProfile.id, RecruiterProfile.display_name
        ).where(RecruiterProfile.id.is_in(list(live) or [0]))
    }
    return [
        {"profile_id": pid, "name": names.get(pid, ""), "complaints": n}
        for pid, n in live.most_common(limit)
    ]


async def dashboard() -> dict[str, Any]:
    return {
        "flags_per_week": await flags_per_week(),
        "complaints_by_indicator": await complaints_by_indicator(),
        "top_unregistered": await top_unregistered(),
        "open_flags": await Flag.count().where(
            Flag.status.is_in(["open", "under_review", "escalated"])
        ),
        "complaints": await Complaint.count(),
    }
