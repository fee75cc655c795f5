"""Deletion duties (152-FZ): withdrawal erases at once, and a daily job makes sure that what
is left (delivered message texts, backup copies) is gone within 30 days, and records it."""

from __future__ import annotations

from aiogram import Bot

from bot import texts
from storage.db import Database
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.test_meetings import drain, propose
from tests.test_pairs import deliver, school
from tests.test_programs import MENTEE, MENTOR, active_pair, write_program

__all__ = ["school"]


async def give_feedback(tg: Harness, bot: Bot, db: Database, clock: FakeClock) -> None:
    await propose(tg)
    await deliver(bot, db, clock)
    await tg.press(MENTEE, texts.BTN_MEETING_CONFIRM)
    clock.advance(hours=30)  # the meeting is over
    await drain(bot, db, clock)
    await tg.press(MENTEE, texts.BTN_FEEDBACK)
    await tg.press(MENTEE, "Да")
    await tg.press(MENTEE, "8")
    await tg.send(MENTEE, "Познакомились, обсудили план")
    await tg.press(MENTEE, "Пропустить »")
    await tg.press(MENTEE, "Пропустить »")
    await tg.send(MENTEE, "Посетить урок наставника")
    await tg.press(MENTEE, "📨 Отправить")


async def test_withdrawal_after_meeting_feedback_erases_it(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    await give_feedback(tg, bot, db, clock)
    assert await db.fetch_one("SELECT 1 FROM meeting_feedback") is not None
    await tg.send(MENTEE, "/revoke")
    done = await tg.press(MENTEE, texts.BTN_REVOKE_CONFIRM)
    assert done["text"] == texts.REVOKE_DONE
    mentee = await db.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (MENTEE,))
    assert mentee is not None
    left = await db.fetch_all("SELECT * FROM meeting_feedback WHERE person_id = ?", (mentee["id"],))
    assert left == []
    texts_to_mentee = await db.fetch_all(
        "SELECT payload FROM outbox WHERE chat_id = ? AND payload <> '{}'", (MENTEE,)
    )
    assert texts_to_mentee == []


async def test_withdrawal_of_a_mentor_with_a_program_erases_the_program(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await write_program(tg)
    assert await db.fetch_one("SELECT 1 FROM programs") is not None
    await tg.send(MENTOR, "/revoke")
    done = await tg.press(MENTOR, texts.BTN_REVOKE_CONFIRM)
    assert done["text"] == texts.REVOKE_DONE
    assert await db.fetch_one("SELECT 1 FROM programs") is None
    pair = await db.fetch_one("SELECT status FROM pairs")
    assert pair is not None and pair["status"] == "ended"
