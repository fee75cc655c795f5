"""/privacy, /mydata, /revoke: what the bot stores, a copy of it, and withdrawal."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.config import Settings
from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.privacy.service import PrivacyService
from bot.ui import commands
from bot.ui.callbacks import MenuCb, PrivacyAction, PrivacyCb, Screen
from bot.ui.keyboards import Keyboard
from handlers.render import show
from storage.models import Role

ANYONE = {"action": Action.ANYONE}


def _privacy_keyboard(with_data: bool) -> InlineKeyboardMarkup:
    kb = Keyboard()
    if with_data:
        kb.button(text=tr("btn-my-data"), callback_data=PrivacyCb(action=PrivacyAction.EXPORT))
        kb.button(text=tr("btn-revoke"), callback_data=PrivacyCb(action=PrivacyAction.REVOKE))
    kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    return kb.as_markup()


async def privacy(
    message: Message, actor: Actor, privacy: PrivacyService, settings: Settings
) -> None:
    if actor.person is None:
        await message.answer(tr("privacy-stranger"))
        return
    overview = await privacy.overview(actor.person, settings.timezone)
    await message.answer(overview, reply_markup=_privacy_keyboard(True))


async def my_data(event: Message | CallbackQuery, actor: Actor, privacy: PrivacyService) -> None:
    chat = event if isinstance(event, Message) else event.message
    if isinstance(event, CallbackQuery):
        await event.answer()
    if not isinstance(chat, Message):
        return
    if actor.person is None:
        await chat.answer(tr("privacy-stranger"))
        return
    document = BufferedInputFile(await privacy.export_file(actor.person), tr("my-data-filename"))
    await chat.answer_document(document, caption=tr("my-data-caption"))


async def ask_revoke(event: Message | CallbackQuery, actor: Actor) -> None:
    if actor.person is None:
        await show(event, tr("revoke-nothing"))
        return
    kb = Keyboard()
    kb.button(
        text=tr("btn-revoke-confirm"), callback_data=PrivacyCb(action=PrivacyAction.CONFIRM_REVOKE)
    )
    kb.button(text=tr("btn-cancel"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    await show(event, tr("revoke-confirm"), kb.as_markup())


async def revoke(
    callback: CallbackQuery, actor: Actor, state: FSMContext, bot: Bot, privacy: PrivacyService
) -> None:
    if actor.person is None:
        await show(callback, tr("revoke-nothing"))
        return
    await privacy.withdraw(actor.person)
    await state.clear()
    remaining = tuple(g for g in actor.grants if g.role not in (Role.MENTOR, Role.MENTEE))
    await commands.publish_for(bot, Actor(actor.telegram_id, actor.person, remaining))
    await show(callback, tr("revoke-done"))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(privacy, Command("privacy"), flags=ANYONE)
    router.message.register(my_data, Command("mydata"), flags=ANYONE)
    router.callback_query.register(
        my_data, PrivacyCb.filter(F.action == PrivacyAction.EXPORT), flags=ANYONE
    )
    router.message.register(ask_revoke, Command("revoke"), flags=ANYONE)
    router.callback_query.register(
        ask_revoke, PrivacyCb.filter(F.action == PrivacyAction.REVOKE), flags=ANYONE
    )
    router.callback_query.register(
        revoke, PrivacyCb.filter(F.action == PrivacyAction.CONFIRM_REVOKE), flags=ANYONE
    )
    return router
