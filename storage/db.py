"""The database engines (SQLite through aiosqlite, PostgreSQL through asyncpg), their
transactions and the migration runner.

Repositories write one dialect: `?` placeholders, `ON CONFLICT`, TEXT times from
`to_db_time`, INTEGER 0/1 booleans. The PostgreSQL engine translates it at run time
(`?` to `$n`; in migrations `INTEGER PRIMARY KEY` to an identity column, `INTEGER` to
`BIGINT`, `REAL` to `DOUBLE PRECISION`), so no repository and no migration is written twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
import sqlite3
import stat
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol, TypeAlias, TypeVar

import aiosqlite
import asyncpg

log = logging.getLogger(__name__)

Params = Sequence[Any]
T = TypeVar("T")
Synchronous = Literal["FULL", "NORMAL"]

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
# Files holding personal data are readable by the bot's user only (issue 11).
PRIVATE_FILE = stat.S_IRUSR | stat.S_IWUSR


class Row(Protocol):
    """A result row, read by column name or position (sqlite3.Row and asyncpg.Record)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Cursor:
    """What a write statement tells: the rows it touched and, for an INSERT, the new id."""

    rowcount: int
    lastrowid: int | None = None


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


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be opened: one line naming where and why, for the operator."""


def is_busy(error: BaseException) -> bool:
    """Another writer held the database longer than the configured wait, or the server is
    restarting: nothing was written, the user may simply retry."""
    if isinstance(error, sqlite3.OperationalError):
        return "locked" in str(error) or "busy" in str(error)
    # A server restarting or out of reach: the pool reconnects on the next statement.
    return isinstance(
        error,
        asyncpg.LockNotAvailableError
        | asyncpg.PostgresConnectionError
        | asyncpg.OperatorInterventionError
        | asyncpg.TooManyConnectionsError
        | asyncpg.InterfaceError
        | asyncpg.exceptions.InternalClientError  # a connection cut mid-statement
        | OSError,  # the server's socket gone or refusing while it restarts
    )


def is_disk_full(error: BaseException) -> bool:
    """The server has no room to write: earlier data is intact, new writes fail."""
    if isinstance(error, sqlite3.OperationalError):
        return "disk is full" in str(error)
    return isinstance(error, asyncpg.DiskFullError)


class Connection(ABC):
    """The statements a repository may run inside a transaction."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> Cursor: ...

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor: ...

    @abstractmethod
    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...


class Database(ABC):
    """The process's database. Writes that belong together go through `transaction()`,
    which serialises them (one writer at a time, as SQLite itself does), so a repository's
    read-then-write inside a transaction never interleaves with another's."""

    dialect: str
    path: Path | None = None

    @staticmethod
    async def open(
        path: str | Path, *, busy_timeout_ms: int = 5000, synchronous: Synchronous = "FULL"
    ) -> Database:
        """The embedded engine: one SQLite file, created readable by its owner only."""
        return await SQLiteDatabase.create(Path(path), busy_timeout_ms, synchronous)

    @staticmethod
    async def connect(
        url: str,
        *,
        path: str | Path = "nastavnik.db",
        busy_timeout_ms: int = 5000,
        synchronous: Synchronous = "FULL",
    ) -> Database:
        """The engine named by the `[database] url` setting; SQLite when there is none."""
        if url.startswith(("postgresql://", "postgres://")):
            return await PostgresDatabase.create(url, busy_timeout_ms)
        if url:
            raise DatabaseUnavailableError(
                f"unsupported database url scheme: {url.partition(':')[0]}"
            )
        return await Database.open(path, busy_timeout_ms=busy_timeout_ms, synchronous=synchronous)

    @abstractmethod
    def transaction(self) -> contextlib.AbstractAsyncContextManager[Connection]: ...

    @abstractmethod
    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write statement, atomic on its own; returns the affected row count."""

    @abstractmethod
    async def insert(self, sql: str, params: Params = ()) -> int:
        """One INSERT on its own; returns the new row's id."""

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def run_once(self, job: str, slot: str) -> contextlib.AbstractAsyncContextManager[bool]:
        """Whether this process is the one to run `job` for `slot` (e.g. the hour it is
        due): True for exactly one of the processes sharing the database, whichever asks
        first. The slot is taken when the job starts, so a process killed mid-job leaves
        nothing claimed for the next slot."""

    @abstractmethod
    async def hold(self, name: str) -> None:
        """Mark `name` (e.g. an outbox worker) as alive for as long as this process runs."""

    @abstractmethod
    async def unheld(self, names: Iterable[str]) -> set[str]:
        """The names no running process holds: their work was cut short and is free."""

    async def migrate(self, migrations: Iterable[tuple[int, str]] | None = None) -> int:
        """Apply numbered migrations not applied yet; return the resulting schema version.
        Each migration is one transaction: one that fails half-way leaves the old schema."""
        steps = sorted(migrations if migrations is not None else bundled_migrations())
        known = steps[-1][0] if steps else 0
        async with self.transaction() as conn:
            for statement in _ENGINE_TABLES:
                await conn.execute(self._ddl(statement))
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
                for statement in split_statements(script):
                    await conn.execute(self._ddl(statement))
                await conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, to_db_time(datetime.now(UTC))),
                )
            log.info("migration applied version=%s", version)
            current = version
        await self._schema_changed()
        return current

    def _ddl(self, statement: str) -> str:
        return statement

    async def _schema_changed(self) -> None:  # noqa: B027 (a hook most engines leave empty)
        """Hook: the engine refreshes what it knows about the tables."""


# The engine's own bookkeeping, created before the numbered migrations.
_ENGINE_TABLES = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS job_runs ("
    " job TEXT NOT NULL, slot TEXT NOT NULL, started_at TEXT NOT NULL, PRIMARY KEY (job, slot))",
)


# --- SQLite -------------------------------------------------------------------------------


# Units of work committed together at most: a batch's last unit waits for the others' work,
# so the bound keeps its latency bounded.
GROUP_COMMIT_UNITS = 64


@dataclass(eq=False)
class _Batch:
    """Units of work sharing one SQLite transaction and so one COMMIT (one fsync)."""

    done: asyncio.Future[None]
    begun: bool = False  # BEGIN IMMEDIATE has run
    units: int = 0  # units whose work it keeps
    lost: BaseException | None = None  # the whole transaction was rolled back


class _SQLiteConnection(Connection):
    """One unit of work's statements, each run on the writer's thread. The first one carries
    the BEGIN (for the batch's first unit) and the unit's SAVEPOINT with it, so a unit of n
    statements costs n thread hops, plus one for the COMMIT it may share with others."""

    def __init__(self, worker: aiosqlite.Connection, batch: _Batch) -> None:
        self._worker = worker
        self._batch = batch
        self.begun = False

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        if self.begun:
            return await _on_thread(self._worker, work)
        batch = self._batch

        def begin_then(raw: sqlite3.Connection) -> T:
            if not batch.begun:
                # IMMEDIATE takes the write lock up front: a transaction never fails half-way
                # because another process started writing after its first read.
                raw.execute("BEGIN IMMEDIATE")
                batch.begun = True
            # Savepoints of earlier units stay open (COMMIT releases them all): rolling back
            # to the newest one undoes this unit alone.
            raw.execute("SAVEPOINT unit")
            self.begun = True
            return work(raw)

        return await _on_thread(self._worker, begin_then)

    async def execute(self, sql: str, params: Params = ()) -> Cursor:
        sql = to_sqlite(sql)
        return await self._run(lambda raw: _cursor(raw.execute(sql, params)))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        batch, sql = list(rows), to_sqlite(sql)
        return await self._run(lambda raw: _cursor(raw.executemany(sql, batch)))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        sql = to_sqlite(sql)
        row: Row | None = await self._run(lambda raw: raw.execute(sql, params).fetchone())
        return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        sql = to_sqlite(sql)
        return await self._run(lambda raw: raw.execute(sql, params).fetchall())


class SQLiteDatabase(Database):
    """aiosqlite: every statement runs on a worker thread, so a slow disk, a WAL checkpoint
    or another process holding the write lock never stalls the event loop.

    Two connections, each with its own thread: the writer (transactions, one at a time) and
    the reader (statements outside a transaction). In WAL mode readers never wait for a
    writer, so while the writer waits out another process's lock (SQLite's busy timeout,
    on its thread) every read, and so every user who only reads, is still answered.

    Group commit: with synchronous=FULL a COMMIT costs an fsync (milliseconds), far more than
    a unit of work's statements. Units still run one at a time under the write lock, but a
    unit that ends while others wait for the lock (queued behind it, or behind the COMMIT in
    progress) leaves the transaction open for them, and the last of the batch commits for
    all (at most GROUP_COMMIT_UNITS). Each unit runs in its own SAVEPOINT, so a failing unit
    rolls back only itself, and each returns from `transaction()` only once the COMMIT
    holding its work has returned: an acknowledged answer is on disk, and a failed COMMIT
    raises in every unit of its batch.
    """

    dialect = "sqlite"

    def __init__(
        self, writer: aiosqlite.Connection, reader: aiosqlite.Connection, path: Path
    ) -> None:
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._queued = 0  # units waiting for the write lock
        self._batch: _Batch | None = None  # the open transaction, if a unit left it open
        self._flushes: set[asyncio.Task[None]] = set()
        self.commits = 0  # COMMITs (and autocommit writes) run: fsyncs, for the benchmarks
        self.path = path

    @classmethod
    async def create(
        cls, path: Path, busy_timeout_ms: int, synchronous: Synchronous
    ) -> SQLiteDatabase:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous}")
        _create_private(path)
        connections: list[aiosqlite.Connection] = []
        try:
            for _ in range(2):
                connection = await aiosqlite.connect(path, isolation_level=None)
                connections.append(connection)
                connection.row_factory = sqlite3.Row
                await connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            writer, reader = connections
            await writer.execute("PRAGMA journal_mode = WAL")
            for connection in connections:
                # FULL: an acknowledged answer survives a power loss, not only a kill -9.
                await connection.execute(f"PRAGMA synchronous = {synchronous}")
                await connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            for connection in connections:
                await connection.close()
            raise DatabaseUnavailableError(f"cannot open database {path}: {error}") from error
        # SQLite gives the -wal and -shm files the main file's mode: they are private too.
        return cls(writer, reader, path)

    async def close(self) -> None:
        await self._reader.close()
        await self._writer.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        await self._acquire()
        async with self._unit() as conn:
            yield conn

    async def _acquire(self) -> None:
        self._queued += 1
        try:
            await self._write_lock.acquire()
        except BaseException:
            self._queued -= 1
            if self._batch is not None and not self._queued and not self._write_lock.locked():
                # The unit that left the batch open counted on this one to commit it.
                flush = asyncio.get_running_loop().create_task(self._flush())
                self._flushes.add(flush)
                flush.add_done_callback(self._flushes.discard)
            raise
        self._queued -= 1

    async def _flush(self) -> None:
        with contextlib.suppress(Exception):  # the batch's units are told of a failure
            async with self.transaction():
                pass

    @asynccontextmanager
    async def _unit(self) -> AsyncIterator[Connection]:
        """One unit of work in the open batch (or a new one); the write lock is held."""
        batch = self._batch
        if batch is None:
            batch = self._batch = _Batch(asyncio.get_running_loop().create_future())
        conn = _SQLiteConnection(self._writer, batch)
        try:
            yield conn
        except BaseException as error:
            if conn.begun:
                await self._undo(batch, error)
            raise
        else:
            if conn.begun:
                batch.units += 1
        finally:
            self._end_unit(batch)
        if conn.begun:
            # Shielded: one unit cancelled while waiting must not cancel the others' wait.
            await asyncio.shield(batch.done)

    async def _undo(self, batch: _Batch, cause: BaseException) -> None:
        """Roll the failed unit back to its savepoint. If SQLite rolled back the whole
        transaction itself (a full disk, an I/O error), the batch is lost for every unit in
        it, with the error that lost it."""

        def undo(raw: sqlite3.Connection) -> None:
            if not raw.in_transaction:
                batch.lost = cause
                return
            try:
                raw.execute("ROLLBACK TO unit")
                raw.execute("RELEASE unit")
            except sqlite3.Error as error:
                batch.lost = error

        try:
            await _on_thread(self._writer, undo)
        except BaseException:  # interrupted: nothing of the batch is sure any more
            batch.lost = sqlite3.OperationalError("a unit's rollback was interrupted")
            raise

    def _end_unit(self, batch: _Batch) -> None:
        """Leave the batch open for the units waiting for the lock, or commit it."""
        if batch.lost is None and self._queued and batch.units < GROUP_COMMIT_UNITS:
            self._write_lock.release()
            return
        self._batch = None
        # A task of its own: the units waiting for it are told even if this one is cancelled.
        commit = asyncio.get_running_loop().create_task(self._commit(batch))
        self._flushes.add(commit)
        commit.add_done_callback(self._flushes.discard)

    async def _commit(self, batch: _Batch) -> None:
        """COMMIT the batch (ROLLBACK if it keeps nothing or is lost), then tell its units;
        the write lock, held since the last unit ended, is released after."""

        def commit(raw: sqlite3.Connection) -> None:
            if batch.lost is None and batch.units:
                try:
                    raw.execute("COMMIT")
                    return
                except BaseException:
                    if raw.in_transaction:
                        raw.rollback()
                    raise
            if raw.in_transaction:
                raw.rollback()  # nothing to keep: no fsync
            if batch.lost is not None:
                raise batch.lost

        try:
            if batch.begun or batch.lost is not None:
                await _on_thread(self._writer, commit)
                self.commits += 1 if batch.units and batch.lost is None else 0
        except asyncio.CancelledError:
            batch.done.cancel()
        except BaseException as error:
            batch.done.set_exception(error)
            batch.done.exception()  # retrieved: a batch of failed units alone waits for none
        else:
            batch.done.set_result(None)
        finally:
            self._write_lock.release()

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = await _on_thread(
            self._reader, lambda raw: raw.execute(sql, params).fetchone()
        )
        return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return await _on_thread(self._reader, lambda raw: raw.execute(sql, params).fetchall())

    async def execute(self, sql: str, params: Params = ()) -> int:
        return (await self._write_alone(sql, params)).rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        cursor = await self._write_alone(sql, params)
        if cursor.lastrowid is None:
            raise RuntimeError("not an INSERT")
        return cursor.lastrowid

    async def _write_alone(self, sql: str, params: Params) -> Cursor:
        """One statement, atomic on its own. Alone, it autocommits in one hop; with a batch
        open or units waiting, it joins the batch as a unit of its own (its own savepoint, so
        no other unit's rollback undoes it), and shares the COMMIT."""
        await self._acquire()
        if self._batch is None and not self._queued:
            try:
                cursor = await _on_thread(
                    self._writer, lambda raw: _cursor(raw.execute(sql, params))
                )
            finally:
                self._write_lock.release()
            self.commits += 1
            return cursor
        async with self._unit() as conn:
            return await conn.execute(sql, params)

    async def hold(self, name: str) -> None:
        """One process per SQLite file: nobody else needs to know who is alive."""

    async def unheld(self, names: Iterable[str]) -> set[str]:
        # One process per SQLite file, and recovery runs as it starts: nothing is held.
        return set(names)

    @asynccontextmanager
    async def run_once(self, job: str, slot: str) -> AsyncIterator[bool]:
        claimed = await self.execute(
            "INSERT INTO job_runs (job, slot, started_at) VALUES (?, ?, ?)"
            " ON CONFLICT (job, slot) DO NOTHING",
            (job, slot, to_db_time(datetime.now(UTC))),
        )
        yield claimed == 1

    async def backup_to(self, target: Path) -> None:
        """A consistent copy taken on a worker thread, so the bot keeps answering meanwhile.
        The copy holds the same personal data: it is created readable by its owner only."""
        assert self.path is not None

        def copy() -> None:
            _create_private(target)
            source = sqlite3.connect(str(self.path))
            destination = sqlite3.connect(str(target))
            try:
                source.execute("PRAGMA busy_timeout = 10000")
                source.backup(destination)
            finally:
                destination.close()
                source.close()

        await asyncio.to_thread(copy)


_ROW_LOCKS = re.compile(r"\s+FOR\s+UPDATE(\s+SKIP\s+LOCKED)?", re.IGNORECASE)


def to_sqlite(sql: str) -> str:
    """SQLite has one writer at a time, so PostgreSQL's row locks mean nothing to it."""
    return _ROW_LOCKS.sub("", sql) if "FOR UPDATE" in sql else sql


async def _on_thread(worker: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    # aiosqlite runs each queued callable on its connection's thread; handing it the whole
    # unit of work (statement plus fetch, or BEGIN plus statement) makes it one hop.
    raw = worker._conn
    result: T = await worker._execute(work, raw)  # type: ignore[no-untyped-call]
    return result


def _cursor(cursor: sqlite3.Cursor) -> Cursor:
    return Cursor(cursor.rowcount, cursor.lastrowid)


def _create_private(path: Path) -> None:
    """Create the file 0600 before SQLite does (SQLite would make it 0644 under umask 022);
    an existing file is tightened to 0600."""
    if not path.parent.is_dir():
        raise DatabaseUnavailableError(f"cannot open database {path}: no directory {path.parent}")
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    except OSError as error:
        raise DatabaseUnavailableError(
            f"cannot open database {path}: {error.strerror or error}"
        ) from error
    os.close(descriptor)
    _chmod_private(path)


def _chmod_private(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.chmod(PRIVATE_FILE)


# --- PostgreSQL ---------------------------------------------------------------------------

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|\?")
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
# Every write transaction takes this transaction-scoped lock: writers run one at a time
# across all processes, the same semantics SQLite gives and the repositories rely on.
_WRITER_LOCK = 7_312_650_001


@lru_cache(maxsize=4096)
def to_postgres(sql: str) -> str:
    """`?` placeholders to `$1, $2, ...`, leaving string literals and comments alone."""
    counter = 0

    def number(match: re.Match[str]) -> str:
        nonlocal counter
        if match.group(0) != "?":
            return match.group(0)
        counter += 1
        return f"${counter}"

    return _TOKENS.sub(number, sql)


_DDL = (
    (
        re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?", re.I),
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
)


def postgres_ddl(statement: str) -> str:
    """A migration statement in the repositories' dialect, as PostgreSQL writes it.
    SQLite's INTEGER is 64-bit (Telegram ids need it); PostgreSQL's is 32-bit."""
    for pattern, replacement in _DDL:
        statement = pattern.sub(replacement, statement)
    return statement


def _numeric(text: str) -> int | float:
    # SUM over integers is NUMERIC in PostgreSQL; the repositories expect what SQLite gives.
    try:
        return int(text)
    except ValueError:
        return float(text)


def _count(status: str) -> int:
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


_PgConnection: TypeAlias = "asyncpg.pool.PoolConnectionProxy[asyncpg.Record]"


class _PostgresConnection(Connection):
    def __init__(self, raw: _PgConnection, database: PostgresDatabase) -> None:
        self._raw = raw
        self._database = database

    async def execute(self, sql: str, params: Params = ()) -> Cursor:
        return await self._database._write(self._raw, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        batch = list(rows)
        await self._raw.executemany(to_postgres(sql), batch)
        return Cursor(len(batch))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = await self._raw.fetchrow(to_postgres(sql), *params)
        return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        rows: list[Row] = list(await self._raw.fetch(to_postgres(sql), *params))
        return rows


class PostgresDatabase(Database):
    """asyncpg with a connection pool: several bot processes may share one server."""

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str, busy_timeout_ms: int) -> None:
        self._pool = pool
        self._write_lock = asyncio.Lock()
        self._lock_timeout = f"{int(busy_timeout_ms)}ms" if busy_timeout_ms else "0"
        self._identity_tables: frozenset[str] = frozenset()
        self._held: set[str] = set()
        # Session advisory locks live on one connection kept out of the pool: the server
        # releases them when the process dies, which is how the others learn it did.
        self._holder: _PgConnection | None = None
        self._holder_lock = asyncio.Lock()
        self.url = url

    @classmethod
    async def create(cls, url: str, busy_timeout_ms: int) -> PostgresDatabase:
        dsn, options = _split_url(url)
        try:
            pool = await asyncpg.create_pool(
                dsn, min_size=1, max_size=10, timeout=10, init=_init_connection, **options
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise DatabaseUnavailableError(
                f"cannot connect to PostgreSQL {_where(url)}: {_reason(error)}"
            ) from error
        database = cls(pool, url, busy_timeout_ms)
        await database._schema_changed()
        return database

    async def close(self) -> None:
        if self._holder is not None:
            await self._pool.release(self._holder)
        await self._pool.close()

    async def hold(self, name: str) -> None:
        if name in self._held:
            return
        async with self._holder_lock:
            if self._holder is None:
                self._holder = await self._pool.acquire()
            await self._holder.execute("SELECT pg_advisory_lock($1)", _lock_key(name))
            self._held.add(name)

    async def unheld(self, names: Iterable[str]) -> set[str]:
        free = set()
        async with self._holder_lock:
            if self._holder is None:
                self._holder = await self._pool.acquire()
            for name in set(names) - self._held:
                key = _lock_key(name)
                if await self._holder.fetchval("SELECT pg_try_advisory_lock($1)", key):
                    await self._holder.execute("SELECT pg_advisory_unlock($1)", key)
                    free.add(name)
        return free

    def _ddl(self, statement: str) -> str:
        return postgres_ddl(statement)

    async def _schema_changed(self) -> None:
        rows = await self._pool.fetch(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
            " AND is_identity = 'YES' AND table_schema = current_schema()"
        )
        self._identity_tables = frozenset(row["table_name"] for row in rows)

    async def _write(self, raw: _PgConnection, sql: str, params: Params) -> Cursor:
        insert = _INSERT_INTO.match(sql)
        if insert and insert.group(1) in self._identity_tables and "RETURNING" not in sql.upper():
            # The repositories read `lastrowid` as SQLite gives it; here RETURNING gives it.
            rows = await raw.fetch(to_postgres(sql + " RETURNING id"), *params)
            return Cursor(len(rows), rows[-1]["id"] if rows else None)
        return Cursor(_count(await raw.execute(to_postgres(sql), *params)))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._write_lock, self._pool.acquire() as raw:
            # One round trip: BEGIN, the bound on waiting for a lock (a writer stuck
            # elsewhere gives "busy" instead of hanging the user), and the writers' lock.
            await raw.execute(
                f"BEGIN; SET LOCAL lock_timeout = '{self._lock_timeout}';"
                f" SELECT pg_advisory_xact_lock({_WRITER_LOCK})"
            )
            try:
                yield _PostgresConnection(raw, self)
            except BaseException:
                await raw.execute("ROLLBACK")
                raise
            await raw.execute("COMMIT")

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = await self._pool.fetchrow(to_postgres(sql), *params)
        return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        rows: list[Row] = list(await self._pool.fetch(to_postgres(sql), *params))
        return rows

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self._pool.acquire() as raw:
            return (await self._write(raw, sql, params)).rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        async with self._pool.acquire() as raw:
            cursor = await self._write(raw, sql, params)
        if cursor.lastrowid is None:
            raise RuntimeError("not an INSERT")
        return cursor.lastrowid

    @asynccontextmanager
    async def run_once(self, job: str, slot: str) -> AsyncIterator[bool]:
        key = _lock_key(f"job:{job}")
        async with self._pool.acquire() as raw:
            # A session lock: held while the job runs, released by the server if the
            # process dies, so an overrunning job never runs twice at once.
            if not await raw.fetchval("SELECT pg_try_advisory_lock($1)", key):
                yield False
                return
            try:
                status = await raw.execute(
                    to_postgres(
                        "INSERT INTO job_runs (job, slot, started_at) VALUES (?, ?, ?)"
                        " ON CONFLICT (job, slot) DO NOTHING"
                    ),
                    job,
                    slot,
                    to_db_time(datetime.now(UTC)),
                )
                yield _count(status) == 1
            finally:
                await raw.execute("SELECT pg_advisory_unlock($1)", key)


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


async def _init_connection(raw: asyncpg.Connection) -> None:
    await raw.set_type_codec(
        "numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text"
    )


def _split_url(url: str) -> tuple[str, dict[str, Any]]:
    """`?statement_cache_size=0` (needed behind PgBouncer in transaction mode) is an asyncpg
    option, not a server setting: take it out of the URL."""
    base, _, query = url.partition("?")
    options: dict[str, Any] = {}
    rest = []
    for part in filter(None, query.split("&")):
        name, _, value = part.partition("=")
        if name == "statement_cache_size":
            options[name] = int(value)
        else:
            rest.append(part)
    return (base + ("?" + "&".join(rest) if rest else "")), options


def _where(url: str) -> str:
    """host:port/database, never the password."""
    rest = url.split("://", 1)[-1].split("?", 1)[0]
    return rest.rsplit("@", 1)[-1]


def _reason(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# --- migrations ---------------------------------------------------------------------------


def bundled_migrations() -> list[tuple[int, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def split_statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
