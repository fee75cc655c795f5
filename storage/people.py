from __future__ import annotations

from datetime import datetime

from storage.db import Connection, Database, from_db_time, to_db_time
from storage.models import Member, Person, Role, RoleGrant


class PeopleRepo:
    """People known to the bot (by Telegram id) and the roles they hold."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def by_telegram_id(self, telegram_id: int) -> Person | None:
        return await self._one("telegram_id = ?", telegram_id)

    async def by_id(self, person_id: int) -> Person | None:
        return await self._one("id = ?", person_id)

    async def _one(self, condition: str, value: int) -> Person | None:
        row = await self._db.fetch_one(
            f"SELECT id, telegram_id, is_active FROM people WHERE {condition}", (value,)
        )
        if row is None:
            return None
        return Person(
            id=row["id"], telegram_id=row["telegram_id"], is_active=bool(row["is_active"])
        )

    async def with_grants(self, telegram_id: int) -> tuple[Person | None, list[RoleGrant]]:
        """The person and every role they hold, in one query: this runs for every update."""
        rows = await self._db.fetch_all(
            "SELECT p.id, p.telegram_id, p.is_active, g.role, g.district_id, g.organization_id"
            " FROM people p LEFT JOIN role_grants g ON g.person_id = p.id"
            " WHERE p.telegram_id = ? ORDER BY g.id",
            (telegram_id,),
        )
        if not rows:
            return None, []
        first = rows[0]
        person = Person(
            id=first["id"], telegram_id=first["telegram_id"], is_active=bool(first["is_active"])
        )
        grants = [
            RoleGrant(Role(row["role"]), row["district_id"], row["organization_id"])
            for row in rows
            if row["role"] is not None
        ]
        return person, grants

    async def grants(self, person_id: int) -> list[RoleGrant]:

        rows = await self._db.fetch_all(
            "SELECT role, district_id, organization_id FROM role_grants"
            " WHERE person_id = ? ORDER BY id",
            (person_id,),
        )
        return [
            RoleGrant(
                role=Role(row["role"]),
                district_id=row["district_id"],
                organization_id=row["organization_id"],
            )
            for row in rows
        ]

    async def holders(self, role: Role, organization_id: int) -> list[int]:
        """Telegram ids of the active people holding the role in the school."""
        rows = await self._db.fetch_all(
            "SELECT p.telegram_id FROM role_grants g JOIN people p ON p.id = g.person_id"
            " WHERE g.role = ? AND g.organization_id = ? AND p.is_active = 1 ORDER BY p.id",
            (role.value, organization_id),
        )
        return [int(row["telegram_id"]) for row in rows]

    async def members(self, role: Role, organization_id: int) -> list[Member]:
        rows = await self._db.fetch_all(
            "SELECT p.id, p.telegram_id, p.is_active, g.granted_at FROM role_grants g"
            " JOIN people p ON p.id = g.person_id WHERE g.role = ? AND g.organization_id = ?"
            " ORDER BY g.granted_at",
            (role.value, organization_id),
        )
        return [
            Member(
                person_id=row["id"],
                telegram_id=row["telegram_id"],
                is_active=bool(row["is_active"]),
                joined_at=from_db_time(row["granted_at"]),
            )
            for row in rows
        ]

    async def count_in_school(self, organization_id: int) -> dict[Role, int]:
        rows = await self._db.fetch_all(
            "SELECT role, COUNT(*) AS n FROM role_grants WHERE organization_id = ? GROUP BY role",
            (organization_id,),
        )
        return {Role(row["role"]): int(row["n"]) for row in rows}

    async def mark_inactive(self, telegram_id: int, reason: str) -> None:
        await self._db.execute(
            "UPDATE people SET is_active = 0, inactive_reason = ? WHERE telegram_id = ?",
            (reason, telegram_id),
        )

    async def mark_active(self, telegram_id: int) -> None:
        await self._db.execute(
            "UPDATE people SET is_active = 1, inactive_reason = NULL"
            " WHERE telegram_id = ? AND is_active = 0",
            (telegram_id,),
        )

    async def ensure_in(self, conn: Connection, telegram_id: int, now: datetime) -> int:
        """The person's id, creating the row; runs inside the caller's transaction."""
        row = await conn.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (telegram_id,))
        if row is not None:
            return int(row["id"])
        cursor = await conn.execute(
            "INSERT INTO people (telegram_id, is_active, created_at) VALUES (?, 1, ?)",
            (telegram_id, to_db_time(now)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def grant_in(
        self, conn: Connection, person_id: int, grant: RoleGrant, now: datetime
    ) -> bool:
        """Add the grant unless the person already holds it; True when it was added."""
        if await conn.fetch_one(
            "SELECT 1 FROM role_grants WHERE person_id = ? AND role = ?"
            " AND COALESCE(district_id, 0) = ? AND COALESCE(organization_id, 0) = ?",
            (person_id, grant.role.value, grant.district_id or 0, grant.organization_id or 0),
        ):
            return False
        await conn.execute(
            "INSERT INTO role_grants (person_id, role, district_id, organization_id, granted_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                person_id,
                grant.role.value,
                grant.district_id,
                grant.organization_id,
                to_db_time(now),
            ),
        )
        return True

    async def is_parent(self, telegram_id: int) -> bool:
        """A parent (legal representative) who answered a parent-consent link."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM consents WHERE parent_telegram_id = ? LIMIT 1", (telegram_id,)
        )
        return row is not None
