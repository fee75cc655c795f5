"""Curators' and coordinators' broadcasts; each recipient's copy is one outbox row, read back
for the counts. A coordinator's is a group: one row per school, all naming the first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row, from_db_time, to_db_time
from storage.models import MeetingStatus, OutboxStatus, PairStatus


@dataclass(frozen=True, slots=True)
class Content:
    """What every recipient gets: the text (a caption under a file), a photo or document by
    its Telegram file_id, and link buttons as (text, url)."""

    text: str
    media: str | None = None
    file_id: str | None = None
    buttons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    organization_id: int
    author_id: int
    audience: str
    content: Content
    created_at: datetime
    due_at: datetime | None = None
    audience_ref: int | None = None
    resend_of: int | None = None
    progress_chat_id: int | None = None
    progress_message_id: int | None = None
    progress_text: str | None = None
    progress_edits: int = 0
    progress_at: datetime | None = None
    finished_at: datetime | None = None
    cancelled_at: datetime | None = None
    district_broadcast_id: int | None = None  # the group's first row (a coordinator's)

    @property
    def text(self) -> str:
        return self.content.text


@dataclass(frozen=True, slots=True)
class Delivery:
    """One recipient's copy: the outbox row's status and Telegram's error, if any."""

    person_id: int
    telegram_id: int
    status: OutboxStatus
    error: str | None


_COLUMNS = (
    "id, organization_id, author_id, audience, text, created_at, media, file_id, buttons,"
    " due_at, audience_ref, resend_of, progress_chat_id, progress_message_id, progress_text,"
    " progress_edits, progress_at, finished_at, cancelled_at, district_broadcast_id"
)
_INSERT = (
    "INSERT INTO broadcasts (organization_id, author_id, audience, text, draft_key, created_at,"
    " media, file_id, buttons, due_at, audience_ref, resend_of, district_broadcast_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (draft_key) DO NOTHING"
    " RETURNING id"
)


@dataclass(frozen=True, slots=True)
class Fields:
    """What a new broadcast row is made of, besides its school and its draft key."""

    author_id: int
    audience: str
    content: Content
    now: datetime
    audience_ref: int | None = None
    due_at: datetime | None = None
    resend_of: int | None = None

    def values(self, organization_id: int, draft_key: str, group: int | None) -> tuple[object, ...]:
        return (
            organization_id,
            self.author_id,
            self.audience,
            self.content.text,
            draft_key,
            to_db_time(self.now),
            self.content.media,
            self.content.file_id,
            json.dumps([list(b) for b in self.content.buttons], ensure_ascii=False),
            to_db_time(self.due_at) if self.due_at else None,
            self.audience_ref,
            self.resend_of,
            group,
        )


class BroadcastsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        organization_id: int,
        author_id: int,
        audience: str,
        content: Content,
        draft_key: str,
        now: datetime,
        *,
        audience_ref: int | None = None,
        due_at: datetime | None = None,
        resend_of: int | None = None,
    ) -> tuple[Broadcast, bool]:
        """The broadcast of this draft, and whether it is new (False: a second tap)."""
        fields = Fields(author_id, audience, content, now, audience_ref, due_at, resend_of)
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(_INSERT, fields.values(organization_id, draft_key, None))
            found = await conn.fetch_one(
                f"SELECT {_COLUMNS} FROM broadcasts WHERE draft_key = ?", (draft_key,)
            )
        assert found is not None
        return _broadcast(found), row is not None

    async def create_group(
        self, organization_ids: list[int], fields: Fields, draft_key: str
    ) -> tuple[list[Broadcast], bool]:
        """A coordinator's broadcast: one row per school, the first (draft_key) named by all;
        whether it is new (False: a second tap, or the same draft again after a crash: the
        rows already made stay, any missing are added). In one transaction."""
        first, *others = organization_ids
        async with self._db.transaction() as conn:
            made = await conn.fetch_one(_INSERT, fields.values(first, draft_key, None))
            if made is not None:
                await conn.execute(
                    "UPDATE broadcasts SET district_broadcast_id = id WHERE id = ?", (made["id"],)
                )
            lead = await conn.fetch_one(
                "SELECT id FROM broadcasts WHERE draft_key = ?", (draft_key,)
            )
            assert lead is not None
            for school_id in others:
                key = f"{draft_key}:{school_id}"
                await conn.fetch_one(_INSERT, fields.values(school_id, key, int(lead["id"])))
            rows = await conn.fetch_all(
                f"SELECT {_COLUMNS} FROM broadcasts WHERE district_broadcast_id = ? ORDER BY id",
                (lead["id"],),
            )
        return [_broadcast(row) for row in rows], made is not None

    async def group(self, lead_id: int) -> list[Broadcast]:
        """The rows of a coordinator's broadcast, the first one first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE district_broadcast_id = ? ORDER BY id",
            (lead_id,),
        )
        return [_broadcast(row) for row in rows]

    async def of_district(self, district_id: int, limit: int) -> list[Broadcast]:
        """The first rows of the coordinator's broadcasts to the district, newest first."""
        rows = await self._db.fetch_all(
            f"SELECT {', '.join('b.' + c.strip() for c in _COLUMNS.split(','))}"
            " FROM broadcasts b JOIN organizations o ON o.id = b.organization_id"
            " WHERE o.district_id = ? AND b.district_broadcast_id = b.id"
            " ORDER BY b.id DESC LIMIT ?",
            (district_id, limit),
        )
        return [_broadcast(row) for row in rows]

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row else None

    async def of_school(self, organization_id: int, limit: int) -> list[Broadcast]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE organization_id = ?"
            " AND district_broadcast_id IS NULL ORDER BY id DESC LIMIT ?",
            (organization_id, limit),
        )
        return [_broadcast(row) for row in rows]

    async def by_draft(self, draft_key: str) -> Broadcast | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE draft_key = ?", (draft_key,)
        )
        return _broadcast(row) if row else None

    async def attach_progress(
        self, broadcast_id: int, chat_id: int, message_id: int, text: str, now: datetime
    ) -> bool:
        """The sender's progress message; once (a second tap keeps the first one)."""
        changed = await self._db.execute(
            "UPDATE broadcasts SET progress_chat_id = ?, progress_message_id = ?,"
            " progress_text = ?, progress_at = ? WHERE id = ? AND progress_message_id IS NULL",
            (chat_id, message_id, text, to_db_time(now), broadcast_id),
        )
        return changed == 1

    async def running(self) -> list[Broadcast]:
        """Broadcasts whose progress message still follows the delivery."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE finished_at IS NULL"
            " AND progress_message_id IS NOT NULL ORDER BY id"
        )
        return [_broadcast(row) for row in rows]

    async def record_progress(
        self, broadcast: Broadcast, text: str, now: datetime, *, final: bool
    ) -> bool:
        """Take the next edit of the progress message; False when another process (or an
        earlier tick) took it already, so one text is queued once."""
        return (
            await self._db.execute(
                "UPDATE broadcasts SET progress_text = ?, progress_edits = progress_edits + 1,"
                " progress_at = ?, finished_at = ? WHERE id = ? AND progress_edits = ?",
                (
                    text,
                    to_db_time(now),
                    to_db_time(now) if final else None,
                    broadcast.id,
                    broadcast.progress_edits,
                ),
            )
            == 1
        )

    async def finish(self, broadcast_id: int, now: datetime) -> None:
        await self._db.execute(
            "UPDATE broadcasts SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
            (to_db_time(now), broadcast_id),
        )

    async def cancel(self, broadcast_id: int, now: datetime) -> bool:
        return (
            await self._db.execute(
                "UPDATE broadcasts SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
                (to_db_time(now), broadcast_id),
            )
            == 1
        )

    async def add_recipients(self, broadcast_id: int, recipients: list[tuple[int, str]]) -> None:
        """(person id, outbox key) pairs; a second call with the same ones adds nothing."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO broadcast_recipients (broadcast_id, person_id, outbox_key)"
                " VALUES (?, ?, ?) ON CONFLICT (broadcast_id, person_id) DO NOTHING",
                [(broadcast_id, person, key) for person, key in recipients],
            )

    async def without_planned_meeting(
        self, organization_id: int, now: datetime
    ) -> list[tuple[int, int]]:
        """(person id, telegram id) of both sides of the school's active pairs that have no
        meeting ahead (proposed or confirmed)."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT p.id, p.telegram_id FROM pairs pr"
            " JOIN pair_participants pp ON pp.pair_id = pr.id"
            " JOIN people p ON p.id = pp.person_id"
            " WHERE pr.organization_id = ? AND pr.status = ? AND p.is_active = 1"
            " AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.pair_id = pr.id"
            " AND m.status <> ? AND m.starts_at > ?) ORDER BY p.id",
            (
                organization_id,
                PairStatus.ACTIVE.value,
                MeetingStatus.CANCELLED.value,
                to_db_time(now),
            ),
        )
        return [(int(row["id"]), int(row["telegram_id"])) for row in rows]

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
    def moment(name: str) -> datetime | None:
        return from_db_time(row[name]) if row[name] else None

    return Broadcast(
        id=row["id"],
        organization_id=row["organization_id"],
        author_id=row["author_id"],
        audience=row["audience"],
        content=Content(
            row["text"],
            row["media"],
            row["file_id"],
            tuple((str(t), str(u)) for t, u in json.loads(row["buttons"])),
        ),
        created_at=from_db_time(row["created_at"]),
        due_at=moment("due_at"),
        audience_ref=row["audience_ref"],
        resend_of=row["resend_of"],
        progress_chat_id=row["progress_chat_id"],
        progress_message_id=row["progress_message_id"],
        progress_text=row["progress_text"],
        progress_edits=int(row["progress_edits"]),
        progress_at=moment("progress_at"),
        finished_at=moment("finished_at"),
        cancelled_at=moment("cancelled_at"),
        district_broadcast_id=row["district_broadcast_id"],
    )
