"""End to end, the bot as a process: one night of a school (Moscow, the default quiet hours
21:00–08:00) during which many automatic messages fall due. None of them reaches anyone before
08:00; each reaches its recipient once after it; a curator's own /menu at 03:00 is answered
at once (a direct reply is exempt).

Falling due in the night, covered here:
- the meeting reminder an hour before a meeting at 08:30 (meetings);
- the idle-pair nudge to both members and the at-risk alert to the curator, queued by the
  hourly meetings sweep;
- the waiting-mentee reminder to the curator, queued by the hourly waiting sweep;
- the survey reminder a day before a deadline at 07:30 (surveys);
- the event reminder an hour before an event at 08:30, queued straight at its time (events);
- a broadcast the curator schedules, through the dialog, for 03:00 (broadcasts);
- the roadmap's notices to the curator (overdue items, the month's digest), queued by the
  daily roadmap sweep.
Not covered: the control-monitoring reminders (a coordinator's request, answered in the
daytime), the completion sweep's notices (no program ends this night).

What comes before the night (pairs, a meeting agreed, a survey launched, an event answered,
the roadmap opened) is arranged in-process on the same database file. The process's clock is
set at each start (tests/e2e_clock/sitecustomize.py) and runs on at real speed; with
E2E_JOBS_AT_START the hourly and daily jobs also run once at each start, as if their hour had
struck. The fake Bot API notes the real time of each request; the process's clock is set to its
moment at a real time the test chose (E2E_CLOCK_AT), so each request's school time is known."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode

from app.assembly import build_dispatcher
from bot.broadcasts.service import Audience
from bot.core.config import BackupSettings, QuietHours, Settings
from bot.core.i18n import tr
from bot.core.permissions import Actor
from bot.core.quiet import in_quiet
from bot.events.service import Draft, EventAudience
from bot.surveys.templates import MENTEE_SATISFACTION
from storage.db import Database, from_db_time, to_db_time
from storage.events import EventKind
from storage.models import Role, RoleGrant, SurveyAudience
from storage.organizations import OrganizationsRepo
from storage.people import PeopleRepo
from tests import seed
from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, RecordingSession, wait_until
from tests.harness import FakeClock, Harness
from tests.process import BotProcess, bot_process
from tests.steps import ADMIN, CURATOR, MENTEE, MENTOR, active_pair, deliver, propose

MSK = ZoneInfo("Europe/Moscow")
QUIET = QuietHours()  # the default window: the bot runs without a config file
IDLE_MENTOR, IDLE_MENTEE, WAITING = 12, 23, 22
MORNING = datetime(2026, 11, 24, 8, 0, tzinfo=MSK)  # the end of the night's quiet hours
SENDS = ("sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup")
ANNOUNCEMENT = "Завтра методический день: встречи пар переносятся на вторую половину дня"


async def _actor(db: Database, telegram_id: int) -> Actor:
    person, grants = await PeopleRepo(db).with_grants(telegram_id)
    return Actor(telegram_id, person, tuple(grants))


async def _arrange(path: str, tmp_path: Path) -> None:
    """Monday 23.11, 10:00: a pair idle since 20.10, a mentee waiting since 01.11, a pair with
    a meeting agreed for tomorrow 08:30, a survey of the mentees due 25.11 07:30, an event for
    the mentors tomorrow 08:30 that both answered «Иду», the school's roadmap opened. What
    they sent in the daytime is marked sent; what falls due later stays queued."""
    db = await Database.open(path)
    await db.migrate()
    clock = FakeClock(datetime(2026, 10, 20, 7, 0, tzinfo=UTC))
    school = await seed.school(db, clock)
    await seed.person(db, clock, CURATOR, RoleGrant(Role.CURATOR, organization_id=school))
    await active_pair(db, clock, school, IDLE_MENTOR, IDLE_MENTEE)
    clock.current = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
    await seed.participant(db, clock, school, WAITING, Role.MENTEE)
    clock.current = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    await active_pair(db, clock, school)
    settings = Settings(
        token=TOKEN,
        admins=frozenset({ADMIN}),
        timezone=MSK,
        backup=BackupSettings(folder=tmp_path / "backups"),
    )
    fake = FakeTelegram(token=TOKEN)
    bot = Bot(
        TOKEN,
        session=RecordingSession(fake),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    tg = Harness(build_dispatcher(settings, db, clock), bot, fake, clock)
    services = tg.dp["services"]
    try:
        await propose(tg, "завтра в 8:30")
        await deliver(bot, db, clock)
        await tg.press(MENTEE, tr("btn-meeting-confirm"))

        curator = await _actor(db, CURATOR)
        assert curator.person is not None
        survey = await services.surveys.create(school, MENTEE_SATISFACTION, curator.person.id)
        survey = await services.surveys.set_audience(survey, SurveyAudience.MENTEES)
        survey = await services.surveys.set_deadline(survey, "25.11 07:30")
        assert await services.surveys.launch(survey) == 3

        organization = await OrganizationsRepo(db).school(school)
        assert organization is not None
        draft = Draft(
            EventKind.MENTOR_SCHOOL,
            "Школа наставников",
            datetime(2026, 11, 24, 8, 30, tzinfo=MSK),
            "Актовый зал",
            EventAudience.MENTORS,
            "night-event",
        )
        created = await services.events.create(curator, school, organization.district_id, draft)
        for mentor in (MENTOR, IDLE_MENTOR):
            await services.events.answer(await _actor(db, mentor), created.event.id, True)
        await services.roadmap.of_school(organization)
    finally:
        await bot.session.close()
    await db.execute(
        "UPDATE outbox SET status = 'sent', finished_at = created_at WHERE due_at <= ?",
        (to_db_time(clock.now()),),
    )
    await db.close()


@dataclass(frozen=True)
class _Run:
    """One start of the process: its clock read `moment` at `started` (real time, E2E_CLOCK_AT)."""

    first_request: int
    moment: datetime
    started: float

    def school_time(self, received: float) -> datetime:
        return self.moment + timedelta(seconds=received - self.started)


@dataclass
class _Night:
    bot: BotProcess
    runs: list[_Run]


@pytest.fixture
async def night(tmp_path: Path) -> AsyncIterator[_Night]:
    async with bot_process(
        tmp_path, moved_clock=True, NASTAVNIK_BACKUP_FOLDER=str(tmp_path / "backups")
    ) as bot:
        await _arrange(bot.env["NASTAVNIK_DATABASE_PATH"], tmp_path)
        yield _Night(bot, [])


async def _at(night: _Night, moment: str, *, jobs: bool = True) -> None:
    """(Re)start the bot process with its clock at `moment` (school time); with `jobs`, the
    hourly and daily jobs run at start, and this returns once they have."""
    bot = night.bot
    if bot.process is not None and bot.process.returncode is None:
        err = await bot.stop()
        assert b"Traceback" not in err, err.decode()
    bot.env["E2E_CLOCK_START"] = moment
    if jobs:
        bot.env["E2E_JOBS_AT_START"] = "1"
    else:
        bot.env.pop("E2E_JOBS_AT_START", None)
    first, started = len(bot.fake.requests), time.time()
    bot.env["E2E_CLOCK_AT"] = repr(started)
    await bot.start()
    night.runs.append(_Run(first, datetime.fromisoformat(moment), started))
    if jobs:
        slot = f"{datetime.fromisoformat(moment).astimezone(UTC):%Y-%m-%dT%H}"
        await wait_until(
            lambda: (
                {
                    r["job"]
                    for r in night.bot.rows(f"SELECT job FROM job_runs WHERE slot = '{slot}'")
                }
                >= {"remind_about_waiting_mentees", "sweep", "end_and_monitor_programs"}
            )
        )
        await asyncio.sleep(0.6)  # the jobs' rows queued, the sender's ticks hold them


@dataclass(frozen=True)
class _Delivery:
    index: int
    method: str
    chat_id: int
    text: str
    at: datetime  # school time


def _deliveries(night: _Night) -> list[_Delivery]:
    """Every message the fake received (sent or edited), with its moment in school time."""
    found = []
    for index, (method, params) in enumerate(night.bot.fake.requests):
        if method not in SENDS:
            continue
        run = next(r for r in reversed(night.runs) if r.first_request <= index)
        at = run.school_time(night.bot.fake.received_at[index])
        text = str(params.get("text", params.get("caption", "")))
        found.append(_Delivery(index, method, int(params["chat_id"]), text, at))
    return found


def _at_night(delivery: _Delivery) -> bool:
    return in_quiet(delivery.at, MSK, QUIET)


async def _schedule_broadcast(bot: BotProcess) -> None:
    """20:50: the curator schedules an announcement to the mentors for 03:00 and is told it
    will go at 08:00, the end of the school's quiet hours."""
    await bot.say(CURATOR, "/menu")
    await bot.press(CURATOR, "🏫 Школа № 1")
    await bot.press(CURATOR, tr.plain("btn-broadcasts"))
    await bot.press(CURATOR, tr.plain("btn-broadcast-new"))
    await bot.say(CURATOR, ANNOUNCEMENT)
    await bot.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.MENTORS))
    await bot.press(CURATOR, tr.plain("btn-broadcast-later"))
    confirm = await bot.say(CURATOR, "завтра в 3:00")
    assert "сообщения уйдут 24.11.2026 08:00" in str(confirm["text"]), confirm["text"]
    await bot.press(CURATOR, tr.plain("btn-broadcast-send"))
    copies = bot.rows("SELECT chat_id, due_at, status FROM outbox WHERE kind = 'broadcast'")
    assert sorted((r["chat_id"], r["status"]) for r in copies) == [
        (MENTOR, "pending"),
        (IDLE_MENTOR, "pending"),
    ]
    assert {from_db_time(r["due_at"]) for r in copies} == {datetime(2026, 11, 24, 3, 0, tzinfo=MSK)}


def _automatic(bot: BotProcess) -> list[sqlite3.Row]:
    """The outbox rows of the night: queued by the bot on its own, not marked sent in the
    arrangement (their finished_at would be the afternoon's)."""
    return bot.rows(
        "SELECT id, unique_key, chat_id, kind, payload, due_at, status, finished_at, last_error"
        " FROM outbox"
        " WHERE answers_user = 0 AND (status != 'sent' OR finished_at > '2026-11-23T12:00')"
        " ORDER BY id",
    )


async def test_no_automatic_message_reaches_anyone_in_the_quiet_hours(night: _Night) -> None:
    bot = night.bot
    await _at(night, "2026-11-23T20:50:00+03:00", jobs=False)
    await _schedule_broadcast(bot)

    for moment in ("21:10", "01:00"):
        day = "23" if moment == "21:10" else "24"
        await _at(night, f"2026-11-{day}T{moment}:00+03:00")
    queued = {r["kind"] for r in _automatic(night.bot)}
    assert {"pair_nudge", "curator_notice", "event_reminder", "broadcast"} <= queued, queued

    # 03:00: the broadcast falls due and waits; the curator's own /menu is answered at once.
    await _at(night, "2026-11-24T03:00:00+03:00")
    asked = len(bot.fake.requests)
    menu = await bot.say(CURATOR, "/menu")
    assert "🏫 Школа № 1" in bot.fake.buttons(menu)
    answered = [d for d in _deliveries(night) if d.index >= asked]
    assert answered and all(d.chat_id == CURATOR and _at_night(d) for d in answered)
    replies = {d.index for d in answered}

    await _at(night, "2026-11-24T05:00:00+03:00")
    assert not [d for d in _deliveries(night) if _at_night(d) and d.index not in replies]

    # 07:59:50: at 08:00 everything held goes out.
    await _at(night, "2026-11-24T07:59:50+03:00")

    def owed() -> list[sqlite3.Row]:
        return [
            r
            for r in _automatic(night.bot)
            if from_db_time(r["due_at"]) <= MORNING + timedelta(minutes=1)
        ]

    await wait_until(lambda: all(r["status"] in ("sent", "skipped") for r in owed()), timeout=40)
    # 08:01, a restart: the jobs run again in the new hour, nothing goes twice.
    await _at(night, "2026-11-24T08:01:00+03:00")
    await bot._settle()

    deliveries = _deliveries(night)
    assert not [d for d in deliveries if _at_night(d) and d.index not in replies]
    rows = owed()
    kinds = {r["kind"] for r in rows}
    expected = {
        "meeting_reminder",
        "pair_nudge",
        "curator_notice",
        "survey",
        "event_reminder",
        "broadcast",
    }
    assert expected <= kinds, kinds
    # The waiting reminder's key is the school's day it arrives on (24.11): its runs at 21:10,
    # after midnight and after midnight UTC (03:00) queue it once.
    assert [r["unique_key"] for r in rows if r["unique_key"].startswith("waiting:")] == [
        "waiting:1:2026-11-24:50"
    ]
    for row in rows:
        text = json.loads(row["payload"])["text"]
        copies = [d for d in deliveries if d.chat_id == row["chat_id"] and d.text == text]
        assert len(copies) == 1, (dict(row), copies)
        assert copies[0].at >= MORNING
        assert row["status"] == "sent", dict(row)
        assert from_db_time(row["finished_at"]) >= MORNING, dict(row)
    _assert_each_kind_reached_its_people(rows)
    err = await bot.stop()
    assert b"Traceback" not in err, err.decode()


def _assert_each_kind_reached_its_people(rows: list[sqlite3.Row]) -> None:
    def to(prefix: str) -> list[int]:
        return sorted(r["chat_id"] for r in rows if r["unique_key"].startswith(prefix))

    assert to("nudge:") == [IDLE_MENTOR, IDLE_MENTEE]
    assert to("risk:") == [CURATOR]
    assert to("waiting:") == [CURATOR]
    assert to("ev:") == [MENTOR, IDLE_MENTOR]
    assert to("sv:") == [MENTEE, WAITING, IDLE_MENTEE]
    assert CURATOR in to("rm")
    assert sorted(r["chat_id"] for r in rows if r["kind"] == "broadcast") == [MENTOR, IDLE_MENTOR]
    assert sorted(r["chat_id"] for r in rows if r["kind"] == "meeting_reminder") == [
        MENTOR,
        MENTEE,
    ]
