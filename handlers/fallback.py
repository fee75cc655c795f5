"""Whatever no other router took: explain briefly and offer the current menu."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.organizations.service import OrganizationService
from bot.ui import menus

ANYONE = {"action": Action.ANYONE}


async def _reply_with_menu(
    message: Message, notice: str, actor: Actor, organizations: OrganizationService
) -> None:
    if not actor.is_registered:
        await message.answer(tr("stranger-hint"))
        return
    text, markup = await menus.main_menu(actor, organizations)
    await message.answer(f"{notice}\n\n{text}", reply_markup=markup)


async def edited(message: Message) -> None:
    await message.answer(tr("edited-ignored"))


async def unexpected_message(
    message: Message, actor: Actor, organizations: OrganizationService
) -> None:
    if message.text is None:
        notice = tr("unsupported-content")
    elif message.text.startswith("/"):
        notice = tr("unknown-command")
    else:
        notice = tr("unexpected-text")
    await _reply_with_menu(message, notice, actor, organizations)


async def stale_button(
    callback: CallbackQuery, actor: Actor, organizations: OrganizationService
) -> None:
    await callback.answer(tr("stale-button"), show_alert=True)
    if isinstance(callback.message, Message):
        await _reply_with_menu(callback.message, tr("stale-button"), actor, organizations)


def build_router() -> Router:
    router = Router(name=__name__)
    router.edited_message.register(edited, flags=ANYONE)
    router.message.register(unexpected_message, flags=ANYONE)
    router.callback_query.register(stale_button, flags=ANYONE)
    return router
