"""`nastavnik-bot migrate-to-postgres`: a school's SQLite database copied into PostgreSQL
without losing a row."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiogram import Bot

from app.cli import main
from storage.db import Database
from storage.organizations import OrganizationsRepo
from tests.engines import Cluster
from tests.harness import FakeClock, Harness
from tests.steps import active_pair, begin_mentee, fill_mentee, propose


async def tables_and_counts(db: Database, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        row = await db.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")
        assert row is not None
        counts[table] = int(row["n"])
    return counts


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # the source is a SQLite file
async def test_a_school_database_is_copied_row_for_row(
    tmp_path: Path,
    tg: Harness,
    db: Database,
    clock: FakeClock,
    bot: Bot,
    school: int,
    postgres: Cluster,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A school with a bit of everything: a questionnaire, consents, a pair, a meeting.
    await begin_mentee(tg)
    await fill_mentee(tg)
    await active_pair(db, clock, school)
    await propose(tg)
    assert db.path is not None
    names = [
        row["name"]
        for row in await db.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    before = await tables_and_counts(db, names)
    assert before["people"] >= 4 and before["form_answers"] >= 10 and before["meetings"] == 1
    sample = {
        table: [tuple(r) for r in await db.fetch_all(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in ("people", "form_answers", "pairs", "meetings", "outbox", "consents")
    }
    await db.close()

    postgres.psql("CREATE DATABASE copied")
    url = postgres.url("copied")
    argv = ["migrate-to-postgres", "--from", str(db.path), "--to", url]
    assert await asyncio.to_thread(main, argv) == 0
    assert f"copied {sum(before.values()) - before['schema_migrations']} rows" in (
        capsys.readouterr().out
    )

    target = await Database.connect(url)
    try:
        assert await tables_and_counts(target, names) == before
        for table, rows in sample.items():
            query = f"SELECT * FROM {table} ORDER BY 1, 2"
            copied = [tuple(r) for r in await target.fetch_all(query)]
            assert copied == rows, table
        # The identity sequences moved past the copied ids: new rows do not collide.
        made = await OrganizationsRepo(target).create_district("Новый округ", clock.now())
        assert made is not None
        # A second copy into the same database is refused: it is no longer empty.
        assert await asyncio.to_thread(main, argv) == 5
        assert await tables_and_counts(target, ["people"]) == {"people": before["people"]}
    finally:
        await target.close()
