"""Put on PYTHONPATH of the bot process by the end-to-end tests (tests/test_e2e_surveys.py):
the process's clock starts at the moment in E2E_CLOCK_START and runs on at real speed, so a
survey's week passes in a few restarts. The bot's code is untouched; only its system clock is
moved."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.core import clock

_START = os.environ.get("E2E_CLOCK_START")

if _START:
    _real_now = clock.SystemClock.now
    # E2E_CLOCK_AT (a time.time() of the test's): the moment is then, not this import's own
    # instant, so the test knows the process's clock to the microsecond.
    _at = os.environ.get("E2E_CLOCK_AT")
    _then = datetime.fromtimestamp(float(_at), UTC) if _at else _real_now(clock.SystemClock())
    _offset: timedelta = datetime.fromisoformat(_START) - _then

    def _moved(self: clock.SystemClock) -> datetime:
        return _real_now(self) + _offset

    clock.SystemClock.now = _moved  # type: ignore[method-assign]

if os.environ.get("E2E_JOBS_AT_START"):
    # The hourly and daily jobs' triggers run on the real clock, an hour or a day away: with
    # this set (tests/test_e2e_night.py), each also runs once at start, as if its hour had
    # struck at the moved clock's moment. Their own once-per-hour/day marks still apply.
    from bot.core import scheduler

    _build = scheduler.build_scheduler

    def _jobs_at_start(outbox_tick: Any, tick_seconds: float, hourly: Any, daily: Any = ()) -> Any:
        built = _build(outbox_tick, tick_seconds, hourly, daily)
        for job in [*hourly, *(job for job, _, _ in daily)]:
            if job.__name__ != "backup_database":  # sends nothing; a copy per start is waste
                built.add_job(job, id=f"{job.__name__}_at_start")
        return built

    scheduler.build_scheduler = _jobs_at_start
