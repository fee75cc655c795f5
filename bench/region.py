"""A region on one PostgreSQL: 10,000 outbox messages drained by 1 bot process, then 10,000
more by 2, each in webhook mode (`python -m app`) against the fake Bot API on 127.0.0.1.
Measured at the fake server: messages/s from the first send to the last, and how many chats
got their message twice or never. A third run drains 10,000 with 2 processes while teachers'
updates are posted to their webhooks in turn (as nginx would): updates/s, p99 latency and
replies lost or doubled.
Skipped when no PostgreSQL server is on the machine (tests/engines.py)."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.core.outbox import message_payload
from storage.db import Database
from storage.outbox import OutboxRepo, Queued
from tests.fake_telegram import FakeTelegram, serve, wait_until

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"
ROOT = Path(__file__).resolve().parent.parent
SECRET = "region-bench-secret-token"
FIRST_CHAT = 5_000_000
FIRST_TEACHER = 6_000_000
RATE = 1_000_000  # per process: what the processes and the database can do, not Telegram's cap


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _enqueue(url: str, run: str, count: int) -> None:
    db = await Database.connect(url)
    now = datetime.now(UTC)
    messages = [
        Queued(
            f"{run}:{n}",
            FIRST_CHAT + n,
            "broadcast",
            message_payload(f"{run} {n}"),
            now,
            now + timedelta(hours=6),
        )
        for n in range(count)
    ]
    outbox = OutboxRepo(db)
    for start in range(0, count, 1000):
        await outbox.enqueue_many(messages[start : start + 1000], now)
    # Nobody's quiet hours hold them back, whatever the hour the bench runs at.
    await db.execute("UPDATE outbox SET answers_user = 1 WHERE unique_key LIKE ?", (f"{run}:%",))
    await db.close()


def _env(api: str, database: str, port: int, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "NASTAVNIK_CONFIG": str(folder / "absent.toml"),
        "NASTAVNIK_BOT_API_SERVER": api,
        "NASTAVNIK_DATABASE_URL": database,
        "NASTAVNIK_BOT_MODE": "webhook",
        "NASTAVNIK_WEBHOOK_URL": "https://bot.region.example/telegram/webhook",
        "NASTAVNIK_WEBHOOK_LISTEN_PORT": str(port),
        "NASTAVNIK_WEBHOOK_SECRET_TOKEN": SECRET,
        "NASTAVNIK_OUTBOX_RATE_PER_SECOND": str(RATE),
        "NASTAVNIK_OUTBOX_TICK_SECONDS": "0.1",
    }


async def _feed(ports: list[int], fake: _LoggingFake, teachers: int) -> dict[str, Any]:
    """/start from `teachers` new teachers, 20 at a time, posted to the processes in turn."""
    latencies: list[float] = []
    queue = list(range(FIRST_TEACHER, FIRST_TEACHER + teachers))
    async with aiohttp.ClientSession() as http:

        async def post(user: int) -> None:
            endpoint = f"http://127.0.0.1:{ports[user % len(ports)]}/telegram/webhook"
            started = time.perf_counter()
            answer = await http.post(
                endpoint,
                json=fake.message_update(user, "/start"),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            assert answer.status == 200, answer.status
            latencies.append(time.perf_counter() - started)

        async def worker() -> None:
            while queue:
                await post(queue.pop())

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(20)))
        seconds = time.perf_counter() - started
    replies = [len(fake.bot_messages(u)) for u in range(FIRST_TEACHER, FIRST_TEACHER + teachers)]
    return {
        "updates_per_second": teachers / seconds,
        "p99_ms": statistics.quantiles(latencies, n=100)[98] * 1000,
        "unanswered": sum(1 for n in replies if n == 0),
        "answered_twice": sum(1 for n in replies if n > 1),
    }


async def _drain(
    api: str, database: str, fake: _LoggingFake, processes: int, count: int, teachers: int
) -> dict[str, Any]:
    run = f"run{processes}{'u' if teachers else ''}"
    await _enqueue(database, run, count)
    ports = [_free_port() for _ in range(processes)]
    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    hooks = sum(m == "setWebhook" for m, _ in fake.requests)
    started = []
    for port in ports:
        started.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "app",
                cwd=ROOT,
                env=_env(api, database, port, folder),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        )
    try:
        await wait_until(
            lambda: sum(m == "setWebhook" for m, _ in fake.requests) >= hooks + processes, 120
        )
        fed: dict[str, Any] = {}
        if teachers:
            await wait_until(lambda: run in fake.log, 120)  # both are listening by now
            await asyncio.sleep(1)
            fed = await _feed(ports, fake, teachers)
        await wait_until(lambda: len(fake.reached.get(run, ())) >= count, 600)
        await asyncio.sleep(2)  # a duplicate would come within a tick or two
    finally:
        for process in started:
            process.terminate()
        for process in started:
            await process.wait()
    sent = fake.log[run]
    chats = [chat for _, chat in sent]
    first, last = min(at for at, _ in sent), max(at for at, _ in sent)
    return {
        "per_second": count / max(last - first, 1e-9),
        "duplicates": len(chats) - len(set(chats)),
        "lost": count - len(set(chats) & set(range(FIRST_CHAT, FIRST_CHAT + count))),
        **fed,
    }


class _LoggingFake(FakeTelegram):
    """The fake Bot API, also noting per run when each outbox message arrived and where it
    went (kept as it comes: waiting for the last one must not cost the server's CPU)."""

    log: dict[str, list[tuple[float, int]]]
    reached: dict[str, set[int]]

    async def handle(
        self, method: str, raw: dict[str, Any], uploads: dict[str, bytes] | None = None
    ) -> tuple[int, dict[str, Any]]:
        status, body = await super().handle(method, raw, uploads)
        text = str(raw.get("text", ""))
        if method == "sendMessage" and body.get("ok") and text.startswith("run"):
            run, chat = text.split(maxsplit=1)[0], int(raw["chat_id"])
            self.log.setdefault(run, []).append((time.monotonic(), chat))
            self.reached.setdefault(run, set()).add(chat)
        return status, body


async def _measure(url: str, count: int, teachers: int) -> tuple[dict[str, Any], ...]:
    fake = _LoggingFake(token=TOKEN)
    fake.log, fake.reached = {}, {}
    runner, api = await serve(fake)
    try:
        one = await _drain(api, url, fake, 1, count, 0)
        two = await _drain(api, url, fake, 2, count, 0)
        mixed = await _drain(api, url, fake, 2, count, teachers)
    finally:
        await runner.cleanup()
    return one, two, mixed


def _run(quick: bool) -> dict[str, dict[str, Any]]:
    from tests import engines  # noqa: PLC0415 (the throw-away cluster the tests use)

    if engines.server_bin() is None:
        return {}
    count, teachers = (1_000, 200) if quick else (10_000, 2_000)
    with ExitStack() as stack:
        cluster = stack.enter_context(engines.cluster())
        cluster.psql("CREATE DATABASE region")
        url = cluster.url("region")

        async def migrate() -> None:
            db = await Database.connect(url)
            await db.migrate()
            await db.close()

        asyncio.run(migrate())
        one, two, mixed = asyncio.run(_measure(url, count, teachers))
    size = f"{count:,} outbox messages, webhook mode, local PostgreSQL (fsync off), fake Bot API"
    return {
        "region_outbox_messages_per_second_2_processes": {
            "value": round(two["per_second"]),
            "unit": "messages/s",
            "size": size,
            "baseline_value": round(one["per_second"]),
            "baseline": "1 process, the same messages",
        },
        "region_outbox_messages_per_second_with_updates": {
            "value": round(mixed["per_second"]),
            "unit": "messages/s",
            "size": f"2 processes, {size}; {teachers:,} /start posted to their webhooks meanwhile",
        },
        "region_outbox_duplicates": {
            "value": sum(r["duplicates"] for r in (one, two, mixed)),
            "unit": "messages",
            "size": f"{size}; 1 process, 2, 2 with updates: {3 * count:,} messages in all",
        },
        "region_outbox_lost": {
            "value": sum(r["lost"] for r in (one, two, mixed)),
            "unit": "messages",
            "size": f"{size}; 1 process, 2, 2 with updates: {3 * count:,} messages in all",
        },
        "region_webhook_updates_per_second": {
            "value": round(mixed["updates_per_second"]),
            "unit": "updates/s",
            "size": f"{teachers:,} /start, 20 in flight, posted to 2 processes in turn while"
            f" they drain the outbox; p99 {mixed['p99_ms']:.1f} ms; unanswered"
            f" {mixed['unanswered']}, answered twice {mixed['answered_twice']}",
        },
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return _run(quick)
