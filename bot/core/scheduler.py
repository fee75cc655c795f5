"""APScheduler is only the clock: durable work lives in our own tables (the outbox), and
each job just looks at the tables and queues what is due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import UTC, tzinfo
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

Job = Callable[[], Awaitable[object]]

log = logging.getLogger(__name__)


def single_flight(job: Callable[[], Coroutine[Any, Any, object]]) -> Callable[[], Awaitable[None]]:
    """The job started in the background unless its previous run is still going; the
    scheduler's own run returns at once. A tick that outlasts its interval (a slow Bot API,
    a long drain) then never overlaps the next one, and APScheduler never sees a running
    instance to warn about ("maximum number of running instances reached") on every tick."""
    running: asyncio.Task[object] | None = None

    def done(task: asyncio.Task[object]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("job failed job=%s", job.__name__, exc_info=task.exception())

    async def start() -> None:
        nonlocal running
        if running is None or running.done():
            running = asyncio.create_task(job())
            running.add_done_callback(done)

    start.__name__ = job.__name__
    return start


def build_scheduler(
    outbox_tick: Callable[[], Coroutine[Any, Any, object]],
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
    scheduler.add_job(
        single_flight(outbox_tick), "interval", seconds=tick_seconds, id="outbox_tick"
    )
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
