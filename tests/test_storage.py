"""Migrations and the persistent FSM storage."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.ui.states import DistrictStates
from storage.backup import backup
from storage.db import Database, SchemaTooNewError, bundled_migrations
from storage.fsm import SQLStorage
from storage.organizations import OrganizationsRepo

KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


async def test_migrations_are_idempotent(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "m.db")
    try:
        first = await db.migrate()
        second = await db.migrate()
        assert first == second == bundled_migrations()[-1][0]
        rows = await db.fetch_all("SELECT version FROM schema_migrations")
        assert len(rows) == len(bundled_migrations())
        mode = await db.fetch_one("PRAGMA journal_mode")
        assert mode is not None and mode[0] == "wal"
    finally:
        await db.close()


async def test_newer_schema_refuses_to_start(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "m.db")
    try:
        await db.migrate()
        await db.execute("INSERT INTO schema_migrations VALUES (999, 'x')")
        with pytest.raises(SchemaTooNewError):
            await db.migrate()
    finally:
        await db.close()


async def test_failed_migration_leaves_nothing_half_applied(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "m.db")
    try:
        await db.migrate()
        broken = [*bundled_migrations(), (99, "CREATE TABLE t1 (a INTEGER);\nNOT SQL AT ALL;")]
        with pytest.raises(Exception, match="syntax"):
            await db.migrate(broken)
        assert await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 't1'") is None
        assert (
            await db.fetch_one("SELECT version FROM schema_migrations WHERE version = 99") is None
        )
    finally:
        await db.close()


async def test_fsm_state_and_data_survive_reopen(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "f.db")
    await db.migrate()
    storage = SQLStorage(db)
    await storage.set_state(KEY, DistrictStates.entering_name)
    await storage.set_data(KEY, {"district_id": 5, "name": "Школа № 1 «Ёлка»"})
    await db.close()

    db = await Database.open(tmp_path / "f.db")
    try:
        storage = SQLStorage(db)
        assert await storage.get_state(KEY) == DistrictStates.entering_name.state
        assert await storage.get_data(KEY) == {"district_id": 5, "name": "Школа № 1 «Ёлка»"}
        await storage.set_state(KEY, None)
        assert await storage.get_state(KEY) is None
        assert await storage.get_data(KEY) == {"district_id": 5, "name": "Школа № 1 «Ёлка»"}
    finally:
        await db.close()


async def test_concurrent_update_data_loses_nothing(db: Database) -> None:
    storage = SQLStorage(db)
    await asyncio.gather(*(storage.update_data(KEY, {f"q{n}": n}) for n in range(50)))
    assert await storage.get_data(KEY) == {f"q{n}": n for n in range(50)}


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
