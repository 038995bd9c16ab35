"""Engines, migrations and the one write-transaction helper both databases share.

SQLite needs ``BEGIN IMMEDIATE`` for concurrent writers; PostgreSQL needs an advisory lock where
a read-decide-write step (grouping mentions into one recruiter) must not interleave. Services call
``write_transaction`` and never care which engine runs underneath.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from piccolo.columns import JSON
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

__all__ = (
    "bulk_insert",
    "bulk_update",
    "engine",
    "engine_for_url",
    "insert_returning_id",
    "is_postgres",
    "is_unique_violation",
    "is_unstorable_value",
    "migrate",
    "on_rollback",
    "write_transaction",
)


class WalSQLiteEngine(SQLiteEngine):
    """SQLite in WAL mode (set by ``migrate``) with ``synchronous=NORMAL`` on the connections
    that write: the setting SQLite recommends for WAL. A commit then no longer waits for the disk
    to flush, which was most of a scan chunk's cost; a power cut may lose the last commits but
    never corrupts the file. (PostgreSQL, the production database, is not affected.)"""

    async def get_connection(self) -> Any:
        connection = await super().get_connection()
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA cache_size = -65536")
        await connection.execute("PRAGMA wal_autocheckpoint = 16384")
        return connection


def engine_for_url(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = unquote(url.removeprefix("sqlite:///")) or "recruitwatch.db"
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # timeout: how long a writer waits for another process's lock before giving up.
        return WalSQLiteEngine(path=path, timeout=60)
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        config = {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "user": unquote(parts.username or "postgres"),
            "password": unquote(parts.password or "") or None,
            "database": (parts.path or "/").lstrip("/") or "postgres",
        }
        return PostgresEngine(config={k: v for k, v in config.items() if v is not None})
    raise ValueError(f"Unsupported database URL: {url}")


def engine() -> Engine:
    from registry.tables import Licence

    return Licence._meta.db


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


def _lock_key(name: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


_rollback_callbacks: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "rollback_callbacks", default=None
)


@contextlib.asynccontextmanager
async def write_transaction(lock: str | None = None) -> AsyncIterator[None]:
    """A transaction that writes; ``lock`` names a critical section serialised across processes.

    On SQLite every IMMEDIATE transaction already holds the one write lock, so ``lock`` adds nothing.
    Nested calls join the outer transaction.
    """
    db = engine()
    if isinstance(db, SQLiteEngine) and db.current_transaction.get() is not None:
        yield
        return
    outer = _rollback_callbacks.get()
    callbacks: list[Callable[[], None]] = outer if outer is not None else []
    token = _rollback_callbacks.set(callbacks)
    try:
        if isinstance(db, SQLiteEngine):
            async with db.transaction(transaction_type=TransactionType.immediate):
                yield
            return
        async with db.transaction():
            if lock is not None:
                transaction = db.current_transaction.get()
                await transaction.connection.execute(
                    "SELECT pg_advisory_xact_lock($1)", _lock_key(lock)
                )
            yield
    except BaseException:
        if outer is None:
            for callback in callbacks:
                callback()
        raise
    finally:
        _rollback_callbacks.reset(token)


def is_unique_violation(error: BaseException) -> bool:
    """True for a unique-constraint error from either driver (mapped to 409 by the API)."""
    text = f"{type(error).__name__} {error}".lower()
    return "unique" in text or "duplicate key" in text


def is_unstorable_value(error: BaseException) -> bool:
    """True when the database cannot take a value it was given: a NUL character in text on
    PostgreSQL, or a number beyond the column's range (int4 on PostgreSQL, 2^63 on SQLite).
    The request carried it, so the API answers 400, never 500."""
    if isinstance(error, OverflowError):
        return True
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(error, asyncpg.DataError)


async def migrate() -> None:
    """Bring the schema up to date; safe to call from every command, every time."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    db = engine()
    if isinstance(db, SQLiteEngine):
        await db._run_in_new_connection("PRAGMA journal_mode=WAL")
    lock_conn = None
    if isinstance(db, PostgresEngine):
        import asyncpg

        lock_conn = await asyncpg.connect(**db.config)
        await lock_conn.execute("SELECT pg_advisory_lock($1)", _lock_key("migrations"))
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            result = await run_forwards(app_name="all")
        if not result.success:
            raise RuntimeError(f"Database migration failed: {result.message}\n{out.getvalue()}")
    finally:
        if lock_conn is not None:
            await lock_conn.execute("SELECT pg_advisory_unlock($1)", _lock_key("migrations"))
            await lock_conn.close()


def _bulk_connection(purpose: str) -> tuple[Any, bool]:
    """The write transaction's connection, and whether it is PostgreSQL's (``$n`` marks)."""
    db = engine()
    transaction = db.current_transaction.get()
    if transaction is None:
        raise RuntimeError(f"{purpose} needs a write_transaction")
    return transaction.connection, isinstance(db, PostgresEngine)


def _marks(count: int, postgres: bool) -> list[str]:
    """Parameter placeholders in the driver's style: asyncpg numbers them, sqlite3 does not."""
    return [f"${i}" for i in range(1, count + 1)] if postgres else ["?"] * count


def _parameter_sets(
    table: type[Table], columns: list[str], rows: list[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """One tuple per row, in ``columns`` order, JSON columns serialised."""
    json_columns = {c for c in columns if isinstance(getattr(table, c), JSON)}
    return [
        tuple(
            json.dumps(row[c], ensure_ascii=False) if c in json_columns else row[c] for c in columns
        )
        for row in rows
    ]


async def bulk_insert(table: type[Table], rows: list[dict[str, Any]]) -> None:
    """Insert many rows with one prepared statement (``executemany``), inside a write transaction.

    Piccolo builds a query string per row object, which dominates a 100,000-row import; the
    driver's executemany sends one statement and many parameter sets. JSON columns are serialised
    here; dates and times go through the same adapters Piccolo registers.
    """
    if not rows:
        return
    connection, postgres = _bulk_connection("bulk_insert")
    columns = list(rows[0])
    marks = ", ".join(_marks(len(columns), postgres))
    names = ", ".join(f'"{c}"' for c in columns)
    # names come from the table definition; every value is a parameter
    sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES ({marks})'  # noqa: S608
    await connection.executemany(sql, _parameter_sets(table, columns, rows))


async def bulk_update(table: type[Table], key_column: str, rows: list[dict[str, Any]]) -> None:
    """Update many rows, each with values of its own, with one prepared statement (``executemany``).

    Every row has the same columns, ``key_column`` among them: it picks the row to update. For
    thousands of rows whose new values differ, where Piccolo would send one UPDATE each.
    """
    if not rows:
        return
    connection, postgres = _bulk_connection("bulk_update")
    columns = [c for c in rows[0] if c != key_column]
    *marks, key_mark = _marks(len(columns) + 1, postgres)
    assignments = ", ".join(f'"{c}" = {m}' for c, m in zip(columns, marks, strict=True))
    # names come from the table definition; every value is a parameter
    sql = f'UPDATE "{table._meta.tablename}" SET {assignments} WHERE "{key_column}" = {key_mark}'  # noqa: S608
    await connection.executemany(sql, _parameter_sets(table, [*columns, key_column], rows))


async def insert_returning_id(table: type[Table], row: dict[str, Any]) -> int:
    """Insert one row and return its id, without Piccolo's per-query overhead.

    For inserts whose id is needed at once (a new recruiter's profile), many times per scan."""
    connection, postgres = _bulk_connection("insert_returning_id")
    columns = list(row)
    marks = ", ".join(_marks(len(columns), postgres))
    names = ", ".join(f'"{c}"' for c in columns)
    # names come from the table definition; every value is a parameter
    sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES ({marks}) RETURNING "id"'  # noqa: S608
    values = _parameter_sets(table, columns, [row])[0]
    if postgres:
        return int(await connection.fetchval(sql, *values))
    cursor = await connection.execute(sql, values)
    try:
        found = await cursor.fetchone()
    finally:
        await cursor.close()
    # Piccolo's SQLite connections return rows as dicts
    return int(found["id"] if isinstance(found, dict) else found[0])


def on_rollback(callback: Callable[[], None]) -> None:
    """Run ``callback`` if the current write transaction rolls back: a cache filled from rows
    this transaction wrote must forget them. Outside a transaction, nothing happens."""
    callbacks = _rollback_callbacks.get()
    if callbacks is not None:
        callbacks.append(callback)
