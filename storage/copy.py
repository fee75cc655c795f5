"""Copy a school's SQLite database into PostgreSQL, row for row (`nastavnik-bot
migrate-to-postgres`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from storage.db import Database

log = logging.getLogger(__name__)

_BATCH = 1000
_SKIPPED = frozenset({"schema_migrations", "sqlite_sequence"})


@dataclass(frozen=True)
class CopiedTable:
    name: str
    rows: int


class CopyRefusedError(RuntimeError):
    """The copy cannot go ahead; nothing was written."""


async def copy_database(source: Database, target: Database) -> list[CopiedTable]:
    """Bring both schemas to the same version, then copy every table in one transaction,
    referenced tables first, and move each identity sequence past the copied ids. Refuses a
    target that already holds data; a copy that fails half-way leaves the target empty."""
    if source.dialect != "sqlite" or target.dialect != "postgresql":
        raise CopyRefusedError("the copy goes from SQLite to PostgreSQL")
    version = await source.migrate()
    if await target.migrate() != version:
        raise CopyRefusedError("the two databases are at different schema versions")
    tables = await _referenced_first(source)
    for table in tables:
        if await target.fetch_one(f"SELECT 1 FROM {table} LIMIT 1") is not None:
            raise CopyRefusedError(f"the target already has rows in {table}")
    copied = []
    async with target.transaction() as conn:
        for table in tables:
            info = await source.fetch_all(f"PRAGMA table_info({table})")
            columns = [row[1] for row in info]
            # Only an integer id is an identity column with a sequence to move on.
            counted = any(row[1] == "id" and str(row[2]).upper() == "INTEGER" for row in info)
            names = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            rows = await source.fetch_all(f"SELECT {names} FROM {table}")
            for start in range(0, len(rows), _BATCH):
                await conn.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    [tuple(row) for row in rows[start : start + _BATCH]],
                )
            if counted:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    f" WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
                )
            copied.append(CopiedTable(table, len(rows)))
            log.info("copied table=%s rows=%s", table, len(rows))
    return copied


async def _referenced_first(source: Database) -> list[str]:
    """The tables in an order where every foreign key points at a table already copied."""
    names = [
        row["name"]
        for row in await source.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        if row["name"] not in _SKIPPED
    ]
    needs = {
        name: {
            row["table"]
            for row in await source.fetch_all(f"PRAGMA foreign_key_list({name})")
            if row["table"] != name
        }
        for name in names
    }
    ordered: list[str] = []
    while needs:
        ready = sorted(name for name, wanted in needs.items() if wanted <= set(ordered))
        if not ready:
            raise CopyRefusedError(f"foreign keys form a cycle among {sorted(needs)}")
        ordered += ready
        for name in ready:
            del needs[name]
    return ordered
