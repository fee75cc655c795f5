"""The figures of /status: the process, the database, the outbox and the erasure duty."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.clock import Clock, Health
from bot.privacy.erasure import ErasureService
from storage.db import Database
from storage.erasure import ErasureRun
from storage.models import OutboxStatus
from storage.outbox import OutboxRepo


@dataclass(frozen=True)
class Status:
    now: datetime
    uptime: timedelta
    database_bytes: int  # 0 on PostgreSQL: the server's size is its own business
    queued: int
    oldest_due: datetime | None
    last_tick_at: datetime | None
    failures_24h: int
    erasure: ErasureRun | None
    loop_stall_recent: float | None  # seconds; None when the monitor is not running
    loop_stall_largest: float | None


class StatusService:
    def __init__(
        self,
        db: Database,
        outbox: OutboxRepo,
        erasure: ErasureService,
        health: Health,
        clock: Clock,
    ) -> None:
        self._db = db
        self._outbox = outbox
        self._erasure = erasure
        self._health = health
        self._clock = clock

    async def status(self) -> Status:
        now = self._clock.now()
        path = self._db.path
        stalls = self._health.stalls
        counts = await self._outbox.count_by_status()
        return Status(
            now=now,
            uptime=now - self._health.started_at,
            database_bytes=path.stat().st_size if path is not None and path.exists() else 0,
            queued=counts.get(OutboxStatus.PENDING, 0),
            oldest_due=await self._outbox.oldest_due(now),
            last_tick_at=self._health.last_tick_at,
            failures_24h=await self._outbox.failures_since(now - timedelta(hours=24)),
            erasure=await self._erasure.last_run(),
            loop_stall_recent=stalls.recent if stalls.running else None,
            loop_stall_largest=stalls.largest if stalls.running else None,
        )
