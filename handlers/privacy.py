"""/privacy, /mydata, /revoke: what the bot stores, a copy of it, and withdrawal."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.privacy.service import Overview
from bot.services import Services
from bot.ui import commands
from bot.ui.callbacks import MenuCb, PrivacyAction, PrivacyCb, Screen
from bot.ui.keyboards import Keyboard
from handlers.render import show
from storage.models import Role

ANYONE = {"action": Action.ANYONE}


def _keyboard(with_data: bool) -> InlineKeyboardMarkup:
    kb = Keyboard()
    if with_data:
        kb.button(text=tr("btn-my-data"), callback_data=PrivacyCb(action=PrivacyAction.EXPORT))
        kb.button(text=tr("btn-revoke"), callback_data=PrivacyCb(action=PrivacyAction.REVOKE))
    kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    return kb.as_markup()


def _overview_text(overview: Overview, zone: ZoneInfo) -> str:
    lines = [tr("privacy-title"), "", tr("privacy-stored"), ""]
    for consent in overview.consents:
        lines.append(
            tr(
                "privacy-consent-line",
                as_parent=consent.as_parent,
                kind=consent.kind,
                version=consent.version,
                agreed=consent.agreed,
                when=consent.decided_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
            )
        )
    if not overview.consents:
        lines.append(tr("privacy-no-consent"))
    for form in overview.forms:
        lines.append(
            tr(
                "privacy-form-line",
                title=form.title,
                submitted=form.submitted,
                answered=form.answered,
            )
        )
    return "\n".join(lines)


async def privacy(message: Message, actor: Actor, services: Services) -> None:
    if actor.person is None:
        await message.answer(tr("privacy-stranger"), reply_markup=_keyboard(False))
        return
    overview = await services.privacy.overview(actor.person)
    await message.answer(
        _overview_text(overview, services.settings.timezone), reply_markup=_keyboard(True)
    )


async def my_data(event: Message | CallbackQuery, actor: Actor, services: Services) -> None:
    chat = event if isinstance(event, Message) else event.message
    if isinstance(event, CallbackQuery):
        await event.answer()
    if not isinstance(chat, Message):
        return
    if actor.person is None:
        await chat.answer(tr("privacy-stranger"), reply_markup=_keyboard(False))
        return
    content = await services.privacy.export_file(actor.person)
    document = BufferedInputFile(content, tr("my-data-filename"))
    await chat.answer_document(document, caption=tr("my-data-caption"))


async def ask_revoke(event: Message | CallbackQuery, actor: Actor, services: Services) -> None:
    revocable = await services.privacy.revocable(actor.person) if actor.person else None
    if revocable is None or not (revocable.own or revocable.children):
        await show(event, tr("revoke-nothing"), _keyboard(False))
        return
    if revocable.own:
        text = tr("revoke-confirm")
        if revocable.children:
            text += "\n\n" + tr("revoke-also-parent")
    else:
        text = tr("revoke-confirm-parent")
    kb = Keyboard()
    kb.button(
        text=tr("btn-revoke-confirm"), callback_data=PrivacyCb(action=PrivacyAction.CONFIRM_REVOKE)
    )
    kb.button(text=tr("btn-cancel"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    await show(event, text, kb.as_markup())


async def revoke(
    callback: CallbackQuery, actor: Actor, state: FSMContext, bot: Bot, services: Services
) -> None:
    if actor.person is None:
        await show(callback, tr("revoke-nothing"), _keyboard(False))
        return
    withdrawn = await services.privacy.withdraw(actor.person)
    if withdrawn.nothing:
        await show(callback, tr("revoke-nothing"), _keyboard(False))
        return
    await state.clear()
    done = []
    if withdrawn.own:
        remaining = tuple(g for g in actor.grants if g.role not in (Role.MENTOR, Role.MENTEE))
        await commands.publish_for(bot, Actor(actor.telegram_id, actor.person, remaining))
        done.append(tr("revoke-done"))
    if withdrawn.children:
        for child in withdrawn.children:
            # A child left without a role sees the commands of someone outside the program.
            await commands.publish_for(bot, Actor(child, None, ()))
        done.append(tr("revoke-done-parent", children=len(withdrawn.children)))
    await show(callback, "\n\n".join(done), _keyboard(False))


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
