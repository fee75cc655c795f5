"""End to end, the bot as a process: a pair walks from its final meeting to a completed program
(issue 13). Both sides give feedback on the final meeting, both confirm «программа выполнена»,
the final surveys go out and are answered, and the mentee sees their growth, start → end.

What comes before (the program written and confirmed in November, the growth self-assessment
answered then, the opening meetings held, the final meeting agreed in May) is arranged
in-process on the same database file, through the same dispatcher, before the process starts
with its clock in May (tests/e2e_clock/sitecustomize.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode

from app.assembly import build_dispatcher
from bot.core.config import BackupSettings, Settings
from bot.core.i18n import tr
from bot.surveys.templates import GROWTH_SELF_ASSESSMENT, MENTEE_SATISFACTION
from storage.db import Database
from storage.meetings import MeetingsRepo
from storage.models import MeetingKind, Role, RoleGrant
from tests import seed
from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, RecordingSession, wait_until
from tests.harness import FakeClock, Harness
from tests.process import BotProcess, bot_process
from tests.steps import (
    ADMIN,
    CURATOR,
    MENTEE,
    MENTOR,
    active_pair,
    deliver,
    drain,
    propose,
    write_program,
)

TAKE = "📝 Пройти опрос"
GROWTH = GROWTH_SELF_ASSESSMENT.title


async def _arrange(path: str, tmp_path: Path) -> None:
    """November: the program written and confirmed, the growth self-assessment answered
    (all 5s), three opening meetings held. May: the final meeting agreed for 11.05 16:00."""
    db = await Database.open(path)
    await db.migrate()
    clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    school = await seed.school(db, clock)
    await seed.person(db, clock, CURATOR, RoleGrant(Role.CURATOR, organization_id=school))
    pair = await active_pair(db, clock, school)
    settings = Settings(
        token=TOKEN,
        admins=frozenset({ADMIN}),
        timezone=ZoneInfo("Europe/Moscow"),
        backup=BackupSettings(folder=tmp_path / "backups"),
    )
    fake = FakeTelegram(token=TOKEN)
    bot = Bot(
        TOKEN,
        session=RecordingSession(fake),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    tg = Harness(build_dispatcher(settings, db, clock), bot, fake, clock)
    try:
        await write_program(tg)
        await deliver(bot, db, clock)
        await tg.press(MENTEE, tr("btn-program-open"))
        await tg.press(MENTEE, tr("btn-program-confirm"))
        await drain(bot, db, clock)
        for person in (MENTOR, MENTEE):
            await tg.press(person, TAKE)
            for _ in GROWTH_SELF_ASSESSMENT.questions:
                await tg.press(person, "5")
            await tg.press(person, "📨 Отправить")
        meetings = MeetingsRepo(db)
        for day, kind in enumerate(
            (MeetingKind.ORGANIZATIONAL, MeetingKind.TRIAL, MeetingKind.PLANNING), start=2
        ):
            at = datetime(2026, 12, day, 12, 0, tzinfo=UTC)
            meeting = await meetings.create(
                pair.id, kind, at, "каб. 204", "", pair.mentor_id, clock.now()
            )
            assert await meetings.confirm(meeting, 1, clock.now())
        clock.current = datetime(2027, 5, 10, 9, 0, tzinfo=UTC)
        await propose(tg)
        await deliver(bot, db, clock)
        await tg.press(MENTEE, tr("btn-meeting-confirm"))
        final = await db.fetch_one("SELECT kind, status FROM meetings ORDER BY id DESC LIMIT 1")
        assert final is not None and (final["kind"], final["status"]) == ("final", "confirmed")
        # What fell due before May (November's notices) was delivered by the bot back then.
        await db.execute("UPDATE outbox SET status = 'sent' WHERE due_at < '2027-05-11'")
    finally:
        await bot.session.close()
        await db.close()


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    async with bot_process(tmp_path, moved_clock=True, NASTAVNIK_THROTTLE_PER_SECOND="50") as bot:
        await _arrange(bot.env["NASTAVNIK_DATABASE_PATH"], tmp_path)
        yield bot


def _has_button(bot: BotProcess, user: int, label: str) -> bool:
    return any(label in bot.fake.buttons(m) for m in bot.fake.bot_messages(user))


async def _feedback(bot: BotProcess, person: int) -> None:
    await bot.press(person, tr("btn-feedback"))
    await bot.press(person, "Да")
    await bot.press(person, "8")
    await bot.say(person, "Подвели итоги программы")
    await bot.press(person, "Пропустить »")
    await bot.press(person, "Пропустить »")
    await bot.say(person, "Продолжить работу самостоятельно")
    await bot.press(person, "📨 Отправить")


async def _satisfaction(bot: BotProcess, person: int, title: str) -> None:
    await bot.say(person, "/menu")
    await bot.press(person, "📝 Опросы")
    first = await bot.press(person, f"📝 {title}")
    assert "вопрос 1 из 13" in str(first["text"]), first["text"]
    for _ in range(8):
        await bot.press(person, "9")
    await bot.press(person, "Раз в неделю и чаще")
    await bot.say(person, "Совместный разбор уроков")
    await bot.press(person, "Пропустить »")
    await bot.press(person, "Да")
    await bot.press(person, "Нет")
    thanks = await bot.press(person, "📨 Отправить")
    assert "Спасибо, ответы приняты" in str(thanks["text"])


async def _growth(bot: BotProcess, person: int) -> None:
    await bot.say(person, "/menu")
    await bot.press(person, "📝 Опросы")
    await bot.press(person, f"📝 {GROWTH}")
    for _ in GROWTH_SELF_ASSESSMENT.questions:
        await bot.press(person, "8")
    thanks = await bot.press(person, "📨 Отправить")
    assert "Спасибо, ответы приняты" in str(thanks["text"])


async def test_a_pair_from_its_final_meeting_to_a_completed_program(bot: BotProcess) -> None:
    # Tuesday 11.05.2027, an hour after the final meeting: both are asked for feedback.
    await bot.start_at("2027-05-11T17:01:00+03:00")
    feedback = tr("btn-feedback")
    await wait_until(lambda: all(_has_button(bot, p, feedback) for p in (MENTOR, MENTEE)))
    await _feedback(bot, MENTOR)
    await bot.say(MENTOR, "/menu")
    await bot.press(MENTOR, tr("btn-my-pairs"))
    await bot.press(MENTOR, "🤝 1")
    await bot.press(MENTOR, tr("btn-program-complete"))
    assert bot.fake.callback_answers[-1].get("text") == tr("completion-waiting")
    await wait_until(lambda: any("Подтвердите и вы" in t for t in bot.texts(MENTEE)))
    await _feedback(bot, MENTEE)
    await bot.press(MENTEE, tr("btn-program-complete"))
    assert "Программа завершена: программа выполнена" in str(
        bot.fake.callback_answers[-1].get("text")
    )
    pair = bot.rows("SELECT status, end_reason FROM pairs")
    assert [(p["status"], p["end_reason"]) for p in pair] == [("completed", "completed")]

    # The final surveys reach each side (outside quiet hours: it is the afternoon).
    await wait_until(
        lambda: (
            any(f"Опрос «{MENTEE_SATISFACTION.title}»" in t for t in bot.texts(MENTEE))
            and any("Опрос «Анкета удовлетворённости наставника»" in t for t in bot.texts(MENTOR))
            and all(
                any(f"Опрос «{GROWTH}»" in t for t in bot.texts(p)[-3:]) for p in (MENTOR, MENTEE)
            )
        )
    )
    await _satisfaction(bot, MENTEE, MENTEE_SATISFACTION.title)
    await _satisfaction(bot, MENTOR, "Анкета удовлетворённости наставника")
    await _growth(bot, MENTEE)
    await _growth(bot, MENTOR)
    answered = bot.rows(
        "SELECT c.form_id, COUNT(*) AS n FROM survey_responses r JOIN survey_campaigns c"
        " ON c.id = r.survey_id GROUP BY c.form_id ORDER BY c.form_id",
    )
    assert [(r["form_id"], r["n"]) for r in answered] == [
        ("survey_growth", 4),
        ("survey_mentee_satisfaction", 1),
        ("survey_mentor_satisfaction", 1),
    ]

    # The mentee's own growth on the pair card: 5 at the start, 8 at the end.
    await bot.say(MENTEE, "/menu")
    await bot.press(MENTEE, tr("btn-my-pairs"))
    card = str((await bot.press(MENTEE, "🤝 1"))["text"])
    assert "Профессиональный рост" in card and "(самооценка в начале → в конце)" in card, card
    assert "5 → 8 (+3)" in card
    err = await bot.stop()
    assert b"Traceback" not in err
