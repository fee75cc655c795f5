"""APScheduler is only the clock: durable work lives in our own tables (the outbox), and
each job just looks at the tables and queues what is due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, tzinfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

Job = Callable[[], Awaitable[object]]


def build_scheduler(
    outbox_tick: Job,
    tick_seconds: float,
    hourly: Sequence[Job],
    daily: Sequence[tuple[Job, int, tzinfo]] = (),
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        timezone=UTC,
        job_defaults={
            # A run that overran or was missed is simply merged into the next one:
            # the tables, not the scheduler, remember what is owed.
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": max(1, int(tick_seconds * 5)),
        },
    )
    scheduler.add_job(outbox_tick, "interval", seconds=tick_seconds, id="outbox_tick")
    for job in hourly:
        scheduler.add_job(
            job,
            "interval",
            hours=1,
            id=getattr(job, "__name__", repr(job)),
            misfire_grace_time=3600,
        )
    for job, hour, zone in daily:
        scheduler.add_job(
            job,
            "cron",
            hour=hour,
            timezone=zone,
            id=getattr(job, "__name__", repr(job)),
            misfire_grace_time=3600,
        )
    return scheduler
