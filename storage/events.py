"""Events the bot organises (issue 15): the event, its invitations with the answers and the
attendance, and the materials sent after it. Not the reports' practice_events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.db import Database, Row, from_db_time, to_db_time
from storage.models import Role


class EventKind(StrEnum):
    SETUP_SESSION = "setup_session"  # установочная сессия
    MENTOR_SCHOOL = "mentor_school"  # «Школа наставников»
    CANDIDATES = "candidates"  # групповая встреча кандидатов
    ROUND_TABLE = "round_table"
    FINAL = "final"  # итоговое мероприятие
    OTHER = "other"


# The kinds that train mentors (DOMAIN.md, stage 4): their attendance is what the report counts.
TRAINING_KINDS = (EventKind.SETUP_SESSION, EventKind.MENTOR_SCHOOL)


class EventStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class EventAnswer(StrEnum):
    GOING = "going"
    NOT_GOING = "not_going"


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    organization_id: int | None  # None: a district's event
    district_id: int
    kind: EventKind
    title: str
    starts_at: datetime
    place: str
    audience: str
    status: EventStatus
    revision: int
    created_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Invitee:
    """Whom to invite, as the audience resolved them."""

    person_id: int
    telegram_id: int
    organization_id: int
    role: Role


@dataclass(frozen=True, slots=True)
class Invitation:
    event_id: int
    person_id: int
    telegram_id: int
    organization_id: int
    role: Role
    answer: EventAnswer | None
    attended: bool


@dataclass(frozen=True, slots=True)
class Material:
    id: int
    event_id: int
    file_id: str
    file_name: str


@dataclass(frozen=True, slots=True)
class Training:
    """What the school report reads: events held by kind, mentors who attended training."""

    held: dict[EventKind, int]
    mentors_trained: int


_COLUMNS = (
    "id, organization_id, district_id, kind, title, starts_at, place, audience, status,"
    " revision, created_by, created_at"
)
_INVITATION = (
    "i.event_id, i.person_id, p.telegram_id, i.organization_id, i.role, i.answer, i.attended"
)


class EventsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        organization_id: int | None,
        district_id: int,
        kind: EventKind,
        title: str,
        starts_at: datetime,
        place: str,
        audience: str,
        created_by: int,
        draft_key: str,
        now: datetime,
    ) -> tuple[Event, bool]:
        """The event of this draft, and whether it is new (False: a second tap)."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO events (organization_id, district_id, kind, title, starts_at, place,"
                " audience, status, revision, draft_key, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT (draft_key) DO NOTHING"
                " RETURNING id",
                (
                    organization_id,
                    district_id,
                    kind.value,
                    title,
                    to_db_time(starts_at),
                    place,
                    audience,
                    EventStatus.PLANNED.value,
                    draft_key,
                    created_by,
                    to_db_time(now),
                ),
            )
            found = await conn.fetch_one(
                f"SELECT {_COLUMNS} FROM events WHERE draft_key = ?", (draft_key,)
            )
        assert found is not None
        return _event(found), row is not None

    async def get(self, event_id: int) -> Event | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM events WHERE id = ?", (event_id,))
        return _event(row) if row else None

    async def organised(
        self, organization_id: int | None, district_id: int, limit: int
    ) -> list[Event]:
        """The events of a school (or, with no school, of the district itself), newest first."""
        if organization_id is None:
            where, args = "district_id = ? AND organization_id IS NULL", (district_id,)
        else:
            where, args = "organization_id = ?", (organization_id,)
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM events WHERE {where} ORDER BY starts_at DESC, id DESC LIMIT ?",
            (*args, limit),
        )
        return [_event(row) for row in rows]

    async def invite(self, event_id: int, invitees: list[Invitee]) -> None:
        """A second call with the same people adds nothing and keeps their answers."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO event_invitations (event_id, person_id, organization_id, role)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (event_id, person_id) DO NOTHING",
                [(event_id, i.person_id, i.organization_id, i.role.value) for i in invitees],
            )

    async def invitations(self, event_id: int) -> list[Invitation]:
        rows = await self._db.fetch_all(
            f"SELECT {_INVITATION} FROM event_invitations i JOIN people p ON p.id = i.person_id"
            " WHERE i.event_id = ? ORDER BY i.person_id",
            (event_id,),
        )
        return [_invitation(row) for row in rows]

    async def invitation(self, event_id: int, person_id: int) -> Invitation | None:
        row = await self._db.fetch_one(
            f"SELECT {_INVITATION} FROM event_invitations i JOIN people p ON p.id = i.person_id"
            " WHERE i.event_id = ? AND i.person_id = ?",
            (event_id, person_id),
        )
        return _invitation(row) if row else None

    async def answer(
        self, event_id: int, person_id: int, answer: EventAnswer, now: datetime
    ) -> None:
        await self._db.execute(
            "UPDATE event_invitations SET answer = ?, answered_at = ?"
            " WHERE event_id = ? AND person_id = ?",
            (answer.value, to_db_time(now), event_id, person_id),
        )

    async def mark(self, event_id: int, person_id: int, attended: bool) -> bool:
        """Set (not flip) the mark, so a double tap leaves it as the button said."""
        changed = await self._db.execute(
            "UPDATE event_invitations SET attended = ? WHERE event_id = ? AND person_id = ?",
            (1 if attended else 0, event_id, person_id),
        )
        return changed == 1

    async def mark_going(self, event_id: int) -> int:
        """Everyone who said «Иду» marked present; the others' marks are left as they are."""
        return await self._db.execute(
            "UPDATE event_invitations SET attended = 1 WHERE event_id = ? AND answer = ?",
            (event_id, EventAnswer.GOING.value),
        )

    async def move(self, event_id: int, starts_at: datetime) -> Event | None:
        """The new time and the next revision; None unless the event is still planned."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE events SET starts_at = ?, revision = revision + 1"
                " WHERE id = ? AND status = ?",
                (to_db_time(starts_at), event_id, EventStatus.PLANNED.value),
            )
            row = await conn.fetch_one(f"SELECT {_COLUMNS} FROM events WHERE id = ?", (event_id,))
        return _event(row) if row else None

    async def cancel(self, event_id: int) -> bool:
        """True for the one call that cancelled it (a second tap finds it cancelled)."""
        changed = await self._db.execute(
            "UPDATE events SET status = ? WHERE id = ? AND status = ?",
            (EventStatus.CANCELLED.value, event_id, EventStatus.PLANNED.value),
        )
        return changed == 1

    async def add_material(
        self, event_id: int, file_id: str, file_name: str, now: datetime
    ) -> Material:
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO event_materials (event_id, file_id, file_name, added_at)"
                " VALUES (?, ?, ?, ?) RETURNING id",
                (event_id, file_id, file_name, to_db_time(now)),
            )
        assert row is not None
        return Material(row["id"], event_id, file_id, file_name)

    async def materials(self, event_id: int) -> list[Material]:
        rows = await self._db.fetch_all(
            "SELECT id, event_id, file_id, file_name FROM event_materials WHERE event_id = ?"
            " ORDER BY id",
            (event_id,),
        )
        return [Material(r["id"], r["event_id"], r["file_id"], r["file_name"]) for r in rows]

    async def upcoming_for(
        self, person_id: int, now: datetime
    ) -> list[tuple[Event, EventAnswer | None]]:
        """The planned events not yet begun that the person is invited to, soonest first,
        with their answer."""
        cols = ", ".join(f"e.{c.strip()}" for c in _COLUMNS.split(","))
        rows = await self._db.fetch_all(
            f"SELECT {cols}, i.answer FROM event_invitations i JOIN events e ON e.id = i.event_id"
            " WHERE i.person_id = ? AND e.status = ? AND e.starts_at > ?"
            " ORDER BY e.starts_at, e.id",
            (person_id, EventStatus.PLANNED.value, to_db_time(now)),
        )
        return [
            (_event(row), EventAnswer(row["answer"]) if row["answer"] else None) for row in rows
        ]

    async def with_materials(self, person_id: int, now: datetime, limit: int) -> list[Event]:
        """The held events the person was marked present at that have materials, newest
        first: where they open the files again."""
        cols = ", ".join(f"e.{c.strip()}" for c in _COLUMNS.split(","))
        rows = await self._db.fetch_all(
            f"SELECT {cols} FROM event_invitations i JOIN events e ON e.id = i.event_id"
            " WHERE i.person_id = ? AND i.attended = 1 AND e.status = ? AND e.starts_at <= ?"
            " AND EXISTS (SELECT 1 FROM event_materials m WHERE m.event_id = e.id)"
            " ORDER BY e.starts_at DESC, e.id DESC LIMIT ?",
            (person_id, EventStatus.PLANNED.value, to_db_time(now), limit),
        )
        return [_event(row) for row in rows]

    async def training(
        self, organization_id: int, since: datetime | None, until: datetime | None, now: datetime
    ) -> Training:
        """Held (begun, not cancelled) events of the period that the school organised or was
        invited to, by kind; and the school's mentors marked present at a training."""
        period = " AND e.starts_at < ?"
        args: list[object] = [to_db_time(min(now, until) if until else now)]
        if since is not None:
            period += " AND e.starts_at >= ?"
            args.append(to_db_time(since))
        rows = await self._db.fetch_all(
            "SELECT e.kind, COUNT(*) AS n FROM events e WHERE e.status = ?" + period + " AND"
            " (e.organization_id = ? OR EXISTS (SELECT 1 FROM event_invitations i"
            " WHERE i.event_id = e.id AND i.organization_id = ?)) GROUP BY e.kind",
            (EventStatus.PLANNED.value, *args, organization_id, organization_id),
        )
        kinds = ", ".join("?" for _ in TRAINING_KINDS)
        trained = await self._db.fetch_one(
            "SELECT COUNT(DISTINCT i.person_id) AS n FROM event_invitations i"
            " JOIN events e ON e.id = i.event_id WHERE e.status = ?" + period + ""
            f" AND i.organization_id = ? AND i.role = ? AND i.attended = 1 AND e.kind IN ({kinds})",
            (
                EventStatus.PLANNED.value,
                *args,
                organization_id,
                Role.MENTOR.value,
                *(k.value for k in TRAINING_KINDS),
            ),
        )
        return Training(
            {EventKind(row["kind"]): int(row["n"]) for row in rows},
            int(trained["n"]) if trained else 0,
        )


def _event(row: Row) -> Event:
    return Event(
        id=row["id"],
        organization_id=row["organization_id"],
        district_id=row["district_id"],
        kind=EventKind(row["kind"]),
        title=row["title"],
        starts_at=from_db_time(row["starts_at"]),
        place=row["place"],
        audience=row["audience"],
        status=EventStatus(row["status"]),
        revision=row["revision"],
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
    )


def _invitation(row: Row) -> Invitation:
    return Invitation(
        event_id=row["event_id"],
        person_id=row["person_id"],
        telegram_id=int(row["telegram_id"]),
        organization_id=row["organization_id"],
        role=Role(row["role"]),
        answer=EventAnswer(row["answer"]) if row["answer"] else None,
        attended=bool(row["attended"]),
    )
