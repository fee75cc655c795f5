"""Showing a screen: a button press edits its own message, a typed message gets a new one."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def show(
    event: Message | CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    alert: str | None = None,
) -> None:
    """`alert`: a pop-up for a button press (a press can be answered only once)."""
    if isinstance(event, Message):
        await event.answer(text, reply_markup=markup)
        return
    await event.answer(alert, show_alert=alert is not None)

    message = event.message
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                return
            # Too old to edit (or deleted): fall through and send it anew.
    if event.message is not None:
        await event.bot.send_message(event.message.chat.id, text, reply_markup=markup)  # type: ignore[union-attr]


def fit(lines: list[str], limit: int = 3900) -> str:
    """Join lines within Telegram's 4096 characters, dropping whole lines at the end so an
    HTML tag or entity is never cut in half."""
    kept: list[str] = []
    used = 0
    for line in lines:
        used += len(line) + 1
        if used > limit:
            kept.append("…")
            break
        kept.append(line)
    return "\n".join(kept)
