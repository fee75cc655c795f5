"""The bot's replies to an update survive a Bot API failure.

Polling moves past an update once it is handled, so a reply that failed on a 5xx or a network
error used to be lost (a /help typed as the API began answering 502 was never answered). A
session request middleware now retries a reply a few times with a short pause; past that
bound it hands a text reply (a sendMessage, or an edited screen sent anew) to the outbox, the
one sender, which delivers it once the API is back. A callback answer (the spinner on a
button) is given up: it means nothing seconds later.

Why this sends no second copy:
- an attempt is repeated only after the previous one failed, one at a time, never two in
  flight; the outbox gets the message only after the last attempt here has failed;
- the outbox row's key is the update id and the reply's position within the update's replies,
  so queuing the same reply again changes nothing, and OnceMiddleware skips an update that is
  delivered again, so a replayed update cannot queue its replies twice;
- the outbox marks a row as in flight before sending and never resends one whose fate a crash
  left unknown.
The one case no client can rule out is Telegram acting on a request and then failing to
answer it; its front end answers 502 when its back end cannot be reached, that is before the
message exists, which is the outage seen. The outbox has made the same trade since it began.

Only replies are guarded: the outbox's own sends happen outside any update and handle their
failures themselves (a paused, capped back-off), so they pass straight through.

The guard also holds the update's dialog-state writes (`SQLStorage.deferring`) and stores them
just before a reply leaves: what the user is shown is never ahead of what is stored, and the
writes of one update (a `clear()` and the next state) cost one statement.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from weakref import WeakSet

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.types import Chat, InlineKeyboardMarkup, Message, TelegramObject, Update

from bot.core.clock import Clock
from bot.core.outbox import message_payload
from storage.fsm import SQLStorage
from storage.outbox import OutboxRepo

log = logging.getLogger(__name__)

# About 3.5 s in all: short enough to keep the person waiting no longer than a slow answer.
PAUSES = (0.5, 1.0, 2.0)
# A reply that could not go out within this time is no longer an answer to anything.
REPLY_LIFETIME = timedelta(hours=1)


@dataclass
class _Handling:
    update_id: int
    replies: int = 0


_handling: ContextVar[_Handling | None] = ContextVar("handling", default=None)


class ReplyGuard(BaseRequestMiddleware):
    """Registered twice: `on_update` as the dispatcher's outer update middleware (it marks the
    requests made while an update is handled, and attaches the guard to that update's bot),
    and the instance itself as the bot session's request middleware."""

    def __init__(
        self,
        outbox: OutboxRepo,
        fsm: SQLStorage,
        clock: Clock,
        pauses: Sequence[float] = PAUSES,
    ) -> None:
        self._outbox = outbox
        self._fsm = fsm
        self._clock = clock
        self._pauses = tuple(pauses)
        self._attached: WeakSet[BaseSession] = WeakSet()  # the sessions that have the guard

    async def on_update(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        bot: Bot | None = data.get("bot")
        if not isinstance(event, Update) or bot is None:
            return await handler(event, data)
        if bot.session not in self._attached:
            if not any(isinstance(m, ReplyGuard) for m in bot.session.middleware):
                bot.session.middleware(self)
            self._attached.add(bot.session)
        token = _handling.set(_Handling(event.update_id))
        try:
            async with self._fsm.deferring():
                return await handler(event, data)
        finally:
            _handling.reset(token)

    async def __call__(self, make_request: Any, bot: Bot, method: TelegramMethod[Any]) -> Any:
        handling = _handling.get()
        if handling is None:
            return await make_request(bot, method)
        if not isinstance(method, AnswerCallbackQuery):  # a spinner stopped shows no step
            await self._fsm.flush()
        if isinstance(method, SendMessage | EditMessageText):
            handling.replies += 1
        failure: TelegramServerError | TelegramNetworkError | None = None
        for pause in (*self._pauses, None):
            try:
                return await make_request(bot, method)
            except (TelegramServerError, TelegramNetworkError) as error:
                failure = error
                if pause is None:
                    break
                log.warning(
                    "reply retried update_id=%s method=%s in_seconds=%s reason=%s",
                    handling.update_id,
                    method.__api_method__,
                    pause,
                    type(error).__name__,
                )
                await self._clock.sleep(pause)
        assert failure is not None
        return await self._give_over(bot, method, handling, failure)

    async def _give_over(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        handling: _Handling,
        failure: TelegramServerError | TelegramNetworkError,
    ) -> Any:
        reason = type(failure).__name__
        if isinstance(method, AnswerCallbackQuery):
            log.warning(
                "callback answer dropped update_id=%s reason=%s", handling.update_id, reason
            )
            return True
        if not isinstance(method, SendMessage | EditMessageText):
            raise failure
        chat_id, text = method.chat_id, method.text
        if not isinstance(chat_id, int) or not text:
            raise failure
        markup = (
            method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
        )
        now = self._clock.now()
        await self._outbox.enqueue(
            f"reply:{bot.id}:{handling.update_id}:{handling.replies}",
            chat_id,
            "reply",
            message_payload(text, markup),
            now,
            now + REPLY_LIFETIME,
            now,
            urgent=True,
            answers_user=True,
        )
        log.warning(
            "reply queued update_id=%s method=%s reason=%s",
            handling.update_id,
            method.__api_method__,
            reason,
        )
        if isinstance(method, EditMessageText):
            return True
        # The handler goes on as if sent; the message id is unknown until the outbox sends it.
        chat = Chat(id=chat_id, type="private" if chat_id > 0 else "group")
        return Message(message_id=0, date=now, chat=chat, text=text).as_(bot)
