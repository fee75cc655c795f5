"""Nothing heavy on the event loop: the stall monitor sees a blocked loop, /status shows it,
and the whole-school matching proposal runs on a worker thread."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

import bot.pairs.service
from bot.core.clock import Health
from bot.core.i18n import tr
from bot.pairs.matching import propose
from storage.db import Database
from storage.models import Role
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN, CURATOR


async def test_status_shows_the_largest_stall_of_the_event_loop(tg: Harness) -> None:
    health: Health = tg.dp["services"].health
    before = await tg.send(ADMIN, "/status")
    assert tr("status-loop-stall-off") in before["text"]
    health.stalls.start()
    try:
        await asyncio.sleep(0.05)
        time.sleep(0.2)  # something blocks the loop for 200 ms
        await asyncio.sleep(0.05)
        report = await tg.send(ADMIN, "/status")
    finally:
        await health.stalls.stop()
    recent = round(health.stalls.recent * 1000)
    assert 150 <= recent < 400  # less the monitor's own 20 ms sleep
    assert tr("status-loop-stall", recent=recent, largest=recent) in report["text"]


async def test_matching_runs_off_the_event_loop(
    tg: Harness, db: Database, clock: FakeClock, school: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed.participant(db, clock, school, 11, Role.MENTOR)
    await seed.participant(db, clock, school, 21, Role.MENTEE)

    def slow_propose(*args: Any) -> Any:
        time.sleep(0.3)  # as a whole school of 1,000 x 5,000 takes seconds
        return propose(*args)

    monkeypatch.setattr(bot.pairs.service, "propose", slow_propose)
    health: Health = tg.dp["services"].health
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr("btn-pairs"))
    health.stalls.start()
    try:
        drafts = await tg.press(CURATOR, tr("btn-propose"))
    finally:
        await health.stalls.stop()
    assert "Наставляемая 21 ← Наставник 11" in drafts["text"]
    assert health.stalls.largest < 0.1
