"""APScheduler is only the clock: durable work lives in our own tables (the outbox)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def build_scheduler(
    outbox_tick: Callable[[], Awaitable[object]], tick_seconds: float
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        timezone=UTC,
        job_defaults={
            # A tick that overran or was missed is simply merged into the next one:
            # the outbox rows, not the scheduler, remember what is owed.
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": max(1, int(tick_seconds * 5)),
        },
    )
    scheduler.add_job(outbox_tick, "interval", seconds=tick_seconds, id="outbox_tick")
    return scheduler
