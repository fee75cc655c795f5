"""The bot as a process: start-up time, idle memory and memory after the teacher workload of
bench/updates.py, next to a bare aiogram bot process polling the same fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.updates import school_with_teacher_link, teacher_steps
from storage.db import Database
from tests.fake_telegram import FakeTelegram, serve, wait_until

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"
ROOT = Path(__file__).resolve().parent.parent
BARE_BOT = """
import asyncio, os
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
dp = Dispatcher()
@dp.message()
async def echo(message: Message) -> None:
    await message.answer(message.text or "-")
session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["API"]))
asyncio.run(dp.start_polling(Bot(os.environ["BOT_TOKEN"], session=session), handle_signals=True))
"""


Workload = tuple[str, int]  # the teacher link's token, how many teachers


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _until_quiet(fake: FakeTelegram, quiet: float = 1.0) -> None:
    """Until the bot has made no Bot API request for `quiet` seconds: it has caught up."""
    seen = -1
    while len(fake.requests) != seen:
        seen = len(fake.requests)
        await asyncio.sleep(quiet)


async def _measure(
    args: list[str], env: dict[str, str], fake: FakeTelegram, workload: Workload | None = None
) -> tuple[float, float, float | None]:
    """Start-up time, idle RSS and, given a workload, RSS once the process has served it."""
    polls = sum(1 for m, _ in fake.requests if m == "getMe")
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await wait_until(lambda: sum(1 for m, _ in fake.requests if m == "getMe") > polls, 60)
    startup = time.perf_counter() - started
    await asyncio.sleep(5)  # idle
    rss = _rss_mib(process.pid)
    loaded = None
    if workload is not None:
        token, teachers = workload
        for step in teacher_steps(fake, token):
            for user in range(1_000_000, 1_000_000 + teachers):
                fake.queue(step(user))
            await _until_quiet(fake)
        loaded = _rss_mib(process.pid)
    process.terminate()
    await process.wait()
    return startup, rss, loaded


async def _run(teachers: int) -> dict[str, dict[str, Any]]:
    fake = FakeTelegram(token=TOKEN)
    runner, url = await serve(fake)
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bot.db")
        await db.migrate()
        token = await school_with_teacher_link(db, datetime.now(UTC))
        await db.close()
        env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "API": url,
            "NASTAVNIK_CONFIG": str(Path(folder) / "absent.toml"),
            "NASTAVNIK_BOT_API_SERVER": url,
            "NASTAVNIK_DATABASE_PATH": str(Path(folder) / "bot.db"),
        }
        bot_start, bot_rss, bot_loaded = await _measure(
            [sys.executable, "-m", "app"], env, fake, (token, teachers)
        )
        bare_start, bare_rss, _ = await _measure([sys.executable, "-c", BARE_BOT], env, fake)
        db = await Database.open(Path(folder) / "bot.db")
        served = await db.fetch_one(
            "SELECT COUNT(*) AS n FROM form_answers WHERE value LIKE ?", ("%Иванова Анна%",)
        )
        await db.close()
        # Every teacher's answer is stored: the workload really went through the bot.
        assert served is not None and served["n"] == teachers, dict(served or {})

    await runner.cleanup()
    base = "bare aiogram echo bot process, same machine and fake Bot API"
    return {
        "process_startup_time": {
            "value": round(bot_start, 2),
            "unit": "s",
            "size": "start to first Bot API request, empty database",
            "baseline_value": round(bare_start, 2),
            "baseline": base,
        },
        "process_idle_memory": {
            "value": round(bot_rss, 1),
            "unit": "MiB RSS",
            "size": "idle after start, empty database",
            "baseline_value": round(bare_rss, 1),
            "baseline": base,
        },
        "process_memory_after_workload": {
            "value": round(bot_loaded or 0.0, 1),
            "unit": "MiB RSS",
            "size": f"after {teachers:,} teachers x 5 updates over HTTP long polling",
            "baseline_value": round(bot_rss, 1),
            "baseline": "the same process idle before it",
        },
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(500 if quick else 10_000))
