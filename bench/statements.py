"""SQL statements per update: how many statements the storage layer runs for one dispatched
update (a typed answer, a button answer, /menu), and in how many transactions.

The count is taken at the repositories' API (`Database` and the connection a transaction
yields), not inside the SQL engine, so it reads the same on SQLite and PostgreSQL and leaves
out the engine's own BEGIN/COMMIT (counted apart as transactions)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.types import Update

from app.assembly import build_dispatcher
from bench.updates import TOKEN, _bot, _press, school_with_teacher_link
from bot.core.config import Settings, ThrottleSettings
from storage.db import Database
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock

# The statement-running methods of `Database` and of a transaction's connection.
_STATEMENTS = ("execute", "executemany", "insert", "fetch_one", "fetch_all")


@dataclass
class Count:
    statements: int = 0
    transactions: int = 0
    sql: list[str] = field(default_factory=list)


def _counted(method: Callable[..., Any], count: Count) -> Callable[..., Any]:
    async def wrapper(sql: str, *args: Any, **kwargs: Any) -> Any:
        count.statements += 1
        count.sql.append(sql)
        return await method(sql, *args, **kwargs)

    return wrapper


class _CountingConnection:
    def __init__(self, inner: Any, count: Count) -> None:
        self._inner = inner
        self._count = count

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        return _counted(attribute, self._count) if name in _STATEMENTS else attribute


@contextmanager
def counting(db: Database) -> Iterator[Count]:
    """Count what runs on `db` inside the block (the instance is patched, then restored)."""
    count = Count()
    patched = [name for name in (*_STATEMENTS, "transaction") if hasattr(db, name)]
    originals = {name: getattr(db, name) for name in patched}
    transaction = originals["transaction"]

    @asynccontextmanager
    async def counted_transaction() -> AsyncIterator[Any]:
        count.transactions += 1
        async with transaction() as conn:
            yield _CountingConnection(conn, count)

    for name in patched:
        setattr(db, name, _counted(originals[name], count))
    db.transaction = counted_transaction  # type: ignore[method-assign]
    try:
        yield count
    finally:
        for name in patched:
            delattr(db, name)  # the class's own methods show through again


async def feed_counted(dp: Dispatcher, bot: Bot, db: Database, update: dict[str, Any]) -> Count:
    with counting(db) as count:
        await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))
    return count


# What a teacher sends after joining and consenting, each a kind of update measured.
_KINDS: tuple[tuple[str, str, Callable[[FakeTelegram, int], dict[str, Any]]], ...] = (
    (
        "typed_answer",
        "a typed answer (the name)",
        lambda f, u: f.message_update(u, "Иванова А. С."),
    ),
    ("typed_answer_2", "a second typed answer", lambda f, u: f.message_update(u, "учитель")),
    (
        "button_answer",
        "a button answer (single choice)",
        lambda f, u: _press(f, u, "Молодой специалист (стаж до 3 лет)"),
    ),
    ("toggle", "a multiple-choice tick", lambda f, u: _press(f, u, "▫️ Математика")),
    (
        "multi_done",
        "«Готово» after ticks (the draft cleared with the answer)",
        lambda f, u: _press(f, u, "Готово ✔"),
    ),
    ("menu", "/menu in the middle of the questionnaire", lambda f, u: f.message_update(u, "/menu")),
)


# The same measurement on main before the step became one write (commit 54f6467).
BEFORE = {
    "typed_answer": 12,
    "typed_answer_2": 12,
    "button_answer": 11,
    "toggle": 9,
    "multi_done": 12,
    "menu": 4,
}


async def measure(folder: Path) -> dict[str, Count]:
    """One teacher joins, consents and takes each step; a second teacher is measured, so that
    nothing done once per process (the first school lookup) is counted."""
    db = await Database.open(folder / "statements.db")
    await db.migrate()
    clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    token = await school_with_teacher_link(db, clock.now())
    settings = Settings(
        token=TOKEN,
        admins=frozenset(),
        timezone=ZoneInfo("Europe/Moscow"),
        throttle=ThrottleSettings(burst=1000, per_second=1000),
    )
    fake = FakeTelegram(token=TOKEN, history=2)
    bot = _bot(fake)
    dp = build_dispatcher(settings, db, clock)
    counts: dict[str, Count] = {}
    try:
        for user in (1_000_001, 1_000_002):
            for label in (None, "Я наставляемый", "✅ Согласен(на)"):
                update = (
                    fake.message_update(user, f"/start {token}")
                    if label is None
                    else _press(fake, user, label)
                )
                await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))
            for name, _, step in _KINDS:
                counts[name] = await feed_counted(dp, bot, db, step(fake, user))
    finally:
        await bot.session.close()
        await db.close()
    return counts


def run(quick: bool) -> dict[str, dict[str, Any]]:
    del quick  # one teacher's steps: as quick as it gets
    with tempfile.TemporaryDirectory() as folder:
        counts = asyncio.run(measure(Path(folder)))
    return {
        f"statements_{name}": {
            "value": counts[name].statements,
            "unit": "SQL statements",
            "size": f"one update: {label}; {counts[name].transactions} transaction(s)",
            "baseline_value": BEFORE[name],
            "baseline": "main at 54f6467, before one step = one write",
        }
        for name, label, _ in _KINDS
    }


if __name__ == "__main__":
    for key, figure in run(False).items():
        print(key, figure["value"], figure["size"])  # noqa: T201
