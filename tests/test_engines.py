"""The core of the end-to-end flows on each engine: a school is created, a teacher joins and
fills the questionnaire, the curator forms a pair, both accept, the outbox delivers."""

from __future__ import annotations

from aiogram import Bot

from bot.core.i18n import tr
from storage.db import Database
from storage.models import PairStatus, Role
from storage.pairs import PairsRepo
from tests import seed
from tests.engines import BOTH_ENGINES
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, TEACHER, answers_of, begin_mentee, deliver, fill_mentee

pytestmark = BOTH_ENGINES


async def test_teacher_joins_and_fills_the_questionnaire(tg: Harness, db: Database) -> None:
    await begin_mentee(tg)
    await fill_mentee(tg)
    answers = await answers_of(db, TEACHER, "mentee_questionnaire")
    assert answers["full_name"] == "Иванова Анна Сергеевна"
    assert answers["experience"] == 2
    assert answers["difficulties"] == ["discipline", "other:Документы по ОВЗ 📄"]
    # The dialog lives in the database (the persistent FSM storage) on this engine too.
    row = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM fsm_states WHERE storage_key LIKE ?", (f"%{TEACHER}%",)
    )
    assert row is not None and row["n"] >= 1


async def test_curator_forms_a_pair_and_both_accept(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await seed.participant(db, clock, school, 11, Role.MENTOR, capacity=2)
    await seed.participant(db, clock, school, 21, Role.MENTEE)
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr("btn-pairs"))
    drafts = await tg.press(CURATOR, tr("btn-propose"))
    assert "Наставляемая 21 ← Наставник 11" in drafts["text"]
    accepted = await tg.press(CURATOR, tr("btn-accept-all", count=1))
    assert tr("drafts-accepted", created=1, refused=0) in accepted["text"]
    await deliver(bot, db, clock)
    assert "Приглашение в наставническую пару" in fake.last(21)["text"]
    for user in (21, 11):
        reply = await tg.press(user, tr("btn-accept"))
        assert reply["text"] == tr("pair-accepted")
    [pair] = await PairsRepo(db).for_school(school)
    assert pair.status is PairStatus.ACTIVE
    sent = await db.fetch_all("SELECT chat_id FROM outbox WHERE status = 'sent'")
    assert {row["chat_id"] for row in sent} >= {11, 21}
