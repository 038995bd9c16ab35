"""Settings come from the environment and refuse values the service cannot run safely with."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from registry.settings import DEFAULT_SECRET_KEY, Settings, SettingsError


def from_env(monkeypatch: pytest.MonkeyPatch, **values: str) -> Settings:
    for key in list(os.environ):
        if key.startswith("RECRUITWATCH_"):
            monkeypatch.delenv(key)
    for key, value in values.items():
        monkeypatch.setenv(f"RECRUITWATCH_{key}", value)
    return Settings.from_env()


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = from_env(monkeypatch)
    assert settings.database_url == "sqlite:///recruitwatch.db"
    assert settings.rate_limit_per_minute == 60
    assert settings.allow_private_feeds is False
    assert settings.repeated_complaints_threshold == 3


def test_production_refuses_a_missing_or_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        from_env(monkeypatch, PRODUCTION="true")
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        from_env(monkeypatch, PRODUCTION="true", SECRET_KEY=DEFAULT_SECRET_KEY)
    with pytest.raises(SettingsError, match="32"):
        from_env(monkeypatch, PRODUCTION="true", SECRET_KEY="short")
    assert from_env(monkeypatch, PRODUCTION="true", SECRET_KEY="k" * 40).production


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RATE_LIMIT_PER_MINUTE", "many"),
        ("RATE_LIMIT_PER_MINUTE", "-1"),
        ("ALLOW_PRIVATE_FEEDS", "perhaps"),
        ("DATABASE_URL", "mysql://x"),
    ],
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"RECRUITWATCH_{name}"):
        from_env(monkeypatch, **{name: value})


def test_the_cli_says_what_is_wrong_in_one_sentence() -> None:
    env = {**os.environ, "RECRUITWATCH_PRODUCTION": "true", "RECRUITWATCH_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-m", "registry.cli", "lookup", "x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "RECRUITWATCH_SECRET_KEY must be set to a long random value in production."
    )
