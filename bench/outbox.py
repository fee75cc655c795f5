"""The outbox sender draining a backlog against the fake Bot API over HTTP on 127.0.0.1, which
enforces 30 messages/s with 429 answers and has 2% of recipients blocking the bot."""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.core.clock import SystemClock
from bot.core.config import OutboxSettings
from bot.core.outbox import OutboxSender, message_payload
from storage.db import Database
from storage.models import OutboxStatus
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from tests.fake_telegram import FakeTelegram, serve

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"
RATE = 25.0


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    count = 300 if quick else 10_000
    fake = FakeTelegram(token=TOKEN, rate_limit_per_second=30)
    chats = list(range(3_000_000, 3_000_000 + count))
    fake.blocked.update(chats[::50])  # 2 %
    runner, url = await serve(fake)
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "outbox.db")
        await db.migrate()
        outbox = OutboxRepo(db)
        now = clock.now()
        for chat in chats:
            await outbox.enqueue(
                f"broadcast:{chat}",
                chat,
                "broadcast",
                message_payload("Объявление куратора"),
                now,
                now + timedelta(hours=6),
                now,
            )
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
        sender = OutboxSender(
            bot, outbox, PeopleRepo(db), clock, OutboxSettings(rate_per_second=RATE)
        )
        started = time.perf_counter()

        async def drain() -> None:  # the scheduler's job: tick, again and again
            while (await outbox.count_by_status()).get(OutboxStatus.PENDING, 0):
                await sender.tick()
                await asyncio.sleep(0.05)

        draining = asyncio.create_task(drain())
        # A meeting reminder falls due a third of the way through the backlog.
        await asyncio.sleep(count / RATE / 3)
        at = clock.now()
        await outbox.enqueue(
            "meeting:1:r1:remind:1:1",
            4_000_000,
            "meeting_reminder",
            message_payload("⏰ Встреча через час"),
            at,
            at + timedelta(hours=1),
            at,
            urgent=True,
        )
        reminder_queued = time.perf_counter()
        while 4_000_000 not in fake.chats:
            await asyncio.sleep(0.01)
        reminder_sent = time.perf_counter()
        await draining
        elapsed = time.perf_counter() - started
        counts = await outbox.count_by_status()
        await bot.session.close()
        await db.close()
    await runner.cleanup()
    delivered = sum(1 for chat in chats if chat in fake.chats)
    duplicates = sum(len(fake.chats.get(chat, [])) - 1 for chat in chats if chat in fake.chats)
    finished = counts.get(OutboxStatus.SENT, 0) + counts.get(OutboxStatus.BLOCKED, 0)
    lost = count + 1 - finished
    attempted = delivered + len(fake.blocked)
    size = f"{count:,} messages, fake limit 30/s with 429, 2% blocked; configured {RATE:g}/s"
    return {
        "outbox_rate_fraction_of_limit": {
            "value": round(attempted / elapsed / RATE, 3),
            "unit": "x configured rate",
            "size": size,
            "baseline_value": None,
        },
        "outbox_lost": {"value": lost, "unit": "messages", "size": size, "baseline_value": None},
        "outbox_duplicated": {
            "value": duplicates,
            "unit": "messages",
            "size": size,
            "baseline_value": None,
        },
        "outbox_urgent_reminder_latency": {
            "value": round(reminder_sent - reminder_queued, 2),
            "unit": "s",
            "size": f"reminder queued a third of the way into the {count:,}-message backlog",
            "baseline_value": None,
        },
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
