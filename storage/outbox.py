from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database, Row, from_db_time, to_db_time
from storage.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True, slots=True)
class Queued:
    """One message for `enqueue_many`."""

    unique_key: str
    chat_id: int
    kind: str
    payload: dict[str, Any]
    due_at: datetime
    expires_at: datetime


_COLUMNS = (
    "id, unique_key, chat_id, kind, payload, due_at, expires_at, status, attempts, answers_user"
)


class OutboxRepo:
    """The durable queue of everything the bot sends on its own."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(
        self,
        unique_key: str,
        chat_id: int,
        kind: str,
        payload: dict[str, Any],
        due_at: datetime,
        expires_at: datetime,
        now: datetime,
        *,
        urgent: bool = False,
        answers_user: bool = False,
    ) -> bool:
        """Queue a message once: a second call with the same key changes nothing (False).
        Only `answers_user` messages (the reply to the user's own action) may go out in the
        recipient's quiet hours; everything else waits for their end (see OutboxSender)."""
        inserted = await self._db.execute(
            "INSERT INTO outbox (unique_key, chat_id, kind, payload, due_at, expires_at,"
            " status, attempts, next_attempt_at, created_at, priority, answers_user)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"
            " ON CONFLICT (unique_key) DO NOTHING",
            (
                unique_key,
                chat_id,
                kind,
                json.dumps(payload, ensure_ascii=False),
                to_db_time(due_at),
                to_db_time(expires_at),
                OutboxStatus.PENDING.value,
                to_db_time(due_at),
                to_db_time(now),
                1 if urgent else 0,
                1 if answers_user else 0,
            ),
        )
        return inserted == 1

    async def enqueue_many(self, messages: list[Queued], now: datetime) -> None:
        """Queue many messages in one statement (each once, as `enqueue`): a launch to
        thousands of people does not cost a statement per person."""
        created = to_db_time(now)
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO outbox (unique_key, chat_id, kind, payload, due_at, expires_at,"
                " status, attempts, next_attempt_at, created_at, priority)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0)"
                " ON CONFLICT (unique_key) DO NOTHING",
                [
                    (
                        m.unique_key,
                        m.chat_id,
                        m.kind,
                        json.dumps(m.payload, ensure_ascii=False),
                        to_db_time(m.due_at),
                        to_db_time(m.expires_at),
                        OutboxStatus.PENDING.value,
                        to_db_time(m.due_at),
                        created,
                    )
                    for m in messages
                ],
            )

    async def zones_of(self, chat_ids: list[int]) -> dict[int, str]:
        """The time zone of each recipient's school (for a coordinator, a school of the
        district); chats with no school are left out."""
        if not chat_ids:
            return {}
        marks = ", ".join("?" for _ in chat_ids)
        rows = await self._db.fetch_all(
            "SELECT p.telegram_id AS chat_id, MIN(o.timezone) AS zone FROM people p"
            " JOIN role_grants g ON g.person_id = p.id"
            " JOIN organizations o ON o.id = g.organization_id"
            " OR (g.organization_id IS NULL AND o.district_id = g.district_id)"
            f" WHERE p.telegram_id IN ({marks}) GROUP BY p.telegram_id",
            tuple(chat_ids),
        )
        return {int(row["chat_id"]): str(row["zone"]) for row in rows}

    async def withdraw(self, keys: list[str], now: datetime) -> int:
        """Withdraw the pending rows with exactly these keys."""
        if not keys:
            return 0
        marks = ", ".join("?" for _ in keys)
        return await self._db.execute(
            f"UPDATE outbox SET status = ?, finished_at = ? WHERE status = ?"
            f" AND unique_key IN ({marks})",
            (OutboxStatus.WITHDRAWN.value, to_db_time(now), OutboxStatus.PENDING.value, *keys),
        )

    async def withdraw_prefix(self, prefix: str, now: datetime) -> int:
        """Withdraw every pending row whose key starts with the prefix (e.g. the reminders
        of a meeting that was moved or cancelled)."""
        escaped = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        return await self._db.execute(
            "UPDATE outbox SET status = ?, finished_at = ? WHERE status = ?"
            " AND unique_key LIKE ? ESCAPE '!'",
            (
                OutboxStatus.WITHDRAWN.value,
                to_db_time(now),
                OutboxStatus.PENDING.value,
                escaped + "%",
            ),
        )

    async def skip_expired(self, now: datetime) -> int:
        """Record as skipped the due rows that can no longer go out."""
        stamp = to_db_time(now)
        return await self._db.execute(
            "UPDATE outbox SET status = ?, finished_at = ? WHERE status = ?"
            " AND next_attempt_at <= ? AND expires_at <= ?",
            (OutboxStatus.SKIPPED.value, stamp, OutboxStatus.PENDING.value, stamp, stamp),
        )

    async def claim(self, now: datetime, limit: int, worker: str) -> list[OutboxMessage]:
        """Take up to `limit` due rows for this worker: urgent ones first, oldest first."""
        # Alive while this process runs: another process's recovery leaves its rows alone.
        await self._db.hold(f"outbox:{worker}")
        async with self._db.transaction() as conn:
            taken = 0
            for priority in (1, 0):
                cursor = await conn.execute(
                    "UPDATE outbox SET status = ?, claimed_by = ? WHERE id IN ("
                    " SELECT id FROM outbox WHERE status = ? AND priority = ?"
                    " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"
                    # Processes sharing PostgreSQL never take the same row (SQLite drops it).
                    " FOR UPDATE SKIP LOCKED)",
                    (
                        OutboxStatus.CLAIMED.value,
                        worker,
                        OutboxStatus.PENDING.value,
                        priority,
                        to_db_time(now),
                        limit - taken,
                    ),
                )
                taken += cursor.rowcount
                if taken >= limit:
                    break
            rows = await conn.fetch_all(
                f"SELECT {_COLUMNS} FROM outbox WHERE status = ? AND claimed_by = ?"
                " ORDER BY priority DESC, next_attempt_at, id",
                (OutboxStatus.CLAIMED.value, worker),
            )
        return [_message(row) for row in rows]

    async def mark_sending(self, message_id: int) -> None:
        await self._db.execute(
            "UPDATE outbox SET status = ?, attempts = attempts + 1 WHERE id = ?",
            (OutboxStatus.SENDING.value, message_id),
        )

    async def finish(
        self, message_id: int, status: OutboxStatus, now: datetime, error: str | None = None
    ) -> None:
        await self._db.execute(
            "UPDATE outbox SET status = ?, finished_at = ?, last_error = ?, claimed_by = NULL"
            " WHERE id = ?",
            (status.value, to_db_time(now), error, message_id),
        )

    async def release(
        self, message_ids: list[int], next_attempt_at: datetime, error: str | None = None
    ) -> None:
        """Put rows back in the queue for a later attempt."""
        if not message_ids:
            return
        marks = ", ".join("?" for _ in message_ids)
        await self._db.execute(
            f"UPDATE outbox SET status = ?, next_attempt_at = ?, claimed_by = NULL,"
            f" last_error = COALESCE(?, last_error) WHERE id IN ({marks})",
            (OutboxStatus.PENDING.value, to_db_time(next_attempt_at), error, *message_ids),
        )

    async def recover_after_restart(self, now: datetime) -> tuple[int, int]:
        """After a crash: rows claimed but never handed to Telegram go back to the queue;
        rows that were in flight are marked unknown and never resent (no duplicates).
        Only rows of workers no running process holds: a sibling process sharing the
        database keeps its own."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT claimed_by FROM outbox WHERE status IN (?, ?)",
            (OutboxStatus.CLAIMED.value, OutboxStatus.SENDING.value),
        )
        workers = {row["claimed_by"] for row in rows if row["claimed_by"] is not None}
        dead = sorted(
            name.removeprefix("outbox:")
            for name in await self._db.unheld(f"outbox:{w}" for w in workers)
        )
        marks = ", ".join("?" for _ in dead) or "NULL"
        whose = f" AND (claimed_by IS NULL OR claimed_by IN ({marks}))"
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = ?, claimed_by = NULL WHERE status = ?" + whose,
                (OutboxStatus.PENDING.value, OutboxStatus.CLAIMED.value, *dead),
            )
            released = cursor.rowcount
            cursor = await conn.execute(
                "UPDATE outbox SET status = ?, finished_at = ?, claimed_by = NULL WHERE status = ?"
                + whose,
                (OutboxStatus.UNKNOWN.value, to_db_time(now), OutboxStatus.SENDING.value, *dead),
            )
            in_flight = cursor.rowcount
        return released, in_flight

    async def by_key(self, unique_key: str) -> OutboxMessage | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM outbox WHERE unique_key = ?", (unique_key,)
        )
        return _message(row) if row else None

    async def oldest_due(self, now: datetime) -> datetime | None:
        row = await self._db.fetch_one(
            "SELECT MIN(next_attempt_at) AS oldest FROM outbox WHERE status = ?"
            " AND next_attempt_at <= ?",
            (OutboxStatus.PENDING.value, to_db_time(now)),
        )
        return from_db_time(row["oldest"]) if row and row["oldest"] else None

    async def failures_since(self, since: datetime) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM outbox WHERE status IN (?, ?, ?, ?) AND finished_at >= ?",
            (
                OutboxStatus.FAILED.value,
                OutboxStatus.BLOCKED.value,
                OutboxStatus.SKIPPED.value,
                OutboxStatus.UNKNOWN.value,
                to_db_time(since),
            ),
        )
        return int(row["n"]) if row else 0

    async def count_by_status(self) -> dict[OutboxStatus, int]:

        rows = await self._db.fetch_all("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        return {OutboxStatus(row["status"]): int(row["n"]) for row in rows}


def _message(row: Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        unique_key=row["unique_key"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        due_at=from_db_time(row["due_at"]),
        expires_at=from_db_time(row["expires_at"]),
        status=OutboxStatus(row["status"]),
        attempts=row["attempts"],
        answers_user=bool(row["answers_user"]),
    )
