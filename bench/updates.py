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
from aiogram.types import Message, Update

from app.assembly import build_dispatcher
from bot.core.config import InviteSettings, Settings, ThrottleSettings
from bot.core.i18n import tr
from bot.organizations.invites import InviteService
from bot.ui.callbacks import FormAction, FormCb
from storage.db import Database
from storage.invites import InvitesRepo
from storage.models import InviteKind
from storage.people import PeopleRepo
from tests import seed
from tests.fake_telegram import FakeTelegram, RecordingSession
from tests.harness import FakeClock

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"
Step = Callable[[int], dict[str, Any]]


def _bot(fake: FakeTelegram) -> Bot:
    return Bot(
        TOKEN,
        session=RecordingSession(fake),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


async def _feed(dp: Dispatcher, bot: Bot, update: dict[str, Any], latencies: list[float]) -> None:
    """The bot's share of one update: parsing it, as polling would, and handling it, Bot API
    calls included. Building the simulated teacher's next update is not counted."""
    started = time.perf_counter()
    parsed = Update.model_validate(update, context={"bot": bot})
    await dp.feed_update(bot, parsed)
    latencies.append(time.perf_counter() - started)


def _press(fake: FakeTelegram, user: int, label: str) -> dict[str, Any]:
    for message in reversed(fake.bot_messages(user)):
        data = fake.buttons(message).get(label)
        if data is not None:
            return fake.callback_update(user, message, data)
    raise LookupError(label)


async def school_with_teacher_link(db: Database, now: datetime) -> str:
    """A district, a school and its teacher link in an empty database; returns the link's token."""
    clock = FakeClock(now)
    school_id = await seed.school(db, clock, name="Школа")
    invites = InviteService(InvitesRepo(db, PeopleRepo(db)), clock, InviteSettings())
    return (await invites.issue(InviteKind.TEACHER, 1, organization_id=school_id)).token


def teacher_steps(fake: FakeTelegram, token: str) -> list[Step]:
    """What each simulated teacher does, in order: join, choose a role, consent, answer the
    first question, open the menu. Buttons are pressed on the bot's latest message."""
    return [
        lambda user: fake.message_update(user, f"/start {token}"),
        lambda user: _press(fake, user, "Я наставляемый"),
        lambda user: _press(fake, user, "✅ Согласен(на)"),
        lambda user: fake.message_update(user, "Иванова Анна Сергеевна"),
        lambda user: fake.message_update(user, "/menu"),
    ]


async def _bot_for_a_new_school(
    folder: Path,
) -> tuple[Database, FakeTelegram, Bot, Dispatcher, str]:
    db = await Database.open(folder / "updates.db")
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
    return db, fake, _bot(fake), build_dispatcher(settings, db, clock), token


async def _nastavnik(teachers: int, folder: Path) -> list[float]:
    db, fake, bot, dp, token = await _bot_for_a_new_school(folder)
    latencies: list[float] = []
    for step in teacher_steps(fake, token):  # every teacher takes a step, then the next one
        for user in range(1_000_000, 1_000_000 + teachers):
            await _feed(dp, bot, step(user), latencies)
    await bot.session.close()
    await db.close()
    return latencies


def _next_answer(fake: FakeTelegram, user: int) -> tuple[dict[str, Any], bool]:
    """What a teacher does with the question in front of them: ticks the first option and
    then «done», picks the first choice, or types a name or a number; sends at the summary.
    Returns the update and whether the questionnaire is then sent."""
    message = fake.last(user)
    buttons = fake.buttons(message)
    if tr("btn-form-submit") in buttons:
        return fake.callback_update(user, message, buttons[tr("btn-form-submit")]), True
    form = {
        label: FormCb.unpack(data)
        for label, data in buttons.items()
        if data.startswith(f"{FormCb.__prefix__}:")
    }
    by_action = {
        action: [label for label, cb in form.items() if cb.action is action]
        for action in FormAction
    }
    if by_action[FormAction.DONE]:
        ticked = any(label.startswith("✅") for label in by_action[FormAction.TOGGLE])
        label = by_action[FormAction.DONE][0] if ticked else by_action[FormAction.TOGGLE][0]
        return fake.callback_update(user, message, buttons[label]), False
    if by_action[FormAction.PICK]:
        label = by_action[FormAction.PICK][0]
        return fake.callback_update(user, message, buttons[label]), False
    typed = "5" if "числ" in str(message.get("text")) else "Иванова Анна Сергеевна"
    return fake.message_update(user, typed), False


async def _whole_questionnaire(teachers: int, folder: Path) -> list[float]:
    """Each teacher joins, consents and fills the whole mentee questionnaire, then opens the
    menu: the workload a school sees in its first week."""
    db, fake, bot, dp, token = await _bot_for_a_new_school(folder)
    latencies: list[float] = []
    users = range(1_000_000, 1_000_000 + teachers)
    join, role, consent, *_, menu = teacher_steps(fake, token)
    for step in (join, role, consent):
        for user in users:
            await _feed(dp, bot, step(user), latencies)
    filling = set(users)
    for _ in range(60):  # a questionnaire takes fewer steps than this
        for user in sorted(filling):
            update, sent = _next_answer(fake, user)
            await _feed(dp, bot, update, latencies)
            if sent:
                filling.discard(user)
        if not filling:
            break
    assert not filling, f"{len(filling)} teachers never reached the summary"
    for user in users:
        await _feed(dp, bot, menu(user), latencies)
    await bot.session.close()
    await db.close()
    return latencies


async def _bare(updates: int) -> list[float]:
    """The baseline: aiogram with one echo handler and nothing else."""
    fake = FakeTelegram(token=TOKEN, history=2)
    bot = _bot(fake)
    dp = Dispatcher()

    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    dp.message.register(echo)
    latencies: list[float] = []
    for n in range(updates):
        await _feed(dp, bot, fake.message_update(2_000_000 + n % 10_000, "Привет"), latencies)
    await bot.session.close()
    return latencies


def _p(latencies: list[float], q: int) -> float:
    return round(statistics.quantiles(latencies, n=100)[q - 1] * 1000, 2)


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    teachers = 500 if quick else 10_000
    with tempfile.TemporaryDirectory() as folder:
        latencies = await _nastavnik(teachers, Path(folder))
    with tempfile.TemporaryDirectory() as folder:
        whole = await _whole_questionnaire(teachers, Path(folder))
    count = len(latencies)
    bare_latencies = await _bare(count)
    bare_count = len(bare_latencies)
    # Updates are fed one after another, so the rate is one over the mean time per update.
    rate, bare_rate = count / sum(latencies), bare_count / sum(bare_latencies)
    size = (
        f"{teachers:,} teachers x 5 updates = {count:,} updates (join, role, consent, answer, menu)"
    )
    base = f"bare aiogram echo bot, {bare_count:,} updates"
    return {
        "updates_per_second": {
            "value": round(rate),
            "unit": "updates/s",
            "size": size,
            "baseline_value": round(bare_rate),
            "baseline": base,
            "ratio": round(rate / bare_rate, 3),
        },
        "update_latency_p50": {
            "value": _p(latencies, 50),
            "unit": "ms",
            "size": size,
            "baseline_value": _p(bare_latencies, 50),
            "baseline": base,
        },
        "update_latency_p99": {
            "value": _p(latencies, 99),
            "unit": "ms",
            "size": size,
            "baseline_value": _p(bare_latencies, 99),
            "baseline": base,
        },
        "updates_per_second_whole_questionnaire": {
            "value": round(len(whole) / sum(whole)),
            "unit": "updates/s",
            "size": f"{teachers:,} teachers join, consent, fill the whole mentee questionnaire"
            f" and open the menu: {len(whole):,} updates",
            "baseline_value": round(bare_rate),
            "baseline": base,
            "ratio": round(len(whole) / sum(whole) / bare_rate, 3),
        },
        "update_latency_p50_whole_questionnaire": {
            "value": _p(whole, 50),
            "unit": "ms",
            "size": f"{len(whole):,} updates, as above",
            "baseline_value": _p(bare_latencies, 50),
            "baseline": base,
        },
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
