from __future__ import annotations

from datetime import datetime

from storage.db import Database, Row, to_db_time
from storage.models import District, Organization


class OrganizationsRepo:
    """Districts and the schools (organizations) that belong to them."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # Schools are created, never changed or deleted, and looked up on most updates.
        self._schools: dict[int, Organization] = {}

    async def create_district(self, name: str, now: datetime) -> District | None:
        """None when a district with that name already exists."""
        async with self._db.transaction() as conn:
            existing = await self._db.fetch_one("SELECT id FROM districts WHERE name = ?", (name,))
            if existing:
                return None
            cursor = await conn.execute(
                "INSERT INTO districts (name, created_at) VALUES (?, ?)", (name, to_db_time(now))
            )
            district_id = cursor.lastrowid
        assert district_id is not None
        return District(id=district_id, name=name)

    async def district(self, district_id: int) -> District | None:
        row = await self._db.fetch_one(
            "SELECT id, name FROM districts WHERE id = ?", (district_id,)
        )
        return District(id=row["id"], name=row["name"]) if row else None

    async def districts(self, ids: list[int] | None = None) -> list[District]:
        rows = await self._db.fetch_all("SELECT id, name FROM districts ORDER BY name")
        found = [District(id=row["id"], name=row["name"]) for row in rows]
        return found if ids is None else [d for d in found if d.id in ids]

    async def create_school(
        self, district_id: int, name: str, timezone: str, now: datetime
    ) -> Organization | None:
        """None when the district already has a school with that name."""
        async with self._db.transaction() as conn:
            existing = await self._db.fetch_one(
                "SELECT id FROM organizations WHERE district_id = ? AND name = ?",
                (district_id, name),
            )
            if existing:
                return None
            cursor = await conn.execute(
                "INSERT INTO organizations (district_id, name, timezone, created_at)"
                " VALUES (?, ?, ?, ?)",
                (district_id, name, timezone, to_db_time(now)),
            )
            school_id = cursor.lastrowid
        assert school_id is not None
        return Organization(id=school_id, district_id=district_id, name=name, timezone=timezone)

    async def school(self, school_id: int) -> Organization | None:
        if school_id in self._schools:
            return self._schools[school_id]
        row = await self._db.fetch_one(
            "SELECT id, district_id, name, timezone FROM organizations WHERE id = ?", (school_id,)
        )
        if row is None:
            return None
        self._schools[school_id] = _school(row)
        return self._schools[school_id]

    async def all_schools(self) -> list[Organization]:
        rows = await self._db.fetch_all(
            "SELECT id, district_id, name, timezone FROM organizations ORDER BY id"
        )
        return [_school(row) for row in rows]

    async def schools(self, district_id: int) -> list[Organization]:

        rows = await self._db.fetch_all(
            "SELECT id, district_id, name, timezone FROM organizations"
            " WHERE district_id = ? ORDER BY name",
            (district_id,),
        )
        return [_school(row) for row in rows]


def _school(row: Row) -> Organization:
    return Organization(
        id=row["id"], district_id=row["district_id"], name=row["name"], timezone=row["timezone"]
    )
