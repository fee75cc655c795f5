"""Quiet hours across zones (Russia's are all free of daylight saving)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot

from bot.broadcasts.service import Audience, Draft
from bot.core.config import QuietHours
from bot.core.permissions import Actor
from bot.core.quiet import delivery_time, in_quiet
from storage.broadcasts import Content
from storage.db import Database, from_db_time
from storage.models import OutboxStatus, Role, RoleGrant
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from tests import seed
from tests.fake_telegram import FakeTelegram, Fault
from tests.harness import FakeClock, Harness
from tests.steps import (
    CURATOR,
    MENTEE,
    MENTOR,
    active_pair,
    deliver,
    drain,
    meeting_services,
    services,
)

QUIET = QuietHours(start=time(21, 0), end=time(8, 0))
MOSCOW = ZoneInfo("Europe/Moscow")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
KAMCHATKA = ZoneInfo("Asia/Kamchatka")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def test_window_spans_midnight() -> None:
    assert in_quiet(local(MOSCOW, 2026, 11, 24, 23, 0), MOSCOW, QUIET)
    assert in_quiet(local(MOSCOW, 2026, 11, 24, 7, 59), MOSCOW, QUIET)
    assert not in_quiet(local(MOSCOW, 2026, 11, 24, 8, 0), MOSCOW, QUIET)
    # 23:00 in Moscow is 06:00 next morning in Vladivostok: quiet there too, for its own reason.
    assert in_quiet(local(MOSCOW, 2026, 11, 24, 23, 0), VLADIVOSTOK, QUIET)
    assert not in_quiet(local(MOSCOW, 2026, 11, 24, 12, 0), VLADIVOSTOK, QUIET)


def test_reminder_moves_to_the_end_of_quiet_hours() -> None:
    meeting = local(MOSCOW, 2026, 11, 25, 15, 0)
    wanted = meeting - timedelta(hours=24) + timedelta(hours=-8)  # 07:00, inside
    sent = delivery_time(wanted, meeting, MOSCOW, QUIET, NOW)
    assert sent == local(MOSCOW, 2026, 11, 24, 8, 0)


def test_reminder_comes_the_evening_before_when_morning_is_too_late() -> None:
    meeting = local(MOSCOW, 2026, 11, 25, 7, 30)
    wanted = meeting - timedelta(hours=1)  # 06:30, inside; 08:00 would be after the meeting
    sent = delivery_time(wanted, meeting, MOSCOW, QUIET, NOW)
    assert sent == local(MOSCOW, 2026, 11, 24, 20, 45)


def test_nothing_fits() -> None:
    meeting = local(MOSCOW, 2026, 11, 23, 23, 0)
    now = local(MOSCOW, 2026, 11, 23, 21, 30)
    assert delivery_time(meeting - timedelta(hours=1), meeting, MOSCOW, QUIET, now) is None


def test_outside_quiet_hours_is_untouched() -> None:
    meeting = local(MOSCOW, 2026, 11, 25, 15, 0)
    wanted = meeting - timedelta(hours=1)
    assert delivery_time(wanted, meeting, MOSCOW, QUIET, NOW) == wanted


# The outbox itself keeps quiet hours: whatever queued a message (here the weekly sweep's
# nudges and at-risk alerts, which compute no delivery time of their own), it waits.


def at_school_time(clock: FakeClock, hour: int, zone: ZoneInfo = MOSCOW) -> None:
    """Move the clock forward to the next `hour`:00 in `zone` (the seeded schools' Moscow)."""
    now = clock.now().astimezone(zone)
    target = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    clock.advance(seconds=(target - now).total_seconds())


async def test_a_nudge_queued_at_night_waits_for_the_end_of_quiet_hours(
    db: Database, bot: Bot, fake: FakeTelegram, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    clock.advance(days=30)  # past both the nudge and the at-risk thresholds
    at_school_time(clock, 3)
    meetings, _ = meeting_services(db, clock)
    await meetings.sweep()
    for _ in range(3):
        await drain(bot, db, clock)
    assert not fake.bot_messages(MENTOR)
    assert not fake.bot_messages(CURATOR)  # the at-risk alert waits as well
    held = await OutboxRepo(db).by_key(next(k for k in await _keys(db) if k.startswith("risk:")))
    assert held is not None and held.status is OutboxStatus.PENDING
    at_school_time(clock, 7)
    clock.advance(minutes=59)
    await drain(bot, db, clock)
    assert not fake.bot_messages(MENTOR)  # 07:59: still quiet
    at_school_time(clock, 8)
    await drain(bot, db, clock)
    assert len(fake.bot_messages(MENTOR)) == 1
    assert len(fake.bot_messages(MENTEE)) == 1
    assert len(fake.bot_messages(CURATOR)) == 1
    sent = await OutboxRepo(db).by_key(held.unique_key)
    assert sent is not None and sent.status is OutboxStatus.SENT


async def test_a_reply_handed_to_the_outbox_at_night_goes_at_once(
    tg: Harness, db: Database, bot: Bot, fake: FakeTelegram, clock: FakeClock, school: int
) -> None:
    at_school_time(clock, 3)
    healthy = await tg.send(CURATOR, "/help")
    fake.faults.append(Fault("*", 502, "Bad Gateway", times=10**9))
    await tg.send(CURATOR, "/help")  # lost in an outage: handed to the outbox
    fake.faults.clear()
    clock.advance(seconds=5)
    await deliver(bot, db, clock)
    assert tg.texts(CURATOR).count(healthy["text"]) == 2


async def _school_in(db: Database, clock: FakeClock, zone: ZoneInfo) -> int:
    """A school in `zone` with its curator (CURATOR)."""
    organizations = OrganizationsRepo(db)
    district = await organizations.create_district("Округ", clock.now())
    assert district is not None
    school = await organizations.create_school(district.id, "Школа", zone.key, clock.now())
    assert school is not None
    await seed.person(db, clock, CURATOR, RoleGrant(Role.CURATOR, organization_id=school.id))
    return school.id


@pytest.mark.parametrize(
    ("zone", "night"),
    [
        # 23:00 and 04:00 in Moscow are 20:00 and 01:00 UTC: the UTC day turns between them.
        (MOSCOW, (23, 4)),
        # In Kamchatka (UTC+12) the local day is ahead of the UTC day until noon: 23:00 and
        # 02:00 are the same UTC day, but 13:00 the next is the UTC day after.
        (KAMCHATKA, (23, 2)),
    ],
    ids=["moscow", "kamchatka"],
)
async def test_the_waiting_reminder_run_again_in_the_same_night_is_queued_once(
    db: Database,
    bot: Bot,
    fake: FakeTelegram,
    clock: FakeClock,
    zone: ZoneInfo,
    night: tuple[int, int],
) -> None:
    school = await _school_in(db, clock, zone)
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    clock.advance(days=20)
    pairs, _ = services(db, clock)
    for hour in night:  # the reminder is owed: every run looks at the school
        at_school_time(clock, hour, zone)
        assert await pairs.remind_about_waiting(school, 14)
        await drain(bot, db, clock)
    assert not fake.bot_messages(CURATOR)
    waiting = [k for k in await _keys(db) if k.startswith("waiting:")]
    morning = clock.now().astimezone(zone).date()
    assert waiting == [f"waiting:{school}:{morning}:{CURATOR}"]  # the day it arrives on
    at_school_time(clock, 8, zone)
    await drain(bot, db, clock)
    assert len(fake.bot_messages(CURATOR)) == 1
    sent = await OutboxRepo(db).by_key(waiting[0])
    assert sent is not None and sent.status is OutboxStatus.SENT
    at_school_time(clock, 13, zone)  # the same school day: nothing new
    assert await pairs.remind_about_waiting(school, 14)
    await drain(bot, db, clock)
    assert len(fake.bot_messages(CURATOR)) == 1
    assert len([k for k in await _keys(db) if k.startswith("waiting:")]) == 1
    at_school_time(clock, 9, zone)  # the next school day: its own reminder
    assert await pairs.remind_about_waiting(school, 14)
    await drain(bot, db, clock)
    assert len(fake.bot_messages(CURATOR)) == 2


async def test_the_hourly_waiting_run_looks_again_on_the_next_school_morning(
    db: Database, bot: Bot, fake: FakeTelegram, clock: FakeClock
) -> None:
    school = await _school_in(db, clock, KAMCHATKA)
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    clock.advance(days=20)
    pairs, _ = services(db, clock)
    at_school_time(clock, 22, KAMCHATKA)
    assert await pairs.remind_waiting_due(14) == 1  # held for tomorrow 08:00
    row = await db.fetch_one("SELECT waiting_at FROM organizations WHERE id = ?", (school,))
    assert row is not None
    after = clock.now().astimezone(KAMCHATKA).date() + timedelta(days=2)
    assert from_db_time(row["waiting_at"]) == datetime.combine(after, time(8), tzinfo=KAMCHATKA)
    for hour in (2, 8, 13, 23):  # the UTC day turns at 12:00 here: no look before the morning
        at_school_time(clock, hour, KAMCHATKA)
        assert await pairs.remind_waiting_due(14) == 0
        await drain(bot, db, clock)
    assert len(fake.bot_messages(CURATOR)) == 1
    at_school_time(clock, 8, KAMCHATKA)
    assert await pairs.remind_waiting_due(14) == 1
    await drain(bot, db, clock)
    assert len(fake.bot_messages(CURATOR)) == 2


async def test_the_weekly_nudge_swept_again_across_the_night_into_monday_is_queued_once(
    db: Database, bot: Bot, fake: FakeTelegram, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    clock.advance(days=30)  # past both the nudge and the at-risk thresholds
    while clock.now().astimezone(MOSCOW).weekday() != 6:
        clock.advance(days=1)
    meetings, _ = meeting_services(db, clock)
    at_school_time(clock, 23)  # Sunday; 04:00 on Monday is 01:00 UTC, the UTC week's too
    await meetings.sweep()
    at_school_time(clock, 4)
    await meetings.sweep()
    keys = [k for k in await _keys(db) if k.startswith(("nudge:", "risk:"))]
    week = f"{clock.now().astimezone(MOSCOW):%G-W%V}"
    assert sorted(keys) == sorted(
        [f"nudge:1:{week}:{p}" for p in await _people_ids(db, MENTOR, MENTEE)]
        + [f"risk:1:{week}:{CURATOR}"]
    )
    at_school_time(clock, 8)
    await drain(bot, db, clock)
    assert [len(fake.bot_messages(c)) for c in (MENTOR, MENTEE, CURATOR)] == [1, 1, 1]


async def test_two_identical_broadcasts_held_to_the_same_morning_both_arrive(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    # Two announcements the curator sent one after the other, the same text: each its own.
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    person, grants = await PeopleRepo(db).with_grants(CURATOR)
    actor = Actor(CURATOR, person, tuple(grants))
    at_school_time(clock, 23)
    draft = Draft(Content("Собрание в пятницу"), Audience.MENTEES)
    for token in ("draft-1", "draft-2"):
        queued = await tg.dp["services"].broadcasts.send(actor, school, draft, token)
        assert not isinstance(queued, str)
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTEE) == []
    at_school_time(clock, 8)
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTEE) == ["Собрание в пятницу", "Собрание в пятницу"]
    rows = await db.fetch_all("SELECT status FROM outbox WHERE kind = 'broadcast'")
    assert [r["status"] for r in rows] == ["sent", "sent"]


async def _people_ids(db: Database, *telegram_ids: int) -> list[int]:
    people = PeopleRepo(db)
    found = [await people.by_telegram_id(t) for t in telegram_ids]
    return [p.id for p in found if p is not None]


async def _keys(db: Database) -> list[str]:
    return [str(row["unique_key"]) for row in await db.fetch_all("SELECT unique_key FROM outbox")]
