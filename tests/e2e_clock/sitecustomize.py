"""Put on PYTHONPATH of the bot process by tests/test_e2e_surveys.py: the process's clock starts
at the moment in E2E_CLOCK_START and runs on at real speed, so a survey's week passes in a
few restarts. The bot's code is untouched; only its system clock is moved."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from bot.core import clock

_START = os.environ.get("E2E_CLOCK_START")

if _START:
    _real_now = clock.SystemClock.now
    _offset: timedelta = datetime.fromisoformat(_START) - _real_now(clock.SystemClock())

    def _moved(self: clock.SystemClock) -> datetime:
        return _real_now(self) + _offset

    clock.SystemClock.now = _moved  # type: ignore[method-assign]
