"""Online backups of the SQLite database: consistent while the bot keeps writing."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.db import SQLiteDatabase

PARTIAL = ".partial"
# A copy still being written after this long was abandoned by a process that died.
ABANDONED_AFTER = timedelta(hours=6)


async def backup(database: Path, folder: Path, keep: int, now: datetime) -> Path:
    """Copy the database into `folder` and keep only the newest `keep` copies.

    The copy is written under a name that neither a restore nor the pruning looks at, and
    renamed whole when complete: a copy cut short (a full disk, a kill) never passes for a good
    one, and never pushes a good one out."""
    folder.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_partials(folder)
    target = folder / f"nastavnik-{now.astimezone(UTC):%Y%m%d-%H%M%S}.db"
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".nastavnik-", suffix=PARTIAL)
    os.close(descriptor)
    partial = Path(name)
    try:
        db = await SQLiteDatabase.open(database)
        assert isinstance(db, SQLiteDatabase)
        try:
            await db.backup_to(partial)
        finally:
            await db.close()
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
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


def _remove_abandoned_partials(folder: Path) -> None:
    """Unfinished copies hold personal data too: those a killed process left are deleted.
    Their age is the file system's (wall time), whatever clock the bot runs on."""
    for partial in folder.glob(f".nastavnik-*{PARTIAL}"):
        if partial.stat().st_mtime < time.time() - ABANDONED_AFTER.total_seconds():
            partial.unlink(missing_ok=True)
