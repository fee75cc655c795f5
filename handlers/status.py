"""/status for administrators: is the bot healthy, is the outbox moving."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

import bot as package
from bot.core.i18n import Html, tr
from bot.core.permissions import Action
from bot.core.when import shown
from bot.services import Services

VIEW_STATUS = {"action": Action.VIEW_STATUS}


async def status(message: Message, services: Services) -> None:
    found = await services.status.status()
    zone = services.settings.timezone
    erased = found.erasure
    loop_line = (
        tr(
            "status-loop-stall",
            recent=round(found.loop_stall_recent * 1000),
            largest=round((found.loop_stall_largest or 0) * 1000),
        )
        if found.loop_stall_recent is not None
        else tr("status-loop-stall-off")
    )
    erasure = (
        tr(
            "erasure-summary",
            when=shown(erased.ran_at, zone),
            people=erased.people,
            messages=erased.messages,
            backups=erased.backups,
        )
        if erased
        else tr("erasure-never-ran")
    )
    report = tr(
        "status-report",
        version=package.__version__,
        uptime=str(found.uptime).split(".")[0],
        database_mb=round(found.database_bytes / 2**20, 1),
        queued=found.queued,
        oldest=shown(found.oldest_due, zone) if found.oldest_due else "—",
        last_tick=shown(found.last_tick_at, zone) if found.last_tick_at else "—",
        failures=found.failures_24h,
        erasure=Html(erasure),
    )
    await message.answer(f"{report}\n{loop_line}")


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(status, Command("status"), flags=VIEW_STATUS)
    return router
