"""Online backups of the SQLite database: consistent while the bot keeps writing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from storage.db import Database


async def backup(database: Path, folder: Path, keep: int, now: datetime) -> Path:
    """Copy the database into `folder` and keep only the newest `keep` copies."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"nastavnik-{now:%Y%m%d-%H%M%S}.db"
    db = await Database.open(database)
    try:
        await db.backup_to(target)
    finally:
        await db.close()
    copies = sorted(folder.glob("nastavnik-*.db"))
    for old in copies[: max(len(copies) - keep, 0)]:
        old.unlink()
    return target
