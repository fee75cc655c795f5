"""A persistent aiogram FSM storage on the bot's database: dialogs survive restarts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)

from storage.db import Database, to_db_time


class SQLStorage(BaseStorage):
    def __init__(self, db: Database, key_builder: KeyBuilder | None = None) -> None:
        self._db = db
        self._keys = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._db.execute(
            "INSERT INTO fsm_states (storage_key, state, data, updated_at)"
            " VALUES (?, ?, '{}', ?)"
            " ON CONFLICT (storage_key) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at",
            (self._keys.build(key), value, _now()),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._db.fetch_one(
            "SELECT state FROM fsm_states WHERE storage_key = ?", (self._keys.build(key),)
        )
        return row["state"] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._db.execute(*self._data_write(key, dict(data)))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._db.fetch_one(
            "SELECT data FROM fsm_states WHERE storage_key = ?", (self._keys.build(key),)
        )
        return dict(json.loads(row["data"])) if row else {}

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Read-modify-write inside one transaction, so concurrent updates cannot interleave."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "SELECT data FROM fsm_states WHERE storage_key = ?", (self._keys.build(key),)
            )
            merged = dict(json.loads(row["data"])) if row else {}
            merged.update(data)
            await conn.execute(*self._data_write(key, merged))
        return merged

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""

    def _data_write(self, key: StorageKey, data: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        return (
            "INSERT INTO fsm_states (storage_key, state, data, updated_at) VALUES (?, NULL, ?, ?)"
            " ON CONFLICT (storage_key) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (self._keys.build(key), json.dumps(data, ensure_ascii=False), _now()),
        )


def _now() -> str:
    return to_db_time(datetime.now(UTC))
