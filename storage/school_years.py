"""Closing a school's year: freeze its figures, end its pairs, take them off the working list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db_time, to_db_time
from storage.meetings import held_sql
from storage.models import FormStatus, PairStatus

_CURRENT = "organization_id = ? AND school_year_id IS NULL"


@dataclass(frozen=True)
class SchoolYear:
    id: int
    organization_id: int
    label: str
    closed_at: datetime
    pairs: int
    completed: int
    ended_early: int
    meetings: int
    feedback: int


class SchoolYearsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def close(
        self, organization_id: int, label: str, closed_by: int, now: datetime
    ) -> tuple[SchoolYear, list[int]] | None:
        """Close the year in one transaction; None if a year with this label is closed already.
        Returns the year and the ids of the pairs that were still working (now ended)."""
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            if await conn.fetch_one(
                "SELECT 1 FROM school_years WHERE organization_id = ? AND label = ?",
                (organization_id, label),
            ):
                return None
            figures = await conn.fetch_one(
                "SELECT COUNT(*) AS pairs,"
                # Working at the year's end, or completed (both sides confirmed it) before.
                " COALESCE(SUM(CASE WHEN status IN (?, ?) THEN 1 ELSE 0 END), 0) AS completed,"
                " COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0) AS ended_early"
                f" FROM pairs WHERE {_CURRENT} AND activated_at IS NOT NULL",
                (
                    PairStatus.ACTIVE.value,
                    PairStatus.COMPLETED.value,
                    PairStatus.ENDED.value,
                    organization_id,
                ),
            )
            # Meetings held (storage.meetings.held_sql) and feedback forms sent in.
            held = await conn.fetch_one(
                f"SELECT COALESCE(SUM(CASE WHEN {held_sql()} THEN 1 ELSE 0 END), 0) AS meetings,"
                " COALESCE(SUM((SELECT COUNT(*) FROM meeting_feedback f JOIN form_sessions s"
                " ON s.id = f.session_id AND s.status = ? WHERE f.meeting_id = m.id)), 0)"
                f" AS feedback FROM meetings m WHERE m.pair_id IN (SELECT id FROM pairs WHERE"
                f" {_CURRENT})",
                (stamp, FormStatus.SUBMITTED.value, organization_id),
            )
            assert figures is not None and held is not None
            working = [
                row["id"]
                for row in await conn.fetch_all(
                    f"SELECT id FROM pairs WHERE {_CURRENT} AND status = ?",
                    (organization_id, PairStatus.ACTIVE.value),
                )
            ]
            cursor = await conn.execute(
                "INSERT INTO school_years (organization_id, label, closed_at, closed_by, pairs,"
                " completed, ended_early, meetings, feedback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    organization_id,
                    label,
                    stamp,
                    closed_by,
                    figures["pairs"],
                    figures["completed"],
                    figures["ended_early"],
                    held["meetings"],
                    held["feedback"],
                ),
            )
            year_id = cursor.lastrowid
            await conn.execute(
                f"UPDATE pairs SET status = ?, ended_at = ?, end_reason = 'year_closed'"
                f" WHERE {_CURRENT} AND status = ?",
                (PairStatus.ENDED.value, stamp, organization_id, PairStatus.ACTIVE.value),
            )
            await conn.execute(
                f"UPDATE pairs SET status = ?, ended_at = ? WHERE {_CURRENT} AND status = ?",
                (PairStatus.WITHDRAWN.value, stamp, organization_id, PairStatus.INVITED.value),
            )
            await conn.execute(
                f"UPDATE pairs SET school_year_id = ? WHERE {_CURRENT}",
                (year_id, organization_id),
            )
            await conn.execute(
                "UPDATE pair_drafts SET status = 'discarded' WHERE organization_id = ?"
                " AND status = 'open'",
                (organization_id,),
            )
            # Meetings still ahead will not happen: cancelled, so the journal says so.
            await conn.execute(
                "UPDATE meetings SET status = 'cancelled' WHERE status IN ('proposed', 'confirmed')"
                " AND starts_at > ? AND pair_id IN (SELECT id FROM pairs WHERE school_year_id = ?)",
                (stamp, year_id),
            )
        closed = await self._years("id = ?", (year_id,))
        return closed[0], working

    async def of_school(self, organization_id: int) -> list[SchoolYear]:
        return await self._years("organization_id = ?", (organization_id,))

    async def _years(self, condition: str, params: tuple[object, ...]) -> list[SchoolYear]:
        rows = await self._db.fetch_all(
            "SELECT id, organization_id, label, closed_at, pairs, completed, ended_early,"
            f" meetings, feedback FROM school_years WHERE {condition} ORDER BY closed_at",
            params,
        )
        return [
            SchoolYear(
                row["id"],
                row["organization_id"],
                row["label"],
                from_db_time(row["closed_at"]),
                row["pairs"],
                row["completed"],
                row["ended_early"],
                row["meetings"],
                row["feedback"],
            )
            for row in rows
        ]
