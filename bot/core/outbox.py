"""The one sender of everything the bot sends on its own (reminders, chasers, broadcasts,
notices to curators). Rows live in the outbox table; the scheduler only calls `tick`."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock, Health
from bot.core.config import OutboxSettings, QuietHours
from bot.core.quiet import in_quiet, quiet_end
from storage.models import OutboxMessage, OutboxStatus
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo

log = logging.getLogger(__name__)


class Media(StrEnum):
    """A file sent by its Telegram file_id, the text then being its caption."""

    PHOTO = "photo"
    DOCUMENT = "document"


def message_payload(
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    *,
    media: Media | None = None,
    file_id: str | None = None,
    edit: int | None = None,
) -> dict[str, Any]:
    """What one outbox row sends: a text, a photo or document with `text` as its caption, or
    (`edit`, a message id) the new text of a message the bot sent before in that chat."""
    payload: dict[str, Any] = {"text": text}
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup.model_dump(mode="json", exclude_none=True)
    if media is not None:
        assert file_id is not None
        payload[media.value] = file_id
    if edit is not None:
        payload["edit"] = edit
    return payload


async def send_payload(bot: Bot, chat_id: int, payload: dict[str, Any]) -> None:
    """Hand one payload to Telegram (also the sender's preview: exactly what recipients get)."""
    text, markup = payload["text"], _markup(payload.get("reply_markup"))
    if "edit" in payload:
        await bot.edit_message_text(
            chat_id=chat_id, message_id=payload["edit"], text=text, reply_markup=markup
        )
    elif Media.PHOTO in payload:
        await bot.send_photo(
            chat_id, payload[Media.PHOTO], caption=text or None, reply_markup=markup
        )
    elif Media.DOCUMENT in payload:
        await bot.send_document(
            chat_id, payload[Media.DOCUMENT], caption=text or None, reply_markup=markup
        )
    else:
        await bot.send_message(chat_id=chat_id, text=text, reply_markup=markup)


@dataclass
class TickReport:
    sent: int = 0
    retried: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        outbox: OutboxRepo,
        people: PeopleRepo,
        clock: Clock,
        settings: OutboxSettings,
        health: Health | None = None,
        quiet: QuietHours | None = None,
        default_zone: ZoneInfo | None = None,
    ) -> None:
        self._bot = bot
        self._quiet = quiet or QuietHours()
        self._default_zone = default_zone or ZoneInfo("Europe/Moscow")
        self._health = health
        self._outbox = outbox
        self._people = people
        self._clock = clock
        self._settings = settings
        self._worker = uuid.uuid4().hex
        self._paused_until: datetime | None = None
        self._outage_pause = 0.0  # seconds of the last pause for an outage, 0 once sent
        self._next_slot: datetime | None = None
        self._last_sent_to: dict[int, datetime] = {}

    async def recover(self) -> None:
        released, in_flight = await self._outbox.recover_after_restart(self._clock.now())
        if released or in_flight:
            log.warning("outbox recovered released=%s in_flight_unknown=%s", released, in_flight)

    async def tick(self, max_batches: int = 20) -> TickReport:
        """Send what is due, a batch at a time, within the rate limits."""
        report = TickReport()
        now = self._clock.now()
        if self._health is not None:
            self._health.last_tick_at = now
        if self._paused_until and now < self._paused_until:
            return report
        report.skipped = await self._outbox.skip_expired(now)
        for _ in range(max_batches):
            batch = await self._outbox.claim(
                self._clock.now(), self._settings.batch_size, self._worker
            )
            if not batch:
                break
            batch = await self._hold_quiet(batch)
            for index, message in enumerate(batch):
                if self._paused_until and self._clock.now() < self._paused_until:
                    rest = [m.id for m in batch[index:]]
                    await self._outbox.release(rest, self._paused_until)
                    return report
                await self._deliver(message, report)
        self._forget_idle_chats()
        return report

    async def _hold_quiet(self, batch: list[OutboxMessage]) -> list[OutboxMessage]:
        """Quiet hours are the outbox's, not each caller's: whatever queued a message, it
        waits for the end of its recipient's quiet hours (in their school's zone), unless it
        hands over the reply to the user's own action. Returns the messages to send now."""
        now = self._clock.now()
        automatic = [m.chat_id for m in batch if not m.answers_user]
        zones = await self._outbox.zones_of(sorted(set(automatic)))
        ready: list[OutboxMessage] = []
        held: dict[datetime, list[OutboxMessage]] = {}
        for message in batch:
            zone = _zone(zones.get(message.chat_id), self._default_zone)
            if message.answers_user or not in_quiet(now, zone, self._quiet):
                ready.append(message)
            else:
                held.setdefault(quiet_end(now, zone, self._quiet), []).append(message)
        # A periodic job's key carries the school's day (bot.core.quiet.school_day), so a run
        # again in the same night queues nothing new: each held message is its own.
        for until, messages in held.items():
            await self._outbox.release([m.id for m in messages], until)
        if held:
            log.info("outbox held for quiet hours count=%s", sum(map(len, held.values())))
        return ready

    async def _deliver(self, message: OutboxMessage, report: TickReport) -> None:
        now = self._clock.now()
        last = self._last_sent_to.get(message.chat_id)
        gap = timedelta(seconds=self._settings.per_chat_interval_seconds)
        if last is not None and now - last < gap:
            await self._outbox.release([message.id], last + gap)
            return
        await self._wait_for_slot()
        await self._outbox.mark_sending(message.id)
        try:
            await send_payload(self._bot, message.chat_id, message.payload)
        except TelegramRetryAfter as error:
            self._paused_until = self._clock.now() + timedelta(seconds=error.retry_after)
            log.warning("outbox paused by 429 retry_after=%s", error.retry_after)
            await self._outbox.release([message.id], self._paused_until, "429")
            report.retried += 1
        except TelegramForbiddenError as error:
            await self._outbox.finish(
                message.id, OutboxStatus.BLOCKED, self._clock.now(), error.message
            )
            await self._people.mark_inactive(message.chat_id, "blocked")
            log.info("outbox recipient inactive chat_id=%s", message.chat_id)
            report.blocked += 1
        except TelegramBadRequest as error:
            await self._outbox.finish(
                message.id, OutboxStatus.FAILED, self._clock.now(), error.message
            )
            log.warning("outbox failed id=%s error=%s", message.id, error.message)
            report.failed += 1
        except (TelegramServerError, TelegramNetworkError) as error:
            await self._retry_later(message, self._back_off(type(error).__name__))
            report.retried += 1
        else:
            self._outage_pause = 0.0
            self._last_sent_to[message.chat_id] = self._clock.now()
            await self._outbox.finish(message.id, OutboxStatus.SENT, self._clock.now())
            report.sent += 1

    def _back_off(self, reason: str) -> str:
        """A 5xx or a network error means the Bot API is down, not this message: the whole
        sender pauses. The pause doubles from 1 s but never exceeds max_backoff_seconds, so
        once the API is back the next probe comes within that many seconds and the queue
        drains at its normal rate; a growing per-message delay would leave each message
        waiting out its own ever longer pause after the recovery."""
        pause = min(max(self._outage_pause * 2, 1.0), self._settings.max_backoff_seconds)
        self._outage_pause = pause
        self._paused_until = self._clock.now() + timedelta(seconds=pause)
        log.warning("outbox backing off seconds=%s reason=%s", pause, reason)
        return reason

    async def _retry_later(self, message: OutboxMessage, error: str) -> None:
        next_attempt = self._paused_until or self._clock.now()
        if next_attempt >= message.expires_at:
            await self._outbox.finish(message.id, OutboxStatus.SKIPPED, self._clock.now(), error)
        else:
            await self._outbox.release([message.id], next_attempt, error)

    async def _wait_for_slot(self) -> None:
        now = self._clock.now()
        slot = self._next_slot or now
        if slot > now:
            await self._clock.sleep((slot - now).total_seconds())
        self._next_slot = max(slot, now) + timedelta(seconds=1 / self._settings.rate_per_second)

    def _forget_idle_chats(self) -> None:
        horizon = self._clock.now() - timedelta(seconds=self._settings.per_chat_interval_seconds)
        self._last_sent_to = {c: t for c, t in self._last_sent_to.items() if t > horizon}


def _zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    return ZoneInfo(name) if name else default


def _markup(raw: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.model_validate(raw) if raw else None
