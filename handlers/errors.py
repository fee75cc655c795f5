"""The last line of defence: log the failure by ids, tell the user how to continue."""

from __future__ import annotations

import logging
import time

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from bot.core.i18n import tr
from storage.db import is_busy, is_disk_full

log = logging.getLogger(__name__)


class _OncePer:
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._last = -seconds

    def due(self) -> bool:
        now = time.monotonic()
        if now - self._last < self._seconds:
            return False
        self._last = now
        return True


_disk_full_log = _OncePer(60.0)


async def on_error(event: ErrorEvent) -> None:
    update = event.update
    user = None
    if update.message and update.message.from_user:
        user = update.message.from_user.id
    elif update.callback_query:
        user = update.callback_query.from_user.id
    if is_disk_full(event.exception):
        text = tr("database-full")
        if _disk_full_log.due():
            # A full disk fails every update: one line a minute, not a traceback per update.
            log.error("database cannot write: the disk is full update_id=%s", update.update_id)
    else:
        log.error(
            "update failed update_id=%s user_id=%s error=%s",
            update.update_id,
            user,
            type(event.exception).__name__,
            exc_info=event.exception,
        )
        text = tr("database-busy") if is_busy(event.exception) else tr("something-went-wrong")
    try:
        if update.callback_query:
            await update.callback_query.answer(text, show_alert=True)
        elif update.message and update.message.chat.type == "private":
            await update.message.answer(text)
    except TelegramAPIError:
        # The press was already answered, or Telegram is unreachable: the log has it.
        log.warning("could not tell the user update_id=%s", update.update_id)


def build_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(on_error)
    return router
