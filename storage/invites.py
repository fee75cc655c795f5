from __future__ import annotations

from datetime import datetime

from storage.db import Database, from_db_time, to_db_time
from storage.models import Invite, InviteKind, RoleGrant
from storage.people import PeopleRepo


class InvitesRepo:
    """Deep-link invites, looked up by the hash of their token."""

    def __init__(self, db: Database, people: PeopleRepo) -> None:
        self._db = db
        self._people = people

    async def create(
        self,
        token_hash: str,
        kind: InviteKind,
        district_id: int | None,
        organization_id: int | None,
        created_by: int,
        now: datetime,
        expires_at: datetime,
        max_uses: int | None,
        *,
        subject_person_id: int | None = None,
    ) -> None:
        """Store a new invite and retire any live one of the same kind for the same place:
        one live link at a time, so a link sent to the wrong person dies with the next one."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE invites SET revoked_at = ? WHERE kind = ? AND revoked_at IS NULL"
                " AND COALESCE(district_id, 0) = ? AND COALESCE(organization_id, 0) = ?"
                " AND COALESCE(subject_person_id, 0) = ?",
                (
                    to_db_time(now),
                    kind.value,
                    district_id or 0,
                    organization_id or 0,
                    subject_person_id or 0,
                ),
            )
            await conn.execute(
                "INSERT INTO invites (token_hash, kind, district_id, organization_id, created_by,"
                " created_at, expires_at, max_uses, subject_person_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    token_hash,
                    kind.value,
                    district_id,
                    organization_id,
                    created_by,
                    to_db_time(now),
                    to_db_time(expires_at),
                    max_uses,
                    subject_person_id,
                ),
            )

    async def by_hash(self, token_hash: str) -> Invite | None:
        return await self._one("token_hash = ?", token_hash)

    async def by_id(self, invite_id: int) -> Invite | None:
        return await self._one("id = ?", invite_id)

    async def _one(self, condition: str, value: object) -> Invite | None:
        row = await self._db.fetch_one(
            "SELECT id, kind, district_id, organization_id, subject_person_id, expires_at,"
            f" max_uses, uses, revoked_at FROM invites WHERE {condition}",
            (value,),
        )
        if row is None:
            return None
        return Invite(
            id=row["id"],
            kind=InviteKind(row["kind"]),
            district_id=row["district_id"],
            organization_id=row["organization_id"],
            subject_person_id=row["subject_person_id"],
            expires_at=from_db_time(row["expires_at"]),
            max_uses=row["max_uses"],
            uses=row["uses"],
            revoked=row["revoked_at"] is not None,
        )

    async def redeem(
        self, invite_id: int, telegram_id: int, grant: RoleGrant | None, now: datetime
    ) -> int | None:
        """Use the invite once and grant the role, all or nothing; the person's id (the row is
        created for someone new).

        None when the invite was used up, revoked or expired in the meantime: a race between
        two redemptions is lost here, never half-way.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE invites SET uses = uses + 1 WHERE id = ? AND revoked_at IS NULL"
                " AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)",
                (invite_id, to_db_time(now)),
            )
            if cursor.rowcount != 1:
                return None
            person_id = await self._people.ensure_in(conn, telegram_id, now)
            if grant is not None:
                await self._people.grant_in(conn, person_id, grant, now)
        return person_id
