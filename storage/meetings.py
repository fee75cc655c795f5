"""A pair's meetings and the feedback forms linked to them.

Whether a meeting was held is decided here, once, by `held_sql`: every figure, the journal, the
sequence of meetings and the idle checks read it from there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row, from_db_time, to_db_time
from storage.models import FormStatus, MeetingKind, MeetingStatus

_CANCELLED = f"'{MeetingStatus.CANCELLED.value}'"
_CONFIRMED = f"'{MeetingStatus.CONFIRMED.value}'"


def _said(alias: str, happened: bool) -> str:
    """A participant's submitted feedback answers «Встреча состоялась?» with `happened`."""
    return (
        "EXISTS (SELECT 1 FROM meeting_feedback f"
        " JOIN form_sessions s ON s.id = f.session_id"
        f" AND s.status = '{FormStatus.SUBMITTED.value}'"
        " JOIN form_answers a ON a.session_id = f.session_id AND a.question_id = 'happened'"
        f" WHERE f.meeting_id = {alias}.id AND a.value = '{'true' if happened else 'false'}')"
    )


def held_sql(alias: str = "m") -> str:
    """SQL true when the meeting `alias` was held by the moment given as its one `?`: its
    participants said it took place, or it was confirmed, its time has passed and nobody said
    it did not. A proposal nobody confirmed was never held, whatever its time."""
    return (
        f"({alias}.status <> {_CANCELLED} AND ({_said(alias, True)}"
        f" OR ({alias}.status = {_CONFIRMED} AND {alias}.starts_at <= ?"
        f" AND NOT {_said(alias, False)})))"
    )


def ahead_sql(alias: str = "m") -> str:
    """SQL true when the meeting `alias` is still planned after the moment given as its `?`."""
    return f"({alias}.status <> {_CANCELLED} AND {alias}.starts_at > ?)"


_COLUMNS = (
    "m.id, m.pair_id, m.kind, m.starts_at, m.place, m.topic, m.status, m.revision,"
    f" m.proposed_by, CASE WHEN {held_sql()} THEN 1 ELSE 0 END AS held"
)


@dataclass(frozen=True)
class Meeting:
    id: int
    pair_id: int
    kind: MeetingKind
    starts_at: datetime
    place: str
    topic: str
    status: MeetingStatus
    revision: int
    proposed_by: int
    held: bool  # by the moment it was read (held_sql)


class MeetingsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        pair_id: int,
        kind: MeetingKind,
        starts_at: datetime,
        place: str,
        topic: str,
        proposed_by: int,
        now: datetime,
    ) -> int:
        return await self._db.insert(
            "INSERT INTO meetings (pair_id, kind, starts_at, place, topic, status, proposed_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                pair_id,
                kind.value,
                to_db_time(starts_at),
                place,
                topic,
                MeetingStatus.PROPOSED.value,
                proposed_by,
                to_db_time(now),
            ),
        )

    async def get(self, meeting_id: int, now: datetime) -> Meeting | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM meetings m WHERE m.id = ?", (to_db_time(now), meeting_id)
        )
        return _meeting(row) if row else None

    async def of_pair(self, pair_id: int, now: datetime) -> list[Meeting]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM meetings m WHERE m.pair_id = ? ORDER BY m.starts_at",
            (to_db_time(now), pair_id),
        )
        return [_meeting(row) for row in rows]

    async def confirm(self, meeting_id: int, revision: int) -> bool:
        return (
            await self._db.execute(
                "UPDATE meetings SET status = ? WHERE id = ? AND revision = ? AND status = ?",
                (
                    MeetingStatus.CONFIRMED.value,
                    meeting_id,
                    revision,
                    MeetingStatus.PROPOSED.value,
                ),
            )
            == 1
        )

    async def reschedule(
        self, meeting_id: int, revision: int, starts_at: datetime, proposed_by: int
    ) -> bool:
        return (
            await self._db.execute(
                "UPDATE meetings SET starts_at = ?, status = ?, revision = revision + 1,"
                " proposed_by = ? WHERE id = ? AND revision = ? AND status <> ?",
                (
                    to_db_time(starts_at),
                    MeetingStatus.PROPOSED.value,
                    proposed_by,
                    meeting_id,
                    revision,
                    MeetingStatus.CANCELLED.value,
                ),
            )
            == 1
        )

    async def cancel(self, meeting_id: int) -> bool:
        return (
            await self._db.execute(
                "UPDATE meetings SET status = ? WHERE id = ? AND status <> ?",
                (MeetingStatus.CANCELLED.value, meeting_id, MeetingStatus.CANCELLED.value),
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
        self, now: datetime, organization_id: int | None = None
    ) -> list[tuple[int, datetime | None, datetime | None]]:
        """For every active pair (of one school, or all) with no meeting planned ahead: when it
        started, and its latest meeting that was held."""
        stamp = to_db_time(now)
        rows = await self._db.fetch_all(
            "SELECT p.id, p.activated_at, (SELECT MAX(m.starts_at) FROM meetings m"
            f" WHERE m.pair_id = p.id AND {held_sql()}) AS last_meeting"
            " FROM pairs p WHERE p.status = 'active' AND NOT EXISTS (SELECT 1 FROM meetings m"
            f" WHERE m.pair_id = p.id AND {ahead_sql()})"
            + ("" if organization_id is None else " AND p.organization_id = ?"),
            (stamp, stamp) + (() if organization_id is None else (organization_id,)),
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
        kind=MeetingKind(row["kind"]),
        starts_at=from_db_time(row["starts_at"]),
        place=row["place"],
        topic=row["topic"],
        status=MeetingStatus(row["status"]),
        revision=row["revision"],
        proposed_by=row["proposed_by"],
        held=bool(row["held"]),
    )
