"""The bot as a process (`python -m app`) driven against the fake Bot API on 127.0.0.1: shared by
the end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.db import Database
from storage.models import Role, RoleGrant
from tests import seed
from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, serve, wait_until
from tests.harness import FakeClock
from tests.steps import ADMIN

ROOT = Path(__file__).resolve().parent.parent
CLOCK_DIR = ROOT / "tests" / "e2e_clock"


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

    async def seed_school(self, curator: int, *groups: tuple[Role, Sequence[int]]) -> None:
        """Before the process starts: a school with its curator and participants, the groups
        in the order given."""
        db = await Database.open(self.env["NASTAVNIK_DATABASE_PATH"])
        await db.migrate()
        clock = FakeClock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
        school = await seed.school(db, clock)
        await seed.person(db, clock, curator, RoleGrant(Role.CURATOR, organization_id=school))
        for role, telegram_ids in groups:
            for telegram_id in telegram_ids:
                await seed.participant(db, clock, school, telegram_id, role)
        await db.close()

    def texts(self, user_id: int) -> list[str]:
        """What the bot has sent the user, oldest first."""
        return [str(m.get("text", "")) for m in self.fake.bot_messages(user_id)]

    def rows(self, sql: str) -> list[sqlite3.Row]:
        """Read the process's database directly (a second connection, as a curator's backup)."""
        db = sqlite3.connect(self.env["NASTAVNIK_DATABASE_PATH"])
        db.row_factory = sqlite3.Row
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    async def delivered(self, sql: str) -> list[sqlite3.Row]:
        """The outbox rows `sql` selects (with their status) once none is still being sent: the
        fake records a message a moment before the bot marks its row sent."""
        await wait_until(lambda: all(r["status"] != "sending" for r in self.rows(sql)))
        return self.rows(sql)

    async def start_at(self, moment: str) -> None:
        """(Re)start the process with its clock at `moment` (needs `moved_clock`)."""
        if self.process is not None and self.process.returncode is None:
            await self.stop()
        self.env["E2E_CLOCK_START"] = moment
        await self.start()

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


def bot_env(
    tmp_path: Path,
    api_server: str,
    *,
    quiet_hours: bool = True,
    moved_clock: bool = False,
    **extra: str,
) -> dict[str, str]:
    """The environment the bot process runs with: no config file, everything from variables.

    `quiet_hours=False`: an empty quiet window (start = end), for a test on the real clock, so
    the messages it waits for are not held whatever the hour in Moscow when the suite runs.
    `moved_clock`: the process's clock starts at E2E_CLOCK_START (tests/e2e_clock)."""
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "NASTAVNIK_CONFIG": str(tmp_path / "absent.toml"),
        "NASTAVNIK_BOT_API_SERVER": api_server,
        "NASTAVNIK_BOT_ADMINS": str(ADMIN),
        "NASTAVNIK_DATABASE_PATH": str(tmp_path / "bot.db"),
    }
    if not quiet_hours:
        env |= {"NASTAVNIK_QUIET_HOURS_START": "00:00", "NASTAVNIK_QUIET_HOURS_END": "00:00"}
    if moved_clock:
        env["PYTHONPATH"] = os.pathsep.join([str(CLOCK_DIR), str(ROOT)])
    return env | extra


@asynccontextmanager
async def bot_process(
    tmp_path: Path,
    fake: FakeTelegram | None = None,
    *,
    quiet_hours: bool = True,
    moved_clock: bool = False,
    **extra: str,
) -> AsyncIterator[BotProcess]:
    """The fake Bot API served on 127.0.0.1 and the bot process set up against it, with a
    fast outbox tick; the test starts it (`start`, `start_at`). Stopped and served no more at
    the end."""
    fake = FakeTelegram() if fake is None else fake
    runner, url = await serve(fake)
    env = bot_env(
        tmp_path,
        url,
        quiet_hours=quiet_hours,
        moved_clock=moved_clock,
        **{"NASTAVNIK_OUTBOX_TICK_SECONDS": "0.2", **extra},
    )
    process = BotProcess(fake, env)
    try:
        yield process
    finally:
        if process.process is not None:
            await process.stop()
        await runner.cleanup()
