"""Flag updates in batches: ``record_evidence_many`` leaves what one call per profile leaves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from registry.database import engine, write_transaction
from registry.services import flags
from registry.services.flags import Evidence, EvidenceOutcome
from registry.tables import Ad, Complaint, Flag, FlagEvent, Licence, Mention, RecruiterProfile

FLAG_FIELDS = ("status", "reasons", "reason_codes", "severity", "indicators")
FLAG_COUNTS = ("complaint_count", "ad_count")
EVENT_FIELDS = ("action", "actor", "from_status", "to_status", "note", "detail")

EXPECTED = {
    "new_unregistered": ("open", ["unlicensed_advertising"], ["opened"]),
    "known_unregistered": ("open", ["unlicensed_advertising"], []),
    "active_holder": None,
    "revoked_holder": ("open", ["inactive_license"], ["opened"]),
    "expired_holder": ("under_review", ["inactive_license"], ["evidence"]),
    "dismissed": ("open", ["unlicensed_advertising"], ["reopened"]),
    "impersonator": ("open", ["unlicensed_advertising", "impersonation"], ["opened"]),
    "complained_thrice": ("open", ["repeated_complaints"], ["opened"]),
    "third_complaint": ("escalated", ["repeated_complaints"], ["evidence"]),
    "one_complaint": None,
    "suspended_resolved": ("open", ["inactive_license"], ["reopened"]),
}
"""After the evidence: each profile's flag (status, reasons, new timeline entries), or no flag."""


class _Recruiters:
    """One set of recruiters; ``tag`` keeps the unique columns of two identical sets apart."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.evidence: dict[str, tuple[int, Evidence]] = {}

    async def profile(self, key: str, *, licence: str | None = None, until: int = 365) -> int:
        licence_id, licence_key = None, None
        if licence is not None:
            licence_key = f"{self.tag}{key}".lower()
            row = Licence(
                licence_number=f"{self.tag}-{key}",
                licence_key=licence_key,
                name=f"Agency {key}",
                status=licence,
                valid_until=dt.date.today() + dt.timedelta(days=until),
            )
            await row.save()
            licence_id = row.id
        profile = RecruiterProfile(
            display_name=f"{self.tag}:{key}", licence=licence_id, licence_key=licence_key
        )
        await profile.save()
        return int(profile.id)

    async def ads(self, profile_id: int, *indicators: list[str]) -> None:
        for codes in indicators:
            key = f"{self.tag}-{profile_id}-{codes}-{await Ad.count()}"
            await Ad(
                item_key=key, content_hash=key, risk_indicators=codes, profile=profile_id
            ).save()

    async def complaints(self, profile_id: int, *descriptions: str) -> None:
        for description in descriptions:
            await Complaint(
                reference=f"{self.tag}-{await Complaint.count()}",
                description=description,
                indicators=["withheld_wages"],
                profile=profile_id,
            ).save()

    async def flag(self, profile_id: int, status: str, reasons: list[str], **fields: Any) -> None:
        codes = "," + ",".join(reasons) + "," if reasons else ""
        await Flag(
            profile=profile_id, status=status, reasons=reasons, reason_codes=codes, **fields
        ).save()

    def expect(self, key: str, profile_id: int, evidence: Evidence) -> None:
        self.evidence[key] = (profile_id, evidence)

    def batch(self) -> dict[int, Evidence]:
        return dict(self.evidence.values())


async def _recruiters(tag: str) -> _Recruiters:
    """A feed scan's mix: unregistered advertisers, licence holders, closed flags, complaints."""
    r = _Recruiters(tag)
    ad = Evidence("ad", ("deception",), detail={"ads": [1]})

    p = await r.profile("new_unregistered")
    await r.ads(p, ["deception"], ["document_retention", "deception"])
    r.expect("new_unregistered", p, Evidence("ad", ("deception", "document_retention")))

    p = await r.profile("known_unregistered")
    await r.ads(p, ["deception"], ["deception"], ["threats"])
    indicators = {"complaints": {}, "ads": {"deception": 2}}
    await r.flag(p, "open", ["unlicensed_advertising"], indicators=indicators, ad_count=2)
    r.expect("known_unregistered", p, Evidence("ad", ("threats",), detail={"ads": [3]}))

    p = await r.profile("active_holder", licence="active")
    await r.ads(p, ["deception"])
    r.expect("active_holder", p, ad)

    p = await r.profile("revoked_holder", licence="revoked")
    await r.ads(p, ["violence"])
    r.expect("revoked_holder", p, Evidence("ad", ("violence",)))

    p = await r.profile("expired_holder", licence="active", until=-30)
    await r.ads(p, [], ["isolation"])
    await r.flag(p, "under_review", [])
    r.expect("expired_holder", p, Evidence("ad", ("isolation",), detail={"ads": [4, 5]}))

    p = await r.profile("dismissed")
    await r.ads(p, ["deception"], ["deception"])
    await r.flag(p, "dismissed", ["unlicensed_advertising"], ad_count=1)
    r.expect("dismissed", p, ad)

    p = await r.profile("impersonator")
    await r.ads(p, ["threats"])
    await Mention(profile=p, source="ad", name="Agency", claimed_licence="KZ-0001").save()
    r.expect("impersonator", p, Evidence("ad", ("threats",)))

    p = await r.profile("complained_thrice")
    await r.complaints(p, "Паспорт забрали.", "Не платят.", "Берут несовершеннолетних на стройку.")
    complaint = Evidence("complaint", ("withheld_wages",), minors=True, detail={"complaint": "X"})
    r.expect("complained_thrice", p, complaint)

    p = await r.profile("third_complaint")
    await r.complaints(p, "Не платят.", "Не платят.", "Не платят три месяца.")
    await r.flag(p, "escalated", [], indicators={"complaints": {"withheld_wages": 2}, "ads": {}})
    r.expect("third_complaint", p, Evidence("complaint", ("withheld_wages",)))

    p = await r.profile("one_complaint")
    await r.complaints(p, "Не платят.")
    r.expect("one_complaint", p, Evidence("complaint", ("withheld_wages",)))

    p = await r.profile("suspended_resolved", licence="suspended")
    await r.complaints(p, "Обещали работу, работы нет.")
    await r.flag(p, "resolved", ["inactive_license"], complaint_count=0)
    r.expect("suspended_resolved", p, Evidence("complaint", ("deception",), detail={"n": 1}))
    return r


async def _one_by_one(recruiters: _Recruiters) -> dict[int, int | None]:
    async with write_transaction(lock="profiles"):
        return {
            profile_id: await flags.record_evidence(
                profile_id,
                kind=e.kind,
                indicators=e.indicators,
                minors=e.minors,
                detail=e.detail,
            )
            for profile_id, e in recruiters.batch().items()
        }


async def _in_one_batch(recruiters: _Recruiters) -> dict[int, EvidenceOutcome]:
    async with write_transaction(lock="profiles"):
        return await flags.record_evidence_many(recruiters.batch())


async def _snapshot(recruiters: _Recruiters) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The set's flags and timelines in insertion order, with profile keys in place of ids."""
    key_of = {pid: key for key, (pid, _) in recruiters.evidence.items()}
    rows = (
        await Flag.select()
        .where(Flag.profile.is_in(list(key_of)))
        .order_by(Flag.id)
        .output(load_json=True)
    )
    flag_key = {f["id"]: key_of[f["profile"]] for f in rows}
    events = (
        await FlagEvent.select()
        .where(FlagEvent.flag.is_in(list(flag_key) or [0]))
        .order_by(FlagEvent.id)
        .output(load_json=True)
    )
    return (
        [
            {"profile": flag_key[f["id"]], **{k: f[k] for k in FLAG_FIELDS + FLAG_COUNTS}}
            for f in rows
        ],
        [{"flag": flag_key[e["flag"]], **{k: e[k] for k in EVENT_FIELDS}} for e in events],
    )


@pytest.mark.parametrize("in_limit", [400, 3])
async def test_a_batch_leaves_the_rows_one_call_per_profile_leaves(
    in_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flags, "_IN_LIMIT", in_limit)  # 3: every query runs in several chunks
    one_by_one, batched = await _recruiters("A"), await _recruiters("B")
    flag_ids = await _one_by_one(one_by_one)
    outcomes = await _in_one_batch(batched)

    expected, expected_events = await _snapshot(one_by_one)
    found, found_events = await _snapshot(batched)
    assert found == expected
    assert found_events == expected_events
    by_key = {f["profile"]: f for f in found}
    for key, after in EXPECTED.items():
        profile_id = batched.evidence[key][0]
        sequential_id = flag_ids[one_by_one.evidence[key][0]]
        if after is None:
            assert key not in by_key
            assert outcomes[profile_id] == EvidenceOutcome(None, opened=False, has_reasons=False)
            assert sequential_id is None
            continue
        status, reasons, actions = after
        assert (by_key[key]["status"], by_key[key]["reasons"]) == (status, reasons), key
        assert [e["action"] for e in found_events if e["flag"] == key] == actions, key
        outcome = outcomes[profile_id]
        assert (outcome.opened, outcome.has_reasons) == (actions == ["opened"], True), key
        assert sequential_id is not None
        assert outcome.flag_id is not None
    assert by_key["known_unregistered"]["indicators"]["ads"] == {"deception": 2, "threats": 1}
    assert by_key["complained_thrice"]["indicators"]["complaints"] == {
        "withheld_wages": 3,
        "minors": 1,
    }
    assert by_key["suspended_resolved"]["complaint_count"] == 1
    opening = next(e for e in found_events if e["flag"] == "new_unregistered")
    assert opening["detail"] == {"reasons": ["unlicensed_advertising"]}
    reopening = next(e for e in found_events if e["flag"] == "suspended_resolved")
    assert (reopening["from_status"], reopening["detail"]) == ("resolved", {"n": 1})


class _Statements:
    """Counts the statements sent: Piccolo's queries and the bulk helpers' executemany calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        engine_class = type(engine())  # its instances have slots: patch the class
        run = engine_class.run_querystring
        monkeypatch.setattr(engine_class, "run_querystring", self._counted(run))
        for name in ("bulk_insert", "bulk_update"):
            monkeypatch.setattr(flags, name, self._counted_bulk(getattr(flags, name)))

    def _counted(self, run: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await run(*args, **kwargs)

        return counted

    def _counted_bulk(self, run: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        async def counted(*args: Any) -> None:
            self.count += 1 if args[-1] else 0
            await run(*args)

        return counted


def _merged(sets: list[_Recruiters]) -> Iterator[tuple[int, Evidence]]:
    for recruiters in sets:
        yield from recruiters.batch().items()


async def test_the_queries_of_a_batch_do_not_grow_with_its_profiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = [await _recruiters("S")]
    large = [await _recruiters(f"L{i}") for i in range(8)]
    statements = _Statements(monkeypatch)
    counts = []
    for sets in (small, large):
        statements.count = 0
        async with write_transaction(lock="profiles"):
            outcomes = await flags.record_evidence_many(dict(_merged(sets)))
        counts.append(statements.count)
        assert sum(o.opened for o in outcomes.values()) == 4 * len(sets)
    # 8 reads (counts, licences, claims, flags, tallies, new ids) and 3 executemany writes
    assert counts == [11, 11]
