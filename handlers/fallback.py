"""Whatever no other router took: explain briefly and offer the current menu."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.participation.service import HelpTopic
from bot.services import Services
from bot.ui import menus

ANYONE = {"action": Action.ANYONE}


async def _reply_with_menu(message: Message, notice: str, actor: Actor, services: Services) -> None:
    if not actor.is_registered:
        # A parent who has consented is not told to look for an invite they no longer need.
        topics = await services.participation.help_topics(actor)
        await message.answer(
            tr("parent-hint") if HelpTopic.PARENT in topics else tr("stranger-hint")
        )
        return
    text, markup = await menus.main_menu(actor, services.organizations)
    await message.answer(f"{notice}\n\n{text}", reply_markup=markup)


async def edited(message: Message) -> None:
    await message.answer(tr("edited-ignored"))


async def unexpected_message(message: Message, actor: Actor, services: Services) -> None:
    if message.text is None:
        notice = tr("unsupported-content")
    elif message.text.startswith("/"):
        notice = tr("unknown-command")
    else:
        notice = tr("unexpected-text")
    await _reply_with_menu(message, notice, actor, services)


async def stale_button(callback: CallbackQuery, actor: Actor, services: Services) -> None:
    await callback.answer(tr("stale-button"), show_alert=True)
    if isinstance(callback.message, Message):
        await _reply_with_menu(callback.message, tr("stale-button"), actor, services)


def build_router() -> Router:
    router = Router(name=__name__)
    router.edited_message.register(edited, flags=ANYONE)
    router.message.register(unexpected_message, flags=ANYONE)
    router.callback_query.register(stale_button, flags=ANYONE)
    return router
