"""The curator's banks: statuses, filters, cards, exports, reminders, and who may see them."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from bot.core.i18n import tr
from bot.ui.callbacks import BankCb, BankView, CardCb
from storage.db import Database
from storage.models import Role
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN, AGREE, CURATOR, TEACHER, create_school, fill_mentee, join_teacher

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
