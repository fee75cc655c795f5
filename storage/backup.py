"""Online backups of the SQLite database: consistent while the bot keeps writing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage.db import SQLiteDatabase


async def backup(database: Path, folder: Path, keep: int, now: datetime) -> Path:
    """Copy the database into `folder` and keep only the newest `keep` copies."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"nastavnik-{now.astimezone(UTC):%Y%m%d-%H%M%S}.db"
    db = await SQLiteDatabase.open(database)
    assert isinstance(db, SQLiteDatabase)
    try:
        await db.backup_to(target)
    finally:
        await db.close()
    copies = sorted(folder.glob("nastavnik-*.db"))
    for old in copies[: max(len(copies) - keep, 0)]:
        old.unlink()
    return target


def remove_copies_older_than(folder: Path, moment: datetime) -> int:
    """Delete the copies made before the moment (their names carry the UTC time made)."""
    removed = 0
    for copy in folder.glob("nastavnik-*.db"):
        try:
            made = datetime.strptime(copy.stem, "nastavnik-%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            continue  # not one of ours
        if made < moment:
            copy.unlink()
            removed += 1
    return removed
