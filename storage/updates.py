"""The updates already handled: the guard against one update handled twice."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database, to_db_time


class HandledUpdatesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def first_time(self, bot_id: int, update_id: int, now: datetime) -> bool:
        """Record the update as handled; False if it was recorded before. One statement of its
        own, so the mark costs one short write and never waits on a handler's transaction."""
        inserted = await self._db.execute(
            "INSERT INTO handled_updates (bot_id, update_id, handled_at) VALUES (?, ?, ?)"
            " ON CONFLICT (bot_id, update_id) DO NOTHING",
            (bot_id, update_id, to_db_time(now)),
        )
        return inserted == 1

    async def prune(self, before: datetime) -> int:
        return await self._db.execute(
            "DELETE FROM handled_updates WHERE handled_at < ?", (to_db_time(before),)
        )
