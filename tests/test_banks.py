"""The curator's banks: statuses, filters, cards, exports, reminders, and who may see them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from bot.core.config import Settings
from bot.core.i18n import tr
from bot.organizations.invites import InviteService
from bot.ui.callbacks import BankCb, BankView, CardCb, ParentLinkCb
from storage.db import Database
from storage.invites import InvitesRepo
from storage.models import InviteKind, Pair, Role
from storage.people import PeopleRepo
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import (
    ADMIN,
    AGREE,
    CURATOR,
    MENTEE,
    MENTOR,
    TEACHER,
    create_school,
    fill_mentee,
    invite_token,
    join_teacher,
    services,
)

SCHOOL = "🏫 МБОУ СОШ № 5"


def teacher_token(tg: Harness) -> str:
    link = next(t for t in tg.texts(CURATOR) if "start=" in t)
    return link.split("start=")[1].split()[0]


async def populated_school(tg: Harness) -> None:
    """Anna (submitted), Boris (filling in), Vera (refused consent)."""
    await join_teacher(tg, "Я наставляемый")
    await tg.press(TEACHER, AGREE)
    await fill_mentee(tg)
    await tg.press(TEACHER, "📨 Отправить")
    token = teacher_token(tg)
    await tg.send(301, f"/start {token}")
    await tg.press(301, "Я наставляемый")
    await tg.press(301, AGREE)
    await tg.send(301, "Борисов Борис Борисович")
    await tg.send(302, f"/start {token}")
    await tg.press(302, "Я наставляемый")
    await tg.press(302, "Не согласен(на)")


async def open_bank(tg: Harness) -> dict[str, object]:
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, SCHOOL)
    return await tg.press(CURATOR, "👥 Банк наставляемых")


async def test_bank_lists_statuses_and_days_waiting(tg: Harness, clock: FakeClock) -> None:
    await populated_school(tg)
    clock.advance(days=5)
    bank = await open_bank(tg)
    text = str(bank["text"])
    assert "Всего: 3, анкет заполнено: 1, ждут наставника: 1" in text
    assert "Иванова Анна Сергеевна — ждёт наставника 5 дней" in text
    assert "Борисов Борис Борисович — заполняет анкету" in text
    assert "Участник id302 — нет согласия на обработку ПДн" in text


async def test_filters_and_card(tg: Harness) -> None:
    await populated_school(tg)
    await open_bank(tg)
    await tg.press(CURATOR, tr("btn-filter-subject"))
    math = await tg.press(CURATOR, "Математика")
    assert "Фильтр: Математика" in str(math["text"]) and "Иванова" in str(math["text"])
    assert "Борисов" not in str(math["text"])
    await tg.press(CURATOR, tr("btn-filter-reset"))
    await tg.press(CURATOR, tr.plain("btn-filter-area", role=Role.MENTEE))
    nobody = await tg.press(CURATOR, "Работа с одарёнными детьми")
    assert tr("bank-nothing-found") in str(nobody["text"])
    await tg.press(CURATOR, tr("btn-filter-reset"))
    card = await tg.press(CURATOR, "👤 Иванова Анна Сергеевна")
    assert "Затруднения</b>" not in str(card["text"])  # plain text as the person sees it
    assert "Затруднения: Дисциплина и управление классом, Документы по ОВЗ 📄" in str(card["text"])


async def test_exports(tg: Harness, fake: FakeTelegram) -> None:
    await populated_school(tg)
    await open_bank(tg)
    await tg.press(CURATOR, tr("btn-export-xlsx"))
    _, name, content = fake.uploads[-1]
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Статус", "Дней ожидания", "ФИО", "Должность / класс"]
    anna = next(row for row in rows if row[2] == "Иванова Анна Сергеевна")
    assert "Математика, Информатика" in anna
    assert len(rows) == 4
    await tg.press(CURATOR, tr("btn-export-csv"))
    _, name, content = fake.uploads[-1]
    assert name.endswith(".csv") and content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][2] == "ФИО" and any("Иванова Анна Сергеевна" in row for row in table)


async def test_reminder_goes_to_unfinished_once_a_day(tg: Harness, db: Database) -> None:
    await populated_school(tg)
    await open_bank(tg)
    await tg.press(CURATOR, tr("btn-remind"))
    assert tg.alert() == "Напоминание отправлено: 2 человека."
    await tg.press(CURATOR, tr("btn-remind"))
    assert tg.alert() == tr("bank-reminded-none")
    rows = await db.fetch_all(
        "SELECT chat_id FROM outbox WHERE kind = 'questionnaire_reminder' ORDER BY chat_id"
    )
    assert [row["chat_id"] for row in rows] == [301, 302]


async def test_banks_are_closed_to_others(tg: Harness, db: Database) -> None:
    await populated_school(tg)
    school = await db.fetch_one("SELECT id FROM organizations")
    anna = await db.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (TEACHER,))
    assert school is not None and anna is not None
    bank = BankCb(school_id=school["id"], role="mentee", view=BankView.LIST).pack()
    card = CardCb(school_id=school["id"], role="mentee", person_id=anna["id"]).pack()
    export = BankCb(school_id=school["id"], role="mentee", view=BankView.XLSX).pack()
    # A mentee of the same school, a stranger, and the administrator: all refused.
    for user in (301, 999, ADMIN):
        for data in (bank, card, export):
            await tg.press_data(user, data, tg.fake.message_update(user, "x")["message"])
            assert tg.alert() in (tr("forbidden"), tr("stranger-hint"))
    # The curator of another school forging this school's ids.
    await tg.send(ADMIN, "/menu")
    token = await create_school(tg, district="Второй округ", school="Школа № 7")
    await tg.send(777, f"/start {token}")
    for data in (bank, card, export):
        await tg.press_data(777, data)
        assert tg.alert() == tr("forbidden")
    assert all("Иванова" not in text for text in tg.texts(777))


async def test_district_screen_shows_counts_per_school(tg: Harness) -> None:
    await populated_school(tg)
    await tg.send(ADMIN, "/schools")
    district = await tg.press(ADMIN, "🏛 Городской округ")
    assert "МБОУ СОШ № 5: наставников 0 (анкет 0), наставляемых 3 (анкет 1)" in str(
        district["text"]
    )


async def test_waiting_days_in_russian_from_the_day_of_joining(
    tg: Harness, clock: FakeClock
) -> None:
    await populated_school(tg)
    today = str((await open_bank(tg))["text"])
    assert "Иванова Анна Сергеевна — ждёт наставника с сегодняшнего дня" in today
    assert "дн." not in today
    for days, shown in ((1, "1 день"), (1, "2 дня"), (19, "21 день")):
        clock.advance(days=days)
        bank = await tg.press(CURATOR, tr("btn-back"))
        bank = await tg.press(CURATOR, "👥 Банк наставляемых")
        assert f"ждёт наставника {shown}" in str(bank["text"])


async def test_mentor_load_in_the_list_and_on_the_card(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, MENTOR, Role.MENTOR, capacity=2)
    await seed.participant(db, clock, school, 12, Role.MENTOR)
    mentee = await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    service, _ = services(db, clock)
    assert isinstance(await service.create(school, mentor, [mentee], CURATOR), Pair)
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    bank = str((await tg.press(CURATOR, "🧑‍🏫 Банк наставников"))["text"])
    assert f"Наставник {MENTOR} — анкета заполнена · нагрузка: 1 из 2 наставляемых" in bank
    assert "Наставник 12 — анкета заполнена · нагрузка: 0 из 1 наставляемого" in bank
    card = str((await tg.press(CURATOR, f"👤 Наставник {MENTOR}"))["text"])
    assert "нагрузка: 1 из 2 наставляемых" in card


async def test_export_holds_what_the_filter_shows(tg: Harness, fake: FakeTelegram) -> None:
    await populated_school(tg)
    await open_bank(tg)
    await tg.press(CURATOR, tr("btn-filter-subject"))
    await tg.press(CURATOR, "Математика")
    await tg.press(CURATOR, tr("btn-export-xlsx"))
    _, name, content = fake.uploads[-1]
    assert name == f"bank_mentee_{await _school_id(tg)}_math.xlsx"
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Фильтр: Математика"
    assert rows[1][:3] == ["Статус", "Дней ожидания", "ФИО"]
    assert [row[2] for row in rows[2:]] == ["Иванова Анна Сергеевна"]
    caption = fake.last(CURATOR)["caption"]
    assert caption == "Банк наставляемых (фильтр: Математика): 1 человек."
    await tg.press(CURATOR, tr("btn-export-csv"))
    _, name, content = fake.uploads[-1]
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert name.endswith("_math.csv") and table[0] == ["Фильтр: Математика"]
    assert [row[2] for row in table[2:]] == ["Иванова Анна Сергеевна"]


async def _school_id(tg: Harness) -> int:
    schools = await tg.dp["services"].organizations.all_schools()
    school_id: int = schools[0].id
    return school_id


async def test_curator_reissues_a_parent_link_and_the_old_one_dies(
    tg: Harness, db: Database, clock: FakeClock, settings: Settings, school: int
) -> None:
    student = await seed.participant(db, clock, school, 31, Role.MENTEE, category="student")
    await seed.participant(db, clock, school, 32, Role.MENTEE)
    invites = InviteService(InvitesRepo(db, PeopleRepo(db)), clock, settings.invites)
    old = await invites.issue(
        InviteKind.PARENT, student, organization_id=school, subject_person_id=student
    )
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, "👥 Банк наставляемых")
    other = await tg.press(CURATOR, "👤 Наставляемая 32")
    assert tr("btn-parent-link") not in tg.fake.buttons(other)
    await tg.press(CURATOR, tr("btn-back"))
    card = await tg.press(CURATOR, "👤 Наставляемая 31")
    assert "ждёт согласия родителя" in card["text"]
    issued = await tg.press(CURATOR, tr("btn-parent-link"))
    assert "Новая ссылка для родителя" in issued["text"] and "Наставляемая 31" in issued["text"]
    assert "Прежняя ссылка больше не действует" in issued["text"]
    token = invite_token(issued["text"])
    assert token != old.token
    assert (await tg.send(900, f"/start {old.token}"))["text"] == tr("invite-revoked")
    ask_name = await tg.send(901, f"/start {token}")
    assert "Введите ваши фамилию, имя и отчество" in ask_name["text"]
    live = await db.fetch_all(
        "SELECT created_by FROM invites WHERE kind = 'parent' AND revoked_at IS NULL"
    )
    assert [row["created_by"] for row in live] == [CURATOR]
    # A forged press for a mentee who needs no parent's consent issues nothing.
    forged = ParentLinkCb(school_id=school, person_id=student + 1).pack()
    await tg.press_data(CURATOR, forged)
    assert tg.alert() == tr("parent-link-not-needed")


async def test_reminders_pressed_at_night_and_before_morning_arrive_once(
    tg: Harness, db: Database
) -> None:
    await populated_school(tg)
    await open_bank(tg)
    # 23:30 and then 07:00 in Moscow (the school's zone): both in quiet hours, both for the
    # same morning, though the UTC date changed between the two presses.
    tg.clock.current = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)
    await tg.press(CURATOR, tr("btn-remind"))
    assert tg.alert() == "Напоминание отправлено: 2 человека."
    tg.clock.current = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    await tg.press(CURATOR, tr("btn-remind"))
    assert tg.alert() == tr("bank-reminded-none")
    rows = await db.fetch_all("SELECT unique_key FROM outbox WHERE kind = 'questionnaire_reminder'")
    assert len(rows) == 2 and all(row["unique_key"].endswith(":2026-11-24") for row in rows)
    # The next school day is a new day for reminders.
    tg.clock.current = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    await tg.press(CURATOR, tr("btn-remind"))
    assert tg.alert() == "Напоминание отправлено: 2 человека."
