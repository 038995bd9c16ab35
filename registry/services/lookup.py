"""The public lookup: an in-memory matching index over the register, kept fresh across processes.

Each process holds one ``RegistryIndex``. Before answering, it checks (at most every
``registry_refresh_seconds``) the registry revision and folds in only the licences changed since,
so an import by the CLI or another API worker shows within seconds without a restart.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from matching import Candidate, LookupDecision, RegistryIndex, RegistryRecord
from registry.codes import VerdictDetail
from registry.services import licences as licence_service
from registry.services.errors import InvalidInput
from registry.services.reports import report_counts
from registry.settings import get_settings

__all__ = ("MAX_AD", "MAX_QUERY", "RegistryLookup", "lookup", "registry_lookup")

MAX_QUERY = 500
"""Longest query in a URL (``GET``): the contract's limit."""
MAX_AD = 5000
"""Longest pasted ad (``POST``): ads are long, and the phone that matters is often at the end."""
IMPERSONATION_RISK = VerdictDetail.IMPERSONATION_RISK


def _record(licence: dict[str, Any]) -> RegistryRecord:
    return RegistryRecord(
        record_id=licence["licence_number"],
        names=(licence["name"], *licence["aliases"]),
        phones=tuple(licence["phones"]),
        licence_key=licence["licence_key"],
        kind=licence["kind"],
        country=licence["country"],
    )


class RegistryLookup:
    """The process's index and the licences behind it."""

    def __init__(self) -> None:
        self.index = RegistryIndex()
        self.licences: dict[str, dict[str, Any]] = {}
        self.revision = -1
        self._checked_at = 0.0
        self._lock = asyncio.Lock()

    async def refresh(self, *, force: bool = False) -> None:
        interval = get_settings().registry_refresh_seconds
        if not force and time.monotonic() - self._checked_at < interval:
            return
        async with self._lock:
            if not force and time.monotonic() - self._checked_at < interval:
                return
            revision = await licence_service.current_revision()
            if revision != self.revision:
                changed = await licence_service.licences_changed_since(max(self.revision, 0))
                for licence in changed:
                    self.licences[licence["licence_number"]] = licence
                    self.index.upsert(_record(licence))
                self.revision = revision
            self._checked_at = time.monotonic()

    def reset(self) -> None:
        """Forget everything (tests that empty the database between cases)."""
        self.__init__()  # type: ignore[misc]

    async def decide(self, text: str) -> LookupDecision:
        await self.refresh()
        return self.index.lookup(text)

    async def resolve(self, name: str | None, phones: list[str]) -> LookupDecision:
        await self.refresh()
        return self.index.resolve(name, phones)


registry_lookup = RegistryLookup()


def _intermediary(lookup_: RegistryLookup, candidate: Candidate) -> dict[str, Any]:
    licence = lookup_.licences[candidate.record_id]
    return {**licence_service.licence_public(licence), "score": round(candidate.score, 3)}


async def lookup(query: str, *, max_length: int = MAX_QUERY) -> dict[str, Any]:
    """The contract's lookup answer, with ``warnings`` added for the worker's safety.

    ``verdict_detail`` is ``impersonation_risk`` when a registered name comes with a phone that is
    not the holder's: whatever the licence's status, that danger must be said first. A text longer
    than ``max_length`` is refused, never cut: the part cut off may hold the impostor's phone.
    """
    text = (query or "").strip()
    if not text:
        raise InvalidInput("Type a name, a phone number, a licence number or paste an ad.")
    if len(text) > max_length:
        raise InvalidInput(
            f"The query is {len(text)} characters long; the limit is {max_length}. "
            "Nothing was checked: shorten it (keep the names and phone numbers)."
        )
    decision = await registry_lookup.decide(text)
    match = None
    verdict = "not_registered"
    verdict_detail = None
    warnings: list[str] = []
    if decision.match is not None:
        licence = registry_lookup.licences[decision.match.record_id]
        verdict = licence_service.effective_status(licence)
        match = {
            **_intermediary(registry_lookup, decision.match),
            "matched_on": list(decision.match.matched_on),
        }
        if decision.foreign_phones:
            warnings.append("phone_not_licence_holders")
            verdict_detail = IMPERSONATION_RISK
    candidates = [_intermediary(registry_lookup, c) for c in decision.candidates]
    reports = await report_counts(
        licence_number=match["license_number"] if match else None,
        phones=list(decision.query_phones),
        names=list(decision.query_names),
    )
    return {
        "query": query,
        "verdict": verdict,
        "verdict_detail": verdict_detail,
        "match": match,
        "candidates": candidates,
        "reports": reports,
        "warnings": warnings,
        "foreign_phones": list(decision.foreign_phones),
    }
