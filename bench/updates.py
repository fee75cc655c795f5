"""Update handling: teachers joining, consenting, answering and opening menus, fed through the
real dispatcher, storage and middlewares, next to a bare aiogram echo bot in the same run.

Both bots are fed as aiogram's polling feeds the running bot: a getUpdates batch (up to 100
updates, here from distinct teachers) is handed over at once, each update to its own task, and
the next batch is the teachers' next steps once they have seen the replies; a teacher's own
updates stay in order. Throughput is updates over the wall time of the batches; an update's
latency runs from its batch's arrival to the end of its handling."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.types import Message, Update

from app.assembly import build_dispatcher
from bench import settled_heap
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


# Telegram's getUpdates returns at most this many updates at a time.
BATCH = 100


@dataclass
class Run:
    """What a fed bot did: per-update latencies and the wall time of its batches."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


async def _feed(dp: Dispatcher, bot: Bot, updates: list[dict[str, Any]], run: Run) -> None:
    """The bot's share of one getUpdates batch: parsing each update, as polling would, and
    handling it in its own task, Bot API calls included. Building the simulated teachers'
    updates is not counted."""
    started = time.perf_counter()

    async def one(update: dict[str, Any]) -> None:
        await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))
        run.latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(one(update) for update in updates))
    run.seconds += time.perf_counter() - started


async def _feed_all(dp: Dispatcher, bot: Bot, step: Step, users: Sequence[int], run: Run) -> None:
    """One step of every user in `users`, a batch of distinct users at a time."""
    for start in range(0, len(users), BATCH):
        await _feed(dp, bot, [step(user) for user in users[start : start + BATCH]], run)


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
    folder: Path, url: str = ""
) -> tuple[Database, FakeTelegram, Bot, Dispatcher, str]:
    db = await Database.connect(url, path=folder / "updates.db")
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
    dp = build_dispatcher(settings, db, clock)
    return db, fake, _bot(fake), dp, token


async def _nastavnik(teachers: int, folder: Path, url: str = "") -> Run:
    db, fake, bot, dp, token = await _bot_for_a_new_school(folder, url)
    run = Run()
    users = range(1_000_000, 1_000_000 + teachers)
    with settled_heap():
        for step in teacher_steps(fake, token):  # every teacher takes a step, then the next
            await _feed_all(dp, bot, step, users, run)
    await bot.session.close()
    await db.close()
    return run


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


async def _whole_questionnaire(teachers: int, folder: Path) -> Run:
    """Each teacher joins, consents and fills the whole mentee questionnaire, then opens the
    menu: the workload a school sees in its first week."""
    db, fake, bot, dp, token = await _bot_for_a_new_school(folder)
    run = Run()
    users = range(1_000_000, 1_000_000 + teachers)
    join, role, consent, *_, menu = teacher_steps(fake, token)
    filling = set(users)
    sent: set[int] = set()

    def answer(user: int) -> dict[str, Any]:
        update, last = _next_answer(fake, user)
        if last:
            sent.add(user)
        return update

    with settled_heap():
        for step in (join, role, consent):
            await _feed_all(dp, bot, step, users, run)
        for _ in range(60):  # a questionnaire takes fewer steps than this
            await _feed_all(dp, bot, answer, sorted(filling), run)
            filling -= sent
            if not filling:
                break
        assert not filling, f"{len(filling)} teachers never reached the summary"
        await _feed_all(dp, bot, menu, users, run)
    await bot.session.close()
    await db.close()
    return run


async def _bare(updates: int) -> Run:
    """The baseline: aiogram with one echo handler and nothing else, fed the same batches."""
    fake = FakeTelegram(token=TOKEN, history=2)
    bot = _bot(fake)
    dp = Dispatcher()

    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    dp.message.register(echo)
    run = Run()
    users = [2_000_000 + n % 10_000 for n in range(updates)]
    with settled_heap():  # the same start for both bots
        for start in range(0, updates, BATCH):
            batch = users[start : start + BATCH]  # distinct users: 10,000 is a multiple of 100
            await _feed(dp, bot, [fake.message_update(user, "Привет") for user in batch], run)
    await bot.session.close()
    return run


def _postgres(teachers: int) -> Run | None:
    """The same workload on PostgreSQL: a throw-away local server with fsync on."""
    from tests import engines  # noqa: PLC0415 (the throw-away cluster the tests use)

    if engines.server_bin() is None:
        return None
    with engines.cluster(durable=True) as cluster, tempfile.TemporaryDirectory() as folder:
        cluster.psql("CREATE DATABASE bench")
        return asyncio.run(_nastavnik(teachers, Path(folder), cluster.url("bench")))


def _p(latencies: list[float], q: int) -> float:
    return round(statistics.quantiles(latencies, n=100)[q - 1] * 1000, 2)


async def _run(quick: bool) -> tuple[dict[str, dict[str, Any]], Run]:
    teachers = 500 if quick else 10_000
    with tempfile.TemporaryDirectory() as folder:
        ours = await _nastavnik(teachers, Path(folder))
    with tempfile.TemporaryDirectory() as folder:
        whole = await _whole_questionnaire(teachers, Path(folder))
    count = len(ours.latencies)
    bare = await _bare(count)
    size = (
        f"{teachers:,} teachers x 5 updates = {count:,} updates (join, role, consent, answer,"
        f" menu), batches of {BATCH} concurrent updates, SQLite synchronous=FULL"
    )
    base = f"bare aiogram echo bot, {len(bare.latencies):,} updates, same batches"
    results = {
        "updates_per_second": {
            "value": round(ours.rate),
            "unit": "updates/s",
            "size": size,
            "baseline_value": round(bare.rate),
            "baseline": base,
            "ratio": round(ours.rate / bare.rate, 3),
        },
        "update_latency_p50": {
            "value": _p(ours.latencies, 50),
            "unit": "ms",
            "size": size + "; from the batch's arrival",
            "baseline_value": _p(bare.latencies, 50),
            "baseline": base,
        },
        "update_latency_p99": {
            "value": _p(ours.latencies, 99),
            "unit": "ms",
            "size": size + "; from the batch's arrival",
            "baseline_value": _p(bare.latencies, 99),
            "baseline": base,
        },
        "updates_per_second_whole_questionnaire": {
            "value": round(whole.rate),
            "unit": "updates/s",
            "size": f"{teachers:,} teachers join, consent, fill the whole mentee questionnaire"
            f" and open the menu: {len(whole.latencies):,} updates, batches of {BATCH}",
            "baseline_value": round(bare.rate),
            "baseline": base,
            "ratio": round(whole.rate / bare.rate, 3),
        },
        "update_latency_p50_whole_questionnaire": {
            "value": _p(whole.latencies, 50),
            "unit": "ms",
            "size": f"{len(whole.latencies):,} updates, as above",
            "baseline_value": _p(bare.latencies, 50),
            "baseline": base,
        },
    }
    return results, bare


def run(quick: bool) -> dict[str, dict[str, Any]]:
    results, bare = asyncio.run(_run(quick))
    teachers = 500 if quick else 10_000
    postgres = _postgres(teachers)
    if postgres is not None:
        size = (
            f"{teachers:,} teachers x 5 updates = {len(postgres.latencies):,} updates as in"
            f" updates_per_second, batches of {BATCH}; PostgreSQL on this machine (Unix socket,"
            " fsync on, synchronous_commit on)"
        )
        base = f"bare aiogram echo bot, {len(bare.latencies):,} updates, same batches"
        results |= {
            "updates_per_second_postgresql": {
                "value": round(postgres.rate),
                "unit": "updates/s",
                "size": size,
                "baseline_value": round(bare.rate),
                "baseline": base,
                "ratio": round(postgres.rate / bare.rate, 3),
            },
            "update_latency_p50_postgresql": {
                "value": _p(postgres.latencies, 50),
                "unit": "ms",
                "size": size + "; from the batch's arrival",
                "baseline_value": _p(bare.latencies, 50),
                "baseline": base,
            },
            "update_latency_p99_postgresql": {
                "value": _p(postgres.latencies, 99),
                "unit": "ms",
                "size": size + "; from the batch's arrival",
                "baseline_value": _p(bare.latencies, 99),
                "baseline": base,
            },
        }
    return results
