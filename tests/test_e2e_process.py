"""End to end: the real bot process (`python -m app`) against the fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import re
import socket
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.core.i18n import tr
from storage.db import Database, to_db_time
from storage.models import Role, RoleGrant
from tests import seed
from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, Fault, wait_until
from tests.harness import FakeClock
from tests.process import ROOT, BotProcess, bot_process
from tests.steps import ADMIN, CURATOR, MENTEE, MENTOR

# These tests run on the real clock: quiet_hours=False everywhere a message is waited for.


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[BotProcess]:
    async with bot_process(tmp_path, quiet_hours=False) as bot:
        await bot.start()
        yield bot


def _token(text: object) -> str:
    match = re.search(r"start=([A-Za-z0-9_-]+)", str(text))
    assert match, text
    return match[1]


async def test_admin_to_school_to_curator_to_teacher(running: BotProcess) -> None:
    menu = await running.say(ADMIN, "/menu")
    assert "администратор" in str(menu["text"])
    await running.press(ADMIN, "🏛 Округа и школы")
    await running.press(ADMIN, "➕ Новый округ")
    await running.say(ADMIN, "Кинельский округ")
    await running.press(ADMIN, "➕ Новая школа")
    await running.say(ADMIN, "ГБОУ СОШ № 2 <Кинель>")
    await running.press(ADMIN, "Самара (МСК+1)")
    invite = await running.press(ADMIN, "✉ Пригласить куратора")
    curator_welcome = await running.say(201, f"/start {_token(invite['text'])}")
    assert "🏫 ГБОУ СОШ № 2 <Кинель>" in running.fake.buttons(curator_welcome)
    await running.press(201, "🏫 ГБОУ СОШ № 2 <Кинель>")
    link = await running.press(201, "🔗 Новая ссылка для учителей")
    choose = await running.say(301, f"/start {_token(link['text'])}")
    assert "ГБОУ СОШ № 2 <Кинель>" in str(choose["text"])
    await running.press(301, "Я наставник")
    assert any(
        "наставник (ГБОУ СОШ № 2 <Кинель>)" in m.get("text", "")
        for m in running.fake.bot_messages(301)
    )
    # Commands were set per role with chat scopes.
    assert "chat:201" in running.fake.commands and "default:" in running.fake.commands


async def test_dialog_survives_kill_9(running: BotProcess) -> None:
    await running.say(ADMIN, "/schools")
    await running.press(ADMIN, "➕ Новый округ")
    await running.stop(kill=True)
    await running.start()
    created = await running.say(ADMIN, "Округ после перезапуска")
    assert "Округ после перезапуска" in str(created["text"])


async def test_webhook_mode_checks_the_secret_token(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = "s3cret-token-for-tests"
    async with bot_process(
        tmp_path,
        quiet_hours=False,
        NASTAVNIK_BOT_MODE="webhook",
        NASTAVNIK_WEBHOOK_URL="https://bot.school.example/telegram/webhook",
        NASTAVNIK_WEBHOOK_LISTEN_PORT=str(port),
        NASTAVNIK_WEBHOOK_SECRET_TOKEN=secret,
    ) as bot:
        fake = bot.fake
        await bot.start()
        await wait_until(lambda: any(m == "setWebhook" for m, _ in fake.requests))
        hook = dict(next(p for m, p in fake.requests if m == "setWebhook"))
        assert hook["secret_token"] == secret
        assert int(hook["max_connections"]) == 100  # the concurrency bound, at Telegram's cap

        endpoint = f"http://127.0.0.1:{port}/telegram/webhook"
        async with aiohttp.ClientSession() as http:
            for _ in range(100):  # the listener comes up right after setWebhook
                try:
                    forged = await http.post(
                        endpoint,
                        json=fake.message_update(ADMIN, "/menu"),
                        headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                    )
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            assert forged.status == 401
            assert fake.bot_messages(ADMIN) == []
            real = await http.post(
                endpoint,
                json=fake.message_update(ADMIN, "/menu"),
                headers={"X-Telegram-Bot-Api-Secret-Token": secret},
            )
            assert real.status == 200
        # Acknowledged only once handled: the reply is already there (Telegram would resend
        # an update whose handling a crash cut short).
        assert "администратор" in fake.last(ADMIN)["text"]
        err = await bot.stop()
    assert b"Traceback" not in err


async def test_wrong_token_stops_with_a_message(tmp_path: Path) -> None:
    other = "987654321:AAHotherotherotherotherotherother12"
    # A raw process: BotProcess.start would wait for a getMe that a wrong token never gets.
    async with bot_process(tmp_path, BOT_TOKEN=other) as bot:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app",
            cwd=ROOT,
            env=bot.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "BOT_TOKEN" in err.decode() and "Traceback" not in err.decode()


async def test_bot_api_down_at_start_then_back(tmp_path: Path) -> None:
    """Bot API answering 502 when the bot starts: it waits, then serves as usual."""
    fake = FakeTelegram(token=TOKEN)
    fake.faults.append(Fault("*", 502, "Bad Gateway", times=2))
    async with bot_process(tmp_path, fake, quiet_hours=False) as bot:
        await bot.start()
        menu = await bot.say(ADMIN, "/menu")
        assert "администратор" in str(menu["text"])


async def test_kill_9_between_two_questionnaire_answers(running: BotProcess) -> None:
    await running.say(ADMIN, "/schools")
    await running.press(ADMIN, "➕ Новый округ")
    await running.say(ADMIN, "Округ")
    await running.press(ADMIN, "➕ Новая школа")
    await running.say(ADMIN, "Школа № 1")
    await running.press(ADMIN, "Москва (МСК)")
    invite = await running.press(ADMIN, "✉ Пригласить куратора")
    await running.say(201, f"/start {_token(invite['text'])}")
    await running.press(201, "🏫 Школа № 1")
    link = await running.press(201, "🔗 Новая ссылка для учителей")
    await running.say(301, f"/start {_token(link['text'])}")
    await running.press(301, "Я наставляемый")
    await running.press(301, "✅ Согласен(на)")
    asked = await running.say(301, "Кузнецова Ольга Ивановна")
    assert "Ваша должность" in str(asked["text"])
    await running.stop(kill=True)
    await running.start()
    following = await running.say(301, "учитель биологии")
    assert "К какой категории" in str(following["text"])
    db = sqlite3.connect(running.env["NASTAVNIK_DATABASE_PATH"])
    try:
        stored = dict(
            db.execute(
                "SELECT question_id, value FROM form_answers a JOIN form_sessions s"
                " ON s.id = a.session_id WHERE s.form_id = 'mentee_questionnaire'"
            ).fetchall()
        )

    finally:
        db.close()
    assert stored == {
        "full_name": '"Кузнецова Ольга Ивановна"',
        "position": '"учитель биологии"',
    }


async def test_bot_api_outage_while_running(running: BotProcess) -> None:
    """Telegram answers 502 for a while: polling and the outbox recover by themselves, the
    message typed during the outage is answered and the reminder queued then goes out."""
    await running.say(ADMIN, "/menu")
    running.fake.outage_until = time.monotonic() + 8
    db = sqlite3.connect(running.env["NASTAVNIK_DATABASE_PATH"])
    try:
        now = datetime.now(UTC)
        db.execute(
            "INSERT INTO outbox (unique_key, chat_id, kind, payload, due_at, expires_at, status,"
            " attempts, next_attempt_at, created_at) VALUES ('outage-reminder', ?, 'reminder',"
            " '{\"text\": \"Напоминание после сбоя\"}', ?, ?, 'pending', 0, ?, ?)",
            (
                ADMIN,
                to_db_time(now),
                to_db_time(now + timedelta(hours=1)),
                to_db_time(now),
                to_db_time(now),
            ),
        )
        db.commit()
    finally:
        db.close()
    running.fake.queue(running.fake.message_update(ADMIN, "/help"))
    await wait_until(
        lambda: any(
            m.get("text") == "Напоминание после сбоя" for m in running.fake.bot_messages(ADMIN)
        ),
        timeout=60,
    )
    await wait_until(
        lambda: any("Что умеет бот" in m.get("text", "") for m in running.fake.bot_messages(ADMIN)),
        timeout=60,
    )


async def test_kill_9_during_an_outbox_drain(tmp_path: Path) -> None:
    """kill -9 in the middle of sending 200 queued messages, then a restart: every message
    goes out exactly once, except at most the one in flight at the kill, which is recorded as
    unknown and never resent (so nothing is ever sent twice)."""
    chats = list(range(6_000_000, 6_000_200))
    async with bot_process(
        tmp_path, quiet_hours=False, NASTAVNIK_OUTBOX_RATE_PER_SECOND="50"
    ) as bot:
        fake = bot.fake
        await bot.start()
        db = sqlite3.connect(bot.env["NASTAVNIK_DATABASE_PATH"])
        now = datetime.now(UTC)
        db.executemany(
            "INSERT INTO outbox (unique_key, chat_id, kind, payload, due_at, expires_at, status,"
            " attempts, next_attempt_at, created_at) VALUES (?, ?, 'broadcast',"
            " '{\"text\": \"Объявление\"}', ?, ?, 'pending', 0, ?, ?)",
            [
                (
                    f"drain:{chat}",
                    chat,
                    to_db_time(now),
                    to_db_time(now + timedelta(hours=1)),
                    to_db_time(now),
                    to_db_time(now),
                )
                for chat in chats
            ],
        )
        db.commit()
        await wait_until(lambda: sum(c in fake.chats for c in chats) >= 60)
        await bot.stop(kill=True)
        sent_before = sum(c in fake.chats for c in chats)
        assert sent_before < len(chats)
        await bot.start()

        def statuses() -> dict[str, int]:
            rows = db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
            return dict(rows)

        def settled() -> bool:  # nothing queued, claimed or in flight in the new process
            current = statuses()
            return not any(current.get(s, 0) for s in ("pending", "claimed", "sending"))

        await wait_until(settled, timeout=30)
        final = statuses()
        db.close()
    assert final.get("sent", 0) + final.get("unknown", 0) == len(chats)
    assert final.get("unknown", 0) <= 1
    assert all(len(fake.chats.get(chat, [])) <= 1 for chat in chats)  # never twice
    assert sum(chat in fake.chats for chat in chats) >= len(chats) - 1


async def test_kill_9_around_a_pair_invitation(tmp_path: Path) -> None:
    """The curator forms a pair and is told the invitations are on their way; kill -9 before
    they go out. After a restart each person gets exactly one invitation. The mentor accepts,
    kill -9 again; after a restart the mentee's acceptance starts the pair, once."""
    fake = FakeTelegram(token=TOKEN)

    def invitations(user: int) -> int:
        return sum(
            "Приглашение в наставническую пару" in str(m.get("text"))
            for m in fake.bot_messages(user)
        )

    # A slow tick in the first run, so the invitations are still queued at the kill.
    async with bot_process(
        tmp_path, fake, quiet_hours=False, NASTAVNIK_OUTBOX_TICK_SECONDS="60"
    ) as bot:
        db = await Database.open(bot.env["NASTAVNIK_DATABASE_PATH"])
        try:
            await db.migrate()
            clock = FakeClock(datetime.now(UTC))
            school = await seed.school(db, clock)
            await seed.person(db, clock, CURATOR, RoleGrant(Role.CURATOR, organization_id=school))
            await seed.participant(db, clock, school, MENTOR, Role.MENTOR)
            await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
            await bot.start()
            await bot.say(CURATOR, "/menu")
            await bot.press(CURATOR, "🏫 Школа № 1")
            await bot.press(CURATOR, tr("btn-pairs"))
            await bot.press(CURATOR, tr("btn-propose"))
            accepted = await bot.press(CURATOR, tr("btn-accept-all", count=1))
            assert tr("drafts-accepted", created=1, refused=0) in str(accepted["text"])
            await bot.stop(kill=True)
            assert invitations(MENTOR) == invitations(MENTEE) == 0

            bot.env["NASTAVNIK_OUTBOX_TICK_SECONDS"] = "0.2"
            await bot.start()
            await wait_until(lambda: invitations(MENTOR) == invitations(MENTEE) == 1)
            await bot.press(MENTOR, tr("btn-accept"))
            assert fake.last(MENTOR)["text"] == tr("pair-accepted")
            await bot.stop(kill=True)

            await bot.start()
            await bot.press(MENTEE, tr("btn-accept"))
            await wait_until(
                lambda: any(
                    "пара начала работу" in str(m.get("text")) for m in fake.bot_messages(CURATOR)
                )
            )
            await bot._settle()
            pairs = await db.fetch_all("SELECT status FROM pairs")
        finally:
            await db.close()
    assert [row["status"] for row in pairs] == ["active"]
    assert invitations(MENTOR) == invitations(MENTEE) == 1
    started = [m for m in fake.bot_messages(CURATOR) if "пара начала работу" in str(m.get("text"))]
    assert len(started) == 1
