"""Deletion duties (152-FZ): withdrawal erases at once, and a daily job makes sure that what
is left (delivered message texts, backup copies) is gone within 30 days, and records it."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot

from bot.core.config import Settings
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.privacy.erasure import ErasureService
from storage.db import Database, to_db_time
from storage.erasure import ErasureRepo
from storage.outbox import OutboxRepo
from tests.harness import FakeClock, Harness
from tests.steps import (
    ADMIN,
    MENTEE,
    MENTOR,
    active_pair,
    deliver,
    drain,
    give_feedback,
    propose,
    write_program,
)


async def meeting_with_feedback(tg: Harness, bot: Bot, db: Database, clock: FakeClock) -> None:
    await propose(tg)
    await deliver(bot, db, clock)
    await tg.press(MENTEE, tr("btn-meeting-confirm"))
    clock.advance(hours=30)  # the meeting is over
    await drain(bot, db, clock)
    await give_feedback(tg, MENTEE)


async def test_withdrawal_after_meeting_feedback_erases_it(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:

    await active_pair(db, clock, school)
    await meeting_with_feedback(tg, bot, db, clock)
    assert await db.fetch_one("SELECT 1 FROM meeting_feedback") is not None
    await tg.send(MENTEE, "/revoke")
    done = await tg.press(MENTEE, tr("btn-revoke-confirm"))
    assert done["text"] == tr("revoke-done")
    mentee = await db.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (MENTEE,))
    assert mentee is not None
    left = await db.fetch_all("SELECT * FROM meeting_feedback WHERE person_id = ?", (mentee["id"],))
    assert left == []
    texts_to_mentee = await db.fetch_all(
        "SELECT payload FROM outbox WHERE chat_id = ? AND payload <> '{}'", (MENTEE,)
    )
    assert texts_to_mentee == []


async def test_withdrawal_of_a_mentor_with_a_program_erases_the_program(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await write_program(tg)
    assert await db.fetch_one("SELECT 1 FROM programs") is not None
    await tg.send(MENTOR, "/revoke")
    done = await tg.press(MENTOR, tr("btn-revoke-confirm"))
    assert done["text"] == tr("revoke-done")
    assert await db.fetch_one("SELECT 1 FROM programs") is None
    pair = await db.fetch_one("SELECT status FROM pairs")
    assert pair is not None and pair["status"] == "ended"


async def sent(db: Database, key: str, chat_id: int, text: str, finished: FakeClock) -> None:
    """A message delivered at the clock's time."""
    now = finished.now()
    await OutboxRepo(db).enqueue(
        key, chat_id, "notice", message_payload(text), now, now + timedelta(days=1), now
    )
    await db.execute(
        "UPDATE outbox SET status = 'sent', finished_at = ? WHERE unique_key = ?",
        (to_db_time(now), key),
    )


async def test_daily_erasure_job_finishes_the_duty_and_records_it(
    tg: Harness, db: Database, clock: FakeClock, school: int, settings: Settings
) -> None:
    await active_pair(db, clock, school)
    await sent(db, "old-to-mentor", MENTOR, "Ваш наставляемый: Петров Пётр", clock)
    folder = settings.backup.folder
    folder.mkdir()
    old_copy = folder / f"nastavnik-{clock.now():%Y%m%d-%H%M%S}.db"
    old_copy.write_bytes(b"copy with data erased since")
    unrelated = folder / "README.txt"
    unrelated.write_text("not a backup")
    await tg.send(MENTEE, "/revoke")
    await tg.press(MENTEE, tr("btn-revoke-confirm"))
    erasure = ErasureRepo(db)
    mentee = await db.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (MENTEE,))
    assert mentee is not None
    assert await erasure.withdrawn_people() == [(mentee["id"], MENTEE)]
    # A message that was already in flight at the withdrawal went out just after it.
    await sent(db, "in-flight-to-mentee", MENTEE, "Петров Пётр, встреча завтра", clock)
    clock.advance(days=29)
    recent_copy = folder / f"nastavnik-{clock.now():%Y%m%d-%H%M%S}.db"
    recent_copy.write_bytes(b"recent copy")
    await sent(db, "recent-to-mentor", MENTOR, "Встреча завтра", clock)

    job: ErasureService = tg.dp["services"].erasure
    run = await job.run()

    # Blanked for their age: the three texts of the pair's forming and the first day's one to
    # the mentor. The text sent to the mentee after withdrawing went with the person's erasure.
    assert (run.people, run.messages, run.backups) == (1, 4, 1)

    payloads = {
        row["unique_key"]: row["payload"]
        for row in await db.fetch_all("SELECT unique_key, payload FROM outbox")
    }
    assert payloads["old-to-mentor"] == "{}" and payloads["in-flight-to-mentee"] == "{}"
    assert "Встреча завтра" in payloads["recent-to-mentor"]
    assert not old_copy.exists() and recent_copy.exists() and unrelated.exists()
    report = await tg.send(ADMIN, "/status")
    assert "Удаление данных (152-ФЗ): 22.12.2026 12:00; отозвавших согласие: 1," in report["text"]
    assert "очищено сообщений: 4, удалено старых копий: 1" in report["text"]
    # Joining again gives a mentee role: the job leaves the person alone from then on.
    await db.execute(
        "INSERT INTO role_grants (person_id, role, organization_id, granted_at)"
        " VALUES (?, 'mentee', ?, ?)",
        (mentee["id"], school, to_db_time(clock.now())),
    )
    assert await erasure.withdrawn_people() == []
