from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from storage.db import Database, from_db_time, to_db_time
from storage.meetings import ahead_sql, held_sql
from storage.models import MeetingKind, ProgramStatus


@dataclass(frozen=True)
class Program:
    pair_id: int
    session_id: int
    status: ProgramStatus
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

    async def terms_without_final_meeting(self, now: datetime) -> list[ProgramTerm]:
        """The confirmed programs of active pairs whose final meeting was neither held nor is
        planned ahead, in one query: the hourly check must not cost a query per pair."""
        stamp = to_db_time(now)
        rows = await self._db.fetch_all(
            "SELECT p.id, p.organization_id, s.value AS start, n.value AS months FROM pairs p"
            " JOIN programs pr ON pr.pair_id = p.id AND pr.status = ?"
            " JOIN form_answers s ON s.session_id = pr.session_id AND s.question_id = 'start_date'"
            " JOIN form_answers n ON n.session_id = pr.session_id AND n.question_id = 'months'"
            " WHERE p.status = 'active' AND NOT EXISTS (SELECT 1 FROM meetings m"
            f" WHERE m.pair_id = p.id AND m.kind = ? AND ({held_sql()} OR {ahead_sql()}))",
            (ProgramStatus.CONFIRMED.value, MeetingKind.FINAL.value, stamp, stamp),
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
            status=ProgramStatus(row["status"]),
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
                " VALUES (?, ?, ?, ?) ON CONFLICT (pair_id) DO NOTHING",
                (pair_id, session_id, ProgramStatus.DRAFT.value, to_db_time(now)),
            )
            == 1
        )

    async def set_status(
        self,
        pair_id: int,
        expected: tuple[ProgramStatus, ...],
        status: ProgramStatus,
        now: datetime,
    ) -> bool:
        """Move the program on if it is still in one of the `expected` states. Leaving the
        confirmed state starts a new revision, which needs both sides again."""
        marks = ", ".join("?" for _ in expected)
        return (
            await self._db.execute(
                f"UPDATE programs SET status = ?, updated_at = ?,"
                " confirmed_at = COALESCE(?, confirmed_at),"
                " revision = CASE WHEN status = ? THEN revision + 1 ELSE revision END"
                f" WHERE pair_id = ? AND status IN ({marks})",
                (
                    status.value,
                    to_db_time(now),
                    to_db_time(now) if status is ProgramStatus.CONFIRMED else None,
                    ProgramStatus.CONFIRMED.value,
                    pair_id,
                    *(s.value for s in expected),
                ),
            )
            == 1
        )
