"""The codes of the public contract, pinned: a changed or dropped value breaks integrators."""

from __future__ import annotations

import msgspec

from matching.risk_wording import INDICATORS
from registry import codes
from registry.codes import values

CONTRACT = {
    codes.Verdict: {"licensed", "suspended", "revoked", "expired", "banned", "not_registered"},
    codes.VerdictDetail: {"impersonation_risk"},
    codes.LicenceStatus: {"active", "suspended", "revoked", "expired"},
    codes.Kind: {"company", "person"},
    codes.FlagStatus: {"open", "under_review", "escalated", "dismissed", "resolved"},
    codes.FlagReason: {
        "unlicensed_advertising",
        "inactive_license",
        "repeated_complaints",
        "impersonation",
        "destination_not_permitted",
        "linked_to_inactive",
    },
    codes.IndicatorCode: {
        "abuse_of_vulnerability",
        "deception",
        "restricted_movement",
        "isolation",
        "violence",
        "threats",
        "document_retention",
        "withheld_wages",
        "debt_bondage",
        "abusive_conditions",
        "excessive_overtime",
    },
    codes.ComplaintStatus: {"received", "under_review", "referred", "closed"},
    codes.FeedFormat: {"auto", "rss", "atom", "jsonfeed", "jsonld", "csv"},
    codes.MatchedOn: {"name", "phone", "license_number", "representative"},
    codes.Role: {"regulator", "admin"},
}


def test_each_code_family_has_exactly_the_contracts_values() -> None:
    for enum, expected in CONTRACT.items():
        assert set(values(enum)) == expected, enum.__name__


def test_indicator_codes_are_matchings_indicators_in_the_same_order() -> None:
    assert values(codes.IndicatorCode) == INDICATORS


def test_a_code_is_its_wire_string_both_ways() -> None:
    assert msgspec.json.encode(codes.Verdict.NOT_REGISTERED) == b'"not_registered"'
    assert (
        msgspec.json.decode(b'"under_review"', type=codes.FlagStatus)
        is codes.FlagStatus.UNDER_REVIEW
    )
    assert codes.FlagReason("inactive_license") == "inactive_license"
