"""A participant's «Опросы» in the main menu (issue 13), through the dispatcher: the open
surveys to answer, continue and change until the deadline; the closed ones marked, and
answering one refused; a forged callback answering another person's survey."""

from __future__ import annotations

import json
from datetime import timedelta

from aiogram import Bot

from bot.core.i18n import tr
from bot.surveys.service import SurveyRefusal
from bot.surveys.templates import GROWTH_SELF_ASSESSMENT, INTERMEDIATE_FEEDBACK
from bot.ui.callbacks import FormAction, FormCb, SurveyTakeCb
from storage.db import Database
from storage.models import Role
from storage.surveys import Addressee
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import drain

MENTEE, OTHER = 21, 22
FEEDBACK = INTERMEDIATE_FEEDBACK.title
GROWTH = GROWTH_SELF_ASSESSMENT.title


async def _two_surveys(tg: Harness, db: Database, clock: FakeClock, school: int) -> list[int]:
    """The anonymous intermediate feedback (3 days to answer) and the named growth
    self-assessment (7 days) to MENTEE; OTHER gets neither."""
    person = await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    await seed.participant(db, clock, school, OTHER, Role.MENTEE)
    surveys = tg.dp["services"].surveys
    to = [Addressee(person, MENTEE, Role.MENTEE)]
    ids = []
    for form, days in ((INTERMEDIATE_FEEDBACK, 3), (GROWTH_SELF_ASSESSMENT, 7)):
        sent = await surveys.send_now(school, form, to, clock.now() + timedelta(days=days))
        assert isinstance(sent, int)
        ids.append(sent)
    return ids


async def _menu(tg: Harness, user: int = MENTEE) -> str:
    await tg.send(user, "/menu")
    return str((await tg.press(user, "📝 Опросы"))["text"])


async def _answers(db: Database) -> int:
    row = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM form_answers a JOIN form_sessions s ON s.id = a.session_id"
        " WHERE s.form_id LIKE 'survey_%'"
    )
    assert row is not None
    return int(row["n"])


async def test_open_surveys_continue_and_change_until_the_deadline(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _two_surveys(tg, db, clock, school)
    await drain(bot, db, clock)
    listed = await _menu(tg)
    assert f"«{FEEDBACK}», срок — 26.11.2026 12:00: ещё не открыт" in listed, listed
    assert f"«{GROWTH}», срок — 30.11.2026 12:00: ещё не открыт" in listed
    first = await tg.press(MENTEE, f"📝 {FEEDBACK}")
    assert "вопрос 1 из 6" in first["text"]
    await tg.press(MENTEE, "7")
    await tg.press(MENTEE, "⏸ Прервать (ответы сохранены)")
    assert "начат, можно продолжить" in await _menu(tg)
    resumed = await tg.press(MENTEE, f"▶ Продолжить: {FEEDBACK}")
    assert "Продолжаем с того места" in resumed["text"] and "вопрос 2 из 6" in resumed["text"]
    # The named survey, answered, then changed from the menu.
    await tg.send(MENTEE, "/menu")
    await tg.press(MENTEE, "📝 Опросы")
    await tg.press(MENTEE, f"📝 {GROWTH}")
    for _ in GROWTH_SELF_ASSESSMENT.questions:
        await tg.press(MENTEE, "5")
    await tg.press(MENTEE, "📨 Отправить")
    assert f"«{GROWTH}», срок — 30.11.2026 12:00: ответы приняты, до срока" in await _menu(tg)
    await tg.press(MENTEE, f"✏ Изменить ответы: {GROWTH}")
    await tg.press(MENTEE, "✏ 1")
    await tg.press(MENTEE, "9")
    await tg.press(MENTEE, "📨 Отправить")
    row = await db.fetch_one("SELECT answers FROM survey_responses WHERE person_id IS NOT NULL")
    assert row is not None and json.loads(row["answers"])["area_lesson"] == 9


async def test_after_the_deadline_the_menu_marks_it_closed_and_refuses(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _two_surveys(tg, db, clock, school)
    await drain(bot, db, clock)
    await _menu(tg)
    await tg.press(MENTEE, f"📝 {FEEDBACK}")
    await tg.press(MENTEE, "7")
    stored = await _answers(db)
    clock.advance(days=4)
    listed = await _menu(tg)
    assert f"«{FEEDBACK}», срок — 26.11.2026 12:00: закрыт, ответы не принимаются" in listed
    assert f"«{GROWTH}», срок — 30.11.2026 12:00: ещё не открыт" in listed
    await tg.press(MENTEE, f"■ {FEEDBACK} · закрыт")
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.DEADLINE_PASSED)
    await tg.send(MENTEE, "8")  # the half-answered question, typed after the deadline
    assert await _answers(db) == stored


async def test_a_forged_callback_answering_another_persons_survey(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    feedback, growth = await _two_surveys(tg, db, clock, school)
    await drain(bot, db, clock)
    await _menu(tg)
    await tg.press(MENTEE, f"📝 {GROWTH}")
    session = await db.fetch_one(
        "SELECT session_id FROM survey_recipients WHERE survey_id = ?", (growth,)
    )
    assert session is not None
    listed = await _menu(tg, OTHER)
    assert "Опросов для вас пока нет" in listed
    for data in (
        SurveyTakeCb(survey_id=feedback),
        SurveyTakeCb(survey_id=growth, change=True),
    ):
        await tg.press_data(OTHER, data.pack())
        assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.NOT_RECIPIENT)
    forged = FormCb(
        session=session["session_id"], q="area_lesson", action=FormAction.PICK, v=2
    ).pack()
    await tg.press_data(OTHER, forged)
    assert tg.alert() == tr.plain("form-not-yours")
    assert await _answers(db) == 0
    recipients = await db.fetch_all("SELECT person_id FROM survey_recipients")
    assert len(recipients) == 2
