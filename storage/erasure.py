"""What the daily erasure job reads and writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db_time, to_db_time
from storage.models import OutboxStatus, Role

# Rows still being delivered keep their text; every other status is final.
_UNFINISHED = (OutboxStatus.PENDING.value, OutboxStatus.CLAIMED.value, OutboxStatus.SENDING.value)


@dataclass(frozen=True)
class ErasureRun:
    ran_at: datetime
    people: int
    messages: int
    backups: int


class ErasureRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def withdrawn_people(self) -> list[tuple[int, int]]:
        """(person id, Telegram id) of everyone who withdrew consent and has not come back:
        no consent in force and no mentor or mentee role (joining again gives one)."""
        rows = await self._db.fetch_all(
            "SELECT p.id, p.telegram_id FROM people p WHERE EXISTS (SELECT 1 FROM consents c"
            " WHERE c.person_id = p.id AND c.withdrawn_at IS NOT NULL) AND NOT EXISTS"
            " (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.withdrawn_at IS NULL"
            " AND c.decision = 'agree') AND NOT EXISTS (SELECT 1 FROM role_grants g"
            " WHERE g.person_id = p.id AND g.role IN (?, ?))",
            (Role.MENTOR.value, Role.MENTEE.value),
        )
        return [(row["id"], row["telegram_id"]) for row in rows]

    async def blank_finished_messages(self, finished_before: datetime) -> int:
        """Blank the texts of messages that finished before the moment; returns how many."""
        return await self._db.execute(
            "UPDATE outbox SET payload = '{}' WHERE payload <> '{}' AND finished_at < ?"
            f" AND status NOT IN ({', '.join('?' for _ in _UNFINISHED)})",
            (to_db_time(finished_before), *_UNFINISHED),
        )

    async def record(self, run: ErasureRun) -> None:
        await self._db.execute(
            "INSERT INTO erasure_runs (ran_at, people, messages, backups) VALUES (?, ?, ?, ?)",
            (to_db_time(run.ran_at), run.people, run.messages, run.backups),
        )

    async def last(self) -> ErasureRun | None:
        row = await self._db.fetch_one(
            "SELECT ran_at, people, messages, backups FROM erasure_runs ORDER BY id DESC LIMIT 1"
        )
        if row is None:
            return None
        return ErasureRun(
            from_db_time(row["ran_at"]), row["people"], row["messages"], row["backups"]
        )
