"""Storage engines: what durability costs per answer (SQLite `synchronous` FULL vs NORMAL,
and PostgreSQL when a server is on the machine), and the largest event-loop stall while
the whole-school matching proposal runs (on a worker thread, as the bot runs it, against
the same call on the loop)."""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram.fsm.storage.base import StorageKey

from bench.matching import synthetic
from bot.core.stalls import StallMonitor
from bot.pairs.matching import propose
from storage.db import Database, Synchronous
from storage.forms import FormSessionsRepo
from storage.fsm import SQLStorage

Result = dict[str, dict[str, Any]]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _answers(db: Database, count: int) -> float:
    """Seconds per answer as the bot stores one: the answer with the session's move (one
    transaction) and the dialog's data (the FSM storage)."""
    await db.migrate()
    person = await db.insert(
        "INSERT INTO people (telegram_id, created_at) VALUES (?, ?)", (1, "2026-11-23")
    )
    sessions, fsm = FormSessionsRepo(db), SQLStorage(db)
    session = await sessions.start(person, None, "bench", 1, "q0", NOW)
    key = StorageKey(bot_id=1, chat_id=1, user_id=1)
    started = time.perf_counter()
    for n in range(count):
        assert await sessions.answer(session.id, f"q{n}", {"n": n}, f"q{n + 1}", NOW)
        await fsm.set_data(key, {"session_id": session.id, "question": n + 1})
    return (time.perf_counter() - started) / count


async def _sqlite_answer(folder: Path, synchronous: Synchronous, count: int) -> float:
    db = await Database.open(folder / f"answers_{synchronous}.db", synchronous=synchronous)
    try:
        return await _answers(db, count)
    finally:
        await db.close()


def _postgres_answer(count: int) -> float | None:
    from tests import engines  # noqa: PLC0415 (the throw-away cluster the tests use)

    if engines.server_bin() is None:
        return None
    with ExitStack() as stack:
        cluster = stack.enter_context(engines.cluster())
        cluster.psql("CREATE DATABASE bench")

        async def measure() -> float:
            db = await Database.connect(cluster.url("bench"))
            try:
                return await _answers(db, count)
            finally:
                await db.close()

        return asyncio.run(measure())


async def _stall_during_matching(n_mentors: int, n_mentees: int) -> tuple[float, float, float]:
    rng = random.Random(2026)
    mentors = synthetic(n_mentors, True, rng, 1)
    mentees = synthetic(n_mentees, False, rng, 100_000)
    # The first proposal in a process imports SciPy (lazily, for memory), which holds the
    # interpreter for about half a second wherever it runs: measure the steady state.
    propose(mentees[:10], mentors[:5])
    monitor = StallMonitor(interval=0.005)
    monitor.start()
    await asyncio.sleep(0.05)
    monitor.reset()
    started = time.perf_counter()
    await asyncio.to_thread(propose, mentees, mentors)
    seconds = time.perf_counter() - started
    on_thread = monitor.largest
    monitor.reset()
    await asyncio.sleep(0.01)
    propose(mentees, mentors)  # the baseline: the same call on the loop, as before
    await asyncio.sleep(0.01)
    on_loop = monitor.largest
    await monitor.stop()
    return seconds, on_thread, on_loop


def run(quick: bool) -> Result:
    count = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as folder:
        full = asyncio.run(_sqlite_answer(Path(folder), "FULL", count))
        normal = asyncio.run(_sqlite_answer(Path(folder), "NORMAL", count))
    postgres = _postgres_answer(count)
    n_mentors, n_mentees = (200, 1000) if quick else (1000, 5000)
    seconds, on_thread, on_loop = asyncio.run(_stall_during_matching(n_mentors, n_mentees))
    answers = f"{count} answers in a row (answer transaction + FSM data), one file, WAL"
    results: Result = {
        "answer_cost_sqlite_synchronous_full": {
            "value": round(full * 1000, 3),
            "unit": "ms",
            "size": answers,
            "baseline_value": round(normal * 1000, 3),
            "baseline": f"synchronous=NORMAL; FULL costs {full / normal:.2f}x",
        },
        "loop_stall_during_matching": {
            "value": round(on_thread * 1000, 1),
            "unit": "ms",
            "size": f"{n_mentors} mentors x {n_mentees} mentees on a worker thread,"
            f" {seconds:.2f} s; stall monitor every 5 ms; SciPy already imported",
            "baseline_value": round(on_loop * 1000, 1),
            "baseline": "the same proposal run on the event loop",
        },
    }
    if postgres is not None:
        results["answer_cost_postgresql"] = {
            "value": round(postgres * 1000, 3),
            "unit": "ms",
            "size": answers + "; local server over a Unix socket, fsync off (test cluster)",
            "baseline_value": round(full * 1000, 3),
            "baseline": f"SQLite synchronous=FULL; PostgreSQL {postgres / full:.2f}x",
        }
    return results
