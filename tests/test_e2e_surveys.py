"""End to end, the bot as a process: a survey campaign over a week of school time.

The process's clock is set at each start (tests/e2e_clock/sitecustomize.py) and runs on at real
speed; every restart moves it to the next moment of the campaign, as a bot that was down and
came back would see it. What is owed lives in the database, so the restarts also prove that
nothing of the campaign is kept in memory."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.surveys.templates import MENTEE_SATISFACTION
from storage.db import from_db_time
from storage.models import Role
from tests.fake_telegram import wait_until
from tests.process import BotProcess, bot_process
from tests.steps import CURATOR

MENTEES = (21, 22, 23, 24)
MENTOR = 11
TAKE = "📝 Пройти опрос"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    # Answering 13 questions as fast as a test can press is not a flood here.
    async with bot_process(tmp_path, moved_clock=True, NASTAVNIK_THROTTLE_PER_SECOND="50") as bot:
        await bot.seed_school(CURATOR, (Role.MENTEE, MENTEES), (Role.MENTOR, [MENTOR]))
        yield bot


async def _answer(bot: BotProcess, user: int, scale: str) -> None:
    first = await bot.press(user, TAKE)
    assert "вопрос 1 из 13" in str(first["text"]), first["text"]
    for _ in range(8):
        await bot.press(user, scale)
    await bot.press(user, "Раз в месяц")
    await bot.say(user, f"Совместные уроки {user}")
    await bot.press(user, "Пропустить »")
    await bot.press(user, "Да")
    await bot.press(user, "Нет")
    await bot.press(user, "📨 Отправить")
    await wait_until(lambda: any("Спасибо, ответы приняты" in t for t in bot.texts(user)))


async def _card(bot: BotProcess) -> str:
    await bot.say(CURATOR, "/menu")
    await bot.press(CURATOR, "🏫 Школа № 1")
    await bot.press(CURATOR, "📋 Опросы")
    card = await bot.press(CURATOR, f"▶ {MENTEE_SATISFACTION.title} · идёт")
    return str(card["text"])


async def _reminders(bot: BotProcess) -> list[sqlite3.Row]:
    return await bot.delivered(
        "SELECT chat_id, due_at, finished_at, status FROM outbox"
        " WHERE unique_key LIKE 'sv:%:s0:%' ORDER BY due_at, chat_id"
    )


async def _launch(bot: BotProcess) -> None:
    """From a template, to the mentees, with a deadline; the invitations arrive."""
    await bot.say(CURATOR, "/menu")
    await bot.press(CURATOR, "🏫 Школа № 1")
    await bot.press(CURATOR, "📋 Опросы")
    await bot.press(CURATOR, "➕ Новый опрос")
    draft = await bot.press(CURATOR, MENTEE_SATISFACTION.title)
    assert "Черновик опроса создан" in str(draft["text"])
    await bot.press(CURATOR, "👥 Кому")
    card = await bot.press(CURATOR, "наставляемые")
    assert "Получателей сейчас: 4" in str(card["text"])
    await bot.press(CURATOR, "⏰ Срок ответа")
    # Before school starts on Monday: the reminder 3 days before falls into the quiet hours.
    saved = await bot.say(CURATOR, "30.11 07:30")
    assert "30.11.2026 07:30" in str(saved["text"]), saved["text"]
    ask = await bot.press(CURATOR, "🚀 Запустить")
    assert "Его получат 4 участника" in str(ask["text"]), ask["text"]
    launched = await bot.press(CURATOR, "🚀 Запустить: 4 получателя")
    assert "Опрос запущен" in str(launched["text"])
    await wait_until(
        lambda: all(
            any(TAKE in bot.fake.buttons(message) for message in bot.fake.bot_messages(m))
            for m in MENTEES
        )
    )
    for mentee in MENTEES:
        invitation = bot.fake.last(mentee)
        assert "Ответьте, пожалуйста, до 30.11.2026 07:30" in str(invitation["text"])
        assert TAKE in bot.fake.buttons(invitation)
    assert not any("Опрос" in t for t in bot.texts(MENTOR))


async def test_a_survey_from_template_to_summary(bot: BotProcess) -> None:
    # Monday 23.11, 10:00: the curator makes a survey from a template and launches it.
    await bot.start_at("2026-11-23T10:00:00+03:00")
    await _launch(bot)
    await _answer(bot, 21, "6")
    assert "ответили: 1 (25%)" in await _card(bot)

    # Friday 27.11, just before 08:00: the reminder due at 07:30 waits for the quiet hours'
    # end, then reaches the three who have not answered, not the one who has.
    await bot.start_at("2026-11-27T07:59:40+03:00")
    before = {m: len(bot.fake.bot_messages(m)) for m in MENTEES}
    await wait_until(
        lambda: all(len(bot.fake.bot_messages(m)) > before[m] for m in (22, 23, 24)), timeout=120
    )
    for mentee in (22, 23, 24):
        assert "🔔 Напоминание: опрос" in str(bot.fake.last(mentee)["text"])
    sent = [r for r in await _reminders(bot) if r["status"] == "sent"]
    assert sorted(r["chat_id"] for r in sent) == [22, 23, 24]
    quiet_end = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # 08:00 in Moscow
    assert all(from_db_time(r["due_at"]) == quiet_end for r in sent)
    assert all(from_db_time(r["finished_at"]) >= quiet_end for r in sent)
    assert len(bot.fake.bot_messages(21)) == before[21]
    await _answer(bot, 22, "8")
    await _answer(bot, 23, "10")
    assert "ответили: 3 (75%)" in await _card(bot)

    # Monday 30.11, after the deadline (07:30): the summary reaches the curator by itself at
    # the end of the quiet hours (the outbox's, issue 15), the reminder of Sunday morning that
    # was never sent is not sent late, answers are refused.
    await bot.start_at("2026-11-30T07:59:40+03:00")
    await wait_until(lambda: any("Итоги опроса" in t for t in bot.texts(CURATOR)), timeout=120)
    summary = next(t for t in bot.texts(CURATOR) if "Итоги опроса" in t)
    assert "Получили: 4 · ответили: 3 (75%)" in summary
    assert "Комфорт общения: среднее 8,0 из 10 (ответов: 3; 6×1, 8×1, 10×1)" in summary
    assert "«Совместные уроки 22»" in summary
    await bot._settle()
    late = [r for r in await _reminders(bot) if r["status"] == "sent"]
    assert sorted(r["chat_id"] for r in late) == [22, 23, 24]
    assert not any("Итоги" in t for m in MENTEES for t in bot.texts(m))
    await bot.press(24, TAKE)
    assert "Срок ответа на этот опрос истёк" in str(bot.fake.callback_answers[-1].get("text"))
    err = await bot.stop()
    assert b"Traceback" not in err
