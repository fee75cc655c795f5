"""Driving the real dispatcher in-process: people type and press, the test reads the chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update

from tests.fake_telegram import FakeTelegram


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.current = start
        self.slept = 0.0

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.current += timedelta(seconds=seconds)

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class Harness:
    dp: Dispatcher
    bot: Bot
    fake: FakeTelegram
    clock: FakeClock
    seconds_per_update: float = 1.0  # a person needs a moment between two taps

    async def feed(self, update: dict[str, Any]) -> None:
        self.clock.advance(seconds=self.seconds_per_update)
        await self.dp.feed_update(
            self.bot, Update.model_validate(update, context={"bot": self.bot})
        )

    async def send(self, user_id: int, text: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """The person writes; returns the bot's last message to them."""
        await self.feed(self.fake.message_update(user_id, text, **kwargs))
        return self.fake.last(kwargs.get("chat_id") or user_id)

    async def press(self, user_id: int, label: str) -> dict[str, Any]:
        """The person taps the button with this label on the newest message that has it."""
        for message in reversed(self.fake.bot_messages(user_id)):
            data = self.fake.buttons(message).get(label)
            if data is not None:
                return await self.press_data(user_id, data, message)
        raise AssertionError(f"no button {label!r} in chat {user_id}")

    async def press_data(
        self, user_id: int, data: str, message: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Press with arbitrary callback data (e.g. forged) on a message of the chat."""
        target = message or self.fake.last(user_id)
        before = len(self.fake.bot_messages(user_id))
        await self.feed(self.fake.callback_update(user_id, target, data))
        shown = self.fake.bot_messages(user_id)
        # A new message if the bot sent one, else the pressed message as it was edited.
        return shown[-1] if len(shown) > before else target

    def alert(self) -> str:
        """The text of the last callback answer (the pop-up the person saw)."""
        return str(self.fake.callback_answers[-1].get("text", ""))

    def texts(self, user_id: int) -> list[str]:
        return [m.get("text", "") for m in self.fake.bot_messages(user_id)]
