"""Every code the API speaks, as ``StrEnum``s: one place for the values of the public contract.

A code is a string on the wire (``"not_registered"``), so each enum member *is* that string:
``Verdict.NOT_REGISTERED == "not_registered"`` and msgspec encodes it as such. Services, pages and
the CLI compare against these members instead of literals, and the OpenAPI schema lists them as
enums, so an integrator sees every value a field may take. Add a value here first, then use it.
"""

from __future__ import annotations

from enum import StrEnum

from matching.risk_wording import INDICATORS

__all__ = (
    "ComplaintStatus",
    "EvidenceSource",
    "FeedFormat",
    "FlagReason",
    "FlagStatus",
    "IndicatorCode",
    "Kind",
    "LicenceStatus",
    "LookupWarning",
    "MatchedOn",
    "Role",
    "ScanOutcome",
    "Verdict",
    "VerdictDetail",
    "values",
)


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The wire values of ``enum`` in declaration order (for messages like "one of: a, b")."""
    return tuple(member.value for member in enum)


class Verdict(StrEnum):
    """What a worker is told about the recruiter they looked up."""

    LICENSED = "licensed"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    BANNED = "banned"
    NOT_REGISTERED = "not_registered"


class VerdictDetail(StrEnum):
    """A finer reading of a ``licensed`` verdict."""

    IMPERSONATION_RISK = "impersonation_risk"


class LookupWarning(StrEnum):
    """Warnings a lookup answer may carry for the worker's safety."""

    PHONE_NOT_LICENCE_HOLDERS = "phone_not_licence_holders"
    DESTINATION_NOT_PERMITTED = "destination_not_permitted"


class MatchedOn(StrEnum):
    """Which part of the query matched the licence."""

    NAME = "name"
    PHONE = "phone"
    LICENSE_NUMBER = "license_number"
    REPRESENTATIVE = "representative"


class LicenceStatus(StrEnum):
    """A licence's status as the register records it (``expired`` may also follow from dates)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"


class Kind(StrEnum):
    """Who holds a licence."""

    COMPANY = "company"
    PERSON = "person"


class FlagStatus(StrEnum):
    """Where a flag is in the regulator's queue."""

    OPEN = "open"
    UNDER_REVIEW = "under_review"
    ESCALATED = "escalated"
    DISMISSED = "dismissed"
    RESOLVED = "resolved"


class FlagReason(StrEnum):
    """Why a recruiter is flagged."""

    UNLICENSED_ADVERTISING = "unlicensed_advertising"
    INACTIVE_LICENSE = "inactive_license"
    REPEATED_COMPLAINTS = "repeated_complaints"
    IMPERSONATION = "impersonation"
    DESTINATION_NOT_PERMITTED = "destination_not_permitted"
    LINKED_TO_INACTIVE = "linked_to_inactive"


class IndicatorCode(StrEnum):
    """The ILO's forced-labour indicators a complaint or an ad's wording may name."""

    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability"
    DECEPTION = "deception"
    RESTRICTED_MOVEMENT = "restricted_movement"
    ISOLATION = "isolation"
    VIOLENCE = "violence"
    THREATS = "threats"
    DOCUMENT_RETENTION = "document_retention"
    WITHHELD_WAGES = "withheld_wages"
    DEBT_BONDAGE = "debt_bondage"
    ABUSIVE_CONDITIONS = "abusive_conditions"
    EXCESSIVE_OVERTIME = "excessive_overtime"


# ``matching`` keeps its own tuple (it imports nothing of ours); the two must never drift apart.
assert values(IndicatorCode) == INDICATORS, "IndicatorCode and matching.INDICATORS differ"


class ComplaintStatus(StrEnum):
    """Where a complaint is in the regulator's casework."""

    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    REFERRED = "referred"
    CLOSED = "closed"


class FeedFormat(StrEnum):
    """How a job-ad feed is read; ``auto`` sniffs it."""

    AUTO = "auto"
    RSS = "rss"
    ATOM = "atom"
    JSONFEED = "jsonfeed"
    JSONLD = "jsonld"
    CSV = "csv"


class ScanOutcome(StrEnum):
    """How a feed's last scan went (empty on the wire while it was never scanned)."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"


class EvidenceSource(StrEnum):
    """Where a piece of evidence about a recruiter came from."""

    COMPLAINT = "complaint"
    AD = "ad"


class Role(StrEnum):
    """What a signed-in account may do."""

    REGULATOR = "regulator"
    ADMIN = "admin"
