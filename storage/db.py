"""The single database connection, its transactions and the migration runner."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

Row = aiosqlite.Row
Params = Sequence[Any]

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_db_time(moment: datetime) -> str:
    """Fixed-width UTC text: sorts and compares correctly as a string in any SQL engine."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def from_db_time(text: str) -> datetime:
    # fromisoformat reads the trailing Z since Python 3.11 and is ~20x faster than strptime.
    return datetime.fromisoformat(text)


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer release than this code."""


class Database:
    """One connection shared by the whole process.

    Writes go through `transaction()`, which serialises them: with a single connection two
    interleaved coroutines would otherwise commit each other's half-done work.
    """

    def __init__(self, connection: aiosqlite.Connection, path: Path | None = None) -> None:
        self._connection = connection
        self._write_lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> Database:
        connection = await aiosqlite.connect(str(path), isolation_level=None)
        connection.row_factory = aiosqlite.Row
        await connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        return cls(connection, Path(path))

    async def close(self) -> None:
        await self._connection.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self._connection.execute("BEGIN")
            try:
                yield self._connection
            except BaseException:
                await self._connection.rollback()
                raise
            await self._connection.commit()

    # One hop to the database thread per query (execute + fetch + close would be three):
    # the hops, not SQLite, are what an update mostly waits for.
    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self._connection.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self._connection.execute_fetchall(sql, params))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write statement, atomic on its own (autocommit); returns the affected row count.
        It still takes the write lock, so it never lands inside another coroutine's transaction."""
        async with self._write_lock:
            cursor = await self._connection.execute(sql, params)
            count = cursor.rowcount
            await cursor.close()
            return count

    async def backup_to(self, target: Path) -> None:
        async with aiosqlite.connect(str(target)) as destination:
            await self._connection.backup(destination)

    async def migrate(self, migrations: Iterable[tuple[int, str]] | None = None) -> int:
        """Apply numbered migrations not applied yet; return the resulting schema version."""
        steps = sorted(migrations if migrations is not None else bundled_migrations())
        known = steps[-1][0] if steps else 0
        async with self.transaction() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
        row = await self.fetch_one("SELECT MAX(version) AS v FROM schema_migrations")
        current = int(row["v"]) if row and row["v"] is not None else 0
        if current > known:
            raise SchemaTooNewError(
                f"database schema version {current} is newer than this code knows ({known})"
            )
        for version, script in steps:
            if version <= current:
                continue
            async with self.transaction() as conn:
                for statement in _split_statements(script):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, to_db_time(datetime.now(UTC))),
                )
            log.info("migration applied version=%s", version)
            current = version
        return current


def bundled_migrations() -> list[tuple[int, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _split_statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
