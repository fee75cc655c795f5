"""The updates already handled: the guard against one update handled twice."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database, to_db_time


class HandledUpdatesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def was_handled(self, bot_id: int, update_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM handled_updates WHERE bot_id = ? AND update_id = ?", (bot_id, update_id)
        )
        return row is not None

    async def mark_handled(self, bot_id: int, update_id: int, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO handled_updates (bot_id, update_id, handled_at) VALUES (?, ?, ?)"
            " ON CONFLICT (bot_id, update_id) DO NOTHING",
            (bot_id, update_id, to_db_time(now)),
        )

    async def prune(self, before: datetime) -> int:
        return await self._db.execute(
            "DELETE FROM handled_updates WHERE handled_at < ?", (to_db_time(before),)
        )
