"""End to end, the bot as a process: a curator, as a new user would, creates an event, the
mentors answer «Иду», the curator sees the answers, the reminder due in the school's quiet hours
arrives only after they end, and after the event the curator marks attendance and sends the
materials, which reach the one present as a document through the outbox.

The process's clock is set at each start (tests/e2e_clock/sitecustomize.py) and runs on at real
speed; every restart moves it to the next moment, as a bot that was down and came back would
see it, so the restarts also prove that what is owed lives in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.db import from_db_time
from storage.models import Role
from tests.fake_telegram import wait_until
from tests.process import BotProcess, bot_process
from tests.steps import CURATOR

MENTORS = (11, 12)
MENTEE = 21
GOING = "✅ Иду"
TITLE = "Школа наставников: первое занятие"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    async with bot_process(tmp_path, moved_clock=True) as bot:
        await bot.seed_school(CURATOR, (Role.MENTOR, MENTORS), (Role.MENTEE, [MENTEE]))
        yield bot


async def _events(bot: BotProcess) -> None:
    await bot.say(CURATOR, "/menu")
    await bot.press(CURATOR, "🏫 Школа № 1")
    await bot.press(CURATOR, "📅 Мероприятия")


async def _send_materials(bot: BotProcess) -> None:
    """The curator attaches a file and sends it: it reaches the one present as a document,
    through the outbox."""
    await bot.press(CURATOR, "« Назад")
    await bot.press(CURATOR, "📎 Прислать материалы")
    before = len(bot.fake.bot_messages(CURATOR))
    document = {"document": {"file_id": "PLAN", "file_unique_id": "p1", "file_name": "plan.pdf"}}
    bot.fake.queue(bot.fake.message_update(CURATOR, None, extra=document))
    await wait_until(lambda: len(bot.fake.bot_messages(CURATOR)) > before)
    assert "Материалов: 1" in bot.texts(CURATOR)[-1]
    sent = await bot.press(CURATOR, "📤 Разослать материалы присутствовавшим")
    assert "1 участнику" in str(sent["text"])
    await wait_until(lambda: any("document" in m for m in bot.fake.bot_messages(MENTORS[0])))
    received = [m for m in bot.fake.bot_messages(MENTORS[0]) if "document" in m]
    assert [m["document"]["file_name"] for m in received] == ["PLAN"]
    assert not any("document" in m for m in bot.fake.bot_messages(MENTORS[1]))
    queued = await bot.delivered("SELECT chat_id, status FROM outbox WHERE kind = 'event_material'")
    assert [tuple(r) for r in queued] == [(MENTORS[0], "sent")]


async def test_an_event_from_creation_to_attendance(bot: BotProcess) -> None:
    # Monday 23.11, 10:00: the curator creates an event for tomorrow 08:30.
    await bot.start_at("2026-11-23T10:00:00+03:00")
    await _events(bot)
    await bot.press(CURATOR, "➕ Новое мероприятие")
    await bot.press(CURATOR, "«Школа наставников»")
    await bot.say(CURATOR, TITLE)
    past = await bot.say(CURATOR, "вчера в 8:30")
    assert "Этот день уже прошёл" in str(past["text"])
    await bot.say(CURATOR, "завтра в 8:30")
    await bot.say(CURATOR, "Актовый зал")
    confirm = await bot.press(CURATOR, "Наставников")
    assert "наставники — 2 человека" in str(confirm["text"]), confirm["text"]
    created = await bot.press(CURATOR, "✅ Создать")
    assert "2 получателя" in str(created["text"])
    await wait_until(
        lambda: all(
            any(GOING in bot.fake.buttons(m) for m in bot.fake.bot_messages(mentor))
            for mentor in MENTORS
        )
    )
    assert "Начало: 24.11.2026 08:30" in bot.texts(MENTORS[0])[-1]
    assert bot.texts(MENTEE) == []
    for mentor in MENTORS:
        answered = await bot.press(mentor, GOING)
        assert "Ваш ответ: иду" in str(answered["text"])
    card = await bot.press(CURATOR, "🔄 Обновить")
    assert "Приглашено: 2 · идут: 2 · не смогут: 0 · не ответили: 0" in str(card["text"])

    # Tuesday 24.11, just before 08:00: the reminder an hour before (07:30) falls into the
    # quiet hours and arrives at their end, once to each who goes.
    await bot.start_at("2026-11-24T07:59:40+03:00")
    before = {m: len(bot.fake.bot_messages(m)) for m in MENTORS}
    await wait_until(
        lambda: all(len(bot.fake.bot_messages(m)) > before[m] for m in MENTORS), timeout=120
    )
    for mentor in MENTORS:
        assert "🔔 Напоминание" in bot.texts(mentor)[-1]
    sent = await bot.delivered(
        "SELECT chat_id, due_at, finished_at, status FROM outbox"
        " WHERE unique_key LIKE 'ev:%:rem:%' ORDER BY chat_id",
    )
    assert [(r["chat_id"], r["status"]) for r in sent] == [(m, "sent") for m in MENTORS]
    quiet_end = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # 08:00 in Moscow
    assert all(from_db_time(r["due_at"]) == datetime(2026, 11, 24, 4, 30, tzinfo=UTC) for r in sent)
    assert all(from_db_time(r["finished_at"]) >= quiet_end for r in sent)

    # 10:00, after the event: an answer is refused, the curator marks who attended.
    await bot.start_at("2026-11-24T10:00:00+03:00")
    answers = len(bot.fake.callback_answers)
    await bot.press(MENTORS[1], "❌ Не смогу")
    await wait_until(lambda: len(bot.fake.callback_answers) > answers)
    assert "уже началось" in str(bot.fake.callback_answers[-1].get("text"))
    await _events(bot)
    await bot.press(CURATOR, f"24.11.2026 08:30 · {TITLE}")
    await bot.press(CURATOR, "☑️ Отметить присутствие")
    marked = await bot.press(CURATOR, "▫️ Наставник 11")
    assert "✅ Наставник 11" in bot.fake.buttons(marked)
    attended = bot.rows(
        "SELECT p.telegram_id, i.answer, i.attended FROM event_invitations i"
        " JOIN people p ON p.id = i.person_id ORDER BY p.telegram_id",
    )
    assert [tuple(r) for r in attended] == [(11, "going", 1), (12, "going", 0)]

    await _send_materials(bot)
    err = await bot.stop()
    assert b"Traceback" not in err
