"""SQL statements per update: how many statements the storage layer runs for one dispatched
update (a typed answer, a button answer, /menu), and in how many transactions; and the
per-update profile of the mixed workload of bench/updates.py: where the event loop's time
goes (aiogram's dispatch, our middlewares, SQL, the FSM storage, rendering, the Bot API
call), with statements, transactions, COMMITs and thread hops per update.

The count is taken at the repositories' API (`Database` and the connection a transaction
yields), not inside the SQL engine, so it reads the same on SQLite and PostgreSQL and leaves
out the engine's own BEGIN/COMMIT (counted apart as transactions)."""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.types import Update

import storage.db
from app.assembly import build_dispatcher
from bench import settled_heap, updates
from bench.updates import TOKEN, _bot, _press, school_with_teacher_link
from bot.core.config import Settings, ThrottleSettings
from storage.db import Database, SQLiteDatabase
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock

# The statement-running methods of `Database` and of a transaction's connection.
_STATEMENTS = ("execute", "executemany", "insert", "fetch_one", "fetch_all")


@dataclass
class Count:
    statements: int = 0
    transactions: int = 0
    sql: list[str] = field(default_factory=list)


def _counted(method: Callable[..., Any], count: Count) -> Callable[..., Any]:
    async def wrapper(sql: str, *args: Any, **kwargs: Any) -> Any:
        count.statements += 1
        count.sql.append(sql)
        return await method(sql, *args, **kwargs)

    return wrapper


class _CountingConnection:
    def __init__(self, inner: Any, count: Count) -> None:
        self._inner = inner
        self._count = count

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        return _counted(attribute, self._count) if name in _STATEMENTS else attribute


@contextmanager
def counting(db: Database) -> Iterator[Count]:
    """Count what runs on `db` inside the block (the instance is patched, then restored)."""
    count = Count()
    patched = [name for name in (*_STATEMENTS, "transaction") if hasattr(db, name)]
    originals = {name: getattr(db, name) for name in patched}
    transaction = originals["transaction"]

    @asynccontextmanager
    async def counted_transaction() -> AsyncIterator[Any]:
        count.transactions += 1
        async with transaction() as conn:
            yield _CountingConnection(conn, count)

    for name in patched:
        setattr(db, name, _counted(originals[name], count))
    db.transaction = counted_transaction  # type: ignore[method-assign]
    try:
        yield count
    finally:
        for name in patched:
            delattr(db, name)  # the class's own methods show through again


async def feed_counted(dp: Dispatcher, bot: Bot, db: Database, update: dict[str, Any]) -> Count:
    with counting(db) as count:
        await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))
    return count


# What a teacher sends after joining and consenting, each a kind of update measured.
_KINDS: tuple[tuple[str, str, Callable[[FakeTelegram, int], dict[str, Any]]], ...] = (
    (
        "typed_answer",
        "a typed answer (the name)",
        lambda f, u: f.message_update(u, "Иванова А. С."),
    ),
    ("typed_answer_2", "a second typed answer", lambda f, u: f.message_update(u, "учитель")),
    (
        "button_answer",
        "a button answer (single choice)",
        lambda f, u: _press(f, u, "Молодой специалист (стаж до 3 лет)"),
    ),
    ("toggle", "a multiple-choice tick", lambda f, u: _press(f, u, "▫️ Математика")),
    (
        "multi_done",
        "«Готово» after ticks (the draft cleared with the answer)",
        lambda f, u: _press(f, u, "Готово ✔"),
    ),
    ("menu", "/menu in the middle of the questionnaire", lambda f, u: f.message_update(u, "/menu")),
)


# The same measurement on main before the step became one write (commit 54f6467).
BEFORE = {
    "typed_answer": 12,
    "typed_answer_2": 12,
    "button_answer": 11,
    "toggle": 9,
    "multi_done": 12,
    "menu": 4,
}


async def measure(folder: Path) -> dict[str, Count]:
    """One teacher joins, consents and takes each step; a second teacher is measured, so that
    nothing done once per process (the first school lookup) is counted."""
    db = await Database.open(folder / "statements.db")
    await db.migrate()
    clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    token = await school_with_teacher_link(db, clock.now())
    settings = Settings(
        token=TOKEN,
        admins=frozenset(),
        timezone=ZoneInfo("Europe/Moscow"),
        throttle=ThrottleSettings(burst=1000, per_second=1000),
    )
    fake = FakeTelegram(token=TOKEN, history=2)
    bot = _bot(fake)
    dp = build_dispatcher(settings, db, clock)
    counts: dict[str, Count] = {}
    try:
        for user in (1_000_001, 1_000_002):
            for label in (None, "Я наставляемый", "✅ Согласен(на)"):
                update = (
                    fake.message_update(user, f"/start {token}")
                    if label is None
                    else _press(fake, user, label)
                )
                await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))
            for name, _, step in _KINDS:
                counts[name] = await feed_counted(dp, bot, db, step(fake, user))
    finally:
        await bot.session.close()
        await db.close()
    return counts


# Where a function's own time is counted, by the first fragment found in its file's path.
# C functions (builtins) are counted where they were called from.
_AREAS = (
    ("aiogram/fsm/", "fsm"),
    ("storage/fsm.py", "fsm"),
    ("aiogram/client/", "bot_api"),
    ("aiogram/methods/", "bot_api"),
    ("tests/fake_telegram.py", "bot_api"),
    ("aiogram/", "aiogram_dispatch"),
    ("magic_filter/", "aiogram_dispatch"),
    ("bot/ui/middlewares.py", "middlewares"),
    ("bot/core/replies.py", "middlewares"),
    ("storage/", "sql"),
    ("aiosqlite/", "sql"),
    ("sqlite3/", "sql"),
    ("bot/core/i18n.py", "rendering"),
    ("fluent", "rendering"),
    ("babel/", "rendering"),
    ("bot/ui/keyboards.py", "rendering"),
    ("pydantic", "pydantic"),
    ("handlers/", "handlers_services"),
    ("bot/", "handlers_services"),
    ("asyncio/", "event_loop"),
    ("selectors.py", "event_loop"),
    ("threading.py", "event_loop"),
    ("queue.py", "event_loop"),
)
AREA_NAMES = {
    "aiogram_dispatch": "aiogram's dispatch (routers, filters, types)",
    "middlewares": "our middlewares (once, reply guard, actor, throttle, permission)",
    "sql": "SQL on the event loop (repositories, engine, aiosqlite hand-off)",
    "fsm": "the FSM storage (aiogram's context and ours)",
    "rendering": "rendering (Fluent texts, keyboards)",
    "pydantic": "pydantic (parsing updates, building Bot API methods)",
    "bot_api": "the Bot API call (aiogram's client and the in-process fake Telegram)",
    "handlers_services": "handlers and services",
    "event_loop": "the event loop and thread hand-offs",
    "other": "other (json, re, dataclasses, ...)",
}


def _area(filename: str) -> str | None:
    for fragment, area in _AREAS:
        if fragment in filename:
            return area
    return None


def attribute(profiler: cProfile.Profile) -> dict[str, float]:
    """Seconds of the profiled thread's own time per area."""
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    seconds = dict.fromkeys(AREA_NAMES, 0.0)
    for (filename, _, _), (_, _, own, _, callers) in stats.items():
        area = _area(filename)
        if area is not None:
            seconds[area] += own
            continue
        if filename != "~" or not callers:
            seconds["other"] += own
            continue
        for (caller_file, _, _), (_, _, via, _) in callers.items():
            seconds[_area(caller_file) or "other"] += via
    return seconds


@dataclass
class Hops:
    """Hand-offs to the SQLite threads, and the time the work took on them."""

    count: int = 0
    writer_seconds: float = 0.0
    reader_seconds: float = 0.0


@contextmanager
def hops_on(db: SQLiteDatabase) -> Iterator[Hops]:
    hops = Hops()
    original = storage.db._on_thread

    async def timed(worker: Any, work: Callable[[Any], Any]) -> Any:
        def measured(raw: Any) -> Any:
            started = time.perf_counter()
            try:
                return work(raw)
            finally:
                spent = time.perf_counter() - started
                if worker is db._writer:
                    hops.writer_seconds += spent
                else:
                    hops.reader_seconds += spent

        hops.count += 1
        return await original(worker, measured)

    storage.db._on_thread = timed
    try:
        yield hops
    finally:
        storage.db._on_thread = original


@dataclass
class Profile:
    updates: int
    seconds: float  # wall time of the batches
    areas: dict[str, float]  # seconds of the event loop's own time, per area
    count: Count
    commits: int
    hops: Hops


async def profile_mixed(teachers: int, folder: Path) -> tuple[Profile, Profile]:
    """The mixed workload of bench/updates.py under cProfile, and the bare bot's."""
    db, fake, bot, dp, token = await updates._bot_for_a_new_school(folder)
    assert isinstance(db, SQLiteDatabase)
    run, profiler = updates.Run(), cProfile.Profile(time.thread_time)
    users = range(1_000_000, 1_000_000 + teachers)
    commits = db.commits
    with settled_heap(), counting(db) as count, hops_on(db) as hops:
        for step in updates.teacher_steps(fake, token):
            profiler.enable()
            await updates._feed_all(dp, bot, step, users, run)
            profiler.disable()
    ours = Profile(
        len(run.latencies), run.seconds, attribute(profiler), count, db.commits - commits, hops
    )
    await bot.session.close()
    await db.close()
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    bare_run = await updates._bare(len(run.latencies))
    profiler.disable()
    bare = Profile(
        len(bare_run.latencies), bare_run.seconds, attribute(profiler), Count(), 0, Hops()
    )
    return ours, bare


def _profile_figures(ours: Profile, bare: Profile, teachers: int) -> dict[str, dict[str, Any]]:
    n = ours.updates
    size = (
        f"mixed workload of updates_per_second, {teachers:,} teachers, {n:,} updates, under"
        " cProfile (which slows Python code about 2x: read the shares), the event-loop"
        " thread's CPU time (waits for the GIL and for the SQLite threads left out)"
    )
    base = f"bare aiogram echo bot, {bare.updates:,} updates, same batches, under cProfile"
    total, bare_total = sum(ours.areas.values()), sum(bare.areas.values())
    figures: dict[str, dict[str, Any]] = {
        "profile_loop_cpu_per_update": {
            "value": round(total / n * 1e6),
            "unit": "µs",
            "size": size + f"; wall {ours.seconds / n * 1e6:.0f} µs per update",
            "baseline_value": round(bare_total / bare.updates * 1e6),
            "baseline": base,
        }
    }
    for area, label in AREA_NAMES.items():
        figures[f"profile_{area}_per_update"] = {
            "value": round(ours.areas[area] / n * 1e6),
            "unit": "µs",
            "size": f"{label}; {ours.areas[area] / total:.0%} of the loop's time",
            "baseline_value": round(bare.areas[area] / bare.updates * 1e6),
            "baseline": "bare aiogram echo bot, same area",
        }
    per = f"per update of the mixed workload, {n:,} updates"
    figures |= {
        "profile_statements_per_update": {
            "value": round(ours.count.statements / n, 2),
            "unit": "SQL statements",
            "size": per,
        },
        "profile_transactions_per_update": {
            "value": round(ours.count.transactions / n, 2),
            "unit": "transactions",
            "size": per,
        },
        "profile_commits_per_update": {
            "value": round(ours.commits / n, 3),
            "unit": "COMMITs (fsyncs)",
            "size": per + "; SQLite synchronous=FULL with group commit",
        },
        "profile_thread_hops_per_update": {
            "value": round(ours.hops.count / n, 2),
            "unit": "hand-offs to the SQLite threads",
            "size": per,
        },
        "profile_sqlite_writer_per_update": {
            "value": round(ours.hops.writer_seconds / n * 1e6),
            "unit": "µs",
            "size": per + "; the writer thread's time (statements and COMMITs)",
        },
        "profile_sqlite_reader_per_update": {
            "value": round(ours.hops.reader_seconds / n * 1e6),
            "unit": "µs",
            "size": per + "; the reader thread's time",
        },
    }
    return figures


def run(quick: bool) -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        counts = asyncio.run(measure(Path(folder)))
    teachers = 200 if quick else 2_000
    with tempfile.TemporaryDirectory() as folder:
        ours, bare = asyncio.run(profile_mixed(teachers, Path(folder)))
    return _profile_figures(ours, bare, teachers) | {
        f"statements_{name}": {
            "value": counts[name].statements,
            "unit": "SQL statements",
            "size": f"one update: {label}; {counts[name].transactions} transaction(s)",
            "baseline_value": BEFORE[name],
            "baseline": "main at 54f6467, before one step = one write",
        }
        for name, label, _ in _KINDS
    }


if __name__ == "__main__":
    for key, figure in run(False).items():
        print(key, figure["value"], figure["size"])  # noqa: T201
