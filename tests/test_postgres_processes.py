"""Several bot processes on one PostgreSQL: an outbox row goes out once, a periodic job runs
once, and a process killed mid-job leaves neither its job lock nor its outbox rows claimed;
a live sibling's rows are left alone."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from storage.db import Database, is_busy
from storage.outbox import OutboxRepo
from tests.engines import Cluster

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

# One bot process's share of the work: claim and "send" outbox rows until none is left, and
# try the hourly job; every send and every job run is written down with the process's name.
WORKER = """
import asyncio, sys
from datetime import UTC, datetime
from storage.db import Database, is_busy
from storage.models import OutboxStatus
from storage.outbox import OutboxRepo

async def main(url, name, hold):
    db = await Database.connect(url)
    outbox = OutboxRepo(db)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    async with db.run_once("hourly_sweep", "2026-11-23T09") as mine:
        print("ready", flush=True)
        if mine:
            await db.execute("INSERT INTO test_log (what, who) VALUES ('job', ?)", (name,))
            await asyncio.sleep(hold)
    idle = 0
    while idle < 3:
        batch = await outbox.claim(now, 7, name)
        idle = 0 if batch else idle + 1
        for message in batch:
            await outbox.mark_sending(message.id)
            await db.execute(
                "INSERT INTO test_log (what, who) VALUES (?, ?)", (f"sent {message.id}", name)
            )
            await outbox.finish(message.id, OutboxStatus.SENT, now)
        await asyncio.sleep(0.01)
    await db.close()

asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
"""


def start(url: str, name: str, hold: float = 0.0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, url, name, str(hold)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )


@pytest.fixture
async def shared(postgres: Cluster) -> Database:
    name = "two_processes"
    postgres.psql(f"DROP DATABASE IF EXISTS {name}")
    postgres.psql(f"CREATE DATABASE {name} TEMPLATE migrated STRATEGY FILE_COPY")
    db = await Database.connect(postgres.url(name))
    await db.migrate()
    await db.execute("CREATE TABLE test_log (what TEXT NOT NULL, who TEXT NOT NULL)")
    return db


async def test_two_processes_send_each_outbox_row_once_and_run_the_job_once(
    shared: Database,
) -> None:
    db = shared
    outbox = OutboxRepo(db)
    for n in range(300):
        await outbox.enqueue(f"k{n}", 1000 + n, "text", {"text": "т"}, NOW, NOW + timedelta(1), NOW)
    processes = [start(db_url(db), name) for name in ("first", "second")]
    for process in processes:
        process.communicate(timeout=120)
        assert process.returncode == 0
    rows = await db.fetch_all("SELECT what, who FROM test_log")
    sent = [row["what"] for row in rows if row["what"].startswith("sent")]
    assert len(sent) == len(set(sent)) == 300  # every row, none twice
    assert {row["who"] for row in rows if row["what"].startswith("sent")} == {"first", "second"}
    assert [row["what"] for row in rows].count("job") == 1
    counts = await outbox.count_by_status()
    assert {status.value: n for status, n in counts.items()} == {"sent": 300}
    await db.close()


async def test_a_process_killed_mid_job_leaves_no_lock_behind(shared: Database) -> None:
    db = shared
    holder = start(db_url(db), "killed", hold=600)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "ready"  # it holds the job now
    async with db.run_once("hourly_sweep", "2026-11-23T10") as mine:
        assert not mine  # another process is running it
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=30)
    for _ in range(100):  # the server notices the dead connection
        async with db.run_once("hourly_sweep", "2026-11-23T10") as mine:
            if mine:
                break
        await asyncio.sleep(0.05)
    assert mine
    await db.close()


CLAIMER = """
import asyncio, sys
from datetime import UTC, datetime
from storage.db import Database, is_busy
from storage.outbox import OutboxRepo

async def main(url):
    db = await Database.connect(url)
    batch = await OutboxRepo(db).claim(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), 5, "killed")
    print(len(batch), flush=True)
    await asyncio.sleep(600)

asyncio.run(main(sys.argv[1]))
"""


async def test_recovery_frees_a_killed_process_rows_and_leaves_a_live_one_alone(
    shared: Database,
) -> None:
    db = shared
    outbox = OutboxRepo(db)
    for n in range(20):
        await outbox.enqueue(f"k{n}", 1000 + n, "text", {"text": "т"}, NOW, NOW + timedelta(1), NOW)
    killed = subprocess.Popen(
        [sys.executable, "-c", CLAIMER, db_url(db)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert killed.stdout is not None and killed.stdout.readline().strip() == "5"
    mine = await outbox.claim(NOW, 5, "alive")  # this process is the live sibling
    assert len(mine) == 5
    assert await outbox.recover_after_restart(NOW) == (0, 0)  # both still running
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=30)
    for _ in range(100):  # until the server has noticed the dead connection
        released = await outbox.recover_after_restart(NOW)
        if released != (0, 0):
            break
        await asyncio.sleep(0.05)
    assert released == (5, 0)
    rows = await db.fetch_all("SELECT claimed_by FROM outbox WHERE status = 'claimed'")
    assert [row["claimed_by"] for row in rows] == ["alive"] * 5
    await db.close()


def db_url(db: Database) -> str:
    url: str = getattr(db, "url")  # noqa: B009 (PostgreSQL only)
    return url


async def test_a_server_restart_under_load_loses_nothing_acknowledged(
    postgres: Cluster, shared: Database
) -> None:
    db = shared
    acknowledged: list[int] = []
    refused: list[BaseException] = []

    async def write(n: int) -> None:
        try:
            await db.execute("INSERT INTO test_log (what, who) VALUES (?, 'load')", (f"w{n}",))
        except Exception as error:  # noqa: BLE001 (sorted below: each must be "busy")
            refused.append(error)
        else:
            acknowledged.append(n)

    async def load() -> None:
        for n in range(400):
            await write(n)
            await asyncio.sleep(0.005)

    writing = asyncio.create_task(load())
    await asyncio.sleep(0.3)
    await asyncio.to_thread(postgres.restart)
    await writing
    # Every failure in between was one the user is told to retry; the pool reconnected.
    assert all(is_busy(error) for error in refused), refused
    assert acknowledged and acknowledged[-1] == 399
    stored = {row["what"] for row in await db.fetch_all("SELECT what FROM test_log")}
    assert {f"w{n}" for n in acknowledged} <= stored
    await db.close()
