"""The single database connection, its transactions and the migration runner."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

Row = sqlite3.Row
Params = Sequence[Any]
Cursor = sqlite3.Cursor
T = TypeVar("T")

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


class Connection:
    """The statements a repository may run, inside a transaction or on their own.

    SQLite answers a short indexed statement in microseconds, far less than a hop to a worker
    thread and back (about 115 µs measured with aiosqlite), so statements run on the event
    loop's thread. The methods stay `async` so that a networked engine can replace this class
    without touching the repositories.
    """

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    async def execute(self, sql: str, params: Params = ()) -> Cursor:
        return self._raw.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        return self._raw.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = self._raw.execute(sql, params).fetchone()
        return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return self._raw.execute(sql, params).fetchall()


class Database:
    """One connection shared by the whole process.

    Writes go through `transaction()`, which serialises them: with a single connection two
    interleaved coroutines would otherwise commit each other's half-done work.

    Another process holding the write lock must not freeze the event loop, so SQLite's own
    busy wait is off and a locked database is retried here, sleeping between tries, until
    `busy_timeout_ms` has passed; then the "database is locked" error reaches the caller.
    """

    def __init__(self, raw: sqlite3.Connection, path: Path, busy_timeout_ms: int) -> None:
        self._raw = raw
        self._connection = Connection(raw)
        self._write_lock = asyncio.Lock()
        self._busy_timeout = busy_timeout_ms / 1000
        self.path = path

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> Database:
        raw = sqlite3.connect(str(path), isolation_level=None)
        raw.row_factory = sqlite3.Row
        raw.execute("PRAGMA busy_timeout = 0")
        database = cls(raw, Path(path), busy_timeout_ms)
        await database._retry_busy(lambda: raw.execute("PRAGMA journal_mode = WAL"))
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute("PRAGMA foreign_keys = ON")
        return database

    async def close(self) -> None:
        self._raw.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._write_lock:
            # IMMEDIATE takes the write lock up front: a transaction never fails half-way
            # because another process started writing after its first read.
            await self._retry_busy(lambda: self._raw.execute("BEGIN IMMEDIATE"))
            try:
                yield self._connection
            except BaseException:
                self._raw.rollback()
                raise
            self._raw.commit()

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = await self._retry_busy(lambda: self._raw.execute(sql, params).fetchone())
        return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return await self._retry_busy(lambda: self._raw.execute(sql, params).fetchall())

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write statement, atomic on its own (autocommit); returns the affected row count.
        It still takes the write lock, so it never lands inside another coroutine's transaction."""
        async with self._write_lock:
            cursor = await self._retry_busy(lambda: self._raw.execute(sql, params))
            return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """One INSERT on its own, like `execute`; returns the new row's id."""
        async with self._write_lock:
            cursor = await self._retry_busy(lambda: self._raw.execute(sql, params))
            if cursor.lastrowid is None:
                raise RuntimeError("not an INSERT")
            return cursor.lastrowid

    async def backup_to(self, target: Path) -> None:
        """A consistent copy taken on a worker thread, so the bot keeps answering meanwhile."""

        def copy() -> None:
            source = sqlite3.connect(str(self.path))
            destination = sqlite3.connect(str(target))
            try:
                source.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
                source.backup(destination)
            finally:
                destination.close()
                source.close()

        await asyncio.to_thread(copy)

    async def _retry_busy(self, statement: Callable[[], T]) -> T:
        deadline = time.monotonic() + self._busy_timeout
        pause = 0.001
        while True:
            try:
                return statement()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)

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
