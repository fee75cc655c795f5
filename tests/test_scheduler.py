"""The scheduler is only a clock: what it runs, how often, and in which zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.scheduler import build_scheduler


async def outbox_tick() -> None:
    """Stands for the outbox sender's tick."""


async def sweep() -> None:
    """Stands for an hourly sweep."""


async def backup_database() -> None:
    """Stands for the nightly backup."""


def test_jobs_and_their_triggers() -> None:
    zone = ZoneInfo("Asia/Yekaterinburg")
    scheduler = build_scheduler(outbox_tick, 1.0, [sweep], [(backup_database, 3, zone)])
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"outbox_tick", "sweep", "backup_database"}
    assert str(jobs["outbox_tick"].trigger) == "interval[0:00:01]"
    assert str(jobs["sweep"].trigger) == "interval[1:00:00]"
    assert "hour='3'" in str(jobs["backup_database"].trigger)
    assert str(jobs["backup_database"].trigger.timezone) == "Asia/Yekaterinburg"
