"""Monitoring reports (issue 14) through the dispatcher: the curator's school report in three
forms, the register of local acts and events, the coordinator's district tables, and who may
not see them."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re

from docx import Document
from openpyxl import load_workbook

from bot.core.i18n import tr
from bot.reports.charts import HEIGHT, WIDTH
from bot.ui.callbacks import DistrictReportCb, ReportAction, ReportCb
from storage.consents import ConsentsRepo
from storage.db import Database
from storage.models import Role, RoleGrant
from storage.organizations import OrganizationsRepo
from storage.reports import PracticeLevel, ReportsRepo
from tests import seed
from tests.harness import FakeClock, Harness
from tests.report_steps import (
    COORDINATOR,
    REPORT,
    district_with_two_schools,
    docx_text,
    growth_surveys,
    meeting,
    open_reports,
    png_size,
    satisfaction_survey,
    sheet_rows,
    uploads,
)
from tests.steps import CURATOR, MENTEE, MENTOR, active_pair


async def test_a_curator_gets_the_report_in_three_forms_with_correct_numbers(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await seed.participant(db, clock, school, 22, Role.MENTEE)  # waits for a mentor
    for days, confirmed in ((-30, True), (-10, True), (-5, False), (7, True)):
        await meeting(db, clock, pair.id, pair.mentor_id, days, confirmed)
    await satisfaction_survey(db, clock, school, Role.MENTOR, [8, 9, 10])
    await satisfaction_survey(db, clock, school, Role.MENTEE, [7, 9])  # two: too few to show

    await open_reports(tg)
    await tg.press(CURATOR, REPORT)

    summary = next(t for t in tg.texts(CURATOR) if "Мониторинг программы наставничества" in t)
    assert "Школа № 1, 2026/2027 учебный год" in summary
    assert "Наставников: 1, наставляемых: 2" in summary
    assert "Ждут наставника: 1" in summary
    assert "Пар и групп: 1, из них групп: 0" in summary
    assert "состоялись 2, не состоялись 1, запланированы 1" in summary
    files = uploads(tg, CURATOR)
    for chart in ("programs.png", "meetings.png", "satisfaction.png"):
        assert png_size(files[chart]) == (WIDTH, HEIGHT)
    assert "growth.png" not in files  # no before/after self-assessments

    xlsx = files["monitoring_2026-2027.xlsx"]
    people = dict(row[:2] for row in sheet_rows(xlsx, "Участники")[1:])
    assert people["Наставники"] == 1 and people["Наставляемые"] == 2
    assert people["Наставляемые, ожидающие наставника"] == 1
    months = sheet_rows(xlsx, "Встречи по месяцам")
    assert months[-1][:4] == ("Итого", 2, 1, 1)
    assert {row[0] for row in months[1:-1]} == {"окт 2026", "ноя 2026"}
    pairs = sheet_rows(xlsx, "Пары по формам и видам")
    assert pairs[1] == ("учитель – учитель", "традиционное", 1)
    satisfaction = {row[0]: row[1:] for row in sheet_rows(xlsx, "Удовлетворённость")[1:]}
    assert satisfaction["Ожидаемая эффективность"] == (9, "—")  # mentees: only two answered
    assert satisfaction["Фактическая эффективность"] == (8, "—")
    programs = dict(row[:2] for row in sheet_rows(xlsx, "Программы")[1:])
    assert programs["Действуют"] == 1 and programs["Завершены"] == 0

    docx = docx_text(files["spravka_monitoring_2026-2027.docx"])
    assert "Аналитическая справка по итогам мониторинга" in docx
    assert "Итого | 2 | 1 | 1 | 0 | 0" in docx
    assert len(Document(io.BytesIO(files["spravka_monitoring_2026-2027.docx"])).inline_shapes) == 3
    # Names only where the curator sees them: the survey answers carry none, the texts none.
    assert "всё" not in docx


async def test_an_empty_school_gets_a_report_of_zeros_without_charts(
    tg: Harness, school: int
) -> None:
    await open_reports(tg)
    await tg.press(CURATOR, REPORT)
    summary = tg.texts(CURATOR)[-3]
    assert "Наставников: 0, наставляемых: 0" in summary
    assert tr.plain("report-summary-no-meetings") in summary
    assert tr.plain("report-summary-nobody-waits") in summary
    files = uploads(tg, CURATOR)
    assert not [name for name in files if name.endswith(".png")]
    assert sheet_rows(files["monitoring_2026-2027.xlsx"], "Встречи по месяцам")[-1][:4] == (
        "Итого",
        0,
        0,
        0,
    )
    assert "Нет данных." in docx_text(files["spravka_monitoring_2026-2027.docx"])


async def test_an_archived_year_without_meetings_counts_its_completed_programs(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await open_reports(tg)
    # The curator closes the year; its pair completes the program with it.
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr.plain("btn-close-year"))
    await tg.press(CURATOR, tr.plain("btn-close-year-confirm"))
    await open_reports(tg)
    await tg.press(CURATOR, "📊 2026/2027 учебный год")
    summary = next(t for t in tg.texts(CURATOR) if "Мониторинг программы" in t)
    assert "действуют 0, завершены 1, прекращены досрочно 0" in summary
    assert tr.plain("report-summary-no-meetings") in summary
    files = uploads(tg, CURATOR)
    assert "meetings.png" not in files and "programs.png" in files
    programs = dict(row[:2] for row in sheet_rows(files["monitoring_2026-2027.xlsx"], "Программы"))
    assert programs["Завершены"] == 1


async def test_a_mentee_and_a_curator_of_another_school_are_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    other = await seed.school(db, clock, "Школа № 2")
    await seed.person(db, clock, 51, RoleGrant(Role.CURATOR, organization_id=other))
    await tg.send(MENTEE, "/menu")
    forged = ReportCb(school_id=school, action=ReportAction.SCHOOL).pack()
    await tg.press_data(MENTEE, forged)
    assert tg.alert() == tr.plain("forbidden")
    await tg.send(51, "/menu")
    await tg.press_data(51, forged)
    assert tg.alert() == tr.plain("refusal", reason="forbidden")
    assert not tg.fake.uploads


async def test_a_double_tap_gets_one_report(tg: Harness, school: int) -> None:
    await open_reports(tg)
    data = ReportCb(school_id=school, action=ReportAction.SCHOOL).pack()
    await asyncio.gather(tg.press_data(CURATOR, data), tg.press_data(CURATOR, data))
    assert tr.plain("report-refusal", reason="busy") in [
        a.get("text") for a in tg.fake.callback_answers
    ]
    assert sum(1 for t in tg.texts(CURATOR) if "Мониторинг программы" in t) == 1
    assert len([n for _, n, _ in tg.fake.uploads if n.endswith(".xlsx")]) == 1


async def test_local_acts_a_future_date_or_no_number_is_refused(
    tg: Harness, db: Database, school: int
) -> None:
    await open_reports(tg)
    await tg.press(CURATOR, tr.plain("btn-report-acts"))
    act = tr.plain("report-act", kind="regulation")
    await tg.press(CURATOR, tr.plain("btn-report-act", act=act))
    future = await tg.send(CURATOR, "№ 12 от 01.02.2027")
    assert tr.plain("report-refusal", reason="date_future") in future["text"]
    empty = await tg.send(CURATOR, "от 01.09.2026")
    assert tr.plain("report-refusal", reason="number_empty") in empty["text"]
    wrong = await tg.send(CURATOR, "№ 12 от 31.02.2026")
    assert tr.plain("report-refusal", reason="date_wrong") in wrong["text"]
    done = await tg.send(CURATOR, "№ 12-од от 01.09.2026")
    assert "Акт внесён" in done["text"] and "№ 12-од от 01.09.2026" in done["text"]
    rows = await db.fetch_all("SELECT kind, number, signed_on FROM school_orders")
    assert [tuple(r) for r in rows] == [("regulation", "12-од", "2026-09-01")]


async def test_a_coordinator_gets_the_seed_tables_filled_from_the_schools(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    district, first, second = await district_with_two_schools(db, clock)
    await active_pair(db, clock, first)
    # The curator of the first school fills the register through the bot.
    await open_reports(tg, school="МБОУ ОСОШ № 1")
    await tg.press(CURATOR, tr.plain("btn-report-acts"))
    await tg.press(CURATOR, tr.plain("btn-report-act", act=tr.plain("report-act", kind="roadmap")))
    await tg.send(CURATOR, "№ 390 от 16.09.2026")
    await tg.press(CURATOR, tr.plain("btn-report-contacts"))
    bad = await tg.send(CURATOR, "Петрова Мария Ивановна, petrova@school.ru")
    assert tr.plain("report-refusal", reason="contacts_wrong") in bad["text"]
    await tg.send(CURATOR, "Петрова Мария Ивановна; petrova@school.ru; +7 900 000-00-00")
    await tg.press(CURATOR, tr.plain("btn-back"))
    await tg.press(CURATOR, tr.plain("btn-report-events"))
    await tg.press(CURATOR, tr.plain("btn-report-event-new"))
    level = await tg.send(CURATOR, "Педагогические чтения; областной; 15.10.2026; 3; доклад")
    assert tr.plain("report-refusal", reason="level_wrong") in level["text"]
    recorded = await tg.send(
        CURATOR, "Педагогические чтения; муниципальный; 15.10.2026; 3; доклад, сертификат"
    )
    assert "Мероприятие внесено" in recorded["text"]

    await tg.send(COORDINATOR, "/schools")
    await tg.press(COORDINATOR, "🏛 Устьянский округ")
    await tg.press(COORDINATOR, tr.plain("btn-district-report"))
    await tg.press(COORDINATOR, "📊 2026/2027 учебный год")
    summary = tg.texts(COORDINATOR)[-3]
    assert "Школ: 2, пар и групп: 1, завершённых программ: 0, мероприятий: 1" in summary
    assert "Не заполнили свою часть: МБОУ ОСОШ № 2" in summary
    files = uploads(tg, COORDINATOR)
    assert png_size(files["district.png"]) == (WIDTH, HEIGHT)
    xlsx = files["district_2026-2027.xlsx"]
    acts = sheet_rows(xlsx, "Нормативное сопровождение")
    assert acts[0][2].startswith("Дата и номер приказа об утверждении Положения")
    assert acts[1] == (
        1,
        "МБОУ ОСОШ № 1",
        "не заполнено",
        "№ 390 от 16.09.2026",
        "не заполнено",
        "не заполнено",
        "Петрова Мария Ивановна, petrova@school.ru, +7 900 000-00-00",
    )
    assert acts[2][1:] == ("МБОУ ОСОШ № 2",) + ("не заполнено",) * 5
    monitoring = sheet_rows(xlsx, "Мониторинг реализации")
    assert monitoring[0][3] == "в т. ч. учитель – учитель"
    assert monitoring[1] == (
        1,
        "МБОУ ОСОШ № 1",
        1,
        1,
        0,
        "Педагогические чтения, муниципальный, 15.10.2026, доклад, сертификат",
        0,
    )
    assert monitoring[2][1:3] == ("МБОУ ОСОШ № 2", "не заполнено")
    assert monitoring[3][1:5] == ("Итого", 1, 1, 0)
    # Aggregated figures and curator contacts only: nobody's name from a questionnaire.
    text = json.dumps([acts, monitoring], ensure_ascii=False)
    assert f"Наставник {MENTOR}" not in text and f"Наставляемая {MENTEE}" not in text


async def test_a_district_outside_the_coordinators_is_refused(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    await district_with_two_schools(db, clock)
    other = await OrganizationsRepo(db).create_district("Другой округ", clock.now())
    assert other is not None
    await tg.send(COORDINATOR, "/menu")
    await tg.press_data(COORDINATOR, DistrictReportCb(district_id=other.id, make=True).pack())
    assert tg.alert() == tr.plain("refusal", reason="forbidden")
    await tg.send(CURATOR, "/menu")
    await tg.press_data(CURATOR, DistrictReportCb(district_id=other.id, make=True).pack())
    assert tg.alert() == tr.plain("forbidden")
    assert not tg.fake.uploads


async def test_a_person_who_withdrew_consent_appears_only_in_counts(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await meeting(db, clock, pair.id, pair.mentor_id, -3, True)
    person = await db.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (MENTEE,))
    assert person is not None
    await ConsentsRepo(db).withdraw_and_erase(int(person["id"]), MENTEE, clock.now())
    await open_reports(tg)
    await tg.press(CURATOR, REPORT)
    summary = next(t for t in tg.texts(CURATOR) if "Мониторинг программы" in t)
    assert "отозвали согласие: 1" in summary
    assert "прекращены досрочно 1" in summary
    files = uploads(tg, CURATOR)
    xlsx = files["monitoring_2026-2027.xlsx"]
    programs = dict(row[:2] for row in sheet_rows(xlsx, "Программы"))
    assert programs["Досрочно: участник выбыл"] == 1
    everything = json.dumps(
        [sheet_rows(xlsx, name) for name in load_workbook(io.BytesIO(xlsx)).sheetnames],
        ensure_ascii=False,
    ) + docx_text(files["spravka_monitoring_2026-2027.docx"])
    assert f"Наставляемая {MENTEE}" not in everything
    assert sheet_rows(xlsx, "Требуют внимания")[1:] == []


async def test_growth_before_after_is_averaged_and_small_groups_are_hidden(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    third = await seed.person(db, clock, 23, RoleGrant(Role.MENTEE, organization_id=school))
    # Three answered the lesson both times; only two answered the motivation at completion.
    await growth_surveys(
        db,
        clock,
        school,
        pair.id,
        {
            pair.mentor_id: ({"area_lesson": 4, "motivation": 6}, {"area_lesson": 7}),
            pair.mentee_ids[0]: (
                {"area_lesson": 5, "motivation": 5},
                {"area_lesson": 8, "motivation": 9},
            ),
            third: ({"area_lesson": 6, "motivation": 7}, {"area_lesson": 10, "motivation": 8}),
        },
    )
    await open_reports(tg)
    await tg.press(CURATOR, REPORT)
    summary = next(t for t in tg.texts(CURATOR) if "Мониторинг программы" in t)
    assert "ответили оба раза: 3" in summary
    assert "• Планирование и проведение урока: 5.0 → 8.3 (+3.3)" in summary
    assert "Мотивация" not in summary  # two answers: a group too small to show
    files = uploads(tg, CURATOR)
    assert png_size(files["growth.png"]) == (WIDTH, HEIGHT)
    rows = sheet_rows(files["monitoring_2026-2027.xlsx"], "Рост до и после")
    assert rows == [
        ("Вопрос", "До", "После", "Изменение", "Ответили"),
        ("Планирование и проведение урока", 5, 8.3, 3.3, 3),
    ]
    spravka = files["spravka_monitoring_2026-2027.docx"]
    assert "Планирование и проведение урока | 5.0 | 8.3 | 3.3 | 3" in docx_text(spravka)
    assert len(Document(io.BytesIO(spravka)).inline_shapes) == 2  # programs and growth


async def test_growth_of_two_participants_is_not_shown(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await growth_surveys(
        db,
        clock,
        school,
        pair.id,
        {
            pair.mentor_id: ({"area_lesson": 4}, {"area_lesson": 7}),
            pair.mentee_ids[0]: ({"area_lesson": 5}, {"area_lesson": 8}),
        },
    )
    await open_reports(tg)
    await tg.press(CURATOR, REPORT)
    files = uploads(tg, CURATOR)
    assert "growth.png" not in files
    assert (
        "Рост до и после"
        not in load_workbook(io.BytesIO(files["monitoring_2026-2027.xlsx"])).sheetnames
    )
    assert "Рост участников" not in next(
        t for t in tg.texts(CURATOR) if "Мониторинг программы" in t
    )


SITE = tr.plain("btn-report-site")


def images(page: str) -> list[bytes]:
    """The charts embedded in the page; anything but a data: URI fails."""
    sources = re.findall(r'src="([^"]*)"', page)
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    return [base64.b64decode(s.split(",", 1)[1]) for s in sources]


async def test_the_site_export_is_one_self_contained_anonymous_page(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    for days in (-30, -10):
        await meeting(db, clock, pair.id, pair.mentor_id, days, True)
    await satisfaction_survey(db, clock, school, Role.MENTOR, [8, 9, 10])
    await ReportsRepo(db).add_event(
        school,
        "Чтения <script>alert(1)</script> & «опыт»",
        PracticeLevel.MUNICIPAL,
        clock.now().date(),
        2,
        "доклад",
        "",
        CURATOR,
        clock.now(),
    )
    await open_reports(tg)
    await tg.press(CURATOR, tr.plain("btn-report-acts"))
    await tg.press(CURATOR, tr.plain("btn-report-contacts"))
    await tg.send(CURATOR, "Петрова Мария Ивановна; petrova@school.ru; +7 900 000-00-00")
    await open_reports(tg)
    await tg.press(CURATOR, SITE)

    files = uploads(tg, CURATOR)
    page = files["nastavnichestvo_2026-2027.html"].decode()
    assert page.startswith("<!DOCTYPE html>") and "Школа № 1, 2026/2027 учебный год" in page
    assert "Сформировано пар и групп: 1 (из них групп: 0)" in page
    assert "Состоялось встреч: 2" in page
    assert "<td>Ожидаемая эффективность</td><td>9.0</td><td>—</td>" in page
    drawn = images(page)
    assert len(drawn) == 3  # programs, meetings, satisfaction
    assert all(png_size(png) == (WIDTH, HEIGHT) for png in drawn)
    # Escaped text, nothing loaded from elsewhere, nobody's name or contacts.
    assert "Чтения &lt;script&gt;alert(1)&lt;/script&gt; &amp; «опыт»" in page
    assert "<script" not in page and "http" not in page and "<link" not in page
    for personal in (f"Наставник {MENTOR}", f"Наставляемая {MENTEE}", "Петрова", "petrova@"):
        assert personal not in page
    docx = files["nastavnichestvo_2026-2027.docx"]
    text = docx_text(docx)
    assert "Наставничество: итоги учебного года" in text
    assert "Сформировано пар и групп: 1 (из них групп: 0)" in text
    assert "Чтения <script>alert(1)</script> & «опыт» | муниципальный" in text
    assert "Петрова" not in text and f"Наставник {MENTOR}" not in text
    assert len(Document(io.BytesIO(docx)).inline_shapes) == 3


async def test_the_site_export_of_an_empty_school_double_taps_and_a_mentee(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await open_reports(tg)
    data = ReportCb(school_id=school, action=ReportAction.SITE).pack()
    await asyncio.gather(tg.press_data(CURATOR, data), tg.press_data(CURATOR, data))
    assert tr.plain("report-refusal", reason="busy") in [
        a.get("text") for a in tg.fake.callback_answers
    ]
    pages = [c for _, n, c in tg.fake.uploads if n.endswith(".html")]
    assert len(pages) == 1
    page = pages[0].decode()
    assert "<img" not in page and "Сформировано пар и групп: 0" in page
    assert tr.plain("site-no-events") in page
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    await tg.send(MENTEE, "/menu")
    await tg.press_data(MENTEE, data)
    assert tg.alert() == tr.plain("forbidden")
    assert len([n for _, n, _ in tg.fake.uploads if n.endswith(".html")]) == 1
