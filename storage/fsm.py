"""A persistent aiogram FSM storage on the bot's database: dialogs survive restarts.

One row per key holds the state and the data (JSON). aiogram reads the state of every update
before any handler runs; that read fetches the data too and the row is remembered, so the
handler's `get_data` costs no second query and a write that would change nothing (the same
question screen shown again) is skipped. Remembering is safe because the bot's process is the
only writer of this table; every write here updates what is remembered, and a restart starts
from the rows. On SQLite (one process per file) what is remembered is trusted for the state
read too, which saves a statement per update; on PostgreSQL several processes share the
table, so each update's first read goes to the row. Data is kept as its JSON text, so a
reader always gets a fresh copy and what cannot be stored is refused at once.

Within an update (`deferring`) the writes are kept and stored as one statement per key, when
the update's first visible reply is about to leave (`flush`) and when it ends: `clear()` and
the next question's state cost one write, not three, and nothing the user was shown is
ahead of what is stored.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
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

from storage.db import Connection, Database, to_db_time

_EMPTY = "{}"
# Rows remembered at most (the keys of people active lately); older ones are read again.
_REMEMBERED = 10_000
_UPSERT = (
    "INSERT INTO fsm_states (storage_key, state, data, updated_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (storage_key) DO UPDATE SET state = excluded.state, data = excluded.data,"
    " updated_at = excluded.updated_at"
)


@dataclass
class _Kept:
    """The writes of the update being handled, by key: (state, data) not stored yet."""

    storage: SQLStorage
    writes: dict[str, tuple[str | None, str]]


_kept: ContextVar[_Kept | None] = ContextVar("fsm_kept", default=None)


@dataclass(frozen=True)
class FsmWrite:
    """State and data to write inside a repository's transaction (a form answer and the
    screen it leads to commit together). Made by `SQLStorage.staged`."""

    storage: SQLStorage
    key: str
    state: str | None
    data: str

    async def run(self, conn: Connection) -> None:
        # Not known until the transaction commits: a rollback must not leave it remembered.
        self.storage._forget(self.key)
        await conn.execute(_UPSERT, (self.key, self.state, self.data, _now()))

    def committed(self) -> None:
        deferred = self.storage._deferred()
        if deferred is not None:
            deferred.pop(self.key, None)  # superseded by what was just stored
        self.storage._remember(self.key, self.state, self.data)


class SQLStorage(BaseStorage):
    def __init__(self, db: Database, key_builder: KeyBuilder | None = None) -> None:
        self._db = db
        self._keys = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        self._known: dict[str, tuple[str | None, str]] = {}
        self._sole_writer = db.dialect == "sqlite"

    @asynccontextmanager
    async def deferring(self) -> AsyncIterator[None]:
        """One update's handling: its writes wait for `flush`, which also runs at the end."""
        token = _kept.set(_Kept(self, {}))
        try:
            yield
        finally:
            try:
                await self.flush()
            finally:
                _kept.reset(token)

    async def flush(self) -> None:
        """Store the writes kept for the update being handled (nothing outside an update),
        by the storage that keeps them."""
        kept = _kept.get()
        while kept is not None and kept.writes:
            built, (state, text) = kept.writes.popitem()
            await kept.storage._write(built, state, text)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        built = self._keys.build(key)
        current = self._current(built) or await self._read(built)
        await self._put(built, _state(state), current[1])

    async def get_state(self, key: StorageKey) -> str | None:
        built = self._keys.build(key)
        deferred = self._deferred()
        kept = deferred.get(built) if deferred else None
        known = kept or (self._known.get(built) if self._sole_writer else None)
        return (known or await self._read(built))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        built = self._keys.build(key)
        text = _json(data)
        current = self._current(built) or await self._read(built)
        await self._put(built, current[0], text)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        built = self._keys.build(key)
        current = self._current(built) or await self._read(built)
        return dict(json.loads(current[1]))

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Read-modify-write inside one transaction, so concurrent updates cannot interleave."""
        built = self._keys.build(key)
        await self.flush()  # the row is read, so it must hold this update's writes
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "SELECT state, data FROM fsm_states WHERE storage_key = ?", (built,)
            )
            state = row["state"] if row else None
            merged = dict(json.loads(row["data"])) if row else {}
            merged.update(data)
            text = _json(merged)
            self._forget(built)
            await conn.execute(_UPSERT, (built, state, text, _now()))
        self._remember(built, state, text)
        return merged

    def staged(self, key: StorageKey, state: StateType, data: Mapping[str, Any]) -> FsmWrite | None:
        """The write that makes the row hold this state and data; None if it already does
        (or will, once the update's kept writes are stored)."""
        built = self._keys.build(key)
        value, text = _state(state), _json(data)
        if self._current(built) == (value, text):
            return None
        return FsmWrite(self, built, value, text)

    async def close(self) -> None:
        """The database belongs to the application, which closes it."""

    async def _read(self, built: str) -> tuple[str | None, str]:
        row = await self._db.fetch_one(
            "SELECT state, data FROM fsm_states WHERE storage_key = ?", (built,)
        )
        state, text = (row["state"], row["data"]) if row else (None, _EMPTY)
        self._remember(built, state, text)
        return state, text

    def _deferred(self) -> dict[str, tuple[str | None, str]] | None:
        """This storage's writes kept for the update being handled, if it is deferring."""
        kept = _kept.get()
        return kept.writes if kept is not None and kept.storage is self else None

    def _current(self, built: str) -> tuple[str | None, str] | None:
        """The row as this update will leave it, if known without reading it."""
        deferred = self._deferred()
        return (deferred.get(built) if deferred else None) or self._known.get(built)

    async def _put(self, built: str, state: str | None, text: str) -> None:
        """Write now, or keep it for `flush` within an update; a write that would change
        nothing (the same question screen shown again) is skipped."""
        deferred = self._deferred()
        if deferred is not None:
            if self._known.get(built) == (state, text):
                deferred.pop(built, None)  # back to what is stored
            else:
                deferred[built] = (state, text)
            return
        if self._known.get(built) != (state, text):
            await self._write(built, state, text)

    async def _write(self, built: str, state: str | None, text: str) -> None:
        await self._db.execute(_UPSERT, (built, state, text, _now()))
        self._remember(built, state, text)

    def _remember(self, built: str, state: str | None, text: str) -> None:
        self._known.pop(built, None)  # re-inserted last: the oldest entry is evicted first
        self._known[built] = (state, text)
        if len(self._known) > _REMEMBERED:
            del self._known[next(iter(self._known))]

    def _forget(self, built: str) -> None:
        self._known.pop(built, None)


def _state(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


def _json(data: Mapping[str, Any]) -> str:
    return json.dumps(dict(data), ensure_ascii=False)


def _now() -> str:
    return to_db_time(datetime.now(UTC))
