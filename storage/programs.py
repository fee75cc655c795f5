from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from storage.db import Database, from_db_time, to_db_time


@dataclass(frozen=True)
class Program:
    pair_id: int
    session_id: int
    status: str  # draft, proposed, confirmed
    revision: int
    confirmed_at: datetime | None


@dataclass(frozen=True)
class ProgramTerm:
    """When a confirmed program starts and how many months it runs."""

    pair_id: int
    organization_id: int
    start: date
    months: int


class ProgramsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def terms_without_final_meeting(self) -> list[ProgramTerm]:
        """The confirmed programs of active pairs that have no final meeting planned, in one
        query: the hourly check must not cost a query per pair."""
        rows = await self._db.fetch_all(
            "SELECT p.id, p.organization_id, s.value AS start, m.value AS months FROM pairs p"
            " JOIN programs pr ON pr.pair_id = p.id AND pr.status = 'confirmed'"
            " JOIN form_answers s ON s.session_id = pr.session_id AND s.question_id = 'start_date'"
            " JOIN form_answers m ON m.session_id = pr.session_id AND m.question_id = 'months'"
            " WHERE p.status = 'active' AND NOT EXISTS (SELECT 1 FROM meetings f"
            " WHERE f.pair_id = p.id AND f.kind = 'final' AND f.status <> 'cancelled')"
        )
        terms = []
        for row in rows:
            start, months = json.loads(row["start"]), json.loads(row["months"])
            if start and months:
                terms.append(
                    ProgramTerm(
                        row["id"],
                        row["organization_id"],
                        date.fromisoformat(str(start)),
                        int(months),
                    )
                )
        return terms

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
