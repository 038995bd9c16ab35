"""The licence register: atomic idempotent imports with history, reads, and regulator edits.

Every change bumps the registry revision so that lookup indexes in other processes refresh.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from registry.database import bulk_insert, write_transaction
from registry.services.errors import InvalidInput, NotFound
from registry.services.registry_csv import COLUMNS, LicenceRow, parse_registry_csv
from registry.tables import Licence, LicenceChange, RegistryImport, RegistryState

__all__ = (
    "ImportReport",
    "bump_revision",
    "current_revision",
    "effective_status",
    "get_licence",
    "import_registry",
    "licence_history",
    "licence_public",
    "licences_changed_since",
    "update_licence_status",
)

TRACKED = tuple(column for column in COLUMNS if column != "license_number")
"""The fields whose changes a licence's history records."""
_CHUNK = 400


@dataclass
class ImportReport:
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    import_id: int | None = None
    changed_licences: tuple[str, ...] = ()
    warnings: tuple[dict[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("changed_licences")
        data["warnings"] = list(self.warnings)
        return data


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _comparable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _stored(row: dict[str, Any]) -> dict[str, Any]:
    data = dict(row)
    data["aliases"] = _loads(data.get("aliases")) or []
    data["phones"] = _loads(data.get("phones")) or []
    return data


def effective_status(licence: dict[str, Any], today: dt.date | None = None) -> str:
    """The verdict a worker sees: an active licence past ``valid_until`` is expired."""
    today = today or dt.date.today()
    status = licence["status"]
    valid_until = licence.get("valid_until")
    if isinstance(valid_until, str) and valid_until:
        valid_until = dt.date.fromisoformat(valid_until)
    if status == "active" and valid_until is not None and valid_until < today:
        return "expired"
    if status == "active":
        return "licensed"
    return status


def licence_public(row: dict[str, Any]) -> dict[str, Any]:
    """The contract's ``<intermediary>``: what anyone may see about a licence."""
    data = _stored(row)

    def iso(value: Any) -> str | None:
        return value.isoformat() if isinstance(value, dt.date) else (value or None)

    return {
        "license_number": data["licence_number"],
        "name": data["name"],
        "aliases": data["aliases"],
        "kind": data["kind"],
        "country": data["country"],
        "status": data["status"],
        "valid_from": iso(data.get("valid_from")),
        "valid_until": iso(data.get("valid_until")),
        "phones": data["phones"],
        "email": data["email"],
        "address": data["address"],
    }


async def current_revision() -> int:
    row = await RegistryState.select(RegistryState.revision).first()
    return int(row["revision"]) if row else 0


async def bump_revision() -> int:
    """Inside a write transaction: the next revision, stamped on every row it changes."""
    row = await RegistryState.select(RegistryState.id, RegistryState.revision).first()
    if row is None:
        await RegistryState.insert(RegistryState(revision=1))
        return 1
    revision = int(row["revision"]) + 1
    await RegistryState.update({RegistryState.revision: revision}).where(
        RegistryState.id == row["id"]
    )
    return revision


async def _existing(keys: list[str]) -> dict[str, dict[str, Any]]:
    query = Licence.select()
    if len(keys) <= _CHUNK:
        rows = await query.where(Licence.licence_key.is_in(keys)) if keys else []
    else:
        rows = await query
    return {r["licence_key"]: _stored(r) for r in rows}


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        col: [_comparable(old.get(col)), _comparable(new[col])]
        for col in TRACKED
        if _comparable(old.get(col)) != _comparable(new[col])
    }


async def import_registry(
    data: bytes, *, actor: str, filename: str = "", dry_run: bool = False, client: str = ""
) -> ImportReport:
    """Validate the whole file, then upsert it in one transaction; any bad row writes nothing.

    An applied import is audited here, whichever entry point (API, console, CLI) brought it.
    """
    parsed = parse_registry_csv(data)
    if parsed.errors:
        count = len(parsed.errors)
        raise InvalidInput(
            f"The file was not imported: {count} problem{'s' if count != 1 else ''} found.",
            parsed.errors,
            422,
        )
    if dry_run:
        existing = await _existing([r.licence_key for r in parsed.rows])
        report = _plan(parsed.rows, existing, dry_run=True)[0]
        report.warnings = tuple(parsed.warnings)
        return report
    async with write_transaction(lock="registry"):
        existing = await _existing([r.licence_key for r in parsed.rows])
        report, creates, updates = _plan(parsed.rows, existing, dry_run=False)
        report.warnings = tuple(parsed.warnings)
        if not creates and not updates:
            await _audit_import(report, actor, filename, client)
            return report
        revision = await bump_revision()
        batch = RegistryImport(
            actor=actor,
            filename=filename[:255],
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
        await batch.save()
        await _write(creates, updates, revision, batch.id, actor)
        report.import_id = batch.id
        await _audit_import(report, actor, filename, client)
    await _after_registry_change(report.changed_licences)
    return report


async def _audit_import(report: ImportReport, actor: str, filename: str, client: str) -> None:
    from registry.services import audit

    await audit.record(
        actor,
        "registry_import",
        "registry_import",
        report.import_id or "",
        {**report.as_dict(), "filename": filename},
        client,
    )


def _plan(
    rows: list[LicenceRow], existing: dict[str, dict[str, Any]], *, dry_run: bool
) -> tuple[ImportReport, list[LicenceRow], list[tuple[LicenceRow, dict[str, Any], dict]]]:
    creates: list[LicenceRow] = []
    updates: list[tuple[LicenceRow, dict[str, Any], dict]] = []
    for row in rows:
        old = existing.get(row.licence_key)
        if old is None:
            creates.append(row)
            continue
        changes = _diff(old, row.fields())
        if old["licence_number"] != row.licence_number:
            changes["licence_number"] = [old["licence_number"], row.licence_number]
        if changes:
            updates.append((row, old, changes))
    report = ImportReport(
        rows=len(rows),
        created=len(creates),
        updated=len(updates),
        unchanged=len(rows) - len(creates) - len(updates),
        dry_run=dry_run,
        changed_licences=tuple(
            [r.licence_number for r in creates] + [r.licence_number for r, _, _ in updates]
        ),
    )
    return report, creates, updates


async def _write(
    creates: list[LicenceRow],
    updates: list[tuple[LicenceRow, dict[str, Any], dict]],
    revision: int,
    import_id: int,
    actor: str,
) -> None:
    now = dt.datetime.now(dt.UTC)
    await bulk_insert(
        Licence,
        [
            {**r.fields(), "revision": revision, "created_at": now, "updated_at": now}
            for r in creates
        ],
    )
    base = {"changed_at": now, "source": "import", "registry_import": import_id, "actor": actor}
    changes: list[dict[str, Any]] = []
    if creates:
        ids = await _ids([r.licence_key for r in creates])
        changes.extend(
            {
                **base,
                "licence": ids[r.licence_key],
                "action": "created",
                "changes": {
                    col: [None, _comparable(v)] for col, v in r.fields().items() if col in TRACKED
                },
            }
            for r in creates
        )
    for row, old, diff in updates:
        await Licence.update(
            {**_columns(row.fields()), Licence.revision: revision, Licence.updated_at: now}
        ).where(Licence.id == old["id"])
        changes.append({**base, "licence": old["id"], "action": "updated", "changes": diff})
    await bulk_insert(LicenceChange, changes)


def _columns(fields: dict[str, Any]) -> dict[Any, Any]:
    return {getattr(Licence, name): value for name, value in fields.items()}


async def _ids(keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = await Licence.select(Licence.id, Licence.licence_key).where(
            Licence.licence_key.is_in(keys[start : start + _CHUNK])
        )
        found.update({r["licence_key"]: r["id"] for r in rows})
    return found


async def _after_registry_change(licence_numbers: Iterable[str]) -> None:
    """Flags about changed licences are re-evaluated (a revoked licence's advertiser is now inactive)."""
    from registry.services import flags

    await flags.reevaluate_licences(tuple(licence_numbers))


async def get_licence(licence_number: str) -> dict[str, Any]:
    from matching import normalise_licence_number

    key = normalise_licence_number(licence_number)
    row = await Licence.select().where(Licence.licence_key == key).first() if key else None
    if row is None:
        raise NotFound(f"No licence {licence_number!r} in the register.")
    return _stored(row)


async def licences_changed_since(revision: int) -> list[dict[str, Any]]:
    rows = await Licence.select().where(Licence.revision > revision)
    return [_stored(r) for r in rows]


async def licence_history(licence_number: str) -> list[dict[str, Any]]:
    licence = await get_licence(licence_number)
    rows = (
        await LicenceChange.select()
        .where(LicenceChange.licence == licence["id"])
        .order_by(LicenceChange.id)
        .output(load_json=True)
    )
    return [
        {
            "at": r["changed_at"].isoformat(),
            "action": r["action"],
            "source": r["source"],
            "import_id": r["registry_import"],
            "actor": r["actor"],
            "changes": r["changes"],
        }
        for r in rows
    ]


async def update_licence_status(
    licence_number: str, status: str, *, actor: str, source: str = "user", note: str = ""
) -> dict[str, Any]:
    """A regulator suspends, revokes or reinstates a licence; kept in its history."""
    if status not in ("active", "suspended", "revoked", "expired"):
        raise InvalidInput(f"{status!r} is not a licence status.")
    async with write_transaction(lock="registry"):
        licence = await get_licence(licence_number)
        if licence["status"] == status:
            return licence
        revision = await bump_revision()
        now = dt.datetime.now(dt.UTC)
        await Licence.update(
            {Licence.status: status, Licence.revision: revision, Licence.updated_at: now}
        ).where(Licence.id == licence["id"])
        await LicenceChange.insert(
            LicenceChange(
                licence=licence["id"],
                changed_at=now,
                action="updated" if source == "user" else source,
                source=source,
                actor=actor,
                changes={"status": [licence["status"], status], **({"note": note} if note else {})},
            )
        )
    await _after_registry_change([licence["licence_number"]])
    return await get_licence(licence_number)
