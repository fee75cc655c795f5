"""Curators' broadcasts; each recipient's copy is one outbox row, read back for the counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row, from_db_time, to_db_time
from storage.models import OutboxStatus


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    organization_id: int
    author_id: int
    audience: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """One recipient's copy: the outbox row's status and Telegram's error, if any."""

    person_id: int
    telegram_id: int
    status: OutboxStatus
    error: str | None


_COLUMNS = "id, organization_id, author_id, audience, text, created_at"


class BroadcastsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        organization_id: int,
        author_id: int,
        audience: str,
        text: str,
        draft_key: str,
        now: datetime,
    ) -> tuple[Broadcast, bool]:
        """The broadcast of this draft, and whether it is new (False: a second tap)."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO broadcasts (organization_id, author_id, audience, text, draft_key,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (draft_key) DO NOTHING"
                " RETURNING id",
                (organization_id, author_id, audience, text, draft_key, to_db_time(now)),
            )
            found = await conn.fetch_one(
                f"SELECT {_COLUMNS} FROM broadcasts WHERE draft_key = ?", (draft_key,)
            )
        assert found is not None
        return _broadcast(found), row is not None

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row else None

    async def of_school(self, organization_id: int, limit: int) -> list[Broadcast]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE organization_id = ? ORDER BY id DESC LIMIT ?",
            (organization_id, limit),
        )
        return [_broadcast(row) for row in rows]

    async def add_recipients(self, broadcast_id: int, recipients: list[tuple[int, str]]) -> None:
        """(person id, outbox key) pairs; a second call with the same ones adds nothing."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO broadcast_recipients (broadcast_id, person_id, outbox_key)"
                " VALUES (?, ?, ?) ON CONFLICT (broadcast_id, person_id) DO NOTHING",
                [(broadcast_id, person, key) for person, key in recipients],
            )

    async def deliveries(self, broadcast_id: int) -> list[Delivery]:
        rows = await self._db.fetch_all(
            "SELECT r.person_id, o.chat_id, o.status, o.last_error FROM broadcast_recipients r"
            " JOIN outbox o ON o.unique_key = r.outbox_key WHERE r.broadcast_id = ?"
            " ORDER BY r.person_id",
            (broadcast_id,),
        )
        return [
            Delivery(
                row["person_id"], row["chat_id"], OutboxStatus(row["status"]), row["last_error"]
            )
            for row in rows
        ]

    async def status_counts(self, broadcast_ids: list[int]) -> dict[int, dict[OutboxStatus, int]]:
        """Per broadcast, how many copies are in each outbox status (for the history)."""
        if not broadcast_ids:
            return {}
        marks = ", ".join("?" for _ in broadcast_ids)
        rows = await self._db.fetch_all(
            "SELECT r.broadcast_id, o.status, COUNT(*) AS n FROM broadcast_recipients r"
            " JOIN outbox o ON o.unique_key = r.outbox_key"
            f" WHERE r.broadcast_id IN ({marks}) GROUP BY r.broadcast_id, o.status",
            tuple(broadcast_ids),
        )
        counts: dict[int, dict[OutboxStatus, int]] = {b: {} for b in broadcast_ids}
        for row in rows:
            counts[row["broadcast_id"]][OutboxStatus(row["status"])] = int(row["n"])
        return counts


def _broadcast(row: Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        organization_id=row["organization_id"],
        author_id=row["author_id"],
        audience=row["audience"],
        text=row["text"],
        created_at=from_db_time(row["created_at"]),
    )
