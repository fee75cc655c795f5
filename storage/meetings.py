from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row, from_db_time, to_db_time

_COLUMNS = "id, pair_id, kind, starts_at, place, topic, status, revision, proposed_by"


@dataclass(frozen=True)
class Meeting:
    id: int
    pair_id: int
    kind: str
    starts_at: datetime
    place: str
    topic: str
    status: str  # proposed, confirmed, cancelled
    revision: int
    proposed_by: int


class MeetingsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        pair_id: int,
        kind: str,
        starts_at: datetime,
        place: str,
        topic: str,
        proposed_by: int,
        now: datetime,
    ) -> int:
        return await self._db.insert(
            "INSERT INTO meetings (pair_id, kind, starts_at, place, topic, status, proposed_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, 'proposed', ?, ?)",
            (pair_id, kind, to_db_time(starts_at), place, topic, proposed_by, to_db_time(now)),
        )

    async def get(self, meeting_id: int) -> Meeting | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM meetings WHERE id = ?", (meeting_id,)
        )
        return _meeting(row) if row else None

    async def of_pair(self, pair_id: int) -> list[Meeting]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM meetings WHERE pair_id = ? ORDER BY starts_at", (pair_id,)
        )
        return [_meeting(row) for row in rows]

    async def confirm(self, meeting_id: int, revision: int) -> bool:
        return (
            await self._db.execute(
                "UPDATE meetings SET status = 'confirmed' WHERE id = ? AND revision = ?"
                " AND status = 'proposed'",
                (meeting_id, revision),
            )
            == 1
        )

    async def reschedule(
        self, meeting_id: int, revision: int, starts_at: datetime, proposed_by: int
    ) -> bool:
        return (
            await self._db.execute(
                "UPDATE meetings SET starts_at = ?, status = 'proposed', revision = revision + 1,"
                " proposed_by = ? WHERE id = ? AND revision = ? AND status <> 'cancelled'",
                (to_db_time(starts_at), proposed_by, meeting_id, revision),
            )
            == 1
        )

    async def cancel(self, meeting_id: int) -> bool:
        return (
            await self._db.execute(
                "UPDATE meetings SET status = 'cancelled' WHERE id = ? AND status <> 'cancelled'",
                (meeting_id,),
            )
            == 1
        )

    async def attach_feedback(self, meeting_id: int, person_id: int, session_id: int) -> bool:
        """Link a feedback form to the meeting; False if this person already has one."""
        return (
            await self._db.execute(
                "INSERT INTO meeting_feedback (meeting_id, person_id, session_id)"
                " VALUES (?, ?, ?) ON CONFLICT (meeting_id, person_id) DO NOTHING",
                (meeting_id, person_id, session_id),
            )
            == 1
        )

    async def feedback_session(self, meeting_id: int, person_id: int) -> int | None:
        row = await self._db.fetch_one(
            "SELECT session_id FROM meeting_feedback WHERE meeting_id = ? AND person_id = ?",
            (meeting_id, person_id),
        )
        return int(row["session_id"]) if row else None

    async def by_feedback_session(self, session_id: int) -> tuple[int, int] | None:
        row = await self._db.fetch_one(
            "SELECT meeting_id, person_id FROM meeting_feedback WHERE session_id = ?",
            (session_id,),
        )
        return (int(row["meeting_id"]), int(row["person_id"])) if row else None

    async def feedback_of(self, meeting_id: int) -> dict[int, int]:
        rows = await self._db.fetch_all(
            "SELECT person_id, session_id FROM meeting_feedback WHERE meeting_id = ?",
            (meeting_id,),
        )
        return {row["person_id"]: row["session_id"] for row in rows}

    async def last_activity(
        self, organization_id: int | None = None
    ) -> list[tuple[int, datetime | None, datetime | None]]:
        """For every active pair (of one school, or all): when it started, and its latest
        non-cancelled meeting."""
        rows = await self._db.fetch_all(
            "SELECT p.id, p.activated_at, (SELECT MAX(m.starts_at) FROM meetings m"
            " WHERE m.pair_id = p.id AND m.status <> 'cancelled') AS last_meeting"
            " FROM pairs p WHERE p.status = 'active'"
            + ("" if organization_id is None else " AND p.organization_id = ?"),
            () if organization_id is None else (organization_id,),
        )
        return [
            (
                row["id"],
                from_db_time(row["activated_at"]) if row["activated_at"] else None,
                from_db_time(row["last_meeting"]) if row["last_meeting"] else None,
            )
            for row in rows
        ]


def _meeting(row: Row) -> Meeting:
    return Meeting(
        id=row["id"],
        pair_id=row["pair_id"],
        kind=row["kind"],
        starts_at=from_db_time(row["starts_at"]),
        place=row["place"],
        topic=row["topic"],
        status=row["status"],
        revision=row["revision"],
        proposed_by=row["proposed_by"],
    )
