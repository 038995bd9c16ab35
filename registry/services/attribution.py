"""Who a complaint or an ad is about: sightings resolved to recruiter profiles, many at a time.

A sighting (a name and/or phones from one complaint or ad) resolves to the licence holder when the
matching engine is confident, else to an unregistered profile found by a shared phone or a
confidently-same name. Two profiles are merged only when new evidence links them; a name alone
never joins two profiles whose phones differ.

A scan brings thousands of sightings at once, so ``attribute_many`` reads what the decisions need
for the whole batch in a few queries, decides sighting by sighting in memory (each one sees what
the ones before it added, exactly as if they had come one at a time) and writes phones and
mentions in bulk. Callers hold ``write_transaction(lock=PROFILE_LOCK)``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from matching import LookupDecision, normalise_name
from matching.lexicon import GIVEN_NAMES, canonical_word
from registry.database import bulk_insert, insert_returning_id, on_rollback
from registry.services import profiles
from registry.services.lookup import registry_lookup
from registry.services.profile_names import profile_names
from registry.tables import Licence, Mention, ProfileName, ProfilePhone, RecruiterProfile

__all__ = ("Attribution", "Sighting", "attribute", "attribute_many", "groupable_name")

_HONORIFICS = frozenset({"aka", "ake", "aga", "agai", "baike", "apa", "eje", "opa"})
"""Skeletons of the honorifics recruiters sign with ('Нурлан аке', 'Dilshod aka', 'Канат байке')."""
_IN_LIMIT = 900
"""Values per ``IN (...)``: under the 999 parameters of SQLite before 3.32."""


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


def groupable_name(name: str) -> str | None:
    """A name specific enough to group on: two distinctive words ('Идрисов Бауржан'), or one long
    distinctive word named as a business ('Сырдарья Кадровое Агентство'); never a lone given name."""
    normalised = normalise_name(name)
    if not normalised.key:
        return None
    words = [t for t in normalised.tokens if t not in _HONORIFICS]
    if len(words) >= 2:
        return normalised.key
    if len(words) < len(normalised.tokens):
        return None  # 'Нурлан аке': a given name with an honorific is no more than the name
    word = normalised.tokens[0]
    business = bool(normalised.legal_form or normalised.descriptors)
    if business and len(word) >= 5 and canonical_word(word) not in GIVEN_NAMES:
        return normalised.key
    return None


async def attribute(sighting: Sighting) -> Attribution:
    """Resolve one sighting to a profile and record it there (inside the profiles lock)."""
    return (await attribute_many([sighting]))[0]


async def attribute_many(sightings: Sequence[Sighting]) -> list[Attribution]:
    """Resolve and record sightings in order; the same answers as one ``attribute`` each."""
    if not sightings:
        return []
    await registry_lookup.refresh()
    await profile_names.refresh()
    # names this transaction adds to the process's index must go if it rolls back
    on_rollback(profile_names.reset)
    book = _ProfileBook(dt.datetime.now(dt.UTC))
    plans = [book.plan(sighting) for sighting in sightings]
    await book.prefetch(plans)
    results = [await book.attribute(plan) for plan in plans]
    await book.flush()
    return [dataclasses.replace(a, profile_id=await book.live(a.profile_id)) for a in results]


def _parts(values: Iterable[Any]) -> Iterable[list[Any]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), _IN_LIMIT):
        yield ordered[start : start + _IN_LIMIT]


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


@dataclass(slots=True)
class _Plan:
    """What the register says about one sighting, decided before any profile is read."""

    sighting: Sighting
    readings: list[str]
    holder: dict[str, Any] | None
    """The licence the sighting is about (its own phones, its number, or a name without phones)."""
    claimed: str | None
    """A licensed name used with other phones: impersonation, attributed apart from the holder."""
    groupable: bool


class _ProfileBook:
    """The profiles a batch of sightings touches: read once, kept current in memory, written in
    bulk. Each cache loads what it lacks on demand, so a miss costs a query, never a wrong answer.
    """

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._decisions: dict[tuple[str, tuple[str, ...]], LookupDecision] = {}
        self._name_matches: dict[str, list[tuple[int, bool]]] = {}
        self._pending_phones: list[dict[str, Any]] = []
        self._pending_names: list[dict[str, Any]] = []
        self._pending_mentions: list[dict[str, Any]] = []
        self._touched: set[int] = set()
        self._owner: dict[str, int | None] = {}
        self._profile: dict[int, tuple[int | None, str | None]] = {}
        """id -> (merged_into, licence_key)"""
        self._licence_profile: dict[str, int] = {}
        self._name_row: dict[int, int | None] = {}
        """ProfileName id -> profile (None: the row was deleted by a merge)"""
        self._has_phones: dict[int, bool] = {}
        self._name_keys: dict[int, set[str]] = {}

    # ---- deciding against the register (memory only) -------------------------------------------
    def plan(self, sighting: Sighting) -> _Plan:
        readings = [r for group in sighting.phone_readings for r in group]
        name = sighting.name or None
        key = (name or "", tuple(readings))
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decisions[key] = registry_lookup.index.resolve(name, readings)
        holder: dict[str, Any] | None = None
        claimed: str | None = None
        if decision.match is not None:
            licence = registry_lookup.licences[decision.match.record_id]
            holders_phone = bool(set(readings) & set(licence["phones"]))
            by_number_or_phone = {"phone", "license_number"} & set(decision.match.matched_on)
            if by_number_or_phone or holders_phone or not readings:
                holder = licence
            else:
                claimed = licence["licence_number"]
        groupable = bool(
            holder is None and not claimed and sighting.name and groupable_name(sighting.name)
        )
        return _Plan(sighting, readings, holder, claimed, groupable)

    def _matching_rows(self, name: str) -> list[tuple[int, bool]]:
        found = self._name_matches.get(name)
        if found is None:
            found = self._name_matches[name] = profile_names.matching_rows(name)
        return found

    # ---- reading, in bulk up front and on demand after -----------------------------------------
    async def prefetch(self, plans: Sequence[_Plan]) -> None:
        await self._load_owners(r for plan in plans for r in plan.readings)
        await self._load_licence_profiles([p.holder for p in plans if p.holder is not None])
        rows = {
            rid for p in plans if p.groupable for rid, _ in self._matching_rows(p.sighting.name)
        }
        await self._load_name_rows(rows)
        known = {pid for pid in self._owner.values() if pid is not None}
        known |= {pid for pid in self._name_row.values() if pid is not None}
        known |= set(self._licence_profile.values())
        await self._load_profiles(known)
        live = {await self.live(pid) for pid in known}
        await self._load_has_phones(live)
        await self._load_name_keys(live)

    async def _load_owners(self, phones: Iterable[str]) -> None:
        missing = {p for p in phones if p not in self._owner}
        for part in _parts(missing):
            rows = await ProfilePhone.select(ProfilePhone.phone, ProfilePhone.profile).where(
                ProfilePhone.phone.is_in(part)
            )
            self._owner.update(dict.fromkeys(part))
            self._owner.update((r["phone"], r["profile"]) for r in rows)

    async def _load_profiles(self, profile_ids: Iterable[int]) -> None:
        missing = {pid for pid in profile_ids if pid not in self._profile}
        while missing:
            for part in _parts(missing):
                rows = await RecruiterProfile.select(
                    RecruiterProfile.id, RecruiterProfile.merged_into, RecruiterProfile.licence_key
                ).where(RecruiterProfile.id.is_in(part))
                self._profile.update(dict.fromkeys(part, (None, None)))
                self._profile.update((r["id"], (r["merged_into"], r["licence_key"])) for r in rows)
            # the profiles they were merged into, to follow the chain without a query per step
            missing = {
                target
                for target, _ in self._profile.values()
                if target is not None and target not in self._profile
            }

    async def _load_licence_profiles(self, licences: Sequence[dict[str, Any]]) -> None:
        """The holders' profiles, created (in bulk) for holders seen for the first time."""
        wanted = {lic["licence_key"]: lic for lic in licences}
        missing = [key for key in wanted if key not in self._licence_profile]
        await self._read_licence_profiles(missing)
        absent = [key for key in missing if key not in self._licence_profile]
        if not absent:
            return
        licence_ids: dict[str, int] = {}
        for part in _parts(absent):
            rows = await Licence.select(Licence.id, Licence.licence_key).where(
                Licence.licence_key.is_in(part)
            )
            licence_ids.update((r["licence_key"], r["id"]) for r in rows)
        await bulk_insert(
            RecruiterProfile,
            [
                {
                    "licence": licence_ids[key],
                    "licence_key": key,
                    "display_name": wanted[key]["name"][:300],
                    "merged_into": None,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
                for key in absent
            ],
        )
        await self._read_licence_profiles(absent)

    async def _read_licence_profiles(self, keys: Sequence[str]) -> None:
        for part in _parts(keys):
            rows = await RecruiterProfile.select(
                RecruiterProfile.id, RecruiterProfile.licence_key
            ).where(RecruiterProfile.licence_key.is_in(part))
            for row in rows:
                self._licence_profile[row["licence_key"]] = row["id"]
                self._profile.setdefault(row["id"], (None, row["licence_key"]))

    async def _load_name_rows(self, row_ids: Iterable[int]) -> None:
        missing = {rid for rid in row_ids if rid not in self._name_row}
        for part in _parts(missing):
            rows = await ProfileName.select(ProfileName.id, ProfileName.profile).where(
                ProfileName.id.is_in(part)
            )
            self._name_row.update(dict.fromkeys(part))
            self._name_row.update((r["id"], r["profile"]) for r in rows)

    async def _load_has_phones(self, profile_ids: Iterable[int]) -> None:
        missing = {pid for pid in profile_ids if pid not in self._has_phones}
        for part in _parts(missing):
            rows = await ProfilePhone.select(ProfilePhone.profile).where(
                ProfilePhone.profile.is_in(part)
            )
            self._has_phones.update(dict.fromkeys(part, False))
            self._has_phones.update((r["profile"], True) for r in rows)

    async def _load_name_keys(self, profile_ids: Iterable[int]) -> None:
        missing = {pid for pid in profile_ids if pid not in self._name_keys}
        for part in _parts(missing):
            rows = await ProfileName.select(ProfileName.profile, ProfileName.name_key).where(
                ProfileName.profile.is_in(part)
            )
            for pid in part:
                self._name_keys[pid] = set()
            for row in rows:
                self._name_keys[row["profile"]].add(row["name_key"])

    async def live(self, profile_id: int) -> int:
        """The profile ``profile_id`` was merged into, following the chain; itself if live."""
        seen: set[int] = set()
        while profile_id not in seen:
            seen.add(profile_id)
            await self._load_profiles([profile_id])
            merged_into = self._profile[profile_id][0]
            if merged_into is None:
                return profile_id
            profile_id = merged_into
        return profile_id

    async def _is_licensed(self, profile_id: int) -> bool:
        await self._load_profiles([profile_id])
        return bool(self._profile[profile_id][1])

    # ---- deciding ------------------------------------------------------------------------------
    async def attribute(self, plan: _Plan) -> Attribution:
        sighting = plan.sighting
        await self._load_owners(plan.readings)
        if plan.holder is not None:
            licence = plan.holder
            phones = _choose_phones(sighting, set(licence["phones"]))
            await self._load_licence_profiles([licence])
            profile_id = self._licence_profile[licence["licence_key"]]
            # a phone already tied to another recruiter stays with them
            phones = [p for p in phones if (self._owner.get(p) or profile_id) == profile_id]
            await self._record(profile_id, sighting, phones, None)
            return Attribution(profile_id, licence["licence_number"], None, tuple(phones))
        owners = {p: owner for p in plan.readings if (owner := self._owner.get(p)) is not None}
        phones = _choose_phones(sighting, set(owners))
        linked = {await self.live(owners[p]) for p in phones if p in owners}
        licensed = {pid for pid in linked if await self._is_licensed(pid)}
        linked = (linked - licensed) or linked
        if plan.groupable:
            linked |= await self._profiles_by_name(sighting.name, bool(phones), linked)
        if not linked:
            profile_id = await self._new_profile(sighting.name or (phones[0] if phones else ""))
        else:
            profile_id = min(linked)
            for other in sorted(linked - {profile_id}):
                await self._merge(other, profile_id)
        await self._record(profile_id, sighting, phones, plan.claimed)
        return Attribution(profile_id, None, plan.claimed, tuple(phones))

    async def _profiles_by_name(self, name: str, has_phones: bool, linked: set[int]) -> set[int]:
        """Unregistered profiles holding a confidently-same name, whatever phones each has
        (recruiters advertise several numbers). A name held by several profiles kept apart is
        ambiguous: none."""
        matches = dict(self._matching_rows(name))
        if not matches:
            return set()
        await self._load_name_rows(matches)
        found: set[int] = set()
        for row_id, confident in matches.items():
            owner = self._name_row[row_id]
            if owner is None:
                continue  # deleted when its profile was merged into one with the same name
            profile_id = await self.live(owner)
            if profile_id in linked or await self._is_licensed(profile_id):
                continue
            if not confident and has_phones:
                await self._load_has_phones([profile_id])
                if self._has_phones[profile_id]:
                    continue  # a loose match never joins two recruiters who both have phones
            found.add(profile_id)
        return found if len(found) <= 1 else set()

    # ---- writing -------------------------------------------------------------------------------
    async def _new_profile(self, display_name: str) -> int:
        profile_id = await insert_returning_id(
            RecruiterProfile,
            {
                "licence": None,
                "licence_key": None,
                "display_name": display_name[:300],
                "merged_into": None,
                "created_at": self.now,
                "updated_at": self.now,
            },
        )
        self._profile[profile_id] = (None, None)
        self._has_phones[profile_id] = False
        self._name_keys[profile_id] = set()
        return profile_id

    async def _record(
        self, profile_id: int, sighting: Sighting, phones: Sequence[str], claimed: str | None
    ) -> None:
        await self._load_owners(phones)
        for phone in phones:
            if self._owner.get(phone) is None:
                self._owner[phone] = profile_id
                self._has_phones[profile_id] = True
                self._pending_phones.append(
                    {"profile": profile_id, "phone": phone, "first_seen_at": self.now}
                )
        name = sighting.name.strip()[:300]
        if name:
            key = normalise_name(name).key or name.casefold()
            await self._load_name_keys([profile_id])
            if key not in self._name_keys[profile_id]:
                self._name_keys[profile_id].add(key)
                row = {
                    "profile": profile_id,
                    "name": name,
                    "name_key": key,
                    "first_seen_at": self.now,
                }
                if await self._is_licensed(profile_id):
                    self._pending_names.append(row)  # never matched by name: written in bulk
                else:
                    # written at once: the next sighting in the batch must find the profile by it
                    row_id = await insert_returning_id(ProfileName, row)
                    self._name_row[row_id] = profile_id
                    profile_names.add(row_id, name)
                    self._name_matches.clear()
        self._pending_mentions.extend(
            {
                "profile": profile_id,
                "source": sighting.source,
                "complaint": sighting.complaint_id,
                "ad": sighting.ad_id,
                "name": name,
                "phone": phone,
                "claimed_licence": claimed,
                "seen_at": self.now,
            }
            for phone in (phones or [""])
        )
        self._touched.add(profile_id)

    async def _merge(self, source: int, target: int) -> None:
        """Write what is pending, merge in the database, then mirror the merge in memory."""
        await self.flush()
        await profiles.merge_evidence(source, target, actor="system", reason="shared evidence")
        self._profile[source] = (target, self._profile.get(source, (None, None))[1])
        for phone, owner in self._owner.items():
            if owner == source:
                self._owner[phone] = target
        if source in self._has_phones and target in self._has_phones:
            self._has_phones[target] = self._has_phones[target] or self._has_phones[source]
        else:
            self._has_phones.pop(target, None)
        if source in self._name_keys and target in self._name_keys:
            self._name_keys[target] |= self._name_keys[source]
        else:
            self._name_keys.pop(target, None)
        # the source's names moved, or were deleted where the target had them: read them again
        for row_id in [r for r, owner in self._name_row.items() if owner == source]:
            del self._name_row[row_id]

    async def flush(self) -> None:
        await bulk_insert(ProfilePhone, self._pending_phones)
        await bulk_insert(ProfileName, self._pending_names)
        await bulk_insert(Mention, self._pending_mentions)
        for part in _parts(self._touched):
            await RecruiterProfile.update({RecruiterProfile.updated_at: self.now}).where(
                RecruiterProfile.id.is_in(part)
            )
        self._pending_phones, self._pending_names, self._pending_mentions = [], [], []
        self._touched = set()
