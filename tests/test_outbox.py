"""The outbox sender: durable, rate-limited, never twice, with a moved clock instead of sleeps."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from aiogram import Bot

from bot.core import logs
from bot.core.config import OutboxSettings
from bot.core.outbox import OutboxSender, message_payload
from bot.core.scheduler import build_scheduler
from storage.db import Database, to_db_time
from storage.models import OutboxStatus
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from tests.engines import SQLITE_ONLY
from tests.fake_telegram import FakeTelegram, Fault
from tests.harness import FakeClock


@pytest.fixture
def outbox(db: Database) -> OutboxRepo:
    return OutboxRepo(db)


@pytest.fixture
def sender(bot: Bot, outbox: OutboxRepo, db: Database, clock: FakeClock) -> OutboxSender:
    return OutboxSender(bot, outbox, PeopleRepo(db), clock, OutboxSettings())


async def queue(
    outbox: OutboxRepo,
    clock: FakeClock,
    key: str,
    chat_id: int,
    due_in: float = 0,
    lives: float = 3600,
    text: str = "Напоминание: встреча в <b>15:30</b>",
) -> None:
    now = clock.now()
    await outbox.enqueue(
        key,
        chat_id,
        "reminder",
        message_payload(text),
        now + timedelta(seconds=due_in),
        now + timedelta(seconds=due_in + lives),
        now,
    )


async def status(outbox: OutboxRepo, key: str) -> OutboxStatus:
    message = await outbox.by_key(key)
    assert message is not None
    return message.status


async def test_same_key_is_queued_and_sent_once(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    await queue(outbox, clock, "meeting:1:24h:mentor", 11)
    await queue(outbox, clock, "meeting:1:24h:mentor", 11)
    await sender.tick()
    await sender.tick()
    assert fake.sent_count() == 1
    assert fake.last(11)["text"] == "Напоминание: встреча в 15:30"
    assert await status(outbox, "meeting:1:24h:mentor") is OutboxStatus.SENT


async def test_not_sent_before_due(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    await queue(outbox, clock, "later", 11, due_in=600)
    await sender.tick()
    assert fake.sent_count() == 0
    clock.advance(seconds=600)
    await sender.tick()
    assert fake.sent_count() == 1


async def test_expired_while_down_is_recorded_as_skipped(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    await queue(outbox, clock, "stale", 11, lives=60)
    await queue(outbox, clock, "fresh", 12, lives=86400)
    clock.advance(hours=2)  # the bot was down
    report = await sender.tick()
    assert report.skipped == 1 and report.sent == 1
    assert await status(outbox, "stale") is OutboxStatus.SKIPPED
    assert [chat for chat in fake.chats] == [12]


async def test_429_pauses_all_sending_for_retry_after(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    for chat in range(1, 6):
        await queue(outbox, clock, f"b{chat}", chat)
    fake.faults.append(Fault("sendMessage", 429, "Too Many Requests: retry after 7", 7))
    await sender.tick()
    assert fake.sent_count() == 1  # the refused attempt; nothing else tried
    await sender.tick()
    assert fake.sent_count() == 1
    clock.advance(seconds=7)
    await sender.tick()
    assert fake.sent_count() == 6
    assert [await status(outbox, f"b{c}") for c in range(1, 6)] == [OutboxStatus.SENT] * 5


async def test_403_marks_person_inactive_and_never_retries(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram, db: Database
) -> None:
    async with db.transaction() as conn:
        await PeopleRepo(db).ensure_in(conn, 11, clock.now())
    fake.blocked.add(11)
    await queue(outbox, clock, "to-blocked", 11)
    await sender.tick()
    clock.advance(hours=1)
    await sender.tick()
    assert fake.sent_count() == 1
    assert await status(outbox, "to-blocked") is OutboxStatus.BLOCKED
    person = await PeopleRepo(db).by_telegram_id(11)
    assert person is not None and not person.is_active


async def test_5xx_retries_with_backoff_until_it_goes_through(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    fake.faults.append(Fault("sendMessage", 502, "Bad Gateway", times=3))
    await queue(outbox, clock, "flaky", 11)
    await sender.tick()
    await sender.tick()  # backoff not over: no attempt
    assert fake.sent_count() == 1
    for seconds in (5, 10, 20):
        clock.advance(seconds=seconds)
        await sender.tick()
    assert await status(outbox, "flaky") is OutboxStatus.SENT
    assert fake.sent_count() == 4
    assert len(fake.bot_messages(11)) == 1


async def test_retries_stop_at_expiry(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    fake.faults.append(Fault("sendMessage", 500, "Internal Server Error", times=100))
    await queue(outbox, clock, "doomed", 11, lives=30)
    for _ in range(10):
        await sender.tick()
        clock.advance(seconds=10)
    assert await status(outbox, "doomed") is OutboxStatus.SKIPPED
    assert fake.bot_messages(11) == []


async def test_one_message_per_second_per_chat(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    for n in range(3):
        await queue(outbox, clock, f"same-chat-{n}", 11)
    await sender.tick()
    assert len(fake.bot_messages(11)) == 1
    clock.advance(seconds=1)
    await sender.tick()
    clock.advance(seconds=1)
    await sender.tick()
    assert len(fake.bot_messages(11)) == 3


async def test_global_rate_limit_spaces_sends(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    for chat in range(1, 51):
        await queue(outbox, clock, f"r{chat}", chat)
    await sender.tick(max_batches=10)
    assert fake.sent_count() == 50
    assert clock.slept == pytest.approx(49 / 25)


# A worker of this same process plays the dead one: PostgreSQL rightly sees its session alive
# (tests/test_postgres_processes.py kills a real process).
@SQLITE_ONLY
async def test_restart_requeues_claimed_and_never_resends_in_flight(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram, db: Database
) -> None:
    await queue(outbox, clock, "claimed", 11)
    await queue(outbox, clock, "in-flight", 12)
    claimed = await outbox.claim(clock.now(), 10, "dead-worker")
    await outbox.mark_sending(next(m.id for m in claimed if m.unique_key == "in-flight"))
    # kill -9 here; a new process starts:
    await sender.recover()
    await sender.tick()
    assert await status(outbox, "claimed") is OutboxStatus.SENT
    assert await status(outbox, "in-flight") is OutboxStatus.UNKNOWN
    assert list(fake.chats) == [11]


@SQLITE_ONLY
async def test_claim_cost_does_not_read_finished_rows(
    outbox: OutboxRepo, db: Database, clock: FakeClock
) -> None:
    plan = await db.fetch_all(
        "EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE status = ? AND priority = ?"
        " AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 50",
        ("pending", 0, to_db_time(clock.now())),
    )
    assert any("outbox_due_priority" in str(row["detail"]) for row in plan)
    assert not any("TEMP B-TREE" in str(row["detail"]) for row in plan)  # no sort of all rows


async def test_urgent_reminder_overtakes_a_broadcast(
    sender: OutboxSender, outbox: OutboxRepo, clock: FakeClock, fake: FakeTelegram
) -> None:
    for chat in range(1, 201):
        await queue(outbox, clock, f"broadcast:{chat}", chat, text="Объявление")
    clock.advance(seconds=1)
    now = clock.now()
    await outbox.enqueue(
        "meeting:1:r1:remind:1:9",
        999,
        "meeting_reminder",
        message_payload("⏰ Встреча через час"),
        now,
        now + timedelta(hours=1),
        now,
        urgent=True,
    )
    await sender.tick(max_batches=1)
    assert fake.chats[999][0]["text"] == "⏰ Встреча через час"
    assert next(iter(fake.chats)) == 999  # it went first


async def test_after_a_minute_long_outage_the_queue_drains_within_seconds(
    sender: OutboxSender,
    outbox: OutboxRepo,
    clock: FakeClock,
    fake: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.core.outbox")
    for chat in range(20):
        await queue(outbox, clock, f"notice:{chat}", 100 + chat)
    fake.faults.append(Fault("sendMessage", 502, "Bad Gateway", times=10**9))
    for _ in range(60):  # the scheduler ticks every second through the outage
        await sender.tick()
        clock.advance(seconds=1)
    failed_tries = fake.sent_count()
    fake.faults.clear()
    recovered = clock.now()
    while await outbox.oldest_due(clock.now() + timedelta(days=1)) is not None:
        await sender.tick()
        clock.advance(seconds=1)
        assert clock.now() - recovered < timedelta(seconds=60), "still draining"
    drained = (clock.now() - recovered).total_seconds()
    assert drained <= OutboxSettings().max_backoff_seconds + 2
    assert all(len(fake.bot_messages(100 + chat)) == 1 for chat in range(20))
    # One line per back-off, with its reason; not one per message.
    backing_off = [r.getMessage() for r in caplog.records if "backing off" in r.getMessage()]
    assert len(backing_off) == failed_tries
    assert all("reason=TelegramServerError" in line for line in backing_off)
    assert failed_tries <= 20  # the outage is probed, not hammered by every queued message


async def test_a_tick_that_outlasts_its_interval_never_overlaps_nor_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logs.hold_back_libraries()
    caplog.set_level(logging.DEBUG)
    started = 0

    async def slow_tick() -> None:
        nonlocal started
        started += 1
        await asyncio.sleep(0.35)

    scheduler = build_scheduler(slow_tick, 0.05, hourly=[])
    scheduler.start()
    await asyncio.sleep(0.5)
    scheduler.shutdown(wait=False)
    assert started == 2  # one at a time: the second began once the first was over
    noise = [r for r in caplog.records if r.name.startswith("apscheduler")]
    assert noise == []
