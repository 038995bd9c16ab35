"""Settings, read once from ``RECRUITWATCH_*`` environment variables.

Every knob a deployment may turn lives here so that secrets and limits never sit in code.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from functools import cache

__all__ = ("DEFAULT_SECRET_KEY", "Settings", "SettingsError", "get_settings")

DEFAULT_SECRET_KEY = "dev-insecure-secret-key-change-me"  # noqa: S105 - refused in production


class SettingsError(ValueError):
    """A setting has a value the service cannot run with."""


def _env(name: str, default: str) -> str:
    return os.environ.get(f"RECRUITWATCH_{name}", default)


def _int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"RECRUITWATCH_{name} must be a whole number, not {raw!r}.") from None


def _list(name: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in _env(name, "").split(",") if p.strip())


def _float(name: str, default: float) -> float:
    raw = _env(name, str(default))
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"RECRUITWATCH_{name} must be a number, not {raw!r}.") from None


def _bool(name: str, default: bool) -> bool:
    raw = _env(name, "true" if default else "false").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"RECRUITWATCH_{name} must be true or false, not {raw!r}.")


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = "sqlite:///recruitwatch.db"
    """``sqlite:///path`` or ``postgresql://user:password@host:port/dbname``."""

    secret_key: str = DEFAULT_SECRET_KEY
    """Signs tokens and sessions, and derives the key that encrypts complainants' contacts."""

    database_pool_size: int = 10
    """PostgreSQL connections per process; 0 opens one per query (tests, where loops change)."""

    production: bool = False
    """In production the service refuses to start with a missing or default secret key."""

    rate_limit_per_minute: int = 60
    """Requests one client may make to public endpoints per minute; 0 turns the limit off."""

    allow_private_feeds: bool = False
    """Let feeds point at loopback or private addresses (tests, a board on the same network)."""

    repeated_complaints_threshold: int = 3
    """Complaints about one recruiter that open a ``repeated_complaints`` flag."""

    registry_refresh_seconds: float = 2.0
    """How often a process checks whether another process changed the registry."""

    token_ttl_minutes: int = 12 * 60
    """Lifetime of a regulator's bearer token."""

    hotlines: tuple[str, ...] = field(default_factory=tuple)
    """Help lines shown to workers, ``label: number`` each."""

    feed_timeout_seconds: float = 20.0
    feed_max_bytes: int = 20 * 1024 * 1024
    feed_max_redirects: int = 5
    feed_retries: int = 2

    scan_processes: int = 1
    """Worker processes that read a big feed's ads (phones, names, risky wording) while the
    database stores the chunk before; 0 reads them in a thread of the scanning process."""

    session_dir: str = ""
    """Where console sessions are kept (shared by the processes of one machine); empty: a temp dir."""

    default_region_order: tuple[str, ...] = ("KZ", "KG", "UZ", "TJ", "RU")
    """Regions a phone without a country code is tried against, most likely first."""

    encryption_keys: tuple[str, ...] = field(default_factory=tuple)
    """Keys that encrypt complainants' contacts, newest first (comma-separated Fernet keys or
    passphrases). The newest encrypts; every key decrypts, so an old key stays readable until
    ``recruitwatch keys rotate`` has re-encrypted everything. Empty: one key derived from the
    secret key, as before key rings existed."""

    redis_url: str = ""
    """``redis://host:port/db``: rate limits, login limits, console sessions and the lookup
    index's change notices are shared through it by every process and host. Empty: one host."""

    redis_prefix: str = "recruitwatch"
    """Prefix of every Redis key and channel, so deployments (and test runs) can share a server."""

    trusted_proxies: tuple[str, ...] = field(default_factory=tuple)
    """Addresses or networks (CIDR) of reverse proxies whose ``X-Forwarded-For`` is believed."""

    log_format: str = "text"
    """``text`` or ``json`` (one object per line, for a log shipper)."""

    login_attempts_per_minute: int = 10
    """Sign-in attempts one client address may make per minute, on both login routes."""

    login_failures_before_backoff: int = 5
    """Failed sign-ins to one account (or from one client) before it must wait; each further
    failure doubles the wait, up to 15 minutes."""

    cpu_threads: int = 4
    """Threads that run CPU-heavy work (CSV validation, password hashing) off the event loop."""

    async_import_rows: int = 20_000
    """An API import of more rows than this becomes a job the caller polls (202); fewer rows
    answer at once, as before. ``?async=true`` asks for a job whatever the size."""

    public_report_delay_hours: float = 24.0
    """Public counts leave out complaints and flags younger than this, so a recruiter cannot tell
    from a lookup that someone complained a minute ago."""

    public_complaints_min: int = 3
    """Public complaint counts below this are shown as 0: one complaint must not single out its
    complainant. Regulators always see every complaint at once."""

    def check(self) -> None:
        """Refuse settings that would run an unsafe or broken service."""
        if self.production and self.secret_key in {"", DEFAULT_SECRET_KEY}:
            raise SettingsError(
                "RECRUITWATCH_SECRET_KEY must be set to a long random value in production."
            )
        if self.production and len(self.secret_key) < 32:
            raise SettingsError("RECRUITWATCH_SECRET_KEY must be at least 32 characters.")
        if self.scan_processes < 0:
            raise SettingsError("RECRUITWATCH_SCAN_PROCESSES cannot be negative.")
        if self.public_report_delay_hours < 0 or self.public_complaints_min < 1:
            raise SettingsError(
                "RECRUITWATCH_PUBLIC_REPORT_DELAY_HOURS cannot be negative and "
                "RECRUITWATCH_PUBLIC_COMPLAINTS_MIN must be at least 1."
            )
        if self.rate_limit_per_minute < 0:
            raise SettingsError("RECRUITWATCH_RATE_LIMIT_PER_MINUTE cannot be negative.")
        if self.log_format not in {"text", "json"}:
            raise SettingsError("RECRUITWATCH_LOG_FORMAT must be text or json.")
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError(
                "RECRUITWATCH_REDIS_URL must start with redis://, rediss:// or unix://."
            )
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise SettingsError(
                    f"RECRUITWATCH_TRUSTED_PROXIES: {proxy!r} is not an address or a network."
                ) from None
        if not self.database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise SettingsError(
                "RECRUITWATCH_DATABASE_URL must start with sqlite:/// or postgresql://."
            )

    @classmethod
    def from_env(cls) -> Settings:
        hotlines = tuple(h.strip() for h in _env("HOTLINES", "").split(";") if h.strip())
        settings = cls(
            database_url=_env("DATABASE_URL", "sqlite:///recruitwatch.db"),
            secret_key=_env("SECRET_KEY", DEFAULT_SECRET_KEY),
            database_pool_size=_int("DATABASE_POOL_SIZE", 10),
            production=_bool("PRODUCTION", False),
            rate_limit_per_minute=_int("RATE_LIMIT_PER_MINUTE", 60),
            allow_private_feeds=_bool("ALLOW_PRIVATE_FEEDS", False),
            repeated_complaints_threshold=_int("REPEATED_COMPLAINTS_THRESHOLD", 3),
            registry_refresh_seconds=float(_env("REGISTRY_REFRESH_SECONDS", "2")),
            token_ttl_minutes=_int("TOKEN_TTL_MINUTES", 12 * 60),
            hotlines=hotlines,
            feed_timeout_seconds=float(_env("FEED_TIMEOUT_SECONDS", "20")),
            feed_max_bytes=_int("FEED_MAX_BYTES", 20 * 1024 * 1024),
            feed_max_redirects=_int("FEED_MAX_REDIRECTS", 5),
            feed_retries=_int("FEED_RETRIES", 2),
            scan_processes=_int("SCAN_PROCESSES", 1),
            session_dir=_env("SESSION_DIR", ""),
            encryption_keys=_list("ENCRYPTION_KEYS"),
            redis_url=_env("REDIS_URL", "").strip(),
            redis_prefix=_env("REDIS_PREFIX", "recruitwatch").strip() or "recruitwatch",
            trusted_proxies=_list("TRUSTED_PROXIES"),
            log_format=_env("LOG_FORMAT", "text").strip().lower(),
            login_attempts_per_minute=_int("LOGIN_ATTEMPTS_PER_MINUTE", 10),
            login_failures_before_backoff=_int("LOGIN_FAILURES_BEFORE_BACKOFF", 5),
            cpu_threads=max(1, _int("CPU_THREADS", 4)),
            async_import_rows=_int("ASYNC_IMPORT_ROWS", 20_000),
            public_report_delay_hours=_float("PUBLIC_REPORT_DELAY_HOURS", 24.0),
            public_complaints_min=_int("PUBLIC_COMPLAINTS_MIN", 3),
        )
        settings.check()
        return settings


@cache
def get_settings() -> Settings:
    """The process's settings; tests clear the cache after changing the environment."""
    return Settings.from_env()
