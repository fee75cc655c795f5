"""Closing a school year: the pairs still working complete, their people are told, meetings
ahead are cancelled, the figures stay in the archive and the pair list starts afresh."""

from __future__ import annotations

from datetime import date

from aiogram import Bot

from bot.core.i18n import tr
from bot.school_years.service import year_label
from bot.ui.callbacks import PairsCb, PairsView, SchoolYearCb, YearAction
from storage.db import Database
from storage.models import Role, RoleGrant
from storage.pairs import PairsRepo
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN, CURATOR, MENTEE, MENTOR, active_pair, deliver, outbox_keys, propose


def test_year_label_turns_in_september() -> None:
    assert year_label(date(2027, 6, 10)) == "2026/2027"
    assert year_label(date(2027, 8, 31)) == "2026/2027"
    assert year_label(date(2027, 9, 1)) == "2027/2028"


async def test_curator_closes_the_year(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    await propose(tg)  # a meeting tomorrow
    await deliver(bot, db, clock)
    await tg.press(MENTEE, tr("btn-meeting-confirm"))
    assert any(":remind:" in key for key in await outbox_keys(db, "pending"))
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    preview = await tg.press(CURATOR, tr("btn-close-year"))
    assert "Завершить 2026/2027 учебный год?" in preview["text"]
    assert "работают (1)" in preview["text"] and "без ответа (0)" in preview["text"]

    done = await tg.press(CURATOR, tr("btn-close-year-confirm"))

    assert done["text"].startswith("✅ Учебный год завершён.")
    assert "Пар и групп: 1, из них завершили программу: 1, закончили досрочно: 0" in done["text"]
    pair = await db.fetch_one("SELECT status, end_reason, school_year_id FROM pairs")
    assert pair is not None and tuple(pair) == ("ended", "year_closed", 1)
    meeting = await db.fetch_one("SELECT status FROM meetings")
    assert meeting is not None and meeting["status"] == "cancelled"
    assert not any(key.startswith("meeting:") for key in await outbox_keys(db, "pending"))
    await deliver(bot, db, clock)
    for person in (MENTOR, MENTEE):
        assert fake.last(person)["text"] == tr("year-closed-for-pair", label="2026/2027")
    # The working list starts afresh; the archive keeps the year.
    listing = await tg.press_data(CURATOR, PairsCb(school_id=school, view=PairsView.LIST).pack())
    assert tr("pairs-empty") in listing["text"]
    assert await PairsRepo(db).for_school(school) == []
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    archive = await tg.press(CURATOR, tr("btn-year-archive"))
    assert "2026/2027" in archive["text"] and "Встреч проведено: 0" in archive["text"]
    # Pressing «close» again (a stale screen) changes nothing.
    again = await tg.press_data(
        CURATOR, SchoolYearCb(action=YearAction.CLOSE, school_id=school).pack()
    )
    assert again["text"] == tr("year-closed-already", label="2026/2027")
    years = await db.fetch_one("SELECT COUNT(*) AS n FROM school_years")
    assert years is not None and years["n"] == 1


async def test_only_the_schools_curator_closes_its_year(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    other = await seed.school(db, clock, name="Школа № 2")
    await seed.person(db, clock, 60, RoleGrant(Role.CURATOR, organization_id=other))
    close = SchoolYearCb(action=YearAction.CLOSE, school_id=school).pack()
    for intruder in (60, MENTEE, MENTOR, ADMIN):
        await tg.send(intruder, "/menu")
        await tg.press_data(intruder, close)
        assert tg.alert() in (tr("forbidden"), tr("stranger-hint"))
    assert await db.fetch_one("SELECT 1 FROM school_years") is None
    pair = await db.fetch_one("SELECT status FROM pairs")
    assert pair is not None and pair["status"] == "active"
    # The administrator may look at the archive, not close the year.
    archive = SchoolYearCb(action=YearAction.ARCHIVE, school_id=school).pack()
    shown = await tg.press_data(ADMIN, archive)
    assert shown["text"] == tr("year-archive-empty")
