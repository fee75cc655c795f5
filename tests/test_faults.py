"""Faults: the database held by another writer, a full disk."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot

from app.assembly import build_dispatcher
from bot.core.config import OutboxSettings, Settings
from bot.core.i18n import tr
from bot.core.outbox import OutboxSender
from bot.ui.middlewares import ActorMiddleware, OnceMiddleware
from storage.db import Database
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from tests.fake_telegram import FakeTelegram, Fault
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


# ----- the same update delivered twice -----


async def test_an_update_delivered_twice_is_handled_once(
    tg: Harness, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    await tg.send(ADMIN, "/schools")
    message = tg.fake.last(ADMIN)
    press = tg.fake.callback_update(ADMIN, message, tg.fake.buttons(message)["➕ Новый округ"])
    await tg.feed(press)
    await tg.feed(press)  # a webhook retry: the same update_id
    assert len(tg.fake.callback_answers) == 1
    typed = tg.fake.message_update(ADMIN, "Округ повторов")
    await tg.feed(typed)
    replies = len(tg.fake.bot_messages(ADMIN))
    await tg.feed(typed)
    assert len(tg.fake.bot_messages(ADMIN)) == replies
    rows = await db.fetch_all("SELECT id FROM districts WHERE name = ?", ("Округ повторов",))
    assert len(rows) == 1
    assert not [r for r in caplog.records if "update failed" in r.getMessage()]


class _Crash(BaseException):
    """The process dying mid-update: nothing of aiogram's error handling sees it."""


async def test_an_update_cut_short_by_a_crash_is_handled_when_delivered_again(
    tg: Harness, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = tg.fake.message_update(ADMIN, "/help")
    original = ActorMiddleware.__call__
    crashes = [True]

    async def crash_once(self: ActorMiddleware, handler: Any, event: Any, data: Any) -> Any:
        if crashes:
            crashes.pop()
            raise _Crash
        return await original(self, handler, event, data)

    monkeypatch.setattr(ActorMiddleware, "__call__", crash_once)
    with pytest.raises(_Crash):
        await tg.feed(typed)
    assert not tg.fake.bot_messages(ADMIN)
    assert not await db.fetch_all("SELECT update_id FROM handled_updates")
    await tg.feed(typed)  # Telegram delivers it again after the restart
    assert len(tg.fake.bot_messages(ADMIN)) == 1
    await tg.feed(typed)  # and a third delivery is a duplicate
    assert len(tg.fake.bot_messages(ADMIN)) == 1


async def test_an_update_handled_before_a_restart_is_skipped_after_it(
    tg: Harness, db: Database, settings: Settings, clock: FakeClock
) -> None:
    typed = tg.fake.message_update(ADMIN, "/help")
    await tg.feed(typed)
    once: OnceMiddleware = tg.dp["once"]
    await once.flush()  # as the scheduler's tick does
    assert len(await db.fetch_all("SELECT update_id FROM handled_updates")) == 1
    restarted = Harness(build_dispatcher(settings, db, clock), tg.bot, tg.fake, clock)
    await restarted.feed(typed)  # polling repeats it: its offset was not confirmed
    assert len(tg.fake.bot_messages(ADMIN)) == 1
    await restarted.send(ADMIN, "/help")  # a new update is handled as usual
    assert len(tg.fake.bot_messages(ADMIN)) == 2


async def test_marks_of_handled_updates_are_kept_a_day(tg: Harness, db: Database) -> None:
    once: OnceMiddleware = tg.dp["once"]
    await tg.send(ADMIN, "/help")
    tg.clock.advance(hours=23)
    await tg.send(ADMIN, "/help")
    await once.forget_old()
    assert len(await db.fetch_all("SELECT update_id FROM handled_updates")) == 2
    tg.clock.advance(hours=2)
    await once.forget_old()
    assert len(await db.fetch_all("SELECT update_id FROM handled_updates")) == 1


# ----- the Bot API failing while an update is handled -----


async def test_a_reply_survives_a_few_bot_api_failures(tg: Harness, fake: FakeTelegram) -> None:
    healthy = await tg.send(ADMIN, "/help")
    fake.faults.append(Fault("sendMessage", 502, "Bad Gateway", times=2))
    again = await tg.send(ADMIN, "/help")
    assert again["text"] == healthy["text"]
    assert tg.texts(ADMIN).count(healthy["text"]) == 2  # exactly one copy each time


async def test_a_reply_lost_in_an_outage_arrives_once_the_api_is_back(
    tg: Harness,
    db: Database,
    bot: Bot,
    fake: FakeTelegram,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    healthy = await tg.send(ADMIN, "/help")
    fake.faults.append(Fault("*", 502, "Bad Gateway", times=10**9))
    await tg.send(ADMIN, "/help")  # typed as the API began answering 502
    assert tg.texts(ADMIN).count(healthy["text"]) == 1
    assert not [r for r in caplog.records if "update failed" in r.getMessage()]
    sender = OutboxSender(bot, OutboxRepo(db), PeopleRepo(db), clock, OutboxSettings())
    tries = fake.sent_count()
    await sender.tick()  # still down: the sender's own send is not retried by the guard
    assert fake.sent_count() == tries + 1
    fake.faults.clear()
    for _ in range(10):
        clock.advance(seconds=1)
        await sender.tick()
    assert tg.texts(ADMIN).count(healthy["text"]) == 2  # the lost one, once
    assert fake.last(ADMIN)["text"] == healthy["text"]
    assert fake.buttons(fake.last(ADMIN)) == fake.buttons(healthy)


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
