"""The methodological library («методическая копилка»): materials of schools and districts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row, to_db_time
from storage.models import LibraryAudience, MaterialKind

_COLUMNS = (
    "id, district_id, organization_id, title, topic, audience, kind, file_id, file_name, url,"
    " created_by"
)


@dataclass(frozen=True, slots=True)
class Material:
    id: int
    district_id: int
    organization_id: int | None  # None: the whole district's
    title: str
    topic: str
    audience: LibraryAudience
    kind: MaterialKind
    file_id: str | None
    file_name: str | None
    url: str | None
    created_by: int  # the uploader's Telegram id


class LibraryRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        district_id: int,
        organization_id: int | None,
        title: str,
        topic: str,
        audience: LibraryAudience,
        kind: MaterialKind,
        file_id: str | None,
        file_name: str | None,
        url: str | None,
        created_by: int,
        now: datetime,
    ) -> int:
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO library_materials (district_id, organization_id, title, topic,"
                " audience, kind, file_id, file_name, url, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    district_id,
                    organization_id,
                    title,
                    topic,
                    audience.value,
                    kind.value,
                    file_id,
                    file_name,
                    url,
                    created_by,
                    to_db_time(now),
                ),
            )
        assert row is not None
        return int(row["id"])

    async def get(self, material_id: int) -> Material | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM library_materials WHERE id = ?", (material_id,)
        )
        return _material(row) if row else None

    async def visible(self, schools: list[tuple[int, int]]) -> list[Material]:
        """The materials of these (district, school) pairs and of their districts."""
        if not schools:
            return []
        condition = " OR ".join(
            "(district_id = ? AND (organization_id IS NULL OR organization_id = ?))"
            for _ in schools
        )
        params = [value for pair in schools for value in pair]
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM library_materials WHERE {condition} ORDER BY id DESC",
            params,
        )
        return [_material(row) for row in rows]

    async def remove(self, material_id: int) -> bool:
        """The material and its attachments to programs' plans (ON DELETE CASCADE)."""
        return (
            await self._db.execute("DELETE FROM library_materials WHERE id = ?", (material_id,))
            == 1
        )

    async def attach(
        self, pair_id: int, item: int, material_id: int, person_id: int, now: datetime
    ) -> bool:
        """False when the material is already attached to the item (a double tap)."""
        return (
            await self._db.execute(
                "INSERT INTO plan_materials (pair_id, item, material_id, attached_by, attached_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (pair_id, item, material_id) DO NOTHING",
                (pair_id, item, material_id, person_id, to_db_time(now)),
            )
            == 1
        )

    async def attached(self, pair_id: int) -> list[tuple[int, Material]]:
        """(plan item, material) attached to the pair's program, in the plan's order."""
        columns = ", ".join(f"m.{c.strip()}" for c in _COLUMNS.split(","))
        rows = await self._db.fetch_all(
            f"SELECT a.item, {columns} FROM plan_materials a JOIN library_materials m"
            " ON m.id = a.material_id WHERE a.pair_id = ? ORDER BY a.item, a.attached_at, m.id",
            (pair_id,),
        )
        return [(int(row["item"]), _material(row)) for row in rows]


def _material(row: Row) -> Material:
    return Material(
        id=int(row["id"]),
        district_id=int(row["district_id"]),
        organization_id=row["organization_id"],
        title=row["title"],
        topic=row["topic"],
        audience=LibraryAudience(row["audience"]),
        kind=MaterialKind(row["kind"]),
        file_id=row["file_id"],
        file_name=row["file_name"],
        url=row["url"],
        created_by=int(row["created_by"]),
    )
