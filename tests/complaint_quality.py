"""Complaint linking measured against the dev sample's truth: shared by the test and the eval script.

For each recruiter with three or more identifiable complaints: is there a ``repeated_complaints``
flag with the right count? Is anyone flagged for repeated complaints below three? Does any flag
hold the phones of two different recruiters?
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
COMPLAINTS = DATA / "dev" / "complaints.jsonl"
TRUTH = DATA / "feeds" / "truth.json"
REGISTRY = DATA / "registry" / "dev_registry.csv"


def complaint_bodies() -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in COMPLAINTS.read_text(encoding="utf-8").splitlines() if line
    ]


@dataclass
class ComplaintQuality:
    eligible: int
    flagged_right: int
    flagged_below_three: list[str]
    mixed_flags: list[dict[str, Any]]
    misses: list[str]

    @property
    def recall(self) -> float:
        return self.flagged_right / self.eligible if self.eligible else 1.0

    def summary(self) -> str:
        return (
            f"recruiters with >=3 complaints: {self.eligible}; flagged repeated_complaints with the "
            f"right count: {self.flagged_right} ({self.recall:.1%}); flagged below three: "
            f"{len(self.flagged_below_three)}; flags holding two recruiters' phones: "
            f"{len(self.mixed_flags)}"
        )


def measure(flags: list[dict[str, Any]], threshold: int = 3) -> ComplaintQuality:
    """``flags`` as the API details them, each with ``complaint_recruiters``: the truth's recruiter
    id of every complaint on the flag (known from the references the API returned)."""
    records = complaint_bodies()
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))["recruiters"]
    owner_of_phone = {p: r["id"] for r in truth for p in r["phones"]}
    counts = Counter(r["recruiter"] for r in records if r["identifiable"])
    repeated = [f for f in flags if "repeated_complaints" in f["reasons"]]

    def about(flag: dict[str, Any]) -> Counter[str]:
        return Counter(flag["complaint_recruiters"])

    eligible = [rid for rid, n in counts.items() if n >= threshold]
    right, misses = 0, []
    for rid in eligible:
        hit = [f for f in repeated if about(f).most_common(1)[0][0] == rid]
        if len(hit) == 1 and hit[0]["complaint_count"] == counts[rid]:
            right += 1
        else:
            misses.append(
                f"{rid}: {counts[rid]} complaints, flags {[(f['id'], f['complaint_count']) for f in hit]}"
            )
    below = [
        f"flag {f['id']} ({f['complaint_count']} complaints about {dict(about(f))})"
        for f in repeated
        if counts[about(f).most_common(1)[0][0]] < threshold
    ]
    mixed = [
        f
        for f in flags
        if len({owner_of_phone[p] for p in f["subject"]["phones"] if p in owner_of_phone}) > 1
        or len(about(f)) > 1
    ]
    return ComplaintQuality(len(eligible), right, below, mixed, misses)
