"""The audit trail: every regulator action, and every read of a complainant's contact."""

from __future__ import annotations

from typing import Any

from registry.tables import AuditEntry

__all__ = ("list_audit", "record")


async def record(
    actor: str,
    action: str,
    subject_type: str = "",
    subject_id: str | int = "",
    detail: dict[str, Any] | None = None,
    client: str = "",
) -> None:
    await AuditEntry.insert(
        AuditEntry(
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            detail=detail or {},
            client=client[:64],
        )
    )


async def list_audit(
    *, actor: str | None = None, action: str | None = None, limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    query = AuditEntry.select().order_by(AuditEntry.id, ascending=False)
    count = AuditEntry.count()
    if actor:
        query = query.where(AuditEntry.actor == actor)
        count = count.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action == action)
        count = count.where(AuditEntry.action == action)
    rows = await query.limit(limit).offset(offset).output(load_json=True)
    items = [{**r, "at": r["at"].isoformat()} for r in rows]
    return {"items": items, "total": await count}
