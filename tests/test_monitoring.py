"""Control monitoring (issue 14) through the dispatcher: the coordinator asks the district's
curators for their data by a date, curators get the request and reminders through the outbox
and confirm «данные представлены» (late ones accepted and marked), the coordinator sees who has
submitted and reminds the rest once an hour; forged buttons and wrong roles are refused."""

from __future__ import annotations

from typing import Any

from bot.core.i18n import tr
from bot.ui.callbacks import MonitoringAction, MonitoringCb, ReportAction, ReportCb
from storage.db import Database
from storage.models import Role, RoleGrant
from storage.organizations import OrganizationsRepo
from tests import seed
from tests.harness import FakeClock, Harness
from tests.report_steps import COORDINATOR, district_with_two_schools, open_reports
from tests.steps import CURATOR, MENTEE, active_pair, drain, outbox_keys

SECOND_CURATOR = 52
SUBMIT = tr.plain("btn-monitoring-submit")


async def open_monitoring(tg: Harness) -> dict[str, Any]:
    await tg.send(COORDINATOR, "/schools")
    await tg.press(COORDINATOR, "🏛 Устьянский округ")
    await tg.press(COORDINATOR, tr.plain("btn-district-report"))
    return await tg.press(COORDINATOR, tr.plain("btn-monitoring"))


async def ask(tg: Harness, db: Database, clock: FakeClock) -> tuple[int, int, int]:
    """A district of two schools, a pair in the first, both curators asked by next week."""
    district, first, second = await district_with_two_schools(db, clock)
    await seed.person(db, clock, SECOND_CURATOR, RoleGrant(Role.CURATOR, organization_id=second))
    await active_pair(db, clock, first)
    prompt = await open_monitoring(tg)
    assert "Напишите срок" in prompt["text"]
    past = await tg.send(COORDINATOR, "до 20.11.2026")
    assert tr.plain("when-day-past") in past["text"]
    assert await db.fetch_one("SELECT id FROM monitoring_requests") is None
    asked = await tg.send(COORDINATOR, "через неделю")
    assert "Запрос отправлен кураторам школ: 2" in asked["text"]
    assert "Срок: 30.11.2026 23:59. Представили данные: 0 из 2" in asked["text"]
    assert "⏳ МБОУ ОСОШ № 2 — не представлено. Куратор: контакты не указаны" in asked["text"]
    return district, first, second


async def test_curators_are_asked_reminded_and_confirm_with_their_figures(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    _, first, second = await ask(tg, db, clock)
    pending = await outbox_keys(db, "pending")
    for school, chat in ((first, CURATOR), (second, SECOND_CURATOR)):
        mine = sorted(
            k.split(":")[3]
            for k in pending
            if k.startswith(f"mon:1:{school}:") and k.endswith(f":{chat}")
        )
        assert mine == ["ask", "late", "r0", "r1", "r2"]  # 3 and 1 days before, the morning of
    await drain(tg.bot, db, clock)
    request = next(t for t in tg.texts(CURATOR) if "Контрольный мониторинг" in t)
    assert "до 30.11.2026 23:59" in request and "Устьянский округ" in request

    # The curator's roadmap has the item «отчёт в округ»; the confirmation closes it.
    await open_reports(tg, school="МБОУ ОСОШ № 1")
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 МБОУ ОСОШ № 1")
    await tg.press(CURATOR, tr.plain("btn-roadmap"))
    done = await tg.press(CURATOR, SUBMIT)
    assert "Данные мониторинга представлены координатору округа: пар и групп — 1" in done["text"]
    assert "с опозданием" not in done["text"]
    row = await db.fetch_one(
        "SELECT late, pairs, completed, mentors, mentees FROM monitoring_submissions"
        " WHERE organization_id = ?",
        (first,),
    )
    assert row is not None and tuple(row) == (0, 1, 0, 1, 1)
    item = await db.fetch_one(
        "SELECT status, note FROM roadmap_items WHERE auto = 'monitoring_report'"
    )
    assert item is not None and item["status"] == "done"
    assert "Данные контрольного мониторинга представлены в округ 23.11.2026" in item["note"]
    # Its reminders are withdrawn; the other school's still wait.
    pending = await outbox_keys(db, "pending")
    assert not [k for k in pending if k.startswith(f"mon:1:{first}:")]
    assert [k for k in pending if k.startswith(f"mon:1:{second}:")]
    again = await tg.press_data(
        CURATOR,
        MonitoringCb(action=MonitoringAction.SUBMIT, scope_id=first, request_id=1).pack(),
    )
    assert again is not None
    assert tg.alert() == tr.plain("monitoring-refusal", reason="already")

    status = await open_monitoring(tg)
    assert "Представили данные: 1 из 2" in status["text"]
    assert "✅ МБОУ ОСОШ № 1 — 23.11.2026 12:00: пар и групп 1" in status["text"]
    await tg.press(COORDINATOR, tr.plain("btn-monitoring-remind"))
    assert tg.alert() == tr.plain("monitoring-reminded", count=1)
    nudges = [k for k in await outbox_keys(db, "pending") if ":n2026" in k]
    assert nudges == [f"mon:1:{second}:n202611230900:{SECOND_CURATOR}"]
    await tg.press(COORDINATOR, tr.plain("btn-monitoring-remind"))
    assert tg.alert() == tr.plain("monitoring-refusal", reason="too_soon")
    clock.advance(minutes=61)
    await tg.press(COORDINATOR, tr.plain("btn-monitoring-remind"))
    assert tg.alert() == tr.plain("monitoring-reminded", count=1)


async def test_a_confirmation_after_the_deadline_is_accepted_and_marked_late(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    _, _, second = await ask(tg, db, clock)
    await drain(tg.bot, db, clock)
    clock.advance(days=8)
    await drain(tg.bot, db, clock)
    assert any("Срок представления данных" in t for t in tg.texts(SECOND_CURATOR))
    done = await tg.press(SECOND_CURATOR, SUBMIT)
    assert "с опозданием (срок был 30.11.2026 23:59)" in done["text"]
    assert "пар и групп — 0" in done["text"]  # an empty school submits its zeros
    row = await db.fetch_one(
        "SELECT late FROM monitoring_submissions WHERE organization_id = ?", (second,)
    )
    assert row is not None and row["late"] == 1
    status = await open_monitoring(tg)
    assert "Срок: 30.11.2026 23:59 (прошёл)" in status["text"]
    assert "✅ МБОУ ОСОШ № 2 — 01.12.2026 12:00, с опозданием" in status["text"]


async def test_a_new_request_replaces_the_old_one_and_its_reminders(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    _, first, _ = await ask(tg, db, clock)
    await drain(tg.bot, db, clock)
    await tg.press(COORDINATOR, tr.plain("btn-monitoring-new"))
    await tg.send(COORDINATOR, "15.12.2026")
    assert not [k for k in await outbox_keys(db, "pending") if k.startswith("mon:1:")]
    stale = MonitoringCb(action=MonitoringAction.SUBMIT, scope_id=first, request_id=1).pack()
    await tg.press_data(CURATOR, stale)
    assert tg.alert() == tr.plain("monitoring-refusal", reason="superseded")
    # The reports screen offers the current request.
    await open_reports(tg, school="МБОУ ОСОШ № 1")
    done = await tg.press(
        CURATOR, tr.plain("btn-monitoring-submit-due", deadline="15.12.2026 23:59")
    )
    assert "Данные мониторинга представлены" in done["text"]


async def test_forged_buttons_and_wrong_roles_are_refused(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    _, first, second = await ask(tg, db, clock)
    organizations = OrganizationsRepo(db)
    other = await organizations.create_district("Другой округ", clock.now())
    assert other is not None
    outside = await organizations.create_school(
        other.id, "Школа другого округа", "Europe/Moscow", clock.now()
    )
    assert outside is not None
    await seed.person(db, clock, 53, RoleGrant(Role.CURATOR, organization_id=outside.id))
    await seed.participant(db, clock, first, MENTEE + 100, Role.MENTEE)

    # A coordinator never reaches another district's monitoring.
    for action in (MonitoringAction.OPEN, MonitoringAction.REMIND, MonitoringAction.NEW):
        await tg.press_data(
            COORDINATOR, MonitoringCb(action=action, scope_id=other.id, request_id=1).pack()
        )
        assert tg.alert() == tr.plain("refusal", reason="forbidden")
    # Nor a school report of another district's school (a forged report button).
    await tg.press_data(
        COORDINATOR, ReportCb(school_id=outside.id, action=ReportAction.SCHOOL).pack()
    )
    assert tg.alert() == tr.plain("forbidden")
    # A curator of school A cannot confirm for school B.
    await tg.send(CURATOR, "/menu")
    await tg.press_data(
        CURATOR, MonitoringCb(action=MonitoringAction.SUBMIT, scope_id=second, request_id=1).pack()
    )
    assert tg.alert() == tr.plain("refusal", reason="forbidden")
    # A curator of another district cannot confirm this district's request for their school.
    await tg.send(53, "/menu")
    await tg.press_data(
        53, MonitoringCb(action=MonitoringAction.SUBMIT, scope_id=outside.id, request_id=1).pack()
    )
    assert tg.alert() == tr.plain("monitoring-refusal", reason="not_found")
    # A mentee can neither confirm nor ask.
    await tg.send(MENTEE + 100, "/menu")
    await tg.press_data(
        MENTEE + 100,
        MonitoringCb(action=MonitoringAction.SUBMIT, scope_id=first, request_id=1).pack(),
    )
    assert tg.alert() == tr.plain("forbidden")
    await tg.press_data(MENTEE + 100, MonitoringCb(action=MonitoringAction.OPEN, scope_id=1).pack())
    assert tg.alert() == tr.plain("forbidden")
    assert await db.fetch_one("SELECT 1 FROM monitoring_submissions") is None


async def test_a_district_without_schools_has_nobody_to_ask(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    district = await OrganizationsRepo(db).create_district("Устьянский округ", clock.now())
    assert district is not None
    await seed.person(db, clock, COORDINATOR, RoleGrant(Role.COORDINATOR, district_id=district.id))
    await open_monitoring(tg)
    refused = await tg.send(COORDINATOR, "через неделю")
    assert tr.plain("monitoring-refusal", reason="no_schools") in refused["text"]
    assert await db.fetch_one("SELECT 1 FROM monitoring_requests") is None
