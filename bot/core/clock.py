"""Time as a dependency: the running bot uses the system clock, tests move a fake one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol

from bot.core.stalls import StallMonitor


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""

    async def sleep(self, seconds: float) -> None:
        """Wait; a fake clock advances instead."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class Health:
    """What /status reports about the running process; the outbox sender stamps its ticks."""

    def __init__(self, started_at: datetime) -> None:
        self.started_at = started_at
        self.last_tick_at: datetime | None = None
        self.stalls = StallMonitor()
