"""The event-loop stall monitor: how late the loop wakes a sleeper is how long something
blocked it, and so how long every other user waited for an answer."""

from __future__ import annotations

import asyncio
import contextlib
import time


class StallMonitor:
    """Sleeps `interval` seconds again and again and records how much later than asked it
    woke: the largest such gap since start and over the last `window` seconds."""

    def __init__(self, interval: float = 0.02, window: float = 3600.0) -> None:
        self.interval = interval
        self.window = window
        self.largest = 0.0
        self.recent = 0.0
        self._recent_since = time.monotonic()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.get_running_loop().create_task(self._watch())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def reset(self) -> None:
        self.largest = self.recent = 0.0
        self._recent_since = time.monotonic()

    def record(self, gap: float) -> None:
        now = time.monotonic()
        if now - self._recent_since > self.window:
            self.recent, self._recent_since = 0.0, now
        self.largest = max(self.largest, gap)
        self.recent = max(self.recent, gap)

    async def _watch(self) -> None:
        while True:
            asked = time.monotonic()
            await asyncio.sleep(self.interval)
            self.record(max(time.monotonic() - asked - self.interval, 0.0))
