"""One scheduler tick at scale: claiming and sending a batch from a 1,000,000-row outbox, and
the hourly sweep of idle pairs over 100,000 active pairs, each against a small table in the
same run. Both tables hold the same few pairs owed a nudge: the sweep should cost what is due."""

from __future__ import annotations

import asyncio
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot

from bot.core.config import OutboxSettings
from bot.core.outbox import OutboxSender
from storage.db import Database, to_db_time
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from tests.fake_telegram import FakeTelegram, RecordingSession
from tests.harness import FakeClock
from tests.steps import meeting_services

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"
IDLE = 10  # pairs owed a nudge, in the small and the big table alike


async def _filled(folder: Path, outbox_rows: int, pairs: int) -> Database:
    db = await Database.open(folder / f"bench_{outbox_rows}_{pairs}.db")
    await db.migrate()
    sent, due = to_db_time(NOW - timedelta(days=1)), to_db_time(NOW - timedelta(minutes=1))
    idle = to_db_time(NOW - timedelta(days=21))
    later = to_db_time(NOW + timedelta(days=30))
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO districts (name, created_at) VALUES ('d', ?)", (sent,))
        await conn.execute(
            "INSERT INTO organizations (district_id, name, timezone, created_at)"
            " VALUES (1, 's', 'Europe/Moscow', ?)",
            (sent,),
        )
        # 90 % history, 9 % reminders due later, 1 % due now.
        await conn.executemany(
            "INSERT INTO outbox (unique_key, chat_id, kind, payload, due_at, expires_at,"
            " status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'reminder',"
            ' \'{"text": "Напоминание"}\', ?, ?, ?, 0, ?, ?)',
            (
                (
                    f"k{n}",
                    10_000 + n,
                    sent,
                    later,
                    "sent" if n % 100 < 90 else "pending",
                    due if n % 100 == 99 else (sent if n % 100 < 90 else later),
                    sent,
                )
                for n in range(outbox_rows)
            ),
        )
        await conn.executemany(
            "INSERT INTO people (id, telegram_id, is_active, created_at) VALUES (?, ?, 1, ?)",
            ((n + 1, 5_000_000 + n, sent) for n in range(pairs + 1)),
        )
        # Each pair met yesterday, but the first IDLE ones three weeks ago: owed a nudge.
        await conn.executemany(
            "INSERT INTO pairs (id, organization_id, mentor_id, form, kind, status, created_by,"
            " created_at, activated_at, sweep_at) VALUES (?, 1, 1, 'teacher_teacher',"
            " 'traditional', 'active', 1, ?, ?, ?)",
            ((n + 1, idle, idle, idle) for n in range(pairs)),
        )
        await conn.executemany(
            "INSERT INTO pair_participants (pair_id, person_id, role, decision)"
            " VALUES (?, 1, 'mentor', 'accepted')",
            ((n + 1,) for n in range(pairs)),
        )
        await conn.executemany(
            "INSERT INTO meetings (pair_id, kind, starts_at, place, topic, status, proposed_by,"
            " created_at) VALUES (?, 'regular', ?, 'каб.', 'тема', 'confirmed', 1, ?)",
            ((n + 1, idle if n < IDLE else sent, sent) for n in range(pairs)),
        )
    return db


async def _tick(db: Database) -> tuple[float, float, int]:
    fake = FakeTelegram(token=TOKEN)
    bot = Bot(TOKEN, session=RecordingSession(fake))
    clock = FakeClock(NOW)
    sender = OutboxSender(
        bot, OutboxRepo(db), PeopleRepo(db), clock, OutboxSettings(rate_per_second=1e6)
    )
    tracemalloc.start()
    started = time.perf_counter()
    report = await sender.tick(max_batches=1)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    await bot.session.close()
    return elapsed, peak, report.sent


async def _sweep(db: Database) -> tuple[float, float, int]:
    """The first sweep after the migration (every active pair looked at once), then the
    hourly one an hour later: (seconds, seconds, pairs the hourly one looked at)."""
    clock = FakeClock(NOW)
    service, _ = meeting_services(db, clock)
    started = time.perf_counter()
    await service.sweep()
    first = time.perf_counter() - started
    clock.advance(hours=1)
    started = time.perf_counter()
    looked = await service.sweep()
    return first, time.perf_counter() - started, looked


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    big_rows, big_pairs = (100_000, 10_000) if quick else (1_000_000, 100_000)
    with tempfile.TemporaryDirectory() as folder:
        small = await _filled(Path(folder), 10_000, 1_000)
        big = await _filled(Path(folder), big_rows, big_pairs)
        try:
            small_tick, small_peak, _ = await _tick(small)
            big_tick, big_peak, sent = await _tick(big)
            (_, small_sweep, _), (big_first, big_sweep, looked) = (
                await _sweep(small),
                await _sweep(big),
            )
        finally:
            await small.close()
            await big.close()
    size = f"{big_rows:,} outbox rows, {big_pairs:,} active pairs; batch of {sent}"
    return {
        "scheduler_tick_time": {
            "value": round(big_tick * 1000, 1),
            "unit": "ms",
            "size": size,
            "baseline_value": round(small_tick * 1000, 1),
            "baseline": "10,000 outbox rows, 1,000 pairs",
        },
        "scheduler_tick_peak_memory": {
            "value": round(big_peak, 2),
            "unit": "MiB",
            "size": size,
            "baseline_value": round(small_peak, 2),
            "baseline": "10,000 outbox rows, 1,000 pairs",
        },
        "hourly_sweep_query_time": {
            "value": round(big_sweep * 1000, 1),
            "unit": "ms",
            "size": f"the hourly idle-pairs sweep, {big_pairs:,} active pairs, {looked} due",
            "baseline_value": round(small_sweep * 1000, 1),
            "baseline": f"1,000 active pairs, {IDLE} due",
        },
        "first_sweep_after_migration_time": {
            "value": round(big_first * 1000, 1),
            "unit": "ms",
            "size": f"{big_pairs:,} active pairs, each looked at once (migration 0023)",
        },
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
