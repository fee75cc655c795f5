"""Best practices (a completed pair's published case) and the notes colleagues add to a
mentee's card: what the pair agreed to, what the curator wrote, who wrote which note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row, from_db_time, to_db_time

_PRACTICE = (
    "id, pair_id, organization_id, school_year, goal, done, result, published_at, published_by"
)
_NOTE = "id, organization_id, mentee_id, author_id, invited_by, text, for_mentor, written_at"


@dataclass(frozen=True, slots=True)
class PracticeConsent:
    person_id: int
    with_names: bool


@dataclass(frozen=True, slots=True)
class Practice:
    id: int
    pair_id: int
    organization_id: int
    school_year: str
    goal: str
    done: str
    result: str
    published_at: datetime | None
    published_by: int | None


@dataclass(frozen=True, slots=True)
class MenteeNote:
    id: int
    organization_id: int
    mentee_id: int
    author_id: int
    invited_by: int
    text: str  # empty while only invited
    for_mentor: bool
    written_at: datetime | None


class PracticesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def agree(self, pair_id: int, person_id: int, with_names: bool, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO practice_consents (pair_id, person_id, with_names, agreed_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (pair_id, person_id) DO UPDATE"
            " SET with_names = excluded.with_names",
            (pair_id, person_id, int(with_names), to_db_time(now)),
        )

    async def consents(self, pair_id: int) -> list[PracticeConsent]:
        rows = await self._db.fetch_all(
            "SELECT person_id, with_names FROM practice_consents WHERE pair_id = ?"
            " ORDER BY person_id",
            (pair_id,),
        )
        return [PracticeConsent(int(r["person_id"]), bool(r["with_names"])) for r in rows]

    async def save(
        self,
        pair_id: int,
        organization_id: int,
        school_year: str,
        goal: str,
        done: str,
        result: str,
        now: datetime,
    ) -> Practice:
        """The curator's description; editing a published case keeps it published."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO practices (pair_id, organization_id, school_year, goal, done,"
                " result, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pair_id)"
                " DO UPDATE SET goal = excluded.goal, done = excluded.done,"
                " result = excluded.result, updated_at = excluded.updated_at",
                (pair_id, organization_id, school_year, goal, done, result, to_db_time(now)),
            )
            row = await conn.fetch_one(
                f"SELECT {_PRACTICE} FROM practices WHERE pair_id = ?", (pair_id,)
            )
        assert row is not None
        return _practice(row)

    async def publish(self, pair_id: int, by: int, now: datetime) -> bool:
        return (
            await self._db.execute(
                "UPDATE practices SET published_at = ?, published_by = ?"
                " WHERE pair_id = ? AND published_at IS NULL",
                (to_db_time(now), by, pair_id),
            )
            == 1
        )

    async def of_pair(self, pair_id: int) -> Practice | None:
        row = await self._db.fetch_one(
            f"SELECT {_PRACTICE} FROM practices WHERE pair_id = ?", (pair_id,)
        )
        return _practice(row) if row else None

    async def published(self, organization_ids: list[int], school_year: str = "") -> list[Practice]:
        """The published cases of these schools (of one school year, or of every year)."""
        if not organization_ids:
            return []
        marks = ", ".join("?" for _ in organization_ids)
        year = " AND school_year = ?" if school_year else ""
        rows = await self._db.fetch_all(
            f"SELECT {_PRACTICE} FROM practices WHERE organization_id IN ({marks})"
            f" AND published_at IS NOT NULL{year} ORDER BY published_at DESC, id DESC",
            (*organization_ids, *([school_year] if school_year else [])),
        )
        return [_practice(row) for row in rows]

    # --- the notes of colleagues on a mentee's card ---

    async def invite(
        self, organization_id: int, mentee_id: int, author_id: int, invited_by: int, now: datetime
    ) -> int:
        """One open invitation per colleague and mentee: asking again finds the same one."""
        async with self._db.transaction() as conn:
            found = await conn.fetch_one(
                "SELECT id FROM mentee_notes WHERE mentee_id = ? AND author_id = ?"
                " AND organization_id = ? AND written_at IS NULL",
                (mentee_id, author_id, organization_id),
            )
            if found is not None:
                return int(found["id"])
            row = await conn.fetch_one(
                "INSERT INTO mentee_notes (organization_id, mentee_id, author_id, invited_by,"
                " invited_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                (organization_id, mentee_id, author_id, invited_by, to_db_time(now)),
            )
        assert row is not None
        return int(row["id"])

    async def note(self, note_id: int) -> MenteeNote | None:
        row = await self._db.fetch_one(f"SELECT {_NOTE} FROM mentee_notes WHERE id = ?", (note_id,))
        return _note(row) if row else None

    async def write(self, note_id: int, text: str, for_mentor: bool, now: datetime) -> bool:
        """Once: the invitation is used up by the note written."""
        return (
            await self._db.execute(
                "UPDATE mentee_notes SET text = ?, for_mentor = ?, written_at = ?"
                " WHERE id = ? AND written_at IS NULL",
                (text, int(for_mentor), to_db_time(now), note_id),
            )
            == 1
        )

    async def notes_on(self, mentee_ids: list[int], organization_id: int) -> list[MenteeNote]:
        """The written notes on these mentees in the school, oldest first."""
        if not mentee_ids:
            return []
        marks = ", ".join("?" for _ in mentee_ids)
        rows = await self._db.fetch_all(
            f"SELECT {_NOTE} FROM mentee_notes WHERE mentee_id IN ({marks})"
            " AND organization_id = ? AND written_at IS NOT NULL ORDER BY written_at, id",
            (*mentee_ids, organization_id),
        )
        return [_note(row) for row in rows]


def _practice(row: Row) -> Practice:
    return Practice(
        id=int(row["id"]),
        pair_id=int(row["pair_id"]),
        organization_id=int(row["organization_id"]),
        school_year=row["school_year"],
        goal=row["goal"],
        done=row["done"],
        result=row["result"],
        published_at=from_db_time(row["published_at"]) if row["published_at"] else None,
        published_by=row["published_by"],
    )


def _note(row: Row) -> MenteeNote:
    return MenteeNote(
        id=int(row["id"]),
        organization_id=int(row["organization_id"]),
        mentee_id=int(row["mentee_id"]),
        author_id=int(row["author_id"]),
        invited_by=int(row["invited_by"]),
        text=row["text"],
        for_mentor=bool(row["for_mentor"]),
        written_at=from_db_time(row["written_at"]) if row["written_at"] else None,
    )
