from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode

from app.assembly import build_dispatcher
from bot.core.config import BackupSettings, Settings
from storage.db import Database
from storage.models import Role, RoleGrant
from tests import seed
from tests.engines import Cluster, cluster
from tests.fake_telegram import FakeTelegram, RecordingSession
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN, CURATOR

_databases = itertools.count(1)
TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        token=TOKEN,
        admins=frozenset({ADMIN}),
        timezone=ZoneInfo("Europe/Moscow"),
        backup=BackupSettings(folder=tmp_path / "backups"),
    )


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """One throw-away PostgreSQL cluster for the whole run, with a migrated template database
    that each test copies (CREATE DATABASE ... TEMPLATE): a fresh schema in milliseconds."""
    with cluster() as running:
        running.psql("CREATE DATABASE migrated")

        async def migrate() -> None:
            database = await Database.connect(running.url("migrated"))
            await database.migrate()
            await database.close()

        # Asked for from inside a test's event loop: migrate on a thread with its own.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, migrate()).result()
        yield running


@pytest.fixture
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """SQLite, or NASTAVNIK_TEST_ENGINE (.ci/run runs the suite once more on PostgreSQL);
    a test marked `BOTH_ENGINES` (tests/engines.py) runs on each."""
    default = os.environ.get("NASTAVNIK_TEST_ENGINE", "sqlite")
    if getattr(request, "param", default) == "postgresql":
        running: Cluster = request.getfixturevalue("postgres")
        name = f"t{next(_databases)}"
        running.psql(f"CREATE DATABASE {name} TEMPLATE migrated STRATEGY FILE_COPY")
        database = await Database.connect(running.url(name))
    else:
        database = await Database.open(tmp_path / "test.db")
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram(token=TOKEN)


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    instance = Bot(
        TOKEN,
        session=RecordingSession(fake),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    yield instance
    await instance.session.close()


@pytest.fixture
def tg(settings: Settings, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram) -> Harness:
    return Harness(dp=build_dispatcher(settings, db, clock), bot=bot, fake=fake, clock=clock)


@pytest.fixture
async def school(db: Database, clock: FakeClock) -> int:
    """A school with its curator (CURATOR), made straight through the repositories."""
    school_id = await seed.school(db, clock)
    await seed.person(db, clock, CURATOR, RoleGrant(Role.CURATOR, organization_id=school_id))
    return school_id
