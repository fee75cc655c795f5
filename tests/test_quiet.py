"""Quiet hours across zones (Russia's are all free of daylight saving)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot

from bot.core.config import QuietHours
from bot.core.quiet import delivery_time, in_quiet
from storage.db import Database
from storage.models import OutboxStatus, Role
from storage.outbox import OutboxRepo
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


def at_school_time(clock: FakeClock, hour: int) -> None:
    """Move the clock forward to the next `hour`:00 in Moscow (the seeded schools' zone)."""
    now = clock.now().astimezone(MOSCOW)
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


async def test_a_repeat_queued_later_in_the_same_night_arrives_once(
    db: Database, bot: Bot, fake: FakeTelegram, clock: FakeClock, school: int
) -> None:
    # The waiting reminder's key is the UTC day: queued at 21:30 and again after midnight UTC
    # (03:00 in Moscow), both copies were held to 08:00 and reached the curator together.
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    clock.advance(days=20)
    pairs, _ = services(db, clock)
    at_school_time(clock, 21)
    clock.advance(minutes=30)
    await pairs.remind_waiting_due(14)
    await drain(bot, db, clock)
    at_school_time(clock, 3)
    await pairs.remind_waiting_due(14)
    await drain(bot, db, clock)
    assert not fake.bot_messages(CURATOR)
    waiting = [k for k in await _keys(db) if k.startswith("waiting:")]
    assert len(waiting) == 2  # the feature queued twice; the outbox sends one
    at_school_time(clock, 8)
    await drain(bot, db, clock)
    assert len(fake.bot_messages(CURATOR)) == 1
    assert sorted(
        [(await OutboxRepo(db).by_key(k)).status for k in waiting]  # type: ignore[union-attr]
    ) == [OutboxStatus.SENT, OutboxStatus.SKIPPED]


async def _keys(db: Database) -> list[str]:
    return [str(row["unique_key"]) for row in await db.fetch_all("SELECT unique_key FROM outbox")]
