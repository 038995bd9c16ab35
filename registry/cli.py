"""The ``recruitwatch`` command: thin wrappers that call one service each and print the result.

User mistakes end with one plain sentence on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from registry.settings import SettingsError, get_settings

T = TypeVar("T")

EXIT_USAGE = 2
EXIT_FAILED = 1


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def run(step: Callable[[], Awaitable[T]]) -> T:
    """Run one async step against an up-to-date schema, turning known errors into a sentence."""
    from registry.database import migrate
    from registry.services.errors import ServiceError

    async def main() -> T:
        await migrate()
        return await step()

    try:
        get_settings()
        return asyncio.run(main())
    except SettingsError as exc:
        _fail(str(exc), EXIT_USAGE)
    except ServiceError as exc:
        click.echo(exc.message, err=True)
        for d in exc.details:
            where = f"line {d['line']}" if "line" in d else ""
            column = f", column {d['column']}" if d.get("column") else ""
            click.echo(f"  {where}{column}: {d.get('reason', d)}", err=True)
        sys.exit(EXIT_FAILED)
    except (OSError, ConnectionError) as exc:
        _fail(f"Cannot reach the database: {exc}.")
    raise AssertionError("unreachable")


@click.group()
def main() -> None:
    """recruitwatch: the register of licensed recruitment intermediaries and its monitoring."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web pages and the HTTP API."""
    import uvicorn

    async def nothing() -> None:
        return None

    from registry.logs import logging_config
    from registry.settings import DEFAULT_SECRET_KEY

    run(nothing)  # migrate once here, before workers start
    settings = get_settings()
    if settings.secret_key == DEFAULT_SECRET_KEY:
        click.echo(
            "WARNING: RECRUITWATCH_SECRET_KEY is the built-in development key. Anyone can forge "
            "sessions and tokens with it. Set a long random key before real use.",
            err=True,
        )
    click.echo(f"recruitwatch is serving on http://{host}:{port}/ (API docs: /schema)")
    uvicorn.run(
        "registry.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=logging_config(settings.log_format),
        access_log=False,  # registry.http.access_log logs routes, never queries
        # X-Forwarded-For is read by the app, from RECRUITWATCH_TRUSTED_PROXIES only
        proxy_headers=False,
    )


@main.command("import-registry")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_registry(file: Path, dry_run: bool) -> None:
    """Import (upsert) the licence register from a CSV file."""
    from registry.services import licences

    try:
        data = file.read_bytes()
    except OSError as exc:
        _fail(f"Cannot read {file}: {exc.strerror}.", EXIT_USAGE)

    report = run(
        lambda: licences.import_registry(data, actor="cli", filename=file.name, dry_run=dry_run)
    )
    for w in report.warnings:
        click.echo(f"warning: line {w['line']}, column {w['column']}: {w['reason']}", err=True)
    prefix = "Dry run: would import" if dry_run else "Imported"
    click.echo(
        f"{prefix} {report.rows} licences: {report.created} new, {report.updated} changed, "
        f"{report.unchanged} unchanged."
    )


@main.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
def lookup(query: str, as_json: bool) -> None:
    """Check a name, phone, licence number or ad against the register."""
    from registry.services import lookup as lookup_service

    result = run(lambda: lookup_service.lookup(query, max_length=lookup_service.MAX_AD))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(_describe(result))


def _describe(result: dict[str, Any]) -> str:
    verdicts = {
        "licensed": "LICENSED",
        "suspended": "LICENCE SUSPENDED",
        "revoked": "LICENCE REVOKED",
        "expired": "LICENCE EXPIRED",
        "not_registered": "NOT REGISTERED",
    }
    lines = []
    if result.get("verdict_detail") == "impersonation_risk":
        # The danger first: a worker reading only the first line must not read "LICENSED".
        lines.append(
            "DANGER: THIS PHONE IS NOT THE AGENCY'S. Someone may be using its name: "
            + ", ".join(result.get("foreign_phones", []))
        )
        lines.append(f"The name is registered ({verdicts[result['verdict']].lower()}):")
    else:
        lines.append(verdicts[result["verdict"]])
    match = result["match"]
    if match:
        lines.append(f"{match['name']} (licence {match['license_number']}, {match['country']})")
        if match["valid_until"]:
            lines.append(f"valid until {match['valid_until']}")
        if match["phones"]:
            lines.append("official phones: " + ", ".join(match["phones"]))
    for candidate in result["candidates"]:
        lines.append(
            f"similar, but NOT the same: {candidate['name']} ({candidate['license_number']})"
        )
    reports = result["reports"]
    lines.append(f"complaints: {reports['complaints']}, flags: {reports['flags']}")
    return "\n".join(lines)


@main.group()
def users() -> None:
    """Manage regulator and admin accounts."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["regulator", "admin"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(username: str, role: str, password_stdin: bool) -> None:
    """Create a user; the password is read from standard input."""
    from registry.services import audit
    from registry.services import users as user_service

    if not password_stdin:
        _fail("Give the password on standard input with --password-stdin.", EXIT_USAGE)
    password = sys.stdin.readline().rstrip("\r\n")

    async def step() -> dict[str, Any]:
        user = await user_service.create_user(username, password, role)
        await audit.record("cli", "user_created", "user", username, {"role": role})
        return user

    user = run(step)
    click.echo(f"User {user['username']} ({user['role']}) created.")


@main.command()
@click.argument("url")
@click.option(
    "--format",
    "format_",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "rss", "atom", "jsonfeed", "jsonld", "csv"]),
)
def scan(url: str, format_: str) -> None:
    """Scan one feed now: store its ads and raise flags."""
    from jobs import scan as scan_job

    result = run(lambda: scan_job.scan_url(url, format_))
    click.echo(json.dumps(result, ensure_ascii=False))
    if result.get("outcome") == "error":
        sys.exit(EXIT_FAILED)


@main.command()
def worker() -> None:
    """Run the scheduler: feed scans at their intervals and daily maintenance."""
    from jobs import worker as worker_job

    run(lambda: worker_job.run_worker())


@main.command()
@click.option(
    "--password-stdin", is_flag=True, help="Read the demo regulator's password from stdin."
)
def demo(password_stdin: bool) -> None:
    """Load the demo register and a demo regulator account (for trying the service)."""
    from registry.services import licences
    from registry.services import users as user_service
    from registry.services.errors import Conflict

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else "demo-regulator-pw"
    data = (Path(__file__).parent / "demo" / "registry.csv").read_bytes()

    async def step() -> licences.ImportReport:
        report = await licences.import_registry(data, actor="demo", filename="demo/registry.csv")
        for name, role in (("regulator", "regulator"), ("admin", "admin")):
            with contextlib.suppress(Conflict):
                await user_service.create_user(name, password, role)
        return report

    report = run(step)
    click.echo(f"Demo register loaded: {report.rows} licences ({report.created} new).")
    click.echo(f"Demo accounts: regulator / {password} and admin / {password}")


if __name__ == "__main__":
    main()
