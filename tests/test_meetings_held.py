"""Which meetings count as held (issue 11): a proposal nobody confirmed never does, a
confirmed meeting does once its time has passed unless its participants said it did not take
place. The figures, the journal, the sequence and the idle checks all agree."""

from __future__ import annotations

from typing import Any

from aiogram import Bot

from bot.core.i18n import tr
from bot.ui.callbacks import MeetingAction, MeetingCb
from storage.db import Database
from storage.meetings import MeetingsRepo
from storage.models import MeetingKind, MeetingStatus
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import (
    CURATOR,
    MENTEE,
    MENTOR,
    active_pair,
    deliver,
    drain,
    meeting_services,
    propose,
)


async def _feedback(tg: Harness, person: int, meeting_id: int) -> dict[str, Any]:
    return await tg.press_data(
        person,
        MeetingCb(meeting_id=meeting_id, revision=1, action=MeetingAction.FEEDBACK).pack(),
    )


async def test_a_proposal_never_confirmed_does_not_keep_a_pair_off_the_attention_list(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await propose(tg)  # for tomorrow; the mentee never answers
    clock.advance(days=22)
    service, _ = meeting_services(db, clock)
    assert await service.at_risk(school) == {pair.id: 22}
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    pairs = await tg.press(CURATOR, tr("btn-pairs"))
    assert "⚠ требует внимания: нет встреч 22 дня" in pairs["text"]
    assert "22 дня" in pairs["text"]


async def test_a_lapsed_proposal_is_not_the_organizational_meeting(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    await propose(tg)
    clock.advance(days=2)  # its time passed while it waited for the mentee
    await propose(tg)
    kinds = [m.kind for m in await MeetingsRepo(db).of_pair(1, clock.now())]
    assert kinds == [MeetingKind.ORGANIZATIONAL, MeetingKind.ORGANIZATIONAL]
    await drain(bot, db, clock)
    assert "организационная встреча" in fake.last(MENTEE)["text"]


async def test_the_journal_says_a_lapsed_proposal_did_not_take_place(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await propose(tg)
    clock.advance(days=2)
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    await tg.press(MENTOR, "🤝 1")
    journal = await tg.press(MENTOR, tr("btn-journal"))
    assert "организационная встреча, не состоялась" in journal["text"]
    assert "ждёт подтверждения" not in journal["text"]


async def test_year_figures_count_held_meetings_and_feedback_sent(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    await propose(tg)  # 1: never confirmed
    clock.advance(days=2)
    await propose(tg)  # 2: confirmed, but the mentee says it did not take place
    await deliver(bot, db, clock)
    await tg.press(MENTEE, tr("btn-meeting-confirm"))
    clock.advance(days=2)
    await propose(tg)  # 3: confirmed and held
    await drain(bot, db, clock)
    await tg.press_data(
        MENTEE, MeetingCb(meeting_id=3, revision=1, action=MeetingAction.CONFIRM).pack()
    )
    await _feedback(tg, MENTEE, 2)
    await tg.press(MENTEE, "Нет")
    await tg.press(MENTEE, "Пропустить »")
    assert tr("feedback-thanks") in (await tg.press(MENTEE, "📨 Отправить"))["text"]
    clock.advance(days=2)
    await _feedback(tg, MENTOR, 3)
    await tg.press(MENTOR, "Да")
    await tg.press(MENTOR, "8")
    await tg.send(MENTOR, "Посетили урок")
    await tg.press(MENTOR, "Пропустить »")
    await tg.press(MENTOR, "Пропустить »")
    await tg.send(MENTOR, "Разобрать урок")
    assert tr("feedback-thanks") in (await tg.press(MENTOR, "📨 Отправить"))["text"]
    await _feedback(tg, MENTEE, 3)
    await tg.press(MENTEE, "Да")  # started, never sent
    statuses = [m.status for m in await MeetingsRepo(db).of_pair(1, clock.now())]
    assert statuses == [MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED, MeetingStatus.CONFIRMED]

    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr("btn-close-year"))
    done = await tg.press(CURATOR, tr("btn-close-year-confirm"))

    assert "Встреч проведено: 1, анкет обратной связи: 2" in done["text"]
    year = await db.fetch_one("SELECT meetings, feedback FROM school_years")
    assert year is not None and (year["meetings"], year["feedback"]) == (1, 2)
