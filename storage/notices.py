from __future__ import annotations

from datetime import datetime

from storage.db import Database, to_db_time


class GroupNoticesRepo:
    """Group chats already told that the bot works only in private chats."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def first_notice(self, chat_id: int, now: datetime) -> bool:
        """True the first time for a chat, False ever after."""
        added = await self._db.execute(
            "INSERT INTO group_notices (chat_id, noticed_at) VALUES (?, ?)"
            " ON CONFLICT (chat_id) DO NOTHING",
            (chat_id, to_db_time(now)),
        )
        return added == 1
