"""Piccolo tables: the licence register, people, complaints, recruiter profiles, flags, feeds, ads.

Lists (aliases, phones, indicators, reasons) are JSON text so one schema serves SQLite and
PostgreSQL. Deleting a licence, profile or feed never silently deletes complaints, flags or audit
records: those foreign keys restrict or null instead of cascading.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

__all__ = (
    "ALL_TABLES",
    "Ad",
    "AuditEntry",
    "Complaint",
    "Feed",
    "Flag",
    "FlagEvent",
    "Licence",
    "LicenceChange",
    "Mention",
    "ProfileName",
    "ProfilePhone",
    "RecruiterProfile",
    "RegistryImport",
    "RegistryState",
    "User",
)


class RegistryState(Table, tablename="registry_state"):
    """One row whose ``revision`` grows with every registry change, so other processes notice."""

    revision = BigInt(default=0)


class RegistryImport(Table, tablename="registry_import"):
    """One applied import: who, when, which file, what it changed."""

    imported_at = Timestamptz(default=TimestamptzNow())
    actor = Varchar(length=150)
    filename = Varchar(length=255, default="")
    rows = Integer(default=0)
    created = Integer(default=0)
    updated = Integer(default=0)
    unchanged = Integer(default=0)


class Licence(Table, tablename="licence"):
    licence_number = Varchar(length=64, unique=True, index=True)
    licence_key = Varchar(length=64, unique=True, index=True)
    """The licence number normalised (case, separators), for lookups typed any way."""
    name = Varchar(length=300)
    aliases = JSON(default=[])
    kind = Varchar(length=16, default="company")
    country = Varchar(length=2, default="")
    status = Varchar(length=16, default="active", index=True)
    valid_from = Date(null=True, default=None)
    valid_until = Date(null=True, default=None, index=True)
    phones = JSON(default=[])
    email = Varchar(length=254, default="")
    address = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    revision = BigInt(default=0, index=True)
    """The registry revision of this row's last change (see ``RegistryState``)."""


class LicenceChange(Table, tablename="licence_change"):
    """One change to one licence: the fields before and after, and where it came from."""

    licence = ForeignKey(references=Licence, on_delete=OnDelete.restrict, index=True)
    changed_at = Timestamptz(default=TimestamptzNow())
    action = Varchar(length=16)  # created | updated | expired
    source = Varchar(length=32)  # import | user | maintenance
    registry_import = ForeignKey(
        references=RegistryImport, null=True, default=None, on_delete=OnDelete.set_null
    )
    actor = Varchar(length=150, default="")
    changes = JSON(default={})
    """``{field: [old, new]}``."""


class User(Table, tablename="app_user"):
    username = Varchar(length=150, unique=True, index=True)
    password_hash = Varchar(length=255)
    role = Varchar(length=16)  # regulator | admin
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class AuditEntry(Table, tablename="audit_entry"):
    """Every regulator action and every read of a complainant's contact."""

    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = Varchar(length=150, index=True)
    action = Varchar(length=64, index=True)
    subject_type = Varchar(length=32, default="")
    subject_id = Varchar(length=64, default="")
    detail = JSON(default={})
    client = Varchar(length=64, default="")


class RecruiterProfile(Table, tablename="recruiter_profile"):
    """One recruiter as the evidence knows them: a licence holder, or an unregistered person/agency."""

    licence = ForeignKey(
        references=Licence, null=True, default=None, on_delete=OnDelete.restrict, index=True
    )
    licence_key = Varchar(length=64, null=True, default=None, unique=True)
    """Set for a licence holder's profile: one profile per licence, enforced by the database."""
    display_name = Varchar(length=300, default="")
    merged_into = ForeignKey(
        references="RecruiterProfile", null=True, default=None, on_delete=OnDelete.set_null
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfilePhone(Table, tablename="profile_phone"):
    """A phone seen for a profile; unique, so one phone never belongs to two recruiters."""

    profile = ForeignKey(references=RecruiterProfile, on_delete=OnDelete.cascade, index=True)
    phone = Varchar(length=20, unique=True, index=True)
    first_seen_at = Timestamptz(default=TimestamptzNow())


class ProfileName(Table, tablename="profile_name"):
    profile = ForeignKey(references=RecruiterProfile, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=300)
    name_key = Varchar(length=300, index=True)
    first_seen_at = Timestamptz(default=TimestamptzNow())


class Flag(Table, tablename="flag"):
    """One flag per recruiter profile; evidence accumulates on it."""

    profile = ForeignKey(
        references=RecruiterProfile, unique=True, on_delete=OnDelete.restrict, index=True
    )
    status = Varchar(length=16, default="open", index=True)
    reasons = JSON(default=[])
    reason_codes = Varchar(length=255, default="", index=True)
    """The reasons as ``,code,code,`` text, so both databases can filter on one with LIKE."""
    severity = DoublePrecision(default=0.0, index=True)
    indicators = JSON(default={})
    """``{"complaints": {code: n}, "ads": {code: n}}``: ILO indicators seen in the evidence."""
    complaint_count = Integer(default=0)
    ad_count = Integer(default=0)
    opened_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow(), index=True)


class FlagEvent(Table, tablename="flag_event"):
    """The flag's timeline: opened, evidence added, status changed (who, when, note)."""

    flag = ForeignKey(references=Flag, on_delete=OnDelete.restrict, index=True)
    at = Timestamptz(default=TimestamptzNow())
    actor = Varchar(length=150, default="system")
    action = Varchar(length=32)
    from_status = Varchar(length=16, default="")
    to_status = Varchar(length=16, default="")
    note = Text(default="")
    detail = JSON(default={})


class Complaint(Table, tablename="complaint"):
    reference = Varchar(length=32, unique=True, index=True)
    status = Varchar(length=16, default="received")
    received_at = Timestamptz(default=TimestamptzNow(), index=True)
    recruiter_name = Varchar(length=300, default="")
    recruiter_phone = Varchar(length=64, default="")
    phones = JSON(default=[])
    description = Text(default="")
    indicators = JSON(default=[])
    origin_country = Varchar(length=2, default="")
    destination_country = Varchar(length=2, default="")
    sector = Varchar(length=100, default="")
    contact_encrypted = Text(default="")
    """The complainant's contact, encrypted with a key derived from the secret key."""
    profile = ForeignKey(
        references=RecruiterProfile,
        null=True,
        default=None,
        on_delete=OnDelete.set_null,
        index=True,
    )


class Feed(Table, tablename="feed"):
    url = Varchar(length=2000)
    name = Varchar(length=200, default="")
    format = Varchar(length=16, default="auto")
    interval_minutes = Integer(default=60)
    enabled = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    etag = Varchar(length=500, default="")
    last_modified = Varchar(length=100, default="")
    last_scan_at = Timestamptz(null=True, default=None)
    last_outcome = Varchar(length=16, default="")  # ok | not_modified | error
    last_error = Text(default="")
    last_counts = JSON(default={})
    next_scan_at = Timestamptz(null=True, default=None, index=True)
    lease_owner = Varchar(length=100, default="")
    lease_until = Timestamptz(null=True, default=None)


class Ad(Table, tablename="ad"):
    feed = ForeignKey(references=Feed, null=True, default=None, on_delete=OnDelete.set_null)
    item_key = Varchar(length=64, unique=True, index=True)
    """Hash of the feed and the item's id (guid, url or content): one row per feed item."""
    content_hash = Varchar(length=64, index=True)
    """Hash of the normalised text: the same ad reposted under another id shares it."""
    repost_of = ForeignKey(references="Ad", null=True, default=None, on_delete=OnDelete.set_null)
    external_id = Varchar(length=500, default="")
    url = Varchar(length=2000, default="")
    title = Varchar(length=500, default="")
    text = Text(default="")
    published_at = Timestamptz(null=True, default=None)
    first_seen_at = Timestamptz(default=TimestamptzNow(), index=True)
    last_seen_at = Timestamptz(default=TimestamptzNow())
    phones = JSON(default=[])
    names = JSON(default=[])
    risk_indicators = JSON(default=[])
    risk_phrases = JSON(default=[])
    profile = ForeignKey(
        references=RecruiterProfile,
        null=True,
        default=None,
        on_delete=OnDelete.set_null,
        index=True,
    )
    licence_number = Varchar(length=64, null=True, default=None)
    flagged = Boolean(default=False, index=True)


class Mention(Table, tablename="mention"):
    """A name and/or phone seen in one complaint or ad, resolved to a profile."""

    profile = ForeignKey(references=RecruiterProfile, on_delete=OnDelete.restrict, index=True)
    source = Varchar(length=16)  # complaint | ad
    complaint = ForeignKey(
        references=Complaint, null=True, default=None, on_delete=OnDelete.set_null, index=True
    )
    ad = ForeignKey(references=Ad, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    name = Varchar(length=300, default="")
    phone = Varchar(length=20, default="")
    claimed_licence = Varchar(length=64, null=True, default=None)
    """A licence whose holder's name was used with phones that are not the holder's."""
    seen_at = Timestamptz(default=TimestamptzNow())


ALL_TABLES: tuple[type[Table], ...] = (
    RegistryState,
    RegistryImport,
    Licence,
    LicenceChange,
    User,
    AuditEntry,
    RecruiterProfile,
    ProfilePhone,
    ProfileName,
    Flag,
    FlagEvent,
    Complaint,
    Feed,
    Ad,
    Mention,
)
