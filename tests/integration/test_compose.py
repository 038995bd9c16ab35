"""docker-compose.yml is valid (checked by docker-compose itself) and describes what production needs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail("docker-compose is missing: scripts/ensure-system-deps.sh installs it")
    return subprocess.run(
        [binary, "-f", str(COMPOSE_FILE), "config"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    result = compose_config({**os.environ, "RECRUITWATCH_SECRET_KEY": "x" * 40})
    assert result.returncode == 0, result.stderr
    return dict(yaml.safe_load(result.stdout))


def test_compose_has_database_api_and_worker(config: dict[str, Any]) -> None:
    services = config["services"]
    assert {"db", "api", "worker"} <= set(services)
    assert "healthcheck" in services["api"]
    assert "healthcheck" in services["db"]
    assert services["api"]["environment"]["RECRUITWATCH_DATABASE_URL"].startswith("postgresql://")
    assert services["worker"]["command"] == ["recruitwatch", "worker"]


def test_compose_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "RECRUITWATCH_SECRET_KEY"}
    result = compose_config(env)
    assert result.returncode != 0
    assert "RECRUITWATCH_SECRET_KEY" in result.stderr + result.stdout
