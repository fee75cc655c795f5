"""One scheduler tick at scale: claiming and sending a batch from a 1,000,000-row outbox, and
the hourly jobs over 100,000 active pairs with their confirmed programs (the idle-pairs sweep
with the final-meeting check, the completion sweep) and over 100,000 mentees (the waiting
reminder), each against a small database in the same run. Both hold the same few rows due:
each job should cost what is due."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.types import Update

from app.assembly import build_dispatcher
from bench import settled_heap
from bot.core.config import OutboxSettings, Settings, ThrottleSettings
from bot.core.outbox import OutboxSender
from bot.core.stalls import StallMonitor
from bot.services import Services
from storage.db import Database, to_db_time
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from tests.fake_telegram import FakeTelegram, RecordingSession
from tests.harness import FakeClock
from tests.steps import meeting_services, services

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"
IDLE = 10  # pairs owed a nudge, in the small and the big table alike
SCHOOLS = 100  # the big waiting-reminder database: 100 schools of 1,000 mentees
HOUR, NEXT_DAY = timedelta(hours=1), timedelta(days=1, hours=1)


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
        # Every pair has a confirmed nine-month program; the first IDLE ended a week ago
        # (overdue, owed the final-meeting question), the others started a month ago.
        await conn.executemany(
            "INSERT INTO form_sessions (id, person_id, organization_id, form_id, form_version,"
            " status, current_question, started_at, updated_at, submitted_at)"
            " VALUES (?, 1, 1, 'pair_program', 1, 'submitted', '', ?, ?, ?)",
            ((n + 1, sent, sent, sent) for n in range(pairs)),
        )
        ending, recent = NOW.date() - timedelta(days=280), NOW.date() - timedelta(days=30)
        await conn.executemany(
            "INSERT INTO form_answers (session_id, question_id, value, answered_at)"
            " VALUES (?, ?, ?, ?)",
            (
                row
                for n in range(pairs)
                for row in (
                    (n + 1, "start_date", f'"{ending if n < IDLE else recent}"', sent),
                    (n + 1, "months", "9", sent),
                )
            ),
        )
        await conn.executemany(
            "INSERT INTO programs (pair_id, session_id, status, updated_at, confirmed_at,"
            " sweep_at, final_at) VALUES (?, ?, 'confirmed', ?, ?, ?, ?)",
            ((n + 1, n + 1, sent, sent, sent, sent) for n in range(pairs)),
        )
    return db


async def _mentees(folder: Path, mentees: int, schools: int) -> Database:
    """`mentees` who submitted their questionnaire a week ago, in `schools` schools with a
    curator each; IDLE of school 1 have waited three weeks (owed the reminder)."""
    db = await Database.open(folder / f"bench_mentees_{mentees}.db")
    await db.migrate()
    week, idle = to_db_time(NOW - timedelta(days=7)), to_db_time(NOW - timedelta(days=21))
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO districts (name, created_at) VALUES ('d', ?)", (idle,))
        await conn.executemany(
            "INSERT INTO organizations (id, district_id, name, timezone, created_at, waiting_at)"
            " VALUES (?, 1, ?, 'Europe/Moscow', ?, ?)",
            ((s + 1, f"s{s}", idle, idle) for s in range(schools)),
        )
        await conn.executemany(
            "INSERT INTO people (id, telegram_id, is_active, created_at) VALUES (?, ?, 1, ?)",
            ((n + 1, 5_000_000 + n, idle) for n in range(mentees + schools)),
        )
        await conn.executemany(
            "INSERT INTO role_grants (person_id, role, organization_id, granted_at)"
            " VALUES (?, ?, ?, ?)",
            [(n + 1, "mentee", n % schools + 1, idle) for n in range(mentees)]
            + [(mentees + s + 1, "curator", s + 1, idle) for s in range(schools)],
        )
        await conn.executemany(
            "INSERT INTO form_sessions (person_id, organization_id, form_id, form_version,"
            " status, current_question, started_at, updated_at, submitted_at)"
            " VALUES (?, ?, 'mentee_questionnaire', 1, 'submitted', '', ?, ?, ?)",
            (
                (n + 1, n % schools + 1, idle, idle, idle if n < IDLE * schools else week)
                if n % schools == 0
                else (n + 1, n % schools + 1, week, week, week)
                for n in range(mentees)
            ),
        )
    return db


def _services(db: Database, clock: FakeClock) -> Services:
    settings = Settings(token=TOKEN, admins=frozenset(), timezone=ZoneInfo("Europe/Moscow"))
    found: Services = build_dispatcher(settings, db, clock)["services"]
    return found


async def _hourly(
    job: Callable[[Services], Coroutine[Any, Any, int]], db: Database, *later: timedelta
) -> list[tuple[float, int]]:
    """A job's first run after migration 0032 (everything looked at once), then its runs
    `later` after it: (seconds, rows looked at) each."""
    runs = []
    for at in (timedelta(0), *later):
        job_services = _services(db, FakeClock(NOW + at))
        started = time.perf_counter()
        looked = await job(job_services)
        runs.append((time.perf_counter() - started, looked))
    return runs


async def _completion(services: Services) -> int:
    return await services.completion.sweep()


async def _waiting(services: Services) -> int:
    return await services.pairs.remind_waiting_due(14)


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
            small_done = await _hourly(_completion, small, HOUR)
            big_done = await _hourly(_completion, big, HOUR)
            mentees = big_pairs
            few = await _mentees(Path(folder), 1_000, 1)
            many = await _mentees(Path(folder), mentees, SCHOOLS)
            small_wait = await _hourly(_waiting, few, HOUR, NEXT_DAY)
            big_wait = await _hourly(_waiting, many, HOUR, NEXT_DAY)
            with settled_heap():
                quiet = await _stall_during(small, lambda: asyncio.sleep(2))
                sweeping = await _stall_during(big, lambda: _every_pair_due(big))
                completing = await _stall_during(big, lambda: _every_program_due(big))
                waiting = await _stall_during(many, lambda: _every_school_due(many))
                await few.close()
                await many.close()
                exporting = await _stall_during(small, lambda: _order(small))
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
        "loop_stall_during_sweep": _stall(
            sweeping,
            quiet,
            f"the hourly sweep looking at all {big_pairs:,} active pairs (the worst hour)",
        ),
        "completion_sweep_time": {
            "value": round(big_done[1][0] * 1000, 1),
            "unit": "ms",
            "size": f"the hourly completion sweep, {big_pairs:,} confirmed programs,"
            f" {big_done[1][1]} due",
            "baseline_value": round(small_done[1][0] * 1000, 1),
            "baseline": f"1,000 programs, {small_done[1][1]} due",
        },
        "first_completion_sweep_after_migration_time": {
            "value": round(big_done[0][0] * 1000, 1),
            "unit": "ms",
            "size": f"{big_pairs:,} confirmed programs, each looked at once (migration 0032)",
            "baseline_value": round(small_done[0][0] * 1000, 1),
            "baseline": "1,000 programs",
        },
        "loop_stall_during_completion_sweep": _stall(
            completing,
            quiet,
            f"the completion sweep looking at all {big_pairs:,} programs (the worst hour)",
        ),
        "waiting_reminder_time": {
            "value": round(big_wait[1][0] * 1000, 1),
            "unit": "ms",
            "size": f"the hourly waiting reminder, {mentees:,} mentees in {SCHOOLS} schools,"
            f" {big_wait[1][1]} schools due",
            "baseline_value": round(small_wait[1][0] * 1000, 1),
            "baseline": f"1,000 mentees in 1 school, {small_wait[1][1]} due",
        },
        "waiting_reminder_next_day_time": {
            "value": round(big_wait[2][0] * 1000, 1),
            "unit": "ms",
            "size": f"the next day's run, {mentees:,} mentees, {big_wait[2][1]} schools due"
            f" (those owed a reminder, {mentees // SCHOOLS:,} mentees each)",
            "baseline_value": round(small_wait[2][0] * 1000, 1),
            "baseline": f"1,000 mentees in 1 school, {small_wait[2][1]} due",
        },
        "first_waiting_reminder_after_migration_time": {
            "value": round(big_wait[0][0] * 1000, 1),
            "unit": "ms",
            "size": f"{mentees:,} mentees, every one of {SCHOOLS} schools looked at once",
            "baseline_value": round(small_wait[0][0] * 1000, 1),
            "baseline": "1,000 mentees in 1 school",
        },
        "loop_stall_during_waiting_reminder": _stall(
            waiting,
            quiet,
            f"the waiting reminder looking at all {SCHOOLS} schools, {mentees:,} mentees"
            " (the worst hour)",
        ),
        "loop_stall_during_export": _stall(
            exporting, quiet, "the pairs order .docx for 1,000 working pairs"
        ),
        "first_sweep_after_migration_time": {
            "value": round(big_first * 1000, 1),
            "unit": "ms",
            "size": f"{big_pairs:,} active pairs, each looked at once (migration 0023)",
        },
    }


def _stall(during: tuple[float, float], quiet: tuple[float, float], work: str) -> dict[str, Any]:
    """The largest loop stall while `work` ran (_stall_during), against an idle loop's."""
    return {
        "value": during[0],
        "unit": "ms",
        "size": f"{work}; /start updates fed meanwhile: p99 {during[1]} ms",
        "baseline_value": quiet[0],
        "baseline": f"nothing running; p99 {quiet[1]} ms",
    }


async def _stall_during(
    db: Database, work: Callable[[], Coroutine[Any, Any, object]]
) -> tuple[float, float]:
    """The largest event-loop stall (bot/core/stalls.py, waking every 5 ms) while `work` runs,
    and the p99 latency of the /start updates other teachers send meanwhile, one after another
    through the real dispatcher on the same database: (ms, ms)."""
    fake = FakeTelegram(token=TOKEN, history=2)
    bot = Bot(TOKEN, session=RecordingSession(fake))
    settings = Settings(
        token=TOKEN,
        admins=frozenset(),
        timezone=ZoneInfo("Europe/Moscow"),
        throttle=ThrottleSettings(burst=1000, per_second=1000),
    )
    dp = build_dispatcher(settings, db, FakeClock(NOW))
    monitor = StallMonitor(interval=0.005)
    monitor.start()
    latencies: list[float] = []
    task: asyncio.Task[object] = asyncio.create_task(work())
    while not task.done() or len(latencies) < 20:
        # 500 teachers in turn: the fake Bot API's transcripts stay small, so the collector
        # scans the bot's objects and not the simulated chats of the bench
        user = 3_000_000 + len(latencies) % 500
        started = time.perf_counter()
        update = Update.model_validate(fake.message_update(user, "/start"), context={"bot": bot})
        await dp.feed_update(bot, update)
        latencies.append(time.perf_counter() - started)
    await task
    await monitor.stop()
    await bot.session.close()
    p99 = statistics.quantiles(latencies, n=100)[98]
    return round(monitor.largest * 1000, 1), round(p99 * 1000, 2)


async def _order(db: Database) -> object:
    """The director's order for every working pair of the school: a .docx of its table."""
    pairs, _ = services(db, FakeClock(NOW))
    school = await OrganizationsRepo(db).school(1)
    assert school is not None
    return await pairs.order(school, None, 1)


async def _every_pair_due(db: Database) -> object:
    """The heaviest hourly sweep: every active pair looked at (as once after migration 0023)."""
    await db.execute("UPDATE pairs SET sweep_at = ?", (to_db_time(NOW - timedelta(days=21)),))
    service, _ = meeting_services(db, FakeClock(NOW + timedelta(hours=2)))
    return await service.sweep()


async def _every_program_due(db: Database) -> object:
    """The heaviest completion sweep: every program looked at (as once after 0032)."""
    await db.execute("UPDATE programs SET sweep_at = ?", (to_db_time(NOW),))
    return await _completion(_services(db, FakeClock(NOW + timedelta(hours=2))))


async def _every_school_due(db: Database) -> object:
    """The heaviest waiting reminder: every school looked at (as once after 0032)."""
    await db.execute("UPDATE organizations SET waiting_at = ?", (to_db_time(NOW),))
    return await _waiting(_services(db, FakeClock(NOW + timedelta(hours=2))))


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
