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

    async def highest(self, bot_id: int) -> int:
        """The highest update id marked for the bot (0 for none)."""
        row = await self._db.fetch_one(
            "SELECT MAX(update_id) AS highest FROM handled_updates WHERE bot_id = ?", (bot_id,)
        )
        return int(row["highest"]) if row and row["highest"] is not None else 0

    async def mark_handled(self, marks: list[tuple[int, int, datetime]]) -> None:
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO handled_updates (bot_id, update_id, handled_at) VALUES (?, ?, ?)"
                " ON CONFLICT (bot_id, update_id) DO NOTHING",
                [(bot_id, update_id, to_db_time(at)) for bot_id, update_id, at in marks],
            )

    async def prune(self, before: datetime) -> int:
        return await self._db.execute(
            "DELETE FROM handled_updates WHERE handled_at < ?", (to_db_time(before),)
        )
