"""The fake Bot API is strict like the real one, so tests cannot pass on requests Telegram
would refuse."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from tests.fake_telegram import FakeTelegram, Fault, parse_html


async def test_unknown_method_is_404(fake: FakeTelegram) -> None:
    status, body = await fake.handle("sendTelepathy", {"chat_id": "1"})
    assert (status, body["description"]) == (404, "Not Found")


async def test_missing_and_unknown_fields_are_400(fake: FakeTelegram) -> None:
    status, body = await fake.handle("sendMessage", {"text": "hi"})
    assert status == 400 and "chat_id" in body["description"]
    status, body = await fake.handle("sendMessage", {"chat_id": "1", "text": "x", "colour": "red"})
    assert status == 400 and "colour" in body["description"]


async def test_text_over_4096_characters(bot: Bot) -> None:
    await bot.send_message(1, "я" * 4096)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(1, "я" * 4097)


async def test_callback_data_over_64_bytes(bot: Bot) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="ж" * 33)]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(1, "hi", reply_markup=markup)


@pytest.mark.parametrize(
    "text", ["a < b", "Tom & Jerry", "<b>bold", "<i>x</b>", "<br>", "<script>x</script>"]
)
async def test_malformed_html_is_refused(bot: Bot, text: str) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, text)


def test_valid_html_is_parsed_to_plain_text() -> None:
    assert parse_html('<b>Жирный</b> &amp; <a href="https://x.ru">ссылка</a>') == (
        "Жирный & ссылка"
    )


async def test_injected_faults_come_back_as_telegram_errors(bot: Bot, fake: FakeTelegram) -> None:
    fake.blocked.add(5)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(5, "x")
    fake.faults.append(Fault("sendMessage", 429, "Too Many Requests: retry after 3", 3))
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(1, "x")
    assert caught.value.retry_after == 3
    fake.faults.append(Fault("sendMessage", 502, "Bad Gateway"))
    with pytest.raises(TelegramServerError):
        await bot.send_message(1, "x")
    await bot.send_message(1, "x")  # faults were one-shot
