"""The school roadmap (issue 16), through the dispatcher: the default roadmap a curator starts
from, responsibles, reminders before deadlines, items the bot closes itself, exports, the
district's template and overview, and bad input."""

from __future__ import annotations

import io
from typing import Any

from aiogram import Bot
from docx import Document
from openpyxl import load_workbook

from bot.core.i18n import tr
from bot.roadmap.template import DEFAULT_TEMPLATE
from bot.services import Services
from bot.ui.callbacks import (
    DistrictRoadmapAction,
    DistrictRoadmapCb,
    ItemAction,
    RoadmapAction,
    RoadmapCb,
    RoadmapDoneCb,
    RoadmapItemCb,
    RoadmapOpenCb,
)
from storage.db import Database
from storage.models import Role, RoleGrant
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, MENTEE, MENTOR, active_pair, drain

COORDINATOR = 70
PROGRAMS = "Разработка персонализированных программ наставничества"  # due November
PAIRS = "Закрепление наставнических пар/групп"


def _services(tg: Harness) -> Services:
    services: Services = tg.dp["services"]
    return services


async def _open(tg: Harness) -> dict[str, Any]:
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    return await tg.press(CURATOR, tr.plain("btn-roadmap"))


async def _item(db: Database, activity: str) -> dict[str, Any]:
    row = await db.fetch_one(
        "SELECT id, status, note, done_by, due_on FROM roadmap_items WHERE activity = ?",
        (activity,),
    )
    assert row is not None, activity
    return dict(row)


async def _responsibles(db: Database, item_id: int) -> list[int]:
    rows = await db.fetch_all(
        "SELECT p.telegram_id FROM roadmap_responsibles r JOIN people p ON p.id = r.person_id"
        " WHERE r.item_id = ?",
        (item_id,),
    )
    return [row["telegram_id"] for row in rows]


async def _check_exports(tg: Harness) -> None:
    """A .docx with the usual table, and a spreadsheet."""
    await tg.press(CURATOR, tr.plain("btn-roadmap-docx"))
    _, name, content = tg.fake.uploads[-1]
    assert name.endswith(".docx")
    table = Document(io.BytesIO(content)).tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == [
        "№",
        "Наименование этапа",
        "Мероприятие и содержание деятельности",
        "Сроки",
        "Ответственные",
        "Ожидаемый результат",
    ]
    assert len(table.rows) == len(DEFAULT_TEMPLATE) + 1
    line = next(row for row in table.rows if PROGRAMS in row.cells[2].text)
    assert line.cells[3].text == "ноябрь 2026"
    assert "Наставники" in line.cells[4].text and "Наставник 11" in line.cells[4].text
    await tg.press(CURATOR, tr.plain("btn-roadmap-xlsx"))
    _, name, content = tg.fake.uploads[-1]
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None and sheet["A1"].value == "№" and sheet.max_row == 13


async def test_curator_starts_from_default_assigns_is_reminded_sees_bot_close_and_exports(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await active_pair(db, clock, school)  # a mentor and a mentee with questionnaires
    screen = await _open(tg)
    assert "Дорожная карта" in screen["text"] and "2026/2027 учебный год" in screen["text"]
    rows = await db.fetch_all("SELECT stage, due_on FROM roadmap_items ORDER BY position")
    assert len(rows) == len(DEFAULT_TEMPLATE)
    # Deadlines sit in the current school year: September 2026 to June 2027.
    assert min(r["due_on"] for r in rows) >= "2026-09-01"
    assert max(r["due_on"] for r in rows) <= "2027-08-31"
    # The banks are collected: the bot closed those items with the evidence.
    bank = await _item(db, "Сбор данных о наставляемых")
    assert bank["status"] == "done" and bank["done_by"] is None
    assert "Анкет наставляемых: 1" in bank["note"]
    assert "✅ Сбор данных о наставляемых" in screen["text"]
    assert "ежегодно, сентябрь" in screen["text"]

    # The curator makes the mentor responsible for the programs (due in November).
    programs = await _item(db, PROGRAMS)
    card = await tg.press_data(
        CURATOR, RoadmapItemCb(item_id=programs["id"], action=ItemAction.CARD).pack()
    )
    assert "ноябрь 2026" in card["text"] and "Ответственные: Наставники\n" in card["text"]
    people = await tg.press(CURATOR, tr.plain("btn-roadmap-people"))
    assert "▫️ Наставник 11" in tg.fake.buttons(people)
    chosen = await tg.press(CURATOR, "▫️ Наставник 11")
    assert "✅ Наставник 11" in tg.fake.buttons(chosen)
    assert await _responsibles(db, programs["id"]) == [MENTOR]

    # The daily sweep: a week before the deadline the mentor is reminded, once.
    await _services(tg).roadmap.sweep()
    await _services(tg).roadmap.sweep()
    await drain(bot, db, clock)
    reminders = [t for t in tg.texts(MENTOR) if "Дорожная карта: «" in t]
    assert len(reminders) == 1
    assert PROGRAMS in reminders[0] and "осталось 7 дней" in reminders[0]
    await tg.press(MENTOR, tr.plain("btn-roadmap-done"))
    saved = await tg.send(MENTOR, "Программа пары утверждена на методсовете")
    assert "отмечен выполненным" in saved["text"]
    programs = await _item(db, PROGRAMS)
    assert programs["status"] == "done" and programs["done_by"] == MENTOR
    assert programs["note"] == "Программа пары утверждена на методсовете"

    # The pairs order is made with its number: the roadmap item closes by itself.
    assert (await _item(db, PAIRS))["status"] == "planned"
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr.plain("btn-pairs"))
    await tg.press(CURATOR, tr.plain("btn-order"))
    await tg.send(CURATOR, "45-о от 20.11.2026")
    await _services(tg).roadmap.sweep()
    pairs = await _item(db, PAIRS)
    assert pairs["status"] == "done" and pairs["done_by"] is None
    assert pairs["note"] == "Приказ «Об утверждении наставнических пар/групп» № 45-о от 20.11.2026"
    screen = await _open(tg)
    assert f"✅ {PAIRS}" in screen["text"]

    await _check_exports(tg)


async def test_curator_edits_adds_moves_removes_and_past_deadline_refused(
    tg: Harness, db: Database, school: int
) -> None:
    await _open(tg)
    await tg.press(CURATOR, tr.plain("btn-roadmap-add"))
    await tg.press(CURATOR, "Отбор и обучение наставников")
    await tg.send(CURATOR, "Семинар «Наставник — молодому педагогу»")
    past = await tg.send(CURATOR, "15.10.2026")  # today is 23.11.2026
    assert "Этот срок уже прошёл" in past["text"]
    wrong = await tg.send(CURATOR, "когда-нибудь")
    assert "Не понял срок" in wrong["text"]
    added = await tg.send(CURATOR, "в феврале")
    assert "Мероприятие добавлено" in added["text"] and "февраль 2027" in added["text"]
    new = await _item(db, "Семинар «Наставник — молодому педагогу»")
    assert new["due_on"] == "2027-02-28"
    # A yearly deadline, then a date.
    await tg.press(CURATOR, tr.plain("btn-roadmap-deadline"))
    yearly = await tg.send(CURATOR, "ежегодно, в мае")
    assert "ежегодно, май" in yearly["text"]
    await tg.press(CURATOR, tr.plain("btn-roadmap-deadline"))
    dated = await tg.send(CURATOR, "до 10.12")
    assert "до 10.12.2026" in dated["text"]
    assert (await _item(db, "Семинар «Наставник — молодому педагогу»"))["due_on"] == "2026-12-10"
    await tg.press(CURATOR, tr.plain("btn-roadmap-field", field="responsible_role"))
    role = await tg.send(CURATOR, "заместитель директора по УР")
    assert "заместитель директора по УР" in role["text"]
    # Moved up: it swaps with the item above it.
    before = await db.fetch_all("SELECT activity FROM roadmap_items ORDER BY position, id")
    await tg.press(CURATOR, tr.plain("btn-roadmap-up"))
    after = await db.fetch_all("SELECT activity FROM roadmap_items ORDER BY position, id")
    assert [r["activity"] for r in after][-2:] == [r["activity"] for r in before][-2:][::-1]
    await tg.press(CURATOR, "12. ⏳ Семинар «Наставник — молодому педагогу»")
    await tg.press(CURATOR, tr.plain("btn-roadmap-remove"))
    removed = await tg.press(CURATOR, tr.plain("btn-roadmap-remove-confirm"))
    assert "Пункт удалён" in removed["text"]
    count = await db.fetch_one("SELECT COUNT(*) AS n FROM roadmap_items")
    assert count is not None and count["n"] == len(DEFAULT_TEMPLATE)


async def test_item_without_responsible_reminds_the_curator_and_overdue_is_told(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _open(tg)
    await _services(tg).roadmap.sweep()
    await drain(bot, db, clock)
    texts = tg.texts(CURATOR)
    reminder = next(t for t in texts if PROGRAMS in t and "осталось" in t)
    assert "Ответственный сотрудник не назначен" in reminder
    # September and October items are overdue: the curator is told, and sees them marked.
    overdue = [t for t in texts if "Дорожная карта: просрочено 6 пунктов" in t]
    assert len(overdue) == 1 and "• Обучение наставников для работы" in overdue[0]
    assert any("Дорожная карта, ноябрь: выполнено 0 из 12" in t for t in texts)
    screen = await _open(tg)
    assert "⚠ Обучение наставников для работы с наставляемыми" in screen["text"]
    # Nothing is queued twice by another sweep.
    queued = await db.fetch_one("SELECT COUNT(*) AS n FROM outbox")
    await _services(tg).roadmap.sweep()
    again = await db.fetch_one("SELECT COUNT(*) AS n FROM outbox")
    assert queued is not None and again is not None and queued["n"] == again["n"]


async def test_responsible_who_withdrew_consent_is_replaced_and_curator_told(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await active_pair(db, clock, school)
    await _open(tg)
    programs = await _item(db, PROGRAMS)
    await tg.press_data(
        CURATOR, RoadmapItemCb(item_id=programs["id"], action=ItemAction.CARD).pack()
    )
    await tg.press(CURATOR, tr.plain("btn-roadmap-people"))
    await tg.press(CURATOR, "▫️ Наставник 11")
    # The mentor withdraws consent (/revoke): their roles in the school end.
    await tg.send(MENTOR, "/revoke")
    await tg.press(MENTOR, tr.plain("btn-revoke-confirm"))
    await _services(tg).roadmap.sweep()
    assert await _responsibles(db, programs["id"]) == [CURATOR]
    await drain(bot, db, clock)
    told = [t for t in tg.texts(CURATOR) if "больше не участвует" in t]
    assert len(told) == 1 and PROGRAMS in told[0]
    assert not any("Дорожная карта: «" in t for t in tg.texts(MENTOR)[-3:])


async def test_responsible_who_left_the_school_is_handed_over_to_the_curator_once(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await active_pair(db, clock, school)
    await _open(tg)
    programs = await _item(db, PROGRAMS)
    await tg.press_data(
        CURATOR, RoadmapItemCb(item_id=programs["id"], action=ItemAction.CARD).pack()
    )
    await tg.press(CURATOR, tr.plain("btn-roadmap-people"))
    await tg.press(CURATOR, "▫️ Наставник 11")
    assert await _responsibles(db, programs["id"]) == [MENTOR]
    # The mentor leaves the school: their role in it is gone (they stay a Telegram user).
    await db.execute(
        "DELETE FROM role_grants WHERE person_id = (SELECT id FROM people WHERE telegram_id = ?)",
        (MENTOR,),
    )
    report = await _services(tg).roadmap.sweep()
    assert report.reassigned == 1
    assert await _responsibles(db, programs["id"]) == [CURATOR]
    assert (await _services(tg).roadmap.sweep()).reassigned == 0  # told once
    await drain(bot, db, clock)
    told = [t for t in tg.texts(CURATOR) if "больше не участвует" in t]
    assert len(told) == 1 and PROGRAMS in told[0]


async def test_mentee_and_other_school_cannot_edit_by_forged_callbacks(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await _open(tg)
    item = await _item(db, PROGRAMS)
    roadmap_id = (await db.fetch_one("SELECT id FROM roadmaps"))["id"]  # type: ignore[index]
    forged = [
        RoadmapItemCb(item_id=item["id"], action=ItemAction.REMOVE).pack(),
        RoadmapItemCb(item_id=item["id"], action=ItemAction.TOGGLE, v=1).pack(),
        RoadmapCb(roadmap_id=roadmap_id, action=RoadmapAction.XLSX).pack(),
        RoadmapOpenCb(school_id=school).pack(),
    ]
    await tg.send(MENTEE, "/menu")
    for data in forged:
        await tg.press_data(MENTEE, data)
        assert tg.alert() == tr.plain("forbidden")
    # Not responsible: the mentee cannot mark it done either.
    await tg.press_data(MENTEE, RoadmapDoneCb(item_id=item["id"]).pack())
    assert "ответственный за пункт или куратор" in tg.alert()
    # The curator of another school is refused this school's items.
    other = await seed.school(db, clock, "Школа № 2")
    await seed.person(db, clock, 51, RoleGrant(Role.CURATOR, organization_id=other))
    await tg.send(51, "/menu")
    await tg.press_data(51, RoadmapItemCb(item_id=item["id"], action=ItemAction.REMOVE).pack())
    assert tg.alert() == tr.plain("roadmap-refusal", reason="forbidden")
    await tg.press_data(51, RoadmapOpenCb(school_id=school).pack())
    assert tg.alert() == tr.plain("roadmap-refusal", reason="forbidden")
    assert (await _item(db, PROGRAMS))["status"] == "planned"
    assert tuple(await db.fetch_one("SELECT COUNT(*) AS n FROM roadmaps") or ()) == (1,)


async def test_coordinator_publishes_district_template_only_to_own_district(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    district = (
        await db.fetch_one("SELECT district_id FROM organizations WHERE id = ?", (school,))
    )["district_id"]  # type: ignore[index]
    await seed.person(db, clock, COORDINATOR, RoleGrant(Role.COORDINATOR, district_id=district))
    other_school = await seed.school(db, clock, "Школа другого округа")
    other_district = (
        await db.fetch_one("SELECT district_id FROM organizations WHERE id = ?", (other_school,))
    )["district_id"]  # type: ignore[index]
    await _open(tg)  # the school starts from the default roadmap
    await tg.send(COORDINATOR, "/menu")
    overview = await tg.press_data(
        COORDINATOR,
        DistrictRoadmapCb(district_id=district, action=DistrictRoadmapAction.OVERVIEW).pack(),
    )
    assert "Школа № 1: выполнено 0 из 12 (0 %), просрочено — 6" in overview["text"]
    template = await tg.press(COORDINATOR, tr.plain("btn-roadmap-template"))
    assert "Шаблон дорожной карты" in template["text"]
    await tg.press(COORDINATOR, tr.plain("btn-roadmap-add"))
    await tg.press(COORDINATOR, "Мониторинг и оценка результатов")
    await tg.send(COORDINATOR, "Заседание районной творческой группы «Наставничество»")
    await tg.send(COORDINATOR, "апрель")
    await tg.press(COORDINATOR, tr.plain("btn-back"))
    published = await tg.press(COORDINATOR, tr.plain("btn-roadmap-publish"))
    assert "Шаблон опубликован: школ — 1, новых пунктов — 13" in published["text"]
    rows = await db.fetch_all(
        "SELECT i.activity FROM roadmap_items i JOIN roadmaps r ON r.id = i.roadmap_id"
        " WHERE r.kind = 'school' AND i.template_item_id IS NOT NULL"
    )
    assert len(rows) == 13
    await drain(bot, db, clock)
    assert any("добавлены мероприятия из шаблона округа: 13" in t for t in tg.texts(CURATOR))
    # Published again: nothing new is pushed.
    again = await tg.press(COORDINATOR, tr.plain("btn-roadmap-publish"))
    assert "новых пунктов — 0" in again["text"]
    # Another district's template, by a forged callback: refused, nothing pushed.
    foreign = await _services(tg).roadmap.district_template(other_district)
    await tg.press_data(
        COORDINATOR, RoadmapCb(roadmap_id=foreign.id, action=RoadmapAction.PUBLISH).pack()
    )
    assert tg.alert() == tr.plain("roadmap-refusal", reason="forbidden")
    await tg.press_data(
        COORDINATOR,
        DistrictRoadmapCb(district_id=other_district, action=DistrictRoadmapAction.OVERVIEW).pack(),
    )
    assert "недоступ" in tg.alert() or tg.alert() == tr.plain("refusal", reason="forbidden")
    pushed = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM roadmaps WHERE kind = 'school' AND scope_id = ?",
        (other_school,),
    )
    assert pushed is not None and pushed["n"] == 0
