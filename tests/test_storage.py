"""The engines (SQLite and PostgreSQL), migrations and the persistent FSM storage."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey

from bot.ui.states import DistrictStates, SchoolStates
from storage.backup import backup
from storage.db import (
    GROUP_COMMIT_UNITS,
    Database,
    DatabaseUnavailableError,
    SchemaTooNewError,
    SQLiteDatabase,
    bundled_migrations,
    postgres_ddl,
    to_postgres,
)
from storage.fsm import SQLStorage
from storage.organizations import OrganizationsRepo
from tests.engines import BOTH_ENGINES, reopen

KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)
BUILT = DefaultKeyBuilder(with_bot_id=True, with_destiny=True).build(KEY)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@BOTH_ENGINES
async def test_migrations_are_idempotent(db: Database) -> None:
    first = await db.migrate()
    second = await db.migrate()
    assert first == second == bundled_migrations()[-1][0]
    rows = await db.fetch_all("SELECT version FROM schema_migrations")
    assert len(rows) == len(bundled_migrations())
    if db.dialect == "sqlite":
        mode = await db.fetch_one("PRAGMA journal_mode")
        assert mode is not None and mode[0] == "wal"
        synchronous = await db.fetch_one("PRAGMA synchronous")
        assert synchronous is not None and synchronous[0] == 2  # FULL


@BOTH_ENGINES
async def test_newer_schema_refuses_to_start(db: Database) -> None:
    await db.execute("INSERT INTO schema_migrations VALUES (999, 'x')")
    with pytest.raises(SchemaTooNewError):
        await db.migrate()


@BOTH_ENGINES
async def test_failed_migration_leaves_nothing_half_applied(db: Database) -> None:
    broken = [*bundled_migrations(), (99, "CREATE TABLE t1 (a INTEGER);\nNOT SQL AT ALL;")]
    with pytest.raises(Exception, match="syntax"):
        await db.migrate(broken)
    with pytest.raises(Exception, match="t1"):
        await db.fetch_one("SELECT a FROM t1")
    assert await db.fetch_one("SELECT version FROM schema_migrations WHERE version = 99") is None
    # The old schema still works.
    assert await OrganizationsRepo(db).create_district("Округ", NOW) is not None


@BOTH_ENGINES
async def test_fsm_state_and_data_survive_reopen(db: Database) -> None:
    storage = SQLStorage(db)
    await storage.set_state(KEY, DistrictStates.entering_name)
    await storage.set_data(KEY, {"district_id": 5, "name": "Школа № 1 «Ёлка»"})
    again = await reopen(db)
    try:
        storage = SQLStorage(again)
        assert await storage.get_state(KEY) == DistrictStates.entering_name.state
        assert await storage.get_data(KEY) == {"district_id": 5, "name": "Школа № 1 «Ёлка»"}
        await storage.set_state(KEY, None)
        assert await storage.get_state(KEY) is None
        assert await storage.get_data(KEY) == {"district_id": 5, "name": "Школа № 1 «Ёлка»"}
    finally:
        await again.close()


@BOTH_ENGINES
async def test_concurrent_update_data_loses_nothing(db: Database) -> None:
    storage = SQLStorage(db)
    await asyncio.gather(*(storage.update_data(KEY, {f"q{n}": n}) for n in range(50)))
    assert await storage.get_data(KEY) == {f"q{n}": n for n in range(50)}


@BOTH_ENGINES
async def test_unserializable_data_is_refused(db: Database) -> None:
    with pytest.raises(TypeError):
        await SQLStorage(db).set_data(KEY, {"bad": object()})
    assert await SQLStorage(db).get_data(KEY) == {}


async def test_backup_while_in_use_and_restore(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    db = await Database.open(live)
    await db.migrate()
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    await OrganizationsRepo(db).create_district("Округ до копии", now)
    copies = [
        await backup(live, tmp_path / "backups", 2, now + timedelta(seconds=n)) for n in range(3)
    ]
    await OrganizationsRepo(db).create_district("Округ после копии", now)
    await db.close()
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [c.name for c in copies[1:]]
    # Restore: the newest copy takes the live file's place.
    copies[-1].replace(live)
    restored = await Database.open(live)
    try:
        assert await restored.migrate() == bundled_migrations()[-1][0]
        names = [d.name for d in await OrganizationsRepo(restored).districts()]
        assert names == ["Округ до копии"]
    finally:
        await restored.close()


@BOTH_ENGINES
async def test_ids_row_counts_and_sums_read_the_same_on_both_engines(db: Database) -> None:
    repo = OrganizationsRepo(db)
    first = await repo.create_district("Первый округ", NOW)
    second = await repo.create_district("Второй округ", NOW)
    assert first is not None and second is not None and second.id == first.id + 1
    school = await repo.create_school(first.id, "Школа № 1", "Europe/Moscow", NOW)
    assert school is not None and await repo.school(school.id) == school
    assert await db.insert("INSERT INTO districts (name, created_at) VALUES (?, ?)", ("Т", "x")) > 0
    changed = await db.execute("UPDATE districts SET created_at = ? WHERE id <> ?", ("y", 0))
    assert changed == 3
    row = await db.fetch_one(
        "SELECT SUM(id) AS total, COUNT(*) AS n, MAX(name) AS top FROM districts"
        " WHERE name <> '?' AND name LIKE ? ESCAPE '!'",
        ("%округ",),
    )
    assert row is not None and (row["total"], row["n"], row["top"]) == (3, 2, "Первый округ")
    assert type(row["total"]) is int  # not PostgreSQL's Decimal
    big = 9_000_000_000  # Telegram ids pass 2**31: 64-bit columns on both engines
    await db.execute("INSERT INTO people (telegram_id, created_at) VALUES (?, ?)", (big, "t"))
    person = await db.fetch_one("SELECT telegram_id FROM people WHERE telegram_id = ?", (big,))
    assert person is not None and person["telegram_id"] == big


@BOTH_ENGINES
async def test_a_failed_transaction_keeps_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO districts (name, created_at) VALUES (?, ?)", ("А", "t"))
            raise RuntimeError("abandoned half-way")
    assert await db.fetch_one("SELECT id FROM districts") is None
    async with db.transaction() as conn:  # and the engine is usable afterwards
        await conn.execute("INSERT INTO districts (name, created_at) VALUES (?, ?)", ("Б", "t"))
    assert len(await db.fetch_all("SELECT id FROM districts")) == 1


@BOTH_ENGINES
async def test_a_periodic_job_runs_once_per_slot(db: Database) -> None:
    async with db.run_once("sweep", "2026-11-23T09") as mine:
        assert mine
        async with db.run_once("sweep", "2026-11-23T09") as again:
            assert not again
    async with db.run_once("sweep", "2026-11-23T09") as later:
        assert not later  # the slot is taken for good once started
    async with db.run_once("sweep", "2026-11-23T10") as next_hour:
        assert next_hour


def test_placeholders_become_numbered_outside_literals_and_comments() -> None:
    sql = "SELECT '?', \"a?\" FROM t WHERE x = ? AND y LIKE ? -- why?\n AND z IN (?, ?)"
    assert to_postgres(sql) == (
        "SELECT '?', \"a?\" FROM t WHERE x = $1 AND y LIKE $2 -- why?\n AND z IN ($3, $4)"
    )
    assert postgres_ddl("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s REAL)") == (
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT,"
        " s DOUBLE PRECISION)"
    )


async def test_a_backup_cut_short_leaves_the_good_copies_and_no_half_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live, folder = tmp_path / "live.db", tmp_path / "backups"
    db = await Database.open(live)
    await db.migrate()
    good = [await backup(live, folder, 2, NOW + timedelta(seconds=n)) for n in range(2)]

    async def disk_full(self: SQLiteDatabase, target: Path) -> None:
        target.write_bytes(b"SQLite format 3\x00 and then the disk was full")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SQLiteDatabase, "backup_to", disk_full)
    with pytest.raises(OSError, match="No space left"):
        await backup(live, folder, 2, NOW + timedelta(minutes=1))
    await db.close()
    # Neither the half copy nor its temporary file is left; both good copies are.
    assert sorted(folder.iterdir()) == good
    # A copy abandoned by a killed process is removed by the next backup, once it is old.
    abandoned = folder / ".nastavnik-killed.partial"
    abandoned.write_bytes(b"half")
    old = time.time() - 7 * 3600
    os.utime(abandoned, (old, old))
    monkeypatch.undo()
    await backup(live, folder, 2, NOW + timedelta(minutes=2))
    assert not abandoned.exists() and len(list(folder.glob("nastavnik-*.db"))) == 2


async def test_database_and_backups_are_private_files(tmp_path: Path) -> None:
    live = tmp_path / "private.db"
    db = await Database.open(live)
    await db.migrate()
    await OrganizationsRepo(db).create_district("Округ", NOW)
    copy = await backup(live, tmp_path / "backups", 2, NOW)
    for path in (live, live.with_name("private.db-wal"), copy):
        assert path.stat().st_mode & 0o777 == 0o600, path
    await db.close()


async def test_unopenable_database_names_the_path_and_the_cause(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailableError, match=r"missing/bot\.db: no directory"):
        await Database.open(tmp_path / "missing" / "bot.db")
    (tmp_path / "folder.db").mkdir()
    with pytest.raises(DatabaseUnavailableError, match=r"folder\.db: Is a directory"):
        await Database.open(tmp_path / "folder.db")


async def test_reads_are_answered_while_a_write_waits_for_another_process(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    db = await Database.open(path, busy_timeout_ms=5000)
    await db.migrate()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        writing = asyncio.create_task(OrganizationsRepo(db).create_district("Округ", NOW))
        await asyncio.sleep(0.05)
        assert not writing.done()  # the write waits for the other process...
        # ...while reads, i.e. every user who only looks, are answered at once.
        assert await asyncio.wait_for(db.fetch_all("SELECT id FROM districts"), 0.5) == []
        other.execute("ROLLBACK")
        assert await writing is not None  # and the waiting write went through
    finally:
        other.close()
        await db.close()


# --- group commit (SQLite) ----------------------------------------------------------------

_DISTRICT = "INSERT INTO districts (name, created_at) VALUES (?, ?)"


async def _sqlite_with_commits(tmp_path: Path) -> tuple[SQLiteDatabase, list[str]]:
    """A migrated SQLite database whose writer reports every statement it runs."""
    db = await Database.open(tmp_path / "group.db")
    assert isinstance(db, SQLiteDatabase)
    await db.migrate()
    statements: list[str] = []
    await db._writer.set_trace_callback(statements.append)
    return db, statements


async def _district(db: Database, name: str, fail: bool = False) -> bool:
    """One unit of work: a district; then whether the reader sees it once the block is left."""
    async with db.transaction() as conn:
        await conn.execute(_DISTRICT, (name, "t"))
        if fail:
            raise RuntimeError("this unit fails")
    return await db.fetch_one("SELECT id FROM districts WHERE name = ?", (name,)) is not None


async def test_concurrent_transactions_share_one_commit(tmp_path: Path) -> None:
    db, statements = await _sqlite_with_commits(tmp_path)
    before = db.commits
    try:
        seen = await asyncio.gather(*(_district(db, f"Округ {n}") for n in range(5)))
        # Every unit's data is on disk, and visible to the reader, once its block is left.
        assert seen == [True] * 5
        assert statements.count("COMMIT") == 1
        assert db.commits - before == 1
    finally:
        await db.close()


async def test_a_failing_unit_does_not_undo_the_others_in_its_batch(tmp_path: Path) -> None:
    db, statements = await _sqlite_with_commits(tmp_path)
    try:
        first, failed, last = await asyncio.gather(
            _district(db, "А"),
            _district(db, "Б", fail=True),
            _district(db, "В"),
            return_exceptions=True,
        )
        assert first is True and last is True and isinstance(failed, RuntimeError)
        names = [row["name"] for row in await db.fetch_all("SELECT name FROM districts")]
        assert sorted(names) == ["А", "В"]
        assert statements.count("COMMIT") == 1
        # An autocommit write joining a batch is a unit of its own: a later failure keeps it.
        await asyncio.gather(
            db.execute(_DISTRICT, ("Г", "t")),
            _district(db, "Д", fail=True),
            return_exceptions=True,
        )
        names = [row["name"] for row in await db.fetch_all("SELECT name FROM districts")]
        assert sorted(names) == ["А", "В", "Г"]
    finally:
        await db.close()


async def test_a_failed_commit_raises_in_every_unit_of_its_batch(tmp_path: Path) -> None:
    db, _ = await _sqlite_with_commits(tmp_path)
    # A deferred foreign key is checked at COMMIT: the engine's own COMMIT fails.
    await db.execute(
        "CREATE TABLE orphans (district_id INTEGER"
        " REFERENCES districts (id) DEFERRABLE INITIALLY DEFERRED)"
    )

    async def orphan() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO orphans (district_id) VALUES (?)", (999,))

    try:
        outcomes = await asyncio.gather(
            _district(db, "А"), orphan(), _district(db, "Б"), return_exceptions=True
        )
        assert all(isinstance(outcome, sqlite3.IntegrityError) for outcome in outcomes)
        assert await db.fetch_all("SELECT id FROM districts") == []  # nothing acknowledged
        assert await _district(db, "В")  # and the engine is usable afterwards
    finally:
        await db.close()


async def test_a_batch_is_bounded(tmp_path: Path) -> None:
    db, statements = await _sqlite_with_commits(tmp_path)
    try:
        units = GROUP_COMMIT_UNITS * 2 + 1
        assert all(await asyncio.gather(*(_district(db, f"Округ {n}") for n in range(units))))
        assert statements.count("COMMIT") == 3
    finally:
        await db.close()


@BOTH_ENGINES
async def test_writes_within_an_update_are_stored_once_at_flush(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = SQLStorage(db)
    await storage.set_state(KEY, DistrictStates.entering_name)
    writes: list[str] = []
    execute = db.execute

    async def counted(sql: str, params: Any = ()) -> int:
        writes.append(sql)
        return await execute(sql, params)

    monkeypatch.setattr(db, "execute", counted)
    async with storage.deferring():
        # What aiogram's clear() does, then the next question's state and data.
        await storage.set_state(KEY, None)
        await storage.set_data(KEY, {})
        await storage.set_state(KEY, SchoolStates.entering_name)
        await storage.set_data(KEY, {"name": "Школа"})
        assert await storage.get_state(KEY) == SchoolStates.entering_name.state
        assert await storage.get_data(KEY) == {"name": "Школа"}
        assert writes == []  # kept until the update's first reply or its end
        row = await db.fetch_one("SELECT state FROM fsm_states WHERE storage_key = ?", (BUILT,))
        assert row is not None and row["state"] == DistrictStates.entering_name.state
    assert len(writes) == 1
    again = await reopen(db)
    try:
        stored = SQLStorage(again)
        assert await stored.get_state(KEY) == SchoolStates.entering_name.state
        assert await stored.get_data(KEY) == {"name": "Школа"}
    finally:
        await again.close()
    writes.clear()
    async with storage.deferring():  # back to what is stored: nothing to write
        await storage.set_state(KEY, None)
        await storage.set_state(KEY, SchoolStates.entering_name)
    assert writes == []


@BOTH_ENGINES
async def test_update_data_sees_the_writes_kept_in_the_update(db: Database) -> None:
    storage = SQLStorage(db)
    async with storage.deferring():
        await storage.set_state(KEY, DistrictStates.entering_name)
        await storage.set_data(KEY, {"a": 1})
        assert await storage.update_data(KEY, {"b": 2}) == {"a": 1, "b": 2}
    again = await reopen(db)
    try:
        stored = SQLStorage(again)
        assert await stored.get_state(KEY) == DistrictStates.entering_name.state
        assert await stored.get_data(KEY) == {"a": 1, "b": 2}
    finally:
        await again.close()
