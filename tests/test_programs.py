"""A pair's program and requests, through the dispatcher."""

from __future__ import annotations

import io
from datetime import date

from aiogram import Bot
from docx import Document

from bot.core.i18n import tr
from bot.programs.service import program_end
from bot.ui.callbacks import PairCardAction, PairCardCb, RequestDecisionCb
from storage.db import Database
from storage.models import PairStatus, Role
from storage.pairs import PairsRepo
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import (
    CURATOR,
    MENTEE,
    MENTOR,
    active_pair,
    deliver,
    drain,
    services,
    write_program,
)


async def test_mentor_drafts_mentee_confirms_curator_sees(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    sent = await write_program(tg)
    assert tr("program-sent") in sent["text"]
    await deliver(bot, db, clock)
    assert tr("program-to-confirm") in fake.last(MENTEE)["text"]
    card = await tg.press(MENTEE, tr("btn-program-open"))
    assert "Снять затруднения с дисциплиной" in card["text"]
    assert "ждёт подтверждения наставляемого" in card["text"]
    await tg.press(MENTEE, tr("btn-program-confirm"))
    assert tg.alert() == tr("program-confirmed")
    row = await db.fetch_one("SELECT status, revision FROM programs WHERE pair_id = ?", (pair.id,))
    assert row is not None and (row["status"], row["revision"]) == ("confirmed", 1)
    # The curator opens the pair and gets the program as a document.
    await tg.press_data(
        CURATOR,
        PairCardCb(pair_id=pair.id, action=PairCardAction.PROGRAM_DOCX).pack(),
        fake.message_update(CURATOR, "x")["message"],
    )
    _, name, content = fake.uploads[-1]
    assert name == f"programma_{pair.id}.docx"
    table = Document(io.BytesIO(content)).tables[0]
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "Анализ урока",
        "разбор двух уроков",
        "15.12.2026",
        "карта урока",
    ]


async def test_change_after_confirmation_needs_the_mentee_again(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await write_program(tg)
    await deliver(bot, db, clock)
    await tg.press(MENTEE, tr("btn-program-open"))
    await tg.press(MENTEE, tr("btn-program-confirm"))
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    await tg.press(MENTOR, "🤝 1")
    summary = await tg.press(MENTOR, tr("btn-program-edit"))
    assert "Проверьте ответы" in summary["text"]
    await tg.press(MENTOR, "✏ 2")
    await tg.send(MENTOR, "9")
    await tg.press(MENTOR, "📨 Отправить")
    row = await db.fetch_one("SELECT status, revision FROM programs WHERE pair_id = ?", (pair.id,))
    assert row is not None and (row["status"], row["revision"]) == ("proposed", 2)
    clock.advance(seconds=2)
    await drain(bot, db, clock)  # the growth self-assessment of the start goes out too
    card = await tg.press(MENTEE, tr("btn-program-open"))
    assert "Срок, мес.</b>: 9" in card["text"] or "Срок, мес.: 9" in card["text"]


async def test_mentee_asks_to_replace_mentor_and_curator_approves(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await tg.send(MENTEE, "/menu")
    await tg.press(MENTEE, tr("btn-my-pairs"))
    await tg.press(MENTEE, "🤝 1")
    ask = await tg.press(MENTEE, tr("btn-request-replace"))
    assert ask["text"] == tr("request-ask-reason")
    assert (await tg.send(MENTEE, "Не совпадают смены"))["text"] == tr("request-sent")
    await deliver(bot, db, clock)
    assert "просит заменить наставника" in fake.last(CURATOR)["text"]
    await tg.press(CURATOR, tr("btn-approve"))
    done = await tg.send(CURATOR, "Подберём другого наставника")
    assert done["text"] == tr("request-decided")
    ended = await PairsRepo(db).get(pair.id)
    assert ended is not None and ended.status is PairStatus.ENDED
    end = await db.fetch_one("SELECT end_reason FROM pairs WHERE id = ?", (pair.id,))
    assert end is not None and end["end_reason"] == "replace_mentor: Не совпадают смены"
    service, _ = services(db, clock)
    assert pair.mentee_ids[0] in (await service.candidates(school)).mentees
    clock.advance(seconds=2)
    await deliver(bot, db, clock)
    assert "одобрил" in fake.last(MENTEE)["text"]


async def test_forged_pair_card_and_request_buttons(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await seed.participant(db, clock, school, 22, Role.MENTEE)
    for action in PairCardAction:
        await tg.press_data(
            22,
            PairCardCb(pair_id=pair.id, action=action).pack(),
            tg.fake.message_update(22, "x")["message"],
        )
        assert tg.alert() == tr("pair-not-yours")
    service, _ = services(db, clock)
    await service.request(pair, pair.mentee_ids[0], "причина")
    for user in (MENTEE, MENTOR, 22):
        await tg.press_data(
            user,
            RequestDecisionCb(request_id=1, approve=True).pack(),
            tg.fake.message_update(user, "x")["message"],
        )
        assert tg.alert() == tr("forbidden")
    still = await PairsRepo(db).get(pair.id)
    assert still is not None and still.status is PairStatus.ACTIVE


def test_program_end_keeps_the_day_or_takes_the_months_last() -> None:
    assert program_end(date(2026, 12, 1), 6) == date(2027, 6, 1)
    assert program_end(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert program_end(date(2027, 9, 30), 12) == date(2028, 9, 30)
