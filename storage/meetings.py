"""A pair's meetings and the feedback forms linked to them.

Whether a meeting was held is decided here, once, by `held_sql`: every figure, the journal, the
sequence of meetings and the idle checks read it from there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row, from_db_time, to_db_time
from storage.models import FormStatus, MeetingKind, MeetingStatus, PairStatus

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
class PairActivity:
    """What the idle sweep needs of one pair due for a look (`MeetingsRepo.due_for_sweep`)."""

    pair_id: int
    active: bool
    sweep_at: str  # as stored: the sweep moves it on only if nothing marked it meanwhile
    activated_at: datetime | None
    last_held: datetime | None
    next_planned: datetime | None  # the earliest meeting still planned ahead


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
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO meetings (pair_id, kind, starts_at, place, topic, status,"
                " proposed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
            assert row is not None
            await conn.execute(_LOOK_AGAIN + "id = ?", (to_db_time(now), pair_id))
        return int(row["id"])

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

    async def confirm(self, meeting_id: int, revision: int, now: datetime) -> bool:
        return await self._changed(
            meeting_id,
            now,
            "UPDATE meetings SET status = ? WHERE id = ? AND revision = ? AND status = ?",
            (MeetingStatus.CONFIRMED.value, meeting_id, revision, MeetingStatus.PROPOSED.value),
        )

    async def reschedule(
        self, meeting_id: int, revision: int, starts_at: datetime, proposed_by: int, now: datetime
    ) -> bool:
        return await self._changed(
            meeting_id,
            now,
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

    async def cancel(self, meeting_id: int, now: datetime) -> bool:
        return await self._changed(
            meeting_id,
            now,
            "UPDATE meetings SET status = ? WHERE id = ? AND status <> ?",
            (MeetingStatus.CANCELLED.value, meeting_id, MeetingStatus.CANCELLED.value),
        )

    async def _changed(
        self, meeting_id: int, now: datetime, sql: str, params: tuple[object, ...]
    ) -> bool:
        """One change to a meeting; if it applied, its pair is looked at by the next sweep."""
        async with self._db.transaction() as conn:
            if (await conn.execute(sql, params)).rowcount != 1:
                return False
            pair_of = "(SELECT pair_id FROM meetings WHERE id = ?)"
            await conn.execute(_LOOK_AGAIN + "id = " + pair_of, (to_db_time(now), meeting_id))
            await conn.execute(_FINAL_AGAIN + pair_of, (to_db_time(now), meeting_id))
        return True

    async def look_again(self, pair_id: int, now: datetime) -> None:
        """Something the idle check reads changed (a feedback given): the next sweep looks."""
        async with self._db.transaction() as conn:
            await conn.execute(_LOOK_AGAIN + "id = ?", (to_db_time(now), pair_id))
            await conn.execute(_FINAL_AGAIN + "?", (to_db_time(now), pair_id))

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

    async def due_for_sweep(self, now: datetime, limit: int) -> list[PairActivity]:
        """Up to `limit` pairs whose sweep_at has come, earliest first, read through the
        pairs_sweep index: the pairs not due are not read at all."""
        stamp = to_db_time(now)
        rows = await self._db.fetch_all(
            "SELECT p.id, p.status, p.sweep_at, p.activated_at,"
            f" (SELECT MAX(m.starts_at) FROM meetings m WHERE m.pair_id = p.id AND {held_sql()})"
            " AS last_held, (SELECT MIN(m.starts_at) FROM meetings m"
            f" WHERE m.pair_id = p.id AND {ahead_sql()}) AS next_planned"
            " FROM pairs p WHERE p.sweep_at <= ? ORDER BY p.sweep_at LIMIT ?",
            (stamp, stamp, stamp, limit),
        )
        return [
            PairActivity(
                pair_id=row["id"],
                active=row["status"] == PairStatus.ACTIVE.value,
                sweep_at=row["sweep_at"],
                activated_at=_time(row["activated_at"]),
                last_held=_time(row["last_held"]),
                next_planned=_time(row["next_planned"]),
            )
            for row in rows
        ]

    async def swept(self, looked: list[tuple[PairActivity, datetime | None]]) -> None:
        """Each pair looked at is due again at the moment given (None: only when something
        happens to it); a pair marked while the sweep looked keeps its mark."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE pairs SET sweep_at = ? WHERE id = ? AND sweep_at = ?",
                [
                    (to_db_time(at) if at else None, pair.pair_id, pair.sweep_at)
                    for pair, at in looked
                ],
            )

    async def sweep_with(self, thresholds: str, now: datetime) -> None:
        """The sweep_at of every pair were computed with some idle thresholds: when they
        differ from `thresholds`, every active pair is looked at again, once."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one("SELECT value FROM sweep_settings WHERE name = 'idle_pairs'")
            if row is not None and row["value"] == thresholds:
                return
            await conn.execute(
                "INSERT INTO sweep_settings (name, value) VALUES ('idle_pairs', ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (thresholds,),
            )
            await conn.execute(
                "UPDATE pairs SET sweep_at = ? WHERE status = ?",
                (to_db_time(now), PairStatus.ACTIVE.value),
            )


# A pair something happened to is looked at by the next sweep (an active pair only: the
# others never become idle).
_LOOK_AGAIN = f"UPDATE pairs SET sweep_at = ? WHERE status = '{PairStatus.ACTIVE.value}' AND "
# A final meeting confirmed, moved, cancelled or said not to have taken place: the final-meeting
# check looks at the program again (migration 0032).
_FINAL_AGAIN = "UPDATE programs SET final_at = ? WHERE status = 'confirmed' AND pair_id = "


def _time(value: str | None) -> datetime | None:
    return from_db_time(value) if value else None


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
