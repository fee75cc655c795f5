"""Roadmaps, their items and the people responsible for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from storage.db import Connection, Database, Row, from_db_time, to_db_time
from storage.models import (
    AutoCheck,
    DeadlineKind,
    FormStatus,
    ItemStatus,
    OrderKind,
    RoadmapKind,
    Role,
)

_ITEM = (
    "id, roadmap_id, position, stage, activity, content, deadline_kind, due_on,"
    " responsible_role, result, auto, status, done_at, done_by, note, file_id, template_item_id"
)
# Ids per IN (...) statement.
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Roadmap:
    id: int
    kind: RoadmapKind
    scope_id: int
    district_id: int
    school_year: str
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewItem:
    stage: str
    activity: str
    content: str
    deadline_kind: DeadlineKind
    due_on: date
    responsible_role: str = ""
    result: str = ""
    auto: AutoCheck = AutoCheck.NONE
    template_item_id: int | None = None


@dataclass(frozen=True, slots=True)
class RoadmapItem:
    id: int
    roadmap_id: int
    position: int
    stage: str
    activity: str
    content: str
    deadline_kind: DeadlineKind
    due_on: date
    responsible_role: str
    result: str
    auto: AutoCheck
    status: ItemStatus
    done_at: datetime | None
    done_by: int | None
    note: str
    file_id: str | None
    template_item_id: int | None
    responsibles: tuple[int, ...] = ()  # person ids


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open school item for the daily sweep, with where it belongs."""

    item: RoadmapItem
    organization_id: int


@dataclass(frozen=True, slots=True)
class Progress:
    organization_id: int
    total: int
    done: int
    overdue: int
    due_this_month: int


class RoadmapRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def find(self, kind: RoadmapKind, scope_id: int, school_year: str) -> Roadmap | None:
        row = await self._db.fetch_one(
            "SELECT id, kind, scope_id, district_id, school_year, published_at FROM roadmaps"
            " WHERE kind = ? AND scope_id = ? AND school_year = ?",
            (kind.value, scope_id, school_year),
        )
        return _roadmap(row) if row else None

    async def get(self, roadmap_id: int) -> Roadmap | None:
        row = await self._db.fetch_one(
            "SELECT id, kind, scope_id, district_id, school_year, published_at FROM roadmaps"
            " WHERE id = ?",
            (roadmap_id,),
        )
        return _roadmap(row) if row else None

    async def create(
        self,
        kind: RoadmapKind,
        scope_id: int,
        district_id: int,
        school_year: str,
        items: Sequence[NewItem],
        now: datetime,
    ) -> Roadmap:
        """The roadmap with its first items, once: a second caller (two taps) gets the first's."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO roadmaps (kind, scope_id, district_id, school_year, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, scope_id, school_year) DO NOTHING"
                " RETURNING id",
                (kind.value, scope_id, district_id, school_year, to_db_time(now)),
            )
            if row is not None:
                await self._insert_items(conn, int(row["id"]), items, 0)
        found = await self.find(kind, scope_id, school_year)
        assert found is not None
        return found

    async def _insert_items(
        self, conn: Connection, roadmap_id: int, items: Sequence[NewItem], start: int
    ) -> None:
        await conn.executemany(
            "INSERT INTO roadmap_items (roadmap_id, position, stage, activity, content,"
            " deadline_kind, due_on, responsible_role, result, auto, status, template_item_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (roadmap_id, template_item_id) DO NOTHING",
            [
                (
                    roadmap_id,
                    start + index,
                    item.stage,
                    item.activity,
                    item.content,
                    item.deadline_kind.value,
                    item.due_on.isoformat(),
                    item.responsible_role,
                    item.result,
                    item.auto.value,
                    ItemStatus.PLANNED.value,
                    item.template_item_id,
                )
                for index, item in enumerate(items)
            ],
        )

    async def add(self, roadmap_id: int, items: Sequence[NewItem]) -> int:
        """Items appended at the end (a template's already there are skipped); how many were new."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "SELECT COALESCE(MAX(position), -1) AS last FROM roadmap_items"
                " WHERE roadmap_id = ?",
                (roadmap_id,),
            )
            assert row is not None
            before = await self._count(conn, roadmap_id)
            await self._insert_items(conn, roadmap_id, items, int(row["last"]) + 1)
            # Counted, not taken from the cursor: a batch's row count is not portable.
            return await self._count(conn, roadmap_id) - before

    @staticmethod
    async def _count(conn: Connection, roadmap_id: int) -> int:
        row = await conn.fetch_one(
            "SELECT COUNT(*) AS n FROM roadmap_items WHERE roadmap_id = ?", (roadmap_id,)
        )
        return int(row["n"]) if row else 0

    async def items(self, roadmap_id: int) -> list[RoadmapItem]:
        rows = await self._db.fetch_all(
            f"SELECT {_ITEM} FROM roadmap_items WHERE roadmap_id = ? ORDER BY position, id",
            (roadmap_id,),
        )
        people = await self._responsibles([int(row["id"]) for row in rows])
        return [_item(row, people.get(int(row["id"]), ())) for row in rows]

    async def item(self, item_id: int) -> RoadmapItem | None:
        row = await self._db.fetch_one(
            f"SELECT {_ITEM} FROM roadmap_items WHERE id = ?", (item_id,)
        )
        if row is None:
            return None
        people = await self._responsibles([item_id])
        return _item(row, people.get(item_id, ()))

    async def _responsibles(self, item_ids: list[int]) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        for start in range(0, len(item_ids), CHUNK):
            chunk = item_ids[start : start + CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                "SELECT item_id, person_id FROM roadmap_responsibles"
                f" WHERE item_id IN ({marks}) ORDER BY person_id",
                chunk,
            )
            for row in rows:
                found.setdefault(int(row["item_id"]), []).append(int(row["person_id"]))
        return {item_id: tuple(people) for item_id, people in found.items()}

    async def change(self, item_id: int, field: str, value: str) -> bool:
        """One text field of an item: activity, content, result, responsible_role or stage."""
        if field not in ("activity", "content", "result", "responsible_role", "stage"):
            raise ValueError(field)
        changed = await self._db.execute(
            f"UPDATE roadmap_items SET {field} = ? WHERE id = ?", (value, item_id)
        )
        return changed == 1

    async def set_deadline(self, item_id: int, kind: DeadlineKind, due_on: date) -> bool:
        changed = await self._db.execute(
            "UPDATE roadmap_items SET deadline_kind = ?, due_on = ? WHERE id = ?",
            (kind.value, due_on.isoformat(), item_id),
        )
        return changed == 1

    async def toggle_responsible(self, item_id: int, person_id: int) -> bool:
        """True when the person is now responsible, False when they no longer are."""
        async with self._db.transaction() as conn:
            removed = await conn.execute(
                "DELETE FROM roadmap_responsibles WHERE item_id = ? AND person_id = ?",
                (item_id, person_id),
            )
            if removed.rowcount:
                return False
            await conn.execute(
                "INSERT INTO roadmap_responsibles (item_id, person_id) VALUES (?, ?)"
                " ON CONFLICT (item_id, person_id) DO NOTHING",
                (item_id, person_id),
            )
        return True

    async def replace_responsible(self, item_id: int, gone: int, successor: int | None) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM roadmap_responsibles WHERE item_id = ? AND person_id = ?",
                (item_id, gone),
            )
            if successor is not None:
                await conn.execute(
                    "INSERT INTO roadmap_responsibles (item_id, person_id) VALUES (?, ?)"
                    " ON CONFLICT (item_id, person_id) DO NOTHING",
                    (item_id, successor),
                )

    async def move(self, item: RoadmapItem, step: int) -> bool:
        """Swap the item with its neighbour above (-1) or below (+1)."""
        order = "DESC" if step < 0 else "ASC"
        sign = "<" if step < 0 else ">"
        async with self._db.transaction() as conn:
            neighbour = await conn.fetch_one(
                f"SELECT id, position FROM roadmap_items WHERE roadmap_id = ? AND"
                f" (position {sign} ? OR (position = ? AND id {sign} ?))"
                f" ORDER BY position {order}, id {order} LIMIT 1",
                (item.roadmap_id, item.position, item.position, item.id),
            )
            if neighbour is None:
                return False
            await conn.execute(
                "UPDATE roadmap_items SET position = ? WHERE id = ?",
                (int(neighbour["position"]), item.id),
            )
            await conn.execute(
                "UPDATE roadmap_items SET position = ? WHERE id = ?",
                (item.position, int(neighbour["id"])),
            )
            if int(neighbour["position"]) == item.position:
                # Equal positions (items pushed together): make the order explicit.
                await conn.execute(
                    "UPDATE roadmap_items SET position = position + ? WHERE id = ?",
                    (step, item.id),
                )
        return True

    async def remove(self, item_id: int) -> bool:
        return await self._db.execute("DELETE FROM roadmap_items WHERE id = ?", (item_id,)) == 1

    async def mark_done(
        self,
        item_id: int,
        now: datetime,
        by: int | None,
        note: str,
        file_id: str | None = None,
    ) -> bool:
        """Close an open item once; False when it was done already."""
        changed = await self._db.execute(
            "UPDATE roadmap_items SET status = ?, done_at = ?, done_by = ?, note = ?, file_id = ?"
            " WHERE id = ? AND status = ?",
            (
                ItemStatus.DONE.value,
                to_db_time(now),
                by,
                note,
                file_id,
                item_id,
                ItemStatus.PLANNED.value,
            ),
        )
        return changed == 1

    async def reopen(self, item_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE roadmap_items SET status = ?, done_at = NULL, done_by = NULL, note = '',"
            " file_id = NULL WHERE id = ? AND status = ?",
            (ItemStatus.PLANNED.value, item_id, ItemStatus.DONE.value),
        )
        return changed == 1

    async def mark_published(self, roadmap_id: int, now: datetime) -> None:
        await self._db.execute(
            "UPDATE roadmaps SET published_at = ? WHERE id = ?", (to_db_time(now), roadmap_id)
        )

    async def of_district(self, district_id: int, school_year: str) -> list[Roadmap]:
        rows = await self._db.fetch_all(
            "SELECT id, kind, scope_id, district_id, school_year, published_at FROM roadmaps"
            " WHERE kind = ? AND district_id = ? AND school_year = ?",
            (RoadmapKind.SCHOOL.value, district_id, school_year),
        )
        return [_roadmap(row) for row in rows]

    # The daily sweep: a page of school roadmaps at a time.

    async def school_roadmaps_after(self, after_id: int, limit: int) -> list[Roadmap]:
        rows = await self._db.fetch_all(
            "SELECT id, kind, scope_id, district_id, school_year, published_at FROM roadmaps"
            " WHERE kind = ? AND id > ? ORDER BY id LIMIT ?",
            (RoadmapKind.SCHOOL.value, after_id, limit),
        )
        return [_roadmap(row) for row in rows]

    async def open_items(self, roadmap_ids: list[int], until: date) -> list[RoadmapItem]:
        """The open items of these roadmaps due by `until` or watched by the bot."""
        if not roadmap_ids:
            return []
        marks = ", ".join("?" for _ in roadmap_ids)
        rows = await self._db.fetch_all(
            f"SELECT {_ITEM} FROM roadmap_items WHERE roadmap_id IN ({marks}) AND status = ?"
            " AND (due_on <= ? OR auto <> '') ORDER BY roadmap_id, position",
            (*roadmap_ids, ItemStatus.PLANNED.value, until.isoformat()),
        )
        people = await self._responsibles([int(row["id"]) for row in rows])
        return [_item(row, people.get(int(row["id"]), ())) for row in rows]

    async def progress(
        self, roadmap_ids: list[int], today: date, month_end: date
    ) -> dict[int, Progress]:
        """Per roadmap: items, done, overdue, open and due by the end of this month."""
        if not roadmap_ids:
            return {}
        marks = ", ".join("?" for _ in roadmap_ids)
        open_ = ItemStatus.PLANNED.value
        rows = await self._db.fetch_all(
            "SELECT r.id, r.scope_id, COUNT(i.id) AS total,"
            " COALESCE(SUM(CASE WHEN i.status = ? THEN 1 ELSE 0 END), 0) AS done,"
            " COALESCE(SUM(CASE WHEN i.status = ? AND i.due_on < ? THEN 1 ELSE 0 END), 0)"
            " AS overdue,"
            " COALESCE(SUM(CASE WHEN i.status = ? AND i.due_on >= ? AND i.due_on <= ?"
            " THEN 1 ELSE 0 END), 0) AS month"
            f" FROM roadmaps r LEFT JOIN roadmap_items i ON i.roadmap_id = r.id"
            f" WHERE r.id IN ({marks}) GROUP BY r.id, r.scope_id",
            (
                ItemStatus.DONE.value,
                open_,
                today.isoformat(),
                open_,
                today.isoformat(),
                month_end.isoformat(),
                *roadmap_ids,
            ),
        )
        return {
            int(row["id"]): Progress(
                int(row["scope_id"]),
                int(row["total"]),
                int(row["done"]),
                int(row["overdue"]),
                int(row["month"]),
            )
            for row in rows
        }

    # What the bot sees happen.

    async def submitted_questionnaires(
        self, organization_ids: list[int], form_ids: list[str]
    ) -> dict[tuple[int, str], tuple[int, datetime]]:
        """(school, form) → how many questionnaires are submitted and the latest time."""
        if not organization_ids:
            return {}
        marks = ", ".join("?" for _ in organization_ids)
        forms = ", ".join("?" for _ in form_ids)
        rows = await self._db.fetch_all(
            "SELECT organization_id, form_id, COUNT(*) AS n, MAX(submitted_at) AS last"
            f" FROM form_sessions WHERE organization_id IN ({marks}) AND form_id IN ({forms})"
            " AND status = ? GROUP BY organization_id, form_id",
            (*organization_ids, *form_ids, FormStatus.SUBMITTED.value),
        )
        return {
            (int(row["organization_id"]), row["form_id"]): (
                int(row["n"]),
                from_db_time(row["last"]),
            )
            for row in rows
        }

    async def pairs_orders(
        self, organization_ids: list[int], since: date
    ) -> dict[int, tuple[str, date]]:
        """School → its latest pairs order signed since `since`: number and date."""
        if not organization_ids:
            return {}
        marks = ", ".join("?" for _ in organization_ids)
        rows = await self._db.fetch_all(
            "SELECT organization_id, number, signed_on FROM school_orders"
            f" WHERE organization_id IN ({marks}) AND kind = ? AND signed_on >= ?"
            " ORDER BY signed_on, id",
            (*organization_ids, OrderKind.PAIRS.value, since.isoformat()),
        )
        return {
            int(row["organization_id"]): (row["number"], date.fromisoformat(row["signed_on"]))
            for row in rows
        }

    async def monitoring_submissions(
        self, organization_ids: list[int], since: datetime
    ) -> dict[int, tuple[datetime, int, int]]:
        """School → its latest control monitoring confirmation since `since`: when, the pairs
        and the completed programs it reported."""
        if not organization_ids:
            return {}
        marks = ", ".join("?" for _ in organization_ids)
        rows = await self._db.fetch_all(
            "SELECT organization_id, submitted_at, pairs, completed FROM monitoring_submissions"
            f" WHERE organization_id IN ({marks}) AND submitted_at >= ? ORDER BY submitted_at",
            (*organization_ids, to_db_time(since)),
        )
        return {
            int(row["organization_id"]): (
                from_db_time(row["submitted_at"]),
                int(row["pairs"]),
                int(row["completed"]),
            )
            for row in rows
        }

    async def still_in_school(self, organization_id: int, person_ids: list[int]) -> set[int]:
        """Which of these people still hold a role in the school and are reachable."""
        if not person_ids:
            return set()
        marks = ", ".join("?" for _ in person_ids)
        rows = await self._db.fetch_all(
            "SELECT DISTINCT g.person_id FROM role_grants g JOIN people p ON p.id = g.person_id"
            f" WHERE g.organization_id = ? AND g.person_id IN ({marks}) AND p.is_active = 1"
            " AND g.role IN (?, ?, ?)",
            (
                organization_id,
                *person_ids,
                Role.CURATOR.value,
                Role.MENTOR.value,
                Role.MENTEE.value,
            ),
        )
        return {int(row["person_id"]) for row in rows}

    async def curators(self, organization_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
        """School → its reachable curators as (person id, Telegram id)."""
        found: dict[int, list[tuple[int, int]]] = {}
        for start in range(0, len(organization_ids), CHUNK):
            chunk = organization_ids[start : start + CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                "SELECT g.organization_id, p.id, p.telegram_id FROM role_grants g"
                " JOIN people p ON p.id = g.person_id WHERE g.role = ? AND p.is_active = 1"
                f" AND g.organization_id IN ({marks}) ORDER BY g.id",
                (Role.CURATOR.value, *chunk),
            )
            for row in rows:
                found.setdefault(int(row["organization_id"]), []).append(
                    (int(row["id"]), int(row["telegram_id"]))
                )
        return found

    async def telegram_ids(self, person_ids: list[int]) -> dict[int, int]:
        """Person id → Telegram id of the reachable ones."""
        found: dict[int, int] = {}
        for start in range(0, len(person_ids), CHUNK):
            chunk = person_ids[start : start + CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                f"SELECT id, telegram_id FROM people WHERE id IN ({marks}) AND is_active = 1",
                chunk,
            )
            found.update({int(row["id"]): int(row["telegram_id"]) for row in rows})
        return found


def _roadmap(row: Row) -> Roadmap:
    return Roadmap(
        int(row["id"]),
        RoadmapKind(row["kind"]),
        int(row["scope_id"]),
        int(row["district_id"]),
        row["school_year"],
        from_db_time(row["published_at"]) if row["published_at"] else None,
    )


def _item(row: Row, people: tuple[int, ...]) -> RoadmapItem:
    return RoadmapItem(
        id=int(row["id"]),
        roadmap_id=int(row["roadmap_id"]),
        position=int(row["position"]),
        stage=row["stage"],
        activity=row["activity"],
        content=row["content"],
        deadline_kind=DeadlineKind(row["deadline_kind"]),
        due_on=date.fromisoformat(row["due_on"]),
        responsible_role=row["responsible_role"],
        result=row["result"],
        auto=AutoCheck(row["auto"]),
        status=ItemStatus(row["status"]),
        done_at=from_db_time(row["done_at"]) if row["done_at"] else None,
        done_by=row["done_by"],
        note=row["note"],
        file_id=row["file_id"],
        template_item_id=row["template_item_id"],
        responsibles=people,
    )
