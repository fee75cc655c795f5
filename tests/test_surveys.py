"""Survey campaigns (issue 13), through the dispatcher: the curator's draft and launch, the
participants' answers, reminders, anonymity, results, and bad input."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

from aiogram import Bot
from openpyxl import load_workbook

from bot.core.i18n import tr
from bot.forms.catalog import DEFAULT_CATALOG
from bot.surveys.service import SurveyRefusal
from bot.surveys.templates import GROWTH_SELF_ASSESSMENT, MENTEE_SATISFACTION
from bot.ui.callbacks import (
    FormAction,
    FormCb,
    SurveyAction,
    SurveyCb,
    SurveysAction,
    SurveysCb,
    SurveyTakeCb,
)
from storage.db import Database
from storage.models import Role
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, drain

MENTEES = (21, 22, 23)
MENTOR = 11


async def _people(db: Database, clock: FakeClock, school: int) -> None:
    for telegram_id in MENTEES:
        await seed.participant(db, clock, school, telegram_id, Role.MENTEE)
    await seed.participant(db, clock, school, MENTOR, Role.MENTOR)


async def _draft(tg: Harness, template: str = MENTEE_SATISFACTION.title) -> dict[str, Any]:
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, "📋 Опросы")
    await tg.press(CURATOR, "➕ Новый опрос")
    return await tg.press(CURATOR, template)


async def _launched_to_mentees(tg: Harness, deadline: str = "30.11 18:00") -> None:
    draft = await _draft(tg)
    assert "Черновик опроса создан" in draft["text"]
    await tg.press(CURATOR, "👥 Кому")
    card = await tg.press(CURATOR, "наставляемые")
    assert "Получателей сейчас: 3" in card["text"]
    await tg.press(CURATOR, "⏰ Срок ответа")
    saved = await tg.send(CURATOR, deadline)
    assert "Срок сохранён" in saved["text"], saved["text"]
    ask = await tg.press(CURATOR, "🚀 Запустить")
    assert "Его получат 3 участника" in ask["text"]
    done = await tg.press(CURATOR, "🚀 Запустить: 3 получателя")
    assert "Опрос запущен" in done["text"]


async def _answer_all(
    tg: Harness, user: int, scale: str = "7", go_on: str = "Да"
) -> dict[str, Any]:
    first = await tg.press(user, "📝 Пройти опрос")
    assert "вопрос 1 из 13" in first["text"], first["text"]
    for _ in range(8):
        await tg.press(user, scale)
    await tg.press(user, "Раз в неделю и чаще")
    await tg.send(user, f"Разбор уроков {user}")
    await tg.press(user, "Пропустить »")
    await tg.press(user, go_on)
    await tg.press(user, "Нет")
    return await tg.press(user, "📨 Отправить")


async def test_curator_launches_from_template_and_mentees_answer(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _people(db, clock, school)
    await _launched_to_mentees(tg)
    # One invitation and three reminders a mentee (3 and 1 days before, the deadline's
    # morning); nothing for the mentor.
    rows = await db.fetch_all(
        "SELECT unique_key, chat_id, due_at FROM outbox WHERE kind = 'survey'"
    )
    assert len(rows) == 12
    assert {row["chat_id"] for row in rows} == set(MENTEES)
    await drain(bot, db, clock)
    invitation = tg.fake.last(21)
    assert "Опрос «Анкета удовлетворённости наставляемого»" in invitation["text"]
    assert "30.11.2026 18:00" in invitation["text"]
    assert not any("Опрос" in text for text in tg.texts(MENTOR))
    thanks = await _answer_all(tg, 21)
    assert "Спасибо, ответы приняты" in thanks["text"]
    stored = await db.fetch_all("SELECT person_id, answers FROM survey_responses")
    assert len(stored) == 1 and stored[0]["person_id"] is None  # the template is anonymous
    assert json.loads(stored[0]["answers"])["comfort"] == 7
    # Anonymous: the session keeps no answers; the reminders of the respondent are withdrawn.
    left = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM form_answers a JOIN form_sessions s ON s.id = a.session_id"
        " WHERE s.form_id = ?",
        (MENTEE_SATISFACTION.id,),
    )
    assert left is not None and left["n"] == 0
    pending = await db.fetch_all(
        "SELECT chat_id FROM outbox WHERE kind = 'survey' AND status = 'pending'"
    )
    assert {row["chat_id"] for row in pending} == {22, 23}


def _refusal(reason: SurveyRefusal) -> str:
    return tr.plain("survey-refusal", reason=reason)


async def _stored_answers(db: Database) -> int:
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM form_answers")
    assert row is not None
    return int(row["n"])


async def test_scale_answer_out_of_range_or_in_words_is_refused(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _people(db, clock, school)
    await _launched_to_mentees(tg)
    await drain(bot, db, clock)
    await tg.press(21, "📝 Пройти опрос")
    before = await _stored_answers(db)
    for typed in ("11", "пять", "0"):
        hint = await tg.send(21, typed)
        assert "от 1 до 10" in hint["text"], hint["text"]
        assert "вопрос 1 из 13" in hint["text"]
    assert await _stored_answers(db) == before
    accepted = await tg.send(21, "8")
    assert "вопрос 2 из 13" in accepted["text"]
    assert await _stored_answers(db) == before + 1


async def test_half_way_pause_and_continue_then_deadline_closes_answers(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _people(db, clock, school)
    await _launched_to_mentees(tg)
    await drain(bot, db, clock)
    await tg.press(22, "📝 Пройти опрос")
    await tg.press(22, "5")
    await tg.press(22, "⏸ Прервать (ответы сохранены)")
    resumed = await tg.press(22, "📝 Пройти опрос")
    assert "Продолжаем с того места" in resumed["text"] and "вопрос 2 из 13" in resumed["text"]
    stored = await _stored_answers(db)
    clock.advance(days=8)  # past 30.11 18:00
    late = await tg.press(22, "6")
    assert "Срок ответа на этот опрос истёк" in late["text"], late["text"]
    assert await _stored_answers(db) == stored
    await tg.press(22, "📝 Пройти опрос")
    assert tg.alert() == _refusal(SurveyRefusal.DEADLINE_PASSED)
    await tg.send(22, "6")
    assert await _stored_answers(db) == stored


async def test_two_devices_racing_answer_once(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _people(db, clock, school)
    await _launched_to_mentees(tg)
    await drain(bot, db, clock)
    invitation = next(
        m for m in reversed(tg.fake.bot_messages(23)) if "📝 Пройти опрос" in tg.fake.buttons(m)
    )
    data = tg.fake.buttons(invitation)["📝 Пройти опрос"]
    await asyncio.gather(*(tg.press_data(23, data, invitation) for _ in range(2)))
    sessions = await db.fetch_all(
        "SELECT session_id FROM survey_recipients r JOIN people p ON p.id = r.person_id"
        " WHERE p.telegram_id = 23"
    )
    assert len(sessions) == 1 and sessions[0]["session_id"] is not None
    for _ in range(8):
        await tg.press(23, "9")
    await tg.press(23, "Раз в месяц")
    await tg.send(23, "Всё")
    await tg.press(23, "Пропустить »")
    await tg.press(23, "Да")
    await tg.press(23, "Да")
    summary = tg.fake.last(23)
    submit = tg.fake.buttons(summary)["📨 Отправить"]
    await asyncio.gather(*(tg.press_data(23, submit, summary) for _ in range(2)))
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM survey_responses")
    assert row is not None and row["n"] == 1
    again = await tg.press_data(23, data, invitation)
    assert tg.alert() == _refusal(SurveyRefusal.ANSWERED), again


async def test_forged_callbacks_are_refused(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _people(db, clock, school)
    await _launched_to_mentees(tg)
    await drain(bot, db, clock)
    await tg.press(21, "📝 Пройти опрос")
    session = await db.fetch_one(
        "SELECT r.session_id FROM survey_recipients r JOIN people p ON p.id = r.person_id"
        " WHERE p.telegram_id = 21"
    )
    assert session is not None
    # The mentor answers a mentee's session, and opens a survey not addressed to them.
    forged = FormCb(session=session["session_id"], q="expected", action=FormAction.PICK, v=3)
    await tg.send(MENTOR, "/menu")
    await tg.press_data(MENTOR, forged.pack())
    assert tg.alert() == tr.plain("form-not-yours")
    await tg.press_data(MENTOR, SurveyTakeCb(survey_id=1).pack())
    assert tg.alert() == _refusal(SurveyRefusal.NOT_RECIPIENT)
    assert await _stored_answers(db) == 0 + await _questionnaire_answers(db)
    # A mentee launches a draft and closes the running survey by forged callbacks.
    draft = await _draft(tg)
    assert "Черновик" in draft["text"]
    for action, survey_id in ((SurveyAction.LAUNCH, 2), (SurveyAction.CLOSE, 1)):
        await tg.press_data(21, SurveyCb(survey_id=survey_id, action=action).pack())
        assert tg.alert() == tr.plain("forbidden")
    await tg.press_data(21, SurveysCb(school_id=school, action=SurveysAction.NEW).pack())
    assert tg.alert() == tr.plain("forbidden")
    statuses = await db.fetch_all("SELECT id, status FROM survey_campaigns ORDER BY id")
    assert [row["status"] for row in statuses] == ["running", "draft"]
    # Ids out of bounds are not survey buttons at all.
    before = len(tg.fake.callback_answers)
    await tg.press_data(CURATOR, f"sv:{2**40}:l:0")
    assert len(tg.fake.callback_answers) == before + 1
    assert "Запущен" not in tg.alert()


async def _questionnaire_answers(db: Database) -> int:
    row = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM form_answers a JOIN form_sessions s ON s.id = a.session_id"
        " WHERE s.form_id LIKE '%questionnaire'"
    )
    assert row is not None
    return int(row["n"])


async def test_no_audience_and_deadline_in_the_past(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await seed.participant(db, clock, school, 21, Role.MENTEE)
    await _draft(tg)
    await tg.press(CURATOR, "👥 Кому")
    card = await tg.press(CURATOR, "наставники")
    assert "Получателей сейчас: 0" in card["text"]
    await tg.press(CURATOR, "🚀 Запустить")
    assert tg.alert() == _refusal(SurveyRefusal.NO_DEADLINE)
    await tg.press(CURATOR, "⏰ Срок ответа")
    past = await tg.send(CURATOR, "вчера 18:00")
    assert "Напишите срок ещё раз" in past["text"]
    past = await tg.send(CURATOR, "23.11 10:00")  # an hour ago, school time
    assert "Напишите срок ещё раз" in past["text"]
    await tg.send(CURATOR, "30.11")
    card = tg.fake.last(CURATOR)
    assert "30.11.2026 23:59" in card["text"]
    await tg.press(CURATOR, "🚀 Запустить")
    assert tg.alert() == _refusal(SurveyRefusal.NO_AUDIENCE)
    row = await db.fetch_one("SELECT status FROM survey_campaigns")
    assert row is not None and row["status"] == "draft"
    outbox = await db.fetch_one("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'survey'")
    assert outbox is not None and outbox["n"] == 0


async def test_remind_by_hand_once_an_hour_extend_and_close(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _people(db, clock, school)
    await _launched_to_mentees(tg)
    await drain(bot, db, clock)
    await _answer_all(tg, 21)
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, "📋 Опросы")
    card = await tg.press(CURATOR, "▶ Анкета удовлетворённости наставляемого · идёт")
    assert "Получили: 3 · ответили: 1 (33%) · начали: 0 · не открывали: 2" in card["text"]
    reminded = await tg.press(CURATOR, "🔔 Напомнить не ответившим")
    assert "Напоминание уходит 2 участникам" in reminded["text"]
    await tg.press(CURATOR, "🔔 Напомнить не ответившим")
    assert tg.alert() == _refusal(SurveyRefusal.REMINDED_RECENTLY)
    hand = await db.fetch_all("SELECT chat_id FROM outbox WHERE unique_key LIKE 'sv:1:hand%'")
    assert sorted(row["chat_id"] for row in hand) == [22, 23]
    clock.advance(hours=1)
    again = await tg.press(CURATOR, "🔔 Напомнить не ответившим")
    assert "Напоминание уходит 2 участникам" in again["text"]
    # A later deadline: the old reminders are withdrawn, the new ones go to non-respondents.
    await tg.press(CURATOR, "⏰ Продлить срок")
    extended = await tg.send(CURATOR, "04.12 18:00")
    assert "04.12.2026 18:00" in extended["text"]
    fresh = await db.fetch_all(
        "SELECT chat_id FROM outbox WHERE unique_key LIKE 'sv:1:s1:%' AND status = 'pending'"
    )
    assert {row["chat_id"] for row in fresh} == {22, 23}
    old = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM outbox WHERE unique_key LIKE 'sv:1:s0:%' AND status = 'pending'"
    )
    assert old is not None and old["n"] == 0
    await tg.press(CURATOR, "■ Закрыть досрочно")
    closed = await tg.press(CURATOR, "■ Да, закрыть опрос")
    assert "Итоги опроса" in closed["text"]
    # One answer in an anonymous survey: its results are not shown.
    assert "Ответов меньше 3" in closed["text"]
    await tg.press_data(CURATOR, SurveyCb(survey_id=1, action=SurveyAction.EXTEND).pack())
    refused = await tg.send(CURATOR, "10.12 18:00")
    assert _refusal(SurveyRefusal.CLOSED) in refused["text"]
    row = await db.fetch_one("SELECT status, deadline FROM survey_campaigns")
    assert (
        row is not None and row["status"] == "closed" and row["deadline"].startswith("2026-12-04")
    )
    pending = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'survey' AND status = 'pending'"
    )
    assert pending is not None and pending["n"] == 0


async def test_summary_and_spreadsheet_at_the_deadline(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _people(db, clock, school)
    await _launched_to_mentees(tg)
    await drain(bot, db, clock)
    for user, scale, go_on in ((21, "6", "Да"), (22, "8", "Да"), (23, "10", "Нет")):
        await _answer_all(tg, user, scale, go_on)
    clock.advance(days=8)
    await tg.dp["services"].surveys.sweep()
    await tg.dp["services"].surveys.sweep()  # once only
    await drain(bot, db, clock)
    summaries = [t for t in tg.texts(CURATOR) if "Итоги опроса" in t]
    assert len(summaries) == 1
    text = summaries[0]
    assert "Получили: 3 · ответили: 3 (100%)" in text
    assert "Комфорт общения: среднее 8,0 из 10 (ответов: 3; 6×1, 8×1, 10×1)" in text
    assert "Продолжить: да — 2 (67%), нет — 1 (33%)" in text
    assert "«Разбор уроков 22»" in text
    await tg.press(CURATOR, "📥 Все ответы (Excel)")
    _, name, content = tg.fake.uploads[-1]
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Роль", "Ожидаемая эффективность", "Фактическая эффективность"]
    assert len(rows) == 4 and all(row[0] == "наставляемый" for row in rows[1:])


async def test_named_survey_answers_change_until_the_deadline(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _people(db, clock, school)
    await _draft(tg, GROWTH_SELF_ASSESSMENT.title)
    await tg.press(CURATOR, "👥 Кому")
    await tg.press(CURATOR, "наставники")
    await tg.press(CURATOR, "⏰ Срок ответа")
    await tg.send(CURATOR, "в пятницу 18:00")
    await tg.press(CURATOR, "🚀 Запустить")
    await tg.press(CURATOR, "🚀 Запустить: 1 получатель")
    await drain(bot, db, clock)
    await tg.press(MENTOR, "📝 Пройти опрос")
    for _ in GROWTH_SELF_ASSESSMENT.questions:
        await tg.press(MENTOR, "4")
    await tg.press(MENTOR, "📨 Отправить")
    answered = await tg.press(MENTOR, "📝 Пройти опрос")
    assert "Вы уже ответили" in answered["text"]
    summary = await tg.press(MENTOR, "✏ Изменить ответы")
    await tg.press(MENTOR, "✏ 1")
    await tg.press(MENTOR, "9")
    await tg.press(MENTOR, "📨 Отправить")
    rows = await db.fetch_all("SELECT person_id, answers FROM survey_responses")
    assert len(rows) == 1 and rows[0]["person_id"] is not None, summary
    assert json.loads(rows[0]["answers"])["area_lesson"] == 9
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, "📋 Опросы")
    await tg.press(CURATOR, "▶ Самооценка профессионального роста · идёт")
    await tg.press(CURATOR, "📥 Все ответы (Excel)")
    sheet = load_workbook(io.BytesIO(tg.fake.uploads[-1][2])).active
    assert sheet is not None
    rows_ = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows_[0][:2] == ["ФИО", "Роль"] and rows_[1][0] == f"Наставник {MENTOR}"


def test_templates_are_forms_of_the_bot_catalogue(tg: Harness) -> None:
    catalog = tg.dp["services"].forms.catalog
    growth = catalog.current(GROWTH_SELF_ASSESSMENT.id)
    assert [q.id for q in growth.questions][-2:] == ["motivation", "confidence"]
    assert len(growth.questions) == 14 and all(q.kind.value == "scale" for q in growth.questions)
    assert catalog.current(MENTEE_SATISFACTION.id).purpose.value == "survey"
    assert DEFAULT_CATALOG.forms == catalog.forms[: len(DEFAULT_CATALOG.forms)]
