"""Faults: the database held by another writer, a full disk."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest
from aiogram import Bot

from app.assembly import build_dispatcher
from bot.core.config import Settings
from bot.core.i18n import tr
from storage.db import Database
from storage.organizations import OrganizationsRepo
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN


async def admin_naming_a_district(
    db: Database, settings: Settings, clock: FakeClock, bot: Bot, fake: FakeTelegram
) -> Harness:
    """The bot over `db`, with the administrator asked for a new district's name."""
    await db.migrate()
    tg = Harness(build_dispatcher(settings, db, clock), bot, fake, clock)
    await tg.send(ADMIN, "/schools")
    await tg.press(ADMIN, "➕ Новый округ")
    return tg


async def test_busy_database_tells_user_to_retry_and_writes_nothing_half(
    tmp_path: Path, settings: Settings, clock: FakeClock, bot: Bot, fake: FakeTelegram
) -> None:
    path = tmp_path / "busy.db"
    db = await Database.open(path, busy_timeout_ms=100)
    tg = await admin_naming_a_district(db, settings, clock, bot, fake)
    try:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            busy = await tg.send(ADMIN, "Округ в час пик")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert busy["text"] == tr("database-busy")
        assert await db.fetch_one("SELECT id FROM districts") is None
        done = await tg.send(ADMIN, "Округ в час пик")  # the same step, once the lock is gone
        assert "Округ в час пик" in done["text"]
        assert await db.fetch_one("SELECT id FROM districts") is not None
    finally:
        await db.close()


async def test_a_locked_database_is_waited_for_while_the_bot_keeps_running(
    tmp_path: Path, settings: Settings, clock: FakeClock, bot: Bot, fake: FakeTelegram
) -> None:
    path = tmp_path / "busy.db"
    db = await Database.open(path, busy_timeout_ms=5000)
    tg = await admin_naming_a_district(db, settings, clock, bot, fake)
    heartbeats = 0

    async def heartbeat() -> None:
        nonlocal heartbeats
        while True:
            await asyncio.sleep(0.01)
            heartbeats += 1

    other = sqlite3.connect(path, isolation_level=None)

    async def release_later() -> None:
        await asyncio.sleep(0.3)
        other.execute("ROLLBACK")

    try:
        other.execute("BEGIN IMMEDIATE")
        beating = asyncio.create_task(heartbeat())
        releasing = asyncio.create_task(release_later())
        done = await tg.send(ADMIN, "Округ в час пик")
        await releasing
        beating.cancel()
        assert "Округ в час пик" in done["text"]
        assert await db.fetch_one("SELECT id FROM districts") is not None
        # The wait happened off the event loop's back: other work went on meanwhile.
        assert heartbeats >= 10
    finally:
        other.close()
        await db.close()


async def test_full_disk_says_earlier_answers_are_kept_and_logs_once_a_minute(
    tmp_path: Path,
    settings: Settings,
    clock: FakeClock,
    bot: Bot,
    fake: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = await Database.open(tmp_path / "full.db")
    tg = await admin_naming_a_district(db, settings, clock, bot, fake)

    async def no_room(*_: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")  # SQLITE_FULL, as SQLite says

    monkeypatch.setattr(OrganizationsRepo, "create_district", no_room)
    try:
        with caplog.at_level(logging.ERROR, logger="handlers.errors"):
            first = await tg.send(ADMIN, "Округ на полном диске")
            second = await tg.send(ADMIN, "Округ на полном диске")
        assert first["text"] == second["text"] == tr("database-full")
        assert "прежние ответы сохранены" in first["text"]
        full = [r for r in caplog.records if "disk is full" in r.getMessage()]
        assert len(full) == 1 and full[0].exc_info is None  # one line, no traceback
        assert await db.fetch_one("SELECT id FROM districts") is None
    finally:
        await db.close()
