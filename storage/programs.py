from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db_time, to_db_time


@dataclass(frozen=True)
class Program:
    pair_id: int
    session_id: int
    status: str  # draft, proposed, confirmed
    revision: int
    confirmed_at: datetime | None


class ProgramsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, pair_id: int) -> Program | None:
        row = await self._db.fetch_one(
            "SELECT pair_id, session_id, status, revision, confirmed_at FROM programs"
            " WHERE pair_id = ?",
            (pair_id,),
        )
        if row is None:
            return None
        return Program(
            pair_id=row["pair_id"],
            session_id=row["session_id"],
            status=row["status"],
            revision=row["revision"],
            confirmed_at=from_db_time(row["confirmed_at"]) if row["confirmed_at"] else None,
        )

    async def by_session(self, session_id: int) -> Program | None:
        row = await self._db.fetch_one(
            "SELECT pair_id FROM programs WHERE session_id = ?", (session_id,)
        )
        return await self.get(row["pair_id"]) if row else None

    async def create(self, pair_id: int, session_id: int, now: datetime) -> bool:
        return (
            await self._db.execute(
                "INSERT INTO programs (pair_id, session_id, status, updated_at)"
                " VALUES (?, ?, 'draft', ?) ON CONFLICT (pair_id) DO NOTHING",
                (pair_id, session_id, to_db_time(now)),
            )
            == 1
        )

    async def set_status(
        self, pair_id: int, expected: tuple[str, ...], status: str, now: datetime
    ) -> bool:
        """Move the program on if it is still in one of the `expected` states. Leaving the
        confirmed state starts a new revision, which needs both sides again."""
        marks = ", ".join("?" for _ in expected)
        return (
            await self._db.execute(
                f"UPDATE programs SET status = ?, updated_at = ?,"
                " confirmed_at = CASE WHEN ? = 'confirmed' THEN ? ELSE confirmed_at END,"
                " revision = CASE WHEN status = 'confirmed' THEN revision + 1 ELSE revision END"
                f" WHERE pair_id = ? AND status IN ({marks})",
                (status, to_db_time(now), status, to_db_time(now), pair_id, *expected),
            )
            == 1
        )
