"""/status for administrators: is the bot healthy, is the outbox moving."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

import bot as package
from bot.core.clock import Clock, Health
from bot.core.config import Settings
from bot.core.i18n import Html, tr
from bot.core.permissions import Action
from bot.core.when import shown
from bot.privacy.erasure import ErasureService
from storage.db import Database
from storage.models import OutboxStatus
from storage.outbox import OutboxRepo

VIEW_STATUS = {"action": Action.VIEW_STATUS}


async def status(
    message: Message,
    clock: Clock,
    health: Health,
    db: Database,
    outbox: OutboxRepo,
    settings: Settings,
    erasure: ErasureService,
) -> None:
    now = clock.now()
    erased = await erasure.last_run()
    counts = await outbox.count_by_status()
    oldest = await outbox.oldest_due(now)
    size = db.path.stat().st_size if db.path is not None and db.path.exists() else 0
    stalls = health.stalls
    loop_line = (
        tr(
            "status-loop-stall",
            recent=round(stalls.recent * 1000),
            largest=round(stalls.largest * 1000),
        )
        if stalls.running
        else tr("status-loop-stall-off")
    )
    await message.answer(
        tr(
            "status-report",
            version=package.__version__,
            uptime=str(now - health.started_at).split(".")[0],
            database_mb=round(size / 2**20, 1),
            queued=counts.get(OutboxStatus.PENDING, 0),
            oldest=shown(oldest, settings.timezone) if oldest else "—",
            last_tick=shown(health.last_tick_at, settings.timezone) if health.last_tick_at else "—",
            failures=await outbox.failures_since(now - timedelta(hours=24)),
            erasure=Html(
                tr(
                    "erasure-summary",
                    when=shown(erased.ran_at, settings.timezone),
                    people=erased.people,
                    messages=erased.messages,
                    backups=erased.backups,
                )
            )
            if erased
            else Html(tr("erasure-never-ran")),
        )
        + "\n"
        + loop_line
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(status, Command("status"), flags=VIEW_STATUS)
    return router
