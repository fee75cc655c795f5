"""Groups and channels: the bot works only in private chats and says so once per chat."""

from __future__ import annotations

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action
from bot.services import Services

ANYONE = {"action": Action.ANYONE}


class OutsidePrivateChat(Filter):
    """A message or a button press in a group or channel (an async filter: aiogram would run
    an `F` expression in a worker thread for every update)."""

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        message = event if isinstance(event, Message) else event.message
        return message is not None and message.chat.type != ChatType.PRIVATE


async def group_message(message: Message, services: Services) -> None:
    if await services.participation.first_group_notice(message.chat.id):
        await message.answer(tr("private-only"))


async def group_edit(message: Message) -> None:
    """Ignored: the notice was given for the original message."""


async def group_button(callback: CallbackQuery) -> None:
    await callback.answer(tr("private-only"), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    for observer in (router.message, router.edited_message, router.callback_query):
        observer.filter(OutsidePrivateChat())

    router.message.register(group_message, flags=ANYONE)
    router.edited_message.register(group_edit, flags=ANYONE)
    router.callback_query.register(group_button, flags=ANYONE)
    return router
