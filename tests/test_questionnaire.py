"""Consent and the questionnaires, driven through the dispatcher like a teacher would."""

from __future__ import annotations

import json
from dataclasses import replace

from aiogram import Bot

from app.assembly import build_dispatcher
from bench.statements import counting
from bot.core.config import Settings
from bot.core.i18n import tr
from bot.forms.catalog import DEFAULT_CATALOG, PERSONAL_DATA_CONSENT, FormCatalog
from bot.ui.callbacks import FormAction, FormCb
from storage.db import Database
from storage.models import OutboxStatus
from storage.outbox import OutboxRepo
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import (
    AGREE,
    CURATOR,
    STICKER,
    TEACHER,
    answers_of,
    begin_mentee,
    fill_mentee,
    join_teacher,
)


async def test_mentee_fills_consent_and_questionnaire(tg: Harness, db: Database) -> None:
    await begin_mentee(tg)
    summary = await fill_mentee(tg)
    assert "Проверьте ответы" in summary["text"]
    assert "Затруднения: Дисциплина и управление классом, Документы по ОВЗ 📄" in summary["text"]
    await tg.press(TEACHER, "✏ 1")
    back = await tg.send(TEACHER, "Иванова Анна Петровна")
    assert "Проверьте ответы" in back["text"] and "Иванова Анна Петровна" in back["text"]
    done = await tg.press(TEACHER, "📨 Отправить")
    assert tr("form-submitted") in done["text"]
    stored = await answers_of(db, TEACHER, "mentee_questionnaire")
    assert stored == {
        "full_name": "Иванова Анна Петровна",
        "position": "учитель математики",
        "category": "young",
        "subjects": ["math", "informatics"],
        "experience": 2,
        "difficulties": ["discipline", "other:Документы по ОВЗ 📄"],
        "expectations": None,
        "format": "in_person",
        "days": ["mon", "wed"],
        "times": ["after"],
    }
    consent = await db.fetch_one("SELECT * FROM consents")
    assert consent is not None
    assert (consent["kind"], consent["text_version"], consent["decision"]) == (
        "personal_data",
        1,
        "agree",
    )
    assert len(consent["text_hash"]) == 64 and consent["message_id"] is not None


async def test_every_answer_is_stored_at_once_and_survives_restart(
    tg: Harness, db: Database, settings: Settings, clock: FakeClock, bot: Bot, fake: FakeTelegram
) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Петров Пётр Петрович")
    assert await answers_of(db, TEACHER, "mentee_questionnaire") == {
        "full_name": "Петров Пётр Петрович"
    }
    # A restart: a new dispatcher over the same database (as after kill -9).
    restarted = Harness(build_dispatcher(settings, db, clock), bot, fake, clock)
    reply = await restarted.send(TEACHER, "учитель истории")
    assert "К какой категории" in reply["text"]
    menu = await restarted.send(TEACHER, "/menu")
    resumed = await restarted.press(TEACHER, "📝 Анкета наставляемого · МБОУ СОШ № 5")
    assert tr("form-resumed") in resumed["text"] and "К какой категории" in resumed["text"]
    assert menu["text"].startswith("Главное меню")


async def test_bad_answers_are_reasked_with_a_hint(tg: Harness, db: Database) -> None:
    await begin_mentee(tg)
    long = await tg.send(TEACHER, "я" * 5000)
    assert "Ответ слишком длинный: 5000 символов, можно до 150 символов" in long["text"]
    sticker = await tg.send(TEACHER, None, extra=STICKER)
    assert tr("form-text-expected") in sticker["text"]
    assert await answers_of(db, TEACHER, "mentee_questionnaire") == {}
    await tg.send(TEACHER, "Анна 😊 Smith-Иванова")
    category = await tg.send(TEACHER, "учитель")
    typed = await tg.send(TEACHER, "молодой специалист")
    assert tr("form-use-buttons") in typed["text"]
    assert "К какой категории" in category["text"]
    stored = await answers_of(db, TEACHER, "mentee_questionnaire")
    assert stored["full_name"] == "Анна 😊 Smith-Иванова"


async def test_double_tap_and_old_buttons_answer_once(tg: Harness, db: Database) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Иванова Анна Сергеевна")
    question = await tg.send(TEACHER, "учитель")
    label = "Новый сотрудник школы"
    data = tg.fake.buttons(question)[label]
    await tg.press_data(TEACHER, data, question)
    await tg.press_data(TEACHER, data, question)  # the second tap of a double tap
    assert tg.alert() == tr("form-stale")
    assert (await answers_of(db, TEACHER, "mentee_questionnaire"))["category"] == "new"
    assert "Какие предметы" in tg.fake.last(TEACHER)["text"]  # shown where the person is


async def test_back_shows_previous_question_with_current_answer(tg: Harness) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Иванова Анна Сергеевна")
    previous = await tg.press(TEACHER, "« Предыдущий вопрос")
    assert "фамилия, имя и отчество" in previous["text"]
    assert "Сейчас: Иванова Анна Сергеевна" in previous["text"]
    following = await tg.send(TEACHER, "Иванова Анна Олеговна")
    assert "Ваша должность" in following["text"]


async def test_declined_consent_stores_no_questionnaire(tg: Harness, db: Database) -> None:
    await join_teacher(tg, "Я наставляемый")
    typed = await tg.send(TEACHER, "Иванова Анна")
    assert tr("form-use-buttons") in typed["text"]
    reply = await tg.press(TEACHER, "Не согласен(на)")
    assert tr("consent-declined") in reply["text"]
    assert (
        await db.fetch_one("SELECT id FROM form_sessions WHERE form_id = 'mentee_questionnaire'")
        is None
    )
    row = await db.fetch_one("SELECT decision FROM consents")
    assert row is not None and row["decision"] == "decline"
    again = await tg.press(TEACHER, "📝 Анкета наставляемого · МБОУ СОШ № 5")
    assert "Согласие на обработку" in again["text"]


async def test_new_consent_version_asks_again_before_more_answers(
    tg: Harness, db: Database, settings: Settings, clock: FakeClock, bot: Bot, fake: FakeTelegram
) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Иванова Анна Сергеевна")
    v2 = replace(PERSONAL_DATA_CONSENT, version=2)
    catalog = FormCatalog(forms=(*DEFAULT_CATALOG.forms, v2))
    updated = Harness(build_dispatcher(settings, db, clock, catalog=catalog), bot, fake, clock)
    reply = await updated.send(TEACHER, "учитель")
    assert tr("consent-new-version") in reply["text"]
    assert "position" not in await answers_of(db, TEACHER, "mentee_questionnaire")
    resumed = await updated.press(TEACHER, AGREE)
    assert "Ваша должность" in resumed["text"]
    versions = await db.fetch_all("SELECT text_version FROM consents ORDER BY id")
    assert [r["text_version"] for r in versions] == [1, 2]


async def test_changed_form_keeps_old_sessions_on_their_version(
    tg: Harness, db: Database, settings: Settings, clock: FakeClock, bot: Bot, fake: FakeTelegram
) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Иванова Анна Сергеевна")
    old = DEFAULT_CATALOG.current("mentee_questionnaire")
    renamed = replace(old.questions[1], text="Новая формулировка вопроса о должности.")
    v2 = replace(old, version=2, questions=(old.questions[0], renamed, *old.questions[2:]))
    catalog = FormCatalog(forms=(*DEFAULT_CATALOG.forms, v2))
    updated = Harness(build_dispatcher(settings, db, clock, catalog=catalog), bot, fake, clock)
    await updated.send(TEACHER, "/menu")
    resumed = await updated.press(TEACHER, "📝 Анкета наставляемого · МБОУ СОШ № 5")
    assert "Ваша должность" in resumed["text"]
    row = await db.fetch_one(
        "SELECT form_version FROM form_sessions WHERE form_id = 'mentee_questionnaire'"
    )
    assert row is not None and row["form_version"] == 1


async def test_mentor_conditional_question(tg: Harness, db: Database) -> None:
    await join_teacher(tg, "Я наставник")
    await tg.press(TEACHER, AGREE)
    await tg.send(TEACHER, "Сидорова Мария Ивановна")
    await tg.send(TEACHER, "учитель русского языка")
    await tg.press(TEACHER, "▫️ Русский язык и литература")
    await tg.press(TEACHER, "Готово ✔")
    await tg.send(TEACHER, "25")
    await tg.press(TEACHER, "Высшая")
    await tg.press(TEACHER, "▫️ Планирование и проведение урока")
    await tg.press(TEACHER, "Готово ✔")
    no_experience = await tg.press(TEACHER, "Нет")
    assert "Сколько наставляемых" in no_experience["text"]
    over = await tg.send(TEACHER, "7")
    assert "от 1 до 5" in over["text"]
    await tg.send(TEACHER, "2")
    await tg.press(TEACHER, "Смешанно")
    await tg.press(TEACHER, "▫️ Вт")
    await tg.press(TEACHER, "Готово ✔")
    await tg.press(TEACHER, "▫️ До уроков")
    summary = await tg.press(TEACHER, "Готово ✔")
    assert "Об опыте" not in summary["text"]
    await tg.press(TEACHER, "✏ 7")  # "Опыт наставничества"
    details = await tg.press(TEACHER, "Да")
    assert "Расскажите коротко" in details["text"]
    back = await tg.send(TEACHER, "Вела двух молодых учителей")
    assert "Об опыте: Вела двух молодых учителей" in back["text"]
    await tg.press(TEACHER, "📨 Отправить")
    stored = await answers_of(db, TEACHER, "mentor_questionnaire")
    assert stored["capacity"] == 2 and stored["has_experience"] is True


async def test_student_needs_parent_consent(
    tg: Harness, db: Database, clock: FakeClock, fake: FakeTelegram
) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Смирнов Илья")
    await tg.send(TEACHER, "8 «Б» класс")
    await tg.press(TEACHER, "Обучающийся (ученик)")
    await tg.press(TEACHER, "▫️ Подготовка к ОГЭ и ЕГЭ")
    await tg.press(TEACHER, "Готово ✔")
    await tg.press(TEACHER, "Пропустить »")
    await tg.press(TEACHER, "Дистанционно")
    await tg.press(TEACHER, "▫️ Пт")
    await tg.press(TEACHER, "Готово ✔")
    await tg.press(TEACHER, "▫️ Вечером")
    summary = await tg.press(TEACHER, "Готово ✔")
    assert "Предметы" not in summary["text"]  # not asked of a student
    done = await tg.press(TEACHER, "📨 Отправить")
    assert "согласие родителя" in done["text"]
    token = done["text"].split("start=")[1].split()[0]
    parent = 900
    ask_name = await tg.send(parent, f"/start {token}")
    assert "Введите ваши фамилию, имя и отчество" in ask_name["text"]
    consent = await tg.send(parent, "Смирнова Ольга Викторовна")
    assert "Согласие родителя" in consent["text"]
    thanks = await tg.press(parent, AGREE)
    assert tr("parent-thanks") in thanks["text"]
    row = await db.fetch_one(
        "SELECT c.kind, c.parent_telegram_id, c.parent_name, p.telegram_id AS student"
        " FROM consents c JOIN people p ON p.id = c.person_id WHERE c.kind = 'parent'"
    )
    assert row is not None
    assert (row["parent_telegram_id"], row["parent_name"], row["student"]) == (
        parent,
        "Смирнова Ольга Викторовна",
        TEACHER,
    )
    notice = await OutboxRepo(db).by_key(
        next(k["unique_key"] for k in await db.fetch_all("SELECT unique_key FROM outbox"))
    )
    assert notice is not None and notice.chat_id == TEACHER
    assert notice.status is OutboxStatus.PENDING
    reuse = await tg.send(parent + 1, f"/start {token}")
    assert "уже использована" in reuse["text"]


async def test_revoke_in_the_middle_deletes_data_and_tells_curator(
    tg: Harness, db: Database
) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Иванова Анна Сергеевна")
    await tg.send(TEACHER, "/revoke")
    done = await tg.press(TEACHER, tr("btn-revoke-confirm"))
    assert done["text"] == tr("revoke-done")
    assert await answers_of(db, TEACHER, "mentee_questionnaire") == {}
    assert await db.fetch_one("SELECT id FROM form_sessions") is None
    grants = await db.fetch_all(
        "SELECT role FROM role_grants g JOIN people p ON p.id = g.person_id"
        " WHERE p.telegram_id = ?",
        (TEACHER,),
    )
    assert grants == []
    withdrawal = await db.fetch_one("SELECT role FROM withdrawals")
    assert withdrawal is not None and withdrawal["role"] == "mentee"
    notice = await db.fetch_one("SELECT chat_id, payload FROM outbox WHERE kind = 'curator_notice'")
    assert notice is not None and notice["chat_id"] == CURATOR
    assert "Иванова" not in notice["payload"]
    # The old question's buttons and typed text no longer reach anything.
    stale = await tg.send(TEACHER, "учитель")
    assert stale["text"] == tr("stranger-hint")


async def test_mydata_and_privacy(tg: Harness, fake: FakeTelegram) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Иванова Анна Сергеевна")
    overview = await tg.send(TEACHER, "/privacy")
    assert "редакция 1: дано" in overview["text"]
    assert "Анкета наставляемого: заполняется, ответов: 1" in overview["text"]
    await tg.send(TEACHER, "/mydata")
    chat, name, content = fake.uploads[-1]
    assert (chat, name) == (TEACHER, tr("my-data-filename"))
    data = json.loads(content)
    assert data["telegram_id"] == TEACHER
    answers = data["анкеты"][-1]["ответы"]
    assert "Иванова Анна Сергеевна" in answers.values()


async def test_two_questionnaires_in_parallel(tg: Harness, db: Database) -> None:
    await begin_mentee(tg)
    await tg.send(TEACHER, "Иванова Анна Сергеевна")
    link = next(t for t in tg.texts(CURATOR) if "start=" in t)
    await tg.send(TEACHER, f"/start {link.split('start=')[1].split()[0]}")
    mentor = await tg.press(TEACHER, "Я наставник")
    assert "Анкета наставника" in mentor["text"] or "фамилия" in mentor["text"]
    await tg.send(TEACHER, "Иванова Анна Сергеевна (наставник)")
    assert (await answers_of(db, TEACHER, "mentor_questionnaire"))["full_name"].endswith(
        "(наставник)"
    )
    await tg.send(TEACHER, "/menu")
    resumed = await tg.press(TEACHER, "📝 Анкета наставляемого · МБОУ СОШ № 5")
    assert "Ваша должность" in resumed["text"]


async def test_commands_in_the_middle_of_a_questionnaire(tg: Harness, db: Database) -> None:
    """Known commands work mid-questionnaire; an unknown one gets the question again; a
    command is never stored as an answer."""
    await begin_mentee(tg)
    unknown = await tg.send(TEACHER, "/foo")
    assert tr("unknown-command-in-form") in unknown["text"]
    assert "фамилия, имя и отчество" in unknown["text"]
    help_screen = await tg.send(TEACHER, "/help")
    assert help_screen["text"].startswith("Что умеет бот")
    privacy = await tg.send(TEACHER, "/privacy")
    assert "Анкета наставляемого: заполняется, ответов: 0" in privacy["text"]

    assert await answers_of(db, TEACHER, "mentee_questionnaire") == {}
    await tg.send(TEACHER, "Иванова Анна Сергеевна")  # the dialog is still on its question
    stored = await answers_of(db, TEACHER, "mentee_questionnaire")
    assert stored["full_name"] == "Иванова Анна Сергеевна"


async def test_one_answer_is_one_transaction_of_a_few_statements(tg: Harness, db: Database) -> None:
    """Issue 12: a typed answer was 12 statements (the session re-read after writing it, state
    and data as two upserts, the consent read apart); now the answer, the session's move and
    (when it changes) the FSM row commit together, in at most 5 statements per update."""
    await begin_mentee(tg)
    with counting(db) as typed:
        await tg.send(TEACHER, "Иванова Анна Сергеевна")
    await tg.send(TEACHER, "учитель")
    with counting(db) as pressed:
        await tg.press(TEACHER, "Молодой специалист (стаж до 3 лет)")
    with counting(db) as ticked:
        await tg.press(TEACHER, "▫️ Математика")
    with counting(db) as done:
        shown = await tg.press(TEACHER, "Готово ✔")
    # On SQLite (one process per file) the FSM row remembered is trusted: no state read.
    read = 0 if db.dialect == "sqlite" else 1
    assert (typed.statements, typed.transactions) == (4 + read, 1), typed.sql
    assert (pressed.statements, pressed.transactions) == (4 + read, 1), pressed.sql
    assert (ticked.statements, ticked.transactions) == (3 + read, 0), ticked.sql
    # The draft of ticks is cleared in the answer's own transaction.
    assert (done.statements, done.transactions) == (5 + read, 1), done.sql
    assert "стаж" in shown["text"]
    stored = await answers_of(db, TEACHER, "mentee_questionnaire")
    assert stored["full_name"] == "Иванова Анна Сергеевна" and stored["subjects"] == ["math"]
    row = await db.fetch_one("SELECT state, data FROM fsm_states WHERE state IS NOT NULL")
    assert row is not None and json.loads(row["data"])["draft"] is None


async def test_another_persons_question_button_says_so_and_offers_the_menu(
    tg: Harness, db: Database
) -> None:
    """Issue 11: pressing a button of someone else's questionnaire said «Эта анкета больше не
    действует», which was untrue; it now says whose it is, changes nothing, shows the menu."""
    await begin_mentee(tg)
    question = tg.fake.last(TEACHER)
    data = tg.fake.buttons(question)[tr("btn-form-pause")]
    link = next(t for t in tg.texts(CURATOR) if "start=" in t)
    other = TEACHER + 1
    await tg.send(other, f"/start {link.split('start=')[1].split()[0]}")
    await tg.press(other, "Я наставляемый")
    await tg.press(other, AGREE)
    shown = await tg.press_data(other, data)
    assert tg.alert() == tr("form-not-yours")
    assert tg.alert() != tr("form-gone")
    assert "📝 Анкета наставляемого · МБОУ СОШ № 5" in tg.fake.buttons(shown)
    owner = await db.fetch_one(
        "SELECT s.status, s.current_question FROM form_sessions s JOIN people p"
        " ON p.id = s.person_id WHERE p.telegram_id = ? AND s.form_id = ?",
        (TEACHER, "mentee_questionnaire"),
    )
    assert owner is not None and (owner["status"], owner["current_question"]) == (
        "in_progress",
        "full_name",
    )
    # A forged id of a session that does not exist is still «no longer valid».
    missing = FormCb(session=999_999, q="full_name", action=FormAction.PAUSE).pack()
    await tg.press_data(other, missing)
    assert tg.alert() == tr("form-gone")
