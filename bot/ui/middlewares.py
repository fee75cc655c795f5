"""Per-update middlewares: an update handled once, who is acting, flood control, and the
permission gate."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User

from bot.core.clock import Clock
from bot.core.config import ThrottleSettings
from bot.core.i18n import tr
from bot.core.permissions import Action, Actor, can
from bot.ui import keyboards
from storage.models import Role, RoleGrant
from storage.people import PeopleRepo
from storage.updates import HandledUpdatesRepo

log = logging.getLogger(__name__)

# Telegram gives up redelivering an update long before a day has passed.
HANDLED_UPDATES_KEPT = timedelta(hours=24)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class OnceMiddleware(BaseMiddleware):
    """Skips an update whose id was handled before (a webhook retry, a poll repeated after a
    restart). Both polling and webhook mode pass through the dispatcher's update observer.

    An id is marked once its update has been handled, so an update cut short by a crash (no
    mark) is handled again when Telegram delivers it again: nothing acknowledged is lost, and
    the services are idempotent for a step that was half done. The check costs no statement
    for a new update: ids only grow, so only an id at or below the highest one seen can be a
    repeat, and only such an id is looked up. The marks are written in batches by `flush`
    (each scheduler tick, and at shutdown): a crash forgets at most a tick's marks, and those
    updates are at worst handled twice by idempotent services."""

    def __init__(self, handled: HandledUpdatesRepo, clock: Clock) -> None:
        self._handled = handled
        self._clock = clock
        self._in_flight: set[tuple[int, int]] = set()
        self._recent: set[tuple[int, int]] = set()  # handled since the last `forget_old`
        self._highest: dict[int, int] = {}  # per bot: the highest update id handled or begun
        self._unwritten: list[tuple[int, int, datetime]] = []

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        bot: Bot | None = data.get("bot")
        if not isinstance(event, Update) or bot is None:
            return await handler(event, data)
        key = (bot.id, event.update_id)
        if await self._seen(key):
            log.info("duplicate update skipped update_id=%s", event.update_id)
            return None
        self._in_flight.add(key)
        try:
            result = await handler(event, data)
            self._recent.add(key)
            self._unwritten.append((*key, self._clock.now()))
            return result
        finally:
            self._in_flight.discard(key)

    async def _seen(self, key: tuple[int, int]) -> bool:
        if key in self._in_flight or key in self._recent:
            return True
        bot_id, update_id = key
        highest = self._highest.get(bot_id)
        if highest is None:
            highest = await self._handled.highest(bot_id)
        self._highest[bot_id] = max(highest, update_id)
        return update_id <= highest and await self._handled.was_handled(bot_id, update_id)

    async def flush(self) -> None:
        """Write the marks of the updates handled since the last flush, in one statement."""
        marks, self._unwritten = self._unwritten, []
        if marks:
            await self._handled.mark_handled(marks)

    async def forget_old(self) -> None:
        """Run periodically: the marks older than HANDLED_UPDATES_KEPT are dropped."""
        await self.flush()
        self._recent.clear()
        forgotten = await self._handled.prune(self._clock.now() - HANDLED_UPDATES_KEPT)
        if forgotten:
            log.info("handled updates pruned count=%s", forgotten)


class ActorMiddleware(BaseMiddleware):
    """Loads the acting person and all their roles; administrators come from the config."""

    def __init__(self, people: PeopleRepo, admins: frozenset[int]) -> None:
        self._people = people
        self._admins = admins

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        person, held = await self._people.with_grants(user.id)
        grants: list[RoleGrant] = [RoleGrant(Role.ADMIN)] if user.id in self._admins else []
        grants.extend(held)
        if person is not None and not person.is_active:
            # They wrote to us again, so they unblocked the bot.
            await self._people.mark_active(user.id)

        data["actor"] = Actor(telegram_id=user.id, person=person, grants=tuple(grants))
        return await handler(event, data)


class ThrottleMiddleware(BaseMiddleware):
    """A token bucket per user; the first refused update gets one warning, the rest are dropped."""

    def __init__(self, clock: Clock, settings: ThrottleSettings) -> None:
        self._clock = clock
        self._settings = settings
        self._buckets: dict[int, tuple[float, float, bool]] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        now = self._clock.now().timestamp()
        tokens, seen, warned = self._buckets.get(user.id, (float(self._settings.burst), now, False))
        tokens = min(float(self._settings.burst), tokens + (now - seen) * self._settings.per_second)
        if tokens < 1:
            self._buckets[user.id] = (tokens, now, True)
            log.info("throttled user_id=%s", user.id)
            if not warned:
                await _refuse(event, tr("throttled"))
            return None
        self._buckets[user.id] = (tokens - 1, now, False)
        if len(self._buckets) > 50_000:
            self._buckets.clear()
        return await handler(event, data)


class PermissionMiddleware(BaseMiddleware):
    """The gate every handler passes: its declared action must be allowed for the actor."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        action: Action | None = get_flag(data, "action")
        if action is None:
            raise RuntimeError("handler declares no action flag")
        actor: Actor | None = data.get("actor")
        if actor is not None and can(actor, action):
            return await handler(event, data)
        log.info("refused action=%s user_id=%s", action, actor.telegram_id if actor else None)
        registered = actor is not None and actor.is_registered
        await _refuse(event, tr("forbidden") if registered else tr("stranger-hint"), registered)
        return None


async def _refuse(event: TelegramObject, text: str, offer_menu: bool = True) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    elif isinstance(event, Message):
        await event.answer(text, reply_markup=keyboards.back_to_main() if offer_menu else None)
