"""A coordinator's survey to every school of the district (issue 13), through the dispatcher:
the launch to the schools' curators, the rate per school, and bad input (no schools, a forged
callback of another district, a curator reaching the coordinator's survey)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot

from bot.core.i18n import tr
from bot.surveys.district import DistrictRefusal
from bot.surveys.service import SurveyRefusal
from bot.surveys.templates import INTERMEDIATE_FEEDBACK
from bot.ui.callbacks import (
    DistrictSurveyAction,
    DistrictSurveyCb,
    DistrictSurveysAction,
    DistrictSurveysCb,
    SurveyAction,
    SurveyCb,
)
from storage.db import Database
from storage.models import Role, RoleGrant
from storage.organizations import OrganizationsRepo
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, drain

COORDINATOR = 70
OTHER_COORDINATOR = 71
SECOND_CURATOR = 51
TAKE = "📝 Пройти опрос"


async def _district(db: Database, clock: FakeClock, school: int) -> int:
    """A second school in the school's district, with its curator; the coordinator."""
    organizations = OrganizationsRepo(db)
    first = await organizations.school(school)
    assert first is not None
    second = await organizations.create_school(
        first.district_id, "Школа № 2", "Europe/Moscow", clock.now()
    )
    assert second is not None
    await seed.person(db, clock, SECOND_CURATOR, RoleGrant(Role.CURATOR, organization_id=second.id))
    await seed.person(
        db, clock, COORDINATOR, RoleGrant(Role.COORDINATOR, district_id=first.district_id)
    )
    for mentee in (21, 22):
        await seed.participant(db, clock, school, mentee, Role.MENTEE)
    return first.district_id


async def _draft(tg: Harness, district: str = "Округ Школа № 1") -> dict[str, Any]:
    await tg.send(COORDINATOR, "/menu")
    await tg.press(COORDINATOR, "🏛 Округа и школы")
    await tg.press(COORDINATOR, f"🏛 {district}")
    await tg.press(COORDINATOR, "📋 Опросы округа")
    await tg.press(COORDINATOR, "➕ Новый опрос")
    return await tg.press(COORDINATOR, INTERMEDIATE_FEEDBACK.title)


async def _answer(tg: Harness, user: int) -> dict[str, Any]:
    first = await tg.press(user, TAKE)
    assert "вопрос 1 из 6" in first["text"], first["text"]
    await tg.press(user, "7")
    await tg.press(user, "8")
    await tg.press(user, "Раз в месяц")
    await tg.press(user, "Пропустить »")
    await tg.press(user, "Пропустить »")
    await tg.press(user, "Нет")
    return await tg.press(user, "📨 Отправить")


async def test_coordinator_surveys_the_curators_of_every_school(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _district(db, clock, school)
    draft = await _draft(tg)
    assert "опрос округа «Округ Школа № 1»" in draft["text"], draft["text"]
    assert "Кому: кураторы всех школ округа" in draft["text"]
    assert "Получателей сейчас: 2" in draft["text"]
    await tg.press(COORDINATOR, "⏰ Срок ответа")
    saved = await tg.send(COORDINATOR, "30.11 18:00")
    assert "Срок сохранён" in saved["text"] and "30.11.2026 18:00" in saved["text"]
    ask = await tg.press(COORDINATOR, "🚀 Запустить")
    assert "во 2 школах округа" in ask["text"] and "Его получат 2 участника" in ask["text"]
    done = await tg.press(COORDINATOR, "🚀 Запустить: 2 получателя")
    assert "Опрос запущен в 2 школах" in done["text"], done["text"]
    assert (
        "Школа № 1: Получили: 1 · ответили: 0 (0%) · начали: 0 · не открывали: 1" in (done["text"])
    )
    # The same engine: one campaign a school, each with its recipients and messages.
    parts = await db.fetch_all(
        "SELECT id, organization_id, audience, launch_step, summary_sent FROM survey_campaigns"
        " WHERE district_survey_id IS NOT NULL ORDER BY organization_id"
    )
    assert [(p["audience"], p["launch_step"], p["summary_sent"]) for p in parts] == [
        ("curators", None, 1),
        ("curators", None, 1),
    ]
    await drain(bot, db, clock)
    for curator in (CURATOR, SECOND_CURATOR):
        assert "Опрос «Промежуточная обратная связь»" in tg.fake.last(curator)["text"]
    assert not any("Промежуточная" in t for t in tg.texts(21))
    thanks = await _answer(tg, SECOND_CURATOR)
    assert "Спасибо, ответы приняты" in thanks["text"]
    card = await tg.press(COORDINATOR, "🔄 Обновить")
    assert "Школа № 1: Получили: 1 · ответили: 0 (0%)" in card["text"]
    assert "Школа № 2: Получили: 1 · ответили: 1 (100%)" in card["text"]
    # The curator's own list does not show it, and their buttons do not reach it.
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    listed = await tg.press(CURATOR, "📋 Опросы")
    assert "Промежуточная" not in str(tg.fake.buttons(listed))
    await tg.press_data(
        CURATOR, SurveyCb(survey_id=parts[0]["id"], action=SurveyAction.CLOSE).pack()
    )
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.NOT_FOUND)
    row = await db.fetch_one("SELECT status FROM survey_campaigns WHERE id = ?", (parts[0]["id"],))
    assert row is not None and row["status"] == "running"


async def test_all_participants_of_the_district(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _district(db, clock, school)
    await _draft(tg)
    card = await tg.press(COORDINATOR, "▫️ Всем участникам школ")
    assert "Кому: все участники" in card["text"] and "Получателей сейчас: 2" in card["text"]
    await tg.press(COORDINATOR, "⏰ Срок ответа")
    await tg.send(COORDINATOR, "30.11 18:00")
    await tg.press(COORDINATOR, "🚀 Запустить")
    done = await tg.press(COORDINATOR, "🚀 Запустить: 2 получателя")
    assert "Школа № 1: Получили: 2" in done["text"] and "Школа № 2: Получили: 0" in done["text"]
    await drain(bot, db, clock)
    assert "Опрос «Промежуточная обратная связь»" in tg.fake.last(21)["text"]
    assert not any("Промежуточная" in t for t in tg.texts(CURATOR))


async def test_a_district_with_no_schools_is_refused(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    district = await OrganizationsRepo(db).create_district("Пустой округ", clock.now())
    assert district is not None
    await seed.person(db, clock, COORDINATOR, RoleGrant(Role.COORDINATOR, district_id=district.id))
    draft = await _draft(tg, "Пустой округ")
    assert "Получателей сейчас: 0" in draft["text"]
    await tg.press(COORDINATOR, "⏰ Срок ответа")
    await tg.send(COORDINATOR, "30.11 18:00")
    await tg.press(COORDINATOR, "🚀 Запустить")
    assert tg.alert() == tr.plain("district-survey-refusal", reason=DistrictRefusal.NO_SCHOOLS)
    # A forged «launch» is refused by the service as well.
    await tg.press_data(
        COORDINATOR, DistrictSurveyCb(survey_id=1, action=DistrictSurveyAction.LAUNCH).pack()
    )
    assert tg.alert() == tr.plain("district-survey-refusal", reason=DistrictRefusal.NO_SCHOOLS)
    row = await db.fetch_one("SELECT status FROM survey_district_campaigns")
    assert row is not None and row["status"] == "draft"
    none = await db.fetch_one("SELECT COUNT(*) AS n FROM survey_campaigns")
    assert none is not None and none["n"] == 0


async def test_forged_callbacks_of_another_district_are_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    district = await _district(db, clock, school)
    other = await OrganizationsRepo(db).create_district("Другой округ", clock.now())
    assert other is not None
    await seed.person(
        db, clock, OTHER_COORDINATOR, RoleGrant(Role.COORDINATOR, district_id=other.id)
    )
    await _draft(tg)
    await tg.send(OTHER_COORDINATOR, "/menu")
    for data in (
        DistrictSurveyCb(survey_id=1, action=DistrictSurveyAction.LAUNCH),
        DistrictSurveyCb(survey_id=1, action=DistrictSurveyAction.AUDIENCE, v=1),
        DistrictSurveyCb(survey_id=1, action=DistrictSurveyAction.CARD),
        DistrictSurveysCb(district_id=district, action=DistrictSurveysAction.TEMPLATE),
    ):
        await tg.press_data(OTHER_COORDINATOR, data.pack())
        assert tg.alert() == tr.plain("forbidden")
    # A curator and a mentee are refused before any scope is looked at.
    for user in (CURATOR, 21):
        await tg.send(user, "/menu")
        await tg.press_data(
            user, DistrictSurveyCb(survey_id=1, action=DistrictSurveyAction.LAUNCH).pack()
        )
        assert tg.alert() == tr.plain("forbidden")
    rows = await db.fetch_all("SELECT district_id, status, audience FROM survey_district_campaigns")
    assert [(r["district_id"], r["status"], r["audience"]) for r in rows] == [
        (district, "draft", "curators")
    ]
