"""End to end, the bot as a process: a curator, as a new user would, sends an announcement with
a document to all mentors and watches one progress message, edited in place, reach its final
counts; each mentor gets the document once, the mentee nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.broadcasts.service import Audience
from bot.core.i18n import tr
from storage.models import Role
from tests.fake_telegram import wait_until
from tests.process import BotProcess, bot_process
from tests.steps import CURATOR

MENTORS = (11, 12, 13)
MENTEE = 21
FILE_ID = "BQACAgIAAxk-plan"
CAPTION = "План недели наставника: встречи и материалы"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    async with bot_process(tmp_path, moved_clock=True) as bot:
        await bot.seed_school(CURATOR, (Role.MENTOR, MENTORS), (Role.MENTEE, [MENTEE]))
        # Midday in the school's zone: outside quiet hours, whenever the test runs.
        await bot.start_at("2026-11-24T12:00:00+03:00")
        yield bot


def _requests(bot: BotProcess, method: str, chat_id: int) -> list[dict[str, Any]]:
    return [p for m, p in bot.fake.requests if m == method and int(p["chat_id"]) == chat_id]


async def test_an_announcement_with_a_document_reaches_every_mentor_with_live_progress(
    bot: BotProcess,
) -> None:
    await bot.say(CURATOR, "/menu")
    await bot.press(CURATOR, "🏫 Школа № 1")
    await bot.press(CURATOR, tr.plain("btn-broadcasts"))
    asked = await bot.press(CURATOR, tr.plain("btn-broadcast-new"))
    assert "текст объявления" in str(asked["text"])
    before = len(bot.fake.bot_messages(CURATOR))
    document = {"file_id": FILE_ID, "file_unique_id": "plan", "file_name": "plan.pdf"}
    bot.fake.queue(
        bot.fake.message_update(CURATOR, None, extra={"document": document, "caption": CAPTION})
    )
    await wait_until(lambda: len(bot.fake.bot_messages(CURATOR)) > before)
    await bot.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.MENTORS))
    preview = _requests(bot, "sendDocument", CURATOR)[-1]
    assert (preview["document"], preview["caption"]) == (FILE_ID, CAPTION)
    screens_edited = len(_requests(bot, "editMessageText", CURATOR))  # the menus so far
    await bot.press(CURATOR, tr.plain("btn-broadcast-send"))

    def progress_edits() -> list[dict[str, Any]]:
        return _requests(bot, "editMessageText", CURATOR)[screens_edited:]

    def finished() -> bool:
        return any("Рассылка завершена" in str(p.get("text", "")) for p in progress_edits())

    await wait_until(finished, timeout=60)
    for mentor in MENTORS:
        (copy,) = _requests(bot, "sendDocument", mentor)
        assert (copy["document"], copy["caption"]) == (FILE_ID, CAPTION)
    assert _requests(bot, "sendDocument", MENTEE) == []
    # One progress message, edited in place to its final counts.
    edits = progress_edits()
    assert len({int(e["message_id"]) for e in edits}) == 1
    assert "Доставлено: 3 · не доставлено: 0 · в очереди: 0" in str(edits[-1]["text"])
    progress = next(
        m
        for m in bot.fake.bot_messages(CURATOR)
        if m.get("message_id") == int(edits[-1]["message_id"])
    )
    assert "Рассылка завершена" in str(progress["text"])
    err = await bot.stop()
    assert b"Traceback" not in err and b"message is not modified" not in err
