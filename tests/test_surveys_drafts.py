"""A curator's own survey (issue 13), through the dispatcher: made from scratch with the six
kinds of question, a draft edited (reworded, reordered, made optional, removed), a template's
draft edited without changing the template, a launched survey's questions frozen."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot

from bot.core.config import ConfigError, QuietHours, load_settings
from bot.core.i18n import tr
from bot.surveys.drafts import DraftRefusal
from bot.surveys.rules import reminder_times
from bot.surveys.service import SurveyRefusal
from bot.surveys.templates import MENTEE_SATISFACTION
from bot.ui.callbacks import SurveyAction, SurveyCb
from storage.db import Database
from storage.models import Pair, Role
from tests import seed
from tests.conftest import TOKEN
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, active_pair, drain, services

MENTEE = 21


async def _surveys(tg: Harness) -> None:
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, "📋 Опросы")


async def _add(tg: Harness, kind: str, text: str, options: str | None = None) -> dict[str, object]:
    await tg.press(CURATOR, "➕ Добавить вопрос")
    await tg.press(CURATOR, kind)
    asked = await tg.send(CURATOR, text)
    if options is None:
        return asked
    assert "варианты ответа" in str(asked["text"]), asked["text"]
    return await tg.send(CURATOR, options)


async def _stored_form(db: Database) -> tuple[str, int, list[dict[str, object]]]:
    row = await db.fetch_one(
        "SELECT c.form_id, c.form_version, f.body FROM survey_campaigns c"
        " JOIN survey_forms f ON f.form_id = c.form_id AND f.version = c.form_version"
    )
    assert row is not None
    return row["form_id"], row["form_version"], json.loads(row["body"])["questions"]


async def _make_questions(tg: Harness) -> None:
    """The six kinds added; then the long answer made optional and moved first, the short
    one removed, the scale reworded."""
    await tg.press(CURATOR, "✏ Вопросы")
    await _add(tg, "Шкала 1–10", "Насколько вам комфортно в коллективе?")
    one = await _add(tg, "Один вариант", "Ваш стаж?", "Первый год")
    assert tr("survey-draft-refusal", reason=DraftRefusal.OPTIONS) in str(one["text"])
    await tg.send(CURATOR, "Первый год\nДва-три года")
    await _add(tg, "Несколько вариантов", "Что помогло?", "Наставник\nМетодист\nКоллеги")
    await _add(tg, "Да / нет", "Останетесь в школе?")
    await _add(tg, "Короткий ответ", "Ваш предмет?")
    listed = await _add(tg, "Развёрнутый ответ", "Что изменить в программе?")
    assert "6 вопросов" in str(listed["text"])
    await tg.press(CURATOR, "✏ 6")
    await tg.press(CURATOR, "Обязательный: да (изменить)")
    for _ in range(5):
        card = await tg.press(CURATOR, "⬆ Выше")
    assert "Вопрос 1 из 6" in card["text"] and "необязательный" in card["text"]
    await tg.press(CURATOR, "« К списку вопросов")
    await tg.press(CURATOR, "✏ 6")
    await tg.press(CURATOR, "🗑 Удалить вопрос")
    await tg.press(CURATOR, "✏ 2")
    await tg.press(CURATOR, "✏ Изменить текст")
    await tg.send(CURATOR, "Насколько вам комфортно в школе?")


async def _answer(tg: Harness, db: Database) -> None:
    first = await tg.press(MENTEE, "📝 Пройти опрос")
    assert "Что изменить в программе?" in first["text"]
    await tg.press(MENTEE, "Пропустить »")
    await tg.press(MENTEE, "8")
    await tg.press(MENTEE, "Два-три года")
    await tg.press(MENTEE, "▫️ Наставник")
    await tg.press(MENTEE, "▫️ Коллеги")
    await tg.press(MENTEE, "Готово ✔")
    await tg.press(MENTEE, "Да")
    thanks = await tg.press(MENTEE, "📨 Отправить")
    assert "Спасибо, ответы приняты" in thanks["text"], thanks["text"]
    stored = await db.fetch_one("SELECT answers FROM survey_responses")
    assert stored is not None
    assert json.loads(stored["answers"]) == {
        "q6": None,
        "q1": 8,
        "q2": "o2",
        "q3": ["o1", "o3"],
        "q4": True,
    }


async def test_a_survey_from_scratch_edited_then_launched_and_answered(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    await _surveys(tg)
    await tg.press(CURATOR, "➕ Новый опрос")
    await tg.press(CURATOR, "✏ Свой опрос с нуля")
    empty = await tg.send(CURATOR, "   ")
    assert tr("survey-draft-refusal", reason=DraftRefusal.EMPTY_TITLE) in empty["text"]
    made = await tg.send(CURATOR, "Адаптация молодого педагога")
    assert "Вопросов пока нет" in made["text"]
    # No questions: it cannot be launched, by the button or by a forged callback.
    await tg.press(CURATOR, "📋 Карточка опроса")
    await tg.press(CURATOR, "👥 Кому")
    await tg.press(CURATOR, "наставляемые")
    await tg.press(CURATOR, "⏰ Срок ответа")
    await tg.send(CURATOR, "30.11 18:00")
    await tg.press(CURATOR, "🚀 Запустить")
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.NO_QUESTIONS)
    await tg.press_data(CURATOR, SurveyCb(survey_id=1, action=SurveyAction.LAUNCH).pack())
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.NO_QUESTIONS)
    row = await db.fetch_one("SELECT status FROM survey_campaigns")
    assert row is not None and row["status"] == "draft"

    await _make_questions(tg)
    form_id, version, questions = await _stored_form(db)
    assert form_id == "survey_custom_1" and version > 1
    assert [q["kind"] for q in questions] == ["text", "scale", "single", "multi", "yes_no"]
    assert [q["required"] for q in questions] == [False, True, True, True, True]
    assert str(questions[1]["text"]).startswith("Насколько вам комфортно в школе?")
    versions = await db.fetch_one("SELECT COUNT(*) AS n FROM survey_forms")
    assert versions is not None and versions["n"] == 1  # the draft's superseded versions go

    await tg.press(CURATOR, "📋 Карточка опроса")
    await tg.press(CURATOR, "🚀 Запустить")
    await tg.press(CURATOR, "🚀 Запустить: 1 получатель")
    # Launched: the questions are frozen.
    await tg.press_data(CURATOR, SurveyCb(survey_id=1, action=SurveyAction.Q_DELETE, v=0).pack())
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.NOT_DRAFT)
    assert (await _stored_form(db))[:2] == (form_id, version)

    await drain(bot, db, clock)
    await _answer(tg, db)


async def test_a_templates_draft_edited_leaves_the_template_alone(
    tg: Harness, db: Database, school: int
) -> None:
    await _surveys(tg)
    await tg.press(CURATOR, "➕ Новый опрос")
    await tg.press(CURATOR, MENTEE_SATISFACTION.title)
    await tg.press(CURATOR, "✏ Вопросы")
    await tg.press(CURATOR, "✏ 13")
    listed = await tg.press(CURATOR, "🗑 Удалить вопрос")
    assert "12 вопросов" in listed["text"]
    form_id, version, questions = await _stored_form(db)
    assert (form_id, version, len(questions)) == ("survey_custom_1", 1, 12)
    catalog = tg.dp["services"].forms.catalog
    assert len(catalog.current(MENTEE_SATISFACTION.id).questions) == 13
    assert len(catalog.get(form_id, version).questions) == 12
    # A second draft of the same template starts from all 13 questions.
    await _surveys(tg)
    await tg.press(CURATOR, "➕ Новый опрос")
    second = await tg.press(CURATOR, MENTEE_SATISFACTION.title)
    assert "13 вопросов" in second["text"]


async def test_audience_of_chosen_pairs_and_a_deadline_within_the_school_year(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    mentor = await seed.participant(db, clock, school, 12, Role.MENTOR, full_name="Петрова Анна")
    mentee = await seed.participant(db, clock, school, 22, Role.MENTEE, full_name="Иванов Олег")
    await seed.participant(db, clock, school, 23, Role.MENTEE)  # in no pair
    service, _ = services(db, clock)
    second = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(second, Pair)
    for person in (mentor, mentee):
        await service.respond(second, person, True, None)
    await _surveys(tg)
    await tg.press(CURATOR, "➕ Новый опрос")
    await tg.press(CURATOR, MENTEE_SATISFACTION.title)
    await tg.press(CURATOR, "👥 Кому")
    picker = await tg.press(CURATOR, "участники выбранных пар")
    assert "Выбрано пар: 0, получателей: 0" in picker["text"]
    assert len([b for b in tg.fake.buttons(picker) if b.startswith("▫️")]) == 2
    picked = await tg.press(CURATOR, "▫️ Петрова Анна — Иванов Олег")
    assert "Выбрано пар: 1, получателей: 2" in picked["text"]
    card = await tg.press(CURATOR, "✔ Готово")
    # A pair id that is not of this school changes nothing.
    await tg.press_data(CURATOR, SurveyCb(survey_id=1, action=SurveyAction.PAIR, v=999).pack())
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.NOT_FOUND)
    assert "Кому: участники выбранных пар" in card["text"]
    assert "Получателей сейчас: 2" in card["text"]
    await tg.press(CURATOR, "⏰ Срок ответа")
    late = await tg.send(CURATOR, "01.09 10:00")  # 01.09.2027: the next school year
    assert tr("survey-refusal", reason=SurveyRefusal.AFTER_SCHOOL_YEAR) in late["text"]
    row = await db.fetch_one("SELECT deadline FROM survey_campaigns")
    assert row is not None and row["deadline"] is None
    saved = await tg.send(CURATOR, "31.08 18:00")
    assert "31.08.2027 18:00" in saved["text"], saved["text"]
    await tg.press(CURATOR, "🚀 Запустить")
    await tg.press(CURATOR, "🚀 Запустить: 2 получателя")
    recipients = await db.fetch_all(
        "SELECT p.telegram_id, r.role FROM survey_recipients r JOIN people p"
        " ON p.id = r.person_id ORDER BY p.telegram_id"
    )
    assert [(r["telegram_id"], r["role"]) for r in recipients] == [(12, "mentor"), (22, "mentee")]
    # Launched: the audience is frozen too.
    await tg.press_data(CURATOR, SurveyCb(survey_id=1, action=SurveyAction.PAIR, v=1).pack())
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.NOT_DRAFT)
    chosen = await db.fetch_all("SELECT pair_id FROM survey_audience_pairs")
    assert [r["pair_id"] for r in chosen] == [second.id]


def test_reminder_offsets_from_the_config(tmp_path: Path) -> None:
    env = {"BOT_TOKEN": TOKEN, "NASTAVNIK_CONFIG": str(tmp_path / "absent.toml")}
    assert load_settings(None, env).surveys.reminder_offsets_days == (3, 1)
    changed = load_settings(None, {**env, "NASTAVNIK_SURVEYS_REMINDER_OFFSETS_DAYS": "5,2"})
    assert changed.surveys.reminder_offsets_days == (5, 2)
    with pytest.raises(ConfigError, match="surveys.reminder_offsets_days"):
        load_settings(None, {**env, "NASTAVNIK_SURVEYS_REMINDER_OFFSETS_DAYS": "три"})
    zone = ZoneInfo("Europe/Moscow")
    deadline = datetime(2026, 11, 30, 18, 0, tzinfo=zone)
    now = datetime(2026, 11, 20, 10, 0, tzinfo=zone)
    offsets = tuple(timedelta(days=d) for d in changed.surveys.reminder_offsets_days)
    times = reminder_times(deadline, now, zone, QuietHours(), offsets)
    assert [t.astimezone(zone).strftime("%d.%m %H:%M") for t in times] == [
        "25.11 18:00",
        "28.11 18:00",
        "30.11 09:00",
    ]
