"""Each school's own offsets (issue 13): the curator sets the reminder days before a survey's
deadline, the midpoint of a program and the days to answer its surveys; bad values are
refused with the reason; surveys and program monitoring launched later follow them."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram import Bot

from bot.core.i18n import tr
from bot.core.refusals import Refusal
from bot.surveys.rules import OffsetField
from bot.surveys.templates import INTERMEDIATE_FEEDBACK
from bot.ui.callbacks import SurveysAction, SurveysCb
from storage.db import Database, from_db_time
from storage.models import Role, SurveyAudience
from storage.surveys import SurveysRepo
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, MENTEE, active_pair, deliver, drain, write_program


async def _settings(tg: Harness) -> str:
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, "📋 Опросы")
    return str((await tg.press(CURATOR, "⚙ Сроки напоминаний и опросов программ"))["text"])


async def _stored(db: Database) -> tuple[str | None, int | None, int | None] | None:
    row = await db.fetch_one(
        "SELECT reminder_offsets, midpoint_percent, survey_days FROM survey_school_settings"
    )
    return (row["reminder_offsets"], row["midpoint_percent"], row["survey_days"]) if row else None


async def test_bad_offsets_are_refused_and_good_ones_kept(
    tg: Harness, db: Database, school: int
) -> None:
    shown = await _settings(tg)
    assert "Напоминания не ответившим: за 3, 1 дн. до срока" in shown  # the configured ones
    assert "когда пройдёт 50% её срока" in shown and "(промежуточный и итоговые): 14 дн." in shown
    await tg.press(CURATOR, "✏ Напоминания об опросах")
    for typed, why in (
        ("0", "больше нуля"),
        ("-1", "больше нуля"),
        ("пять", "целые числа цифрами"),
        ("1, 2, 3, 4, 5, 6, 7, 8, 9, 10", "не больше 5 значений"),
        ("3, 90", "от 1 до 60"),
        ("2.5", "целые числа цифрами"),
    ):
        refused = await tg.send(CURATOR, typed)
        assert why in refused["text"] and "Напишите ещё раз" in refused["text"], typed
    assert await _stored(db) is None
    saved = await tg.send(CURATOR, "2 5")
    assert "Сохранено" in saved["text"] and "за 5, 2 дн. до срока" in saved["text"]
    await tg.press(CURATOR, "✏ Промежуточный опрос программы")
    for typed, why in (("0", "больше нуля"), ("5", "от 10 до 90"), ("30 40", "одно число")):
        assert why in (await tg.send(CURATOR, typed))["text"], typed
    await tg.send(CURATOR, "25")
    await tg.press(CURATOR, "✏ Срок ответа на опросы программы")
    assert "больше нуля" in (await tg.send(CURATOR, "-1"))["text"]
    saved = await tg.send(CURATOR, "7")
    assert "25% её срока" in saved["text"] and "итоговые): 7 дн." in saved["text"]
    assert await _stored(db) == ("5,2", 25, 7)
    # Another school's settings are not this curator's.
    other = await seed.school(db, tg.clock, "Школа № 2")
    await tg.press_data(CURATOR, SurveysCb(school_id=other, action=SurveysAction.OFFSETS).pack())
    assert tg.alert() == tr.plain("refusal", reason=Refusal.FORBIDDEN)


async def test_a_survey_launched_later_reminds_on_the_schools_days(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await seed.participant(db, clock, school, 21, Role.MENTEE)
    await tg.dp["services"].surveys.set_offsets(school, OffsetField.REMINDERS, "5, 2")
    surveys = tg.dp["services"].surveys
    draft = await surveys.create(school, INTERMEDIATE_FEEDBACK, 1)
    deadline = clock.now() + timedelta(days=10)
    await SurveysRepo(db).change_draft(draft.id, "audience", SurveyAudience.MENTEES.value)
    await SurveysRepo(db).change_draft(draft.id, "deadline", deadline)
    campaign = await surveys.get(draft.id)
    assert await surveys.launch(campaign) == 1
    rows = await db.fetch_all(
        "SELECT due_at FROM outbox WHERE unique_key LIKE 'sv:%:s0:%' ORDER BY due_at"
    )
    due = [from_db_time(r["due_at"]) for r in rows]
    assert due[:2] == [deadline - timedelta(days=5), deadline - timedelta(days=2)]
    assert len(due) == 3  # and the deadline's morning


async def test_the_program_surveys_follow_the_schools_midpoint_and_days(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    surveys = tg.dp["services"].surveys
    await surveys.set_offsets(school, OffsetField.MIDPOINT, "25")
    await surveys.set_offsets(school, OffsetField.SURVEY_DAYS, "7")
    await active_pair(db, clock, school)
    await write_program(tg)
    await deliver(bot, db, clock)
    await tg.press(MENTEE, tr("btn-program-open"))
    await tg.press(MENTEE, tr("btn-program-confirm"))
    await drain(bot, db, clock)
    # The program runs 01.12.2026 – 01.06.2027: a quarter has passed by mid-January, half
    # (the configured midpoint) not before March.
    clock.advance(days=(date(2027, 1, 20) - date(2026, 11, 23)).days)
    await tg.dp["services"].completion.sweep()
    sent = await db.fetch_all(
        "SELECT c.deadline FROM program_surveys s JOIN survey_campaigns c"
        " ON c.id = s.survey_id WHERE s.stage = 'intermediate'"
    )
    assert len(sent) == 1
    assert from_db_time(sent[0]["deadline"]) == clock.now() + timedelta(days=7)
