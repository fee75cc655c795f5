"""The bot as a process (`python -m app`) driven against the fake Bot API on 127.0.0.1: shared by
the end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, wait_until
from tests.steps import ADMIN

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BotProcess:
    fake: FakeTelegram
    env: dict[str, str]
    process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        identified = sum(m == "getMe" for m, _ in self.fake.requests)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app",
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        # A restarted process identifies itself again: wait for its own getMe.
        await wait_until(lambda: sum(m == "getMe" for m, _ in self.fake.requests) > identified)

    async def stop(self, kill: bool = False) -> bytes:
        assert self.process is not None
        if self.process.returncode is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
        _, err = await asyncio.wait_for(self.process.communicate(), 20)
        return err

    async def say(self, user_id: int, text: str) -> dict[str, object]:
        before = len(self.fake.bot_messages(user_id))
        self.fake.queue(self.fake.message_update(user_id, text))
        await wait_until(lambda: len(self.fake.bot_messages(user_id)) > before)
        await self._settle()
        return self.fake.last(user_id)

    async def _settle(self) -> None:
        """Wait until the bot has stopped answering (a reply may come in several messages)."""
        seen = -1
        while seen != len(self.fake.requests):
            seen = len(self.fake.requests)
            await asyncio.sleep(0.15)

    async def press(self, user_id: int, label: str) -> dict[str, object]:
        message = next(
            m for m in reversed(self.fake.bot_messages(user_id)) if label in self.fake.buttons(m)
        )
        answered = len(self.fake.callback_answers)
        self.fake.queue(
            self.fake.callback_update(user_id, message, self.fake.buttons(message)[label])
        )
        await wait_until(lambda: len(self.fake.callback_answers) > answered)
        await self._settle()
        return self.fake.last(user_id)


def bot_env(tmp_path: Path, api_server: str, **extra: str) -> dict[str, str]:
    """The environment the bot process runs with: no config file, everything from variables."""
    return {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "NASTAVNIK_CONFIG": str(tmp_path / "absent.toml"),
        "NASTAVNIK_BOT_API_SERVER": api_server,
        "NASTAVNIK_BOT_ADMINS": str(ADMIN),
        "NASTAVNIK_DATABASE_PATH": str(tmp_path / "bot.db"),
        **extra,
    }
