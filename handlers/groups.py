"""Groups and channels: the bot works only in private chats and says so once per chat."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message

from bot import texts
from bot.clock import Clock
from bot.permissions import Action
from storage.notices import GroupNoticesRepo

ANYONE = {"action": Action.ANYONE}


async def group_message(message: Message, group_notices: GroupNoticesRepo, clock: Clock) -> None:
    if await group_notices.first_notice(message.chat.id, clock.now()):
        await message.answer(texts.PRIVATE_ONLY)


async def group_edit(message: Message) -> None:
    """Ignored: the notice was given for the original message."""


async def group_button(callback: CallbackQuery) -> None:
    await callback.answer(texts.PRIVATE_ONLY, show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type != ChatType.PRIVATE)
    router.edited_message.filter(F.chat.type != ChatType.PRIVATE)
    router.callback_query.filter(F.message.chat.type != ChatType.PRIVATE)
    router.message.register(group_message, flags=ANYONE)
    router.edited_message.register(group_edit, flags=ANYONE)
    router.callback_query.register(group_button, flags=ANYONE)
    return router
