"""Update handling: teachers joining, consenting, answering and opening menus, fed through the
real dispatcher, storage and middlewares, next to a bare aiogram echo bot in the same run."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.types import CallbackQuery, Message, Update

from bot.app import build_dispatcher
from bot.config import InviteSettings, Settings, ThrottleSettings
from bot.invites import InviteService
from storage.db import Database
from storage.invites import InvitesRepo
from storage.models import InviteKind
from storage.organizations import OrganizationsRepo
from storage.people import PeopleRepo
from tests.fake_telegram import FakeTelegram, RecordingSession
from tests.harness import FakeClock

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"
Step = Callable[[int], dict[str, Any]]


def _bot(fake: FakeTelegram) -> Bot:
    return Bot(TOKEN, session=RecordingSession(fake),
               default=DefaultBotProperties(parse_mode=ParseMode.HTML))  # fmt: skip


async def _feed(dp: Dispatcher, bot: Bot, update: dict[str, Any], latencies: list[float]) -> None:
    parsed = Update.model_validate(update, context={"bot": bot})
    started = time.perf_counter()
    await dp.feed_update(bot, parsed)
    latencies.append(time.perf_counter() - started)


def _press(fake: FakeTelegram, user: int, label: str) -> dict[str, Any]:
    for message in reversed(fake.bot_messages(user)):
        data = fake.buttons(message).get(label)
        if data is not None:
            return fake.callback_update(user, message, data)
    raise LookupError(label)


async def _nastavnik(teachers: int, folder: Path) -> tuple[int, float, list[float]]:
    db = await Database.open(folder / "updates.db")
    await db.migrate()
    clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    organizations = OrganizationsRepo(db)
    district = await organizations.create_district("Округ", clock.now())
    assert district is not None
    school = await organizations.create_school(district.id, "Школа", "Europe/Moscow", clock.now())
    assert school is not None
    invites = InviteService(InvitesRepo(db, PeopleRepo(db)), clock, InviteSettings())
    token = (await invites.issue(InviteKind.TEACHER, 1, organization_id=school.id)).token
    settings = Settings(token=TOKEN, admins=frozenset(), timezone=ZoneInfo("Europe/Moscow"),
                        throttle=ThrottleSettings(burst=1000, per_second=1000))  # fmt: skip
    fake = FakeTelegram(token=TOKEN)
    bot = _bot(fake)
    dp = build_dispatcher(settings, db, clock)
    steps: list[Callable[[int], dict[str, Any]]] = [
        lambda user: fake.message_update(user, f"/start {token}"),
        lambda user: _press(fake, user, "Я наставляемый"),
        lambda user: _press(fake, user, "✅ Согласен(на)"),
        lambda user: fake.message_update(user, "Иванова Анна Сергеевна"),
        lambda user: fake.message_update(user, "/menu"),
    ]
    latencies: list[float] = []
    started = time.perf_counter()
    for step in steps:  # every teacher takes a step, then the next step: interleaved users
        for user in range(1_000_000, 1_000_000 + teachers):
            await _feed(dp, bot, step(user), latencies)
    elapsed = time.perf_counter() - started
    await bot.session.close()
    await db.close()
    return len(latencies), elapsed, latencies


async def _bare(updates: int) -> tuple[int, float, list[float]]:
    """The baseline: aiogram with one echo handler and nothing else."""
    fake = FakeTelegram(token=TOKEN)
    bot = _bot(fake)
    dp = Dispatcher()

    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    async def press(callback: CallbackQuery) -> None:
        await callback.answer()

    dp.message.register(echo)
    dp.callback_query.register(press)
    latencies: list[float] = []
    started = time.perf_counter()
    for n in range(updates):
        await _feed(dp, bot, fake.message_update(2_000_000 + n % 10_000, "Привет"), latencies)
    elapsed = time.perf_counter() - started
    await bot.session.close()
    return updates, elapsed, latencies


def _p(latencies: list[float], q: int) -> float:
    return round(statistics.quantiles(latencies, n=100)[q - 1] * 1000, 2)


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    teachers = 500 if quick else 10_000
    with tempfile.TemporaryDirectory() as folder:
        count, elapsed, latencies = await _nastavnik(teachers, Path(folder))
    bare_count, bare_elapsed, bare_latencies = await _bare(count)
    rate, bare_rate = count / elapsed, bare_count / bare_elapsed
    size = (
        f"{teachers:,} teachers x 5 updates = {count:,} updates (join, role, consent, answer, menu)"
    )
    base = f"bare aiogram echo bot, {bare_count:,} updates"
    return {
        "updates_per_second": {"value": round(rate), "unit": "updates/s", "size": size,
                               "baseline_value": round(bare_rate), "baseline": base,
                               "ratio": round(rate / bare_rate, 3)},
        "update_latency_p50": {"value": _p(latencies, 50), "unit": "ms", "size": size,
                               "baseline_value": _p(bare_latencies, 50), "baseline": base},
        "update_latency_p99": {"value": _p(latencies, 99), "unit": "ms", "size": size,
                               "baseline_value": _p(bare_latencies, 99), "baseline": base},
    }  # fmt: skip


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
