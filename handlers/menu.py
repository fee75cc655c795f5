"""/menu, /help, /cancel and the main-menu buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.participation.help import help_text
from bot.services import Services
from bot.ui import keyboards, menus
from bot.ui.callbacks import MenuCb, Screen
from handlers.render import show

ANYONE = {"action": Action.ANYONE}
MEMBER = {"action": Action.USE_MENU}


async def main_menu(
    event: Message | CallbackQuery, actor: Actor, state: FSMContext, services: Services
) -> None:
    await state.clear()
    text, markup = await menus.main_menu(actor, services.organizations)
    await show(event, text, markup)


async def help_screen(event: Message | CallbackQuery, actor: Actor, services: Services) -> None:
    topics = await services.participation.help_topics(actor)
    markup = keyboards.back_to_main() if actor.is_registered else None
    await show(event, help_text(topics), markup)


async def profile(callback: CallbackQuery, actor: Actor, services: Services) -> None:
    text = await menus.profile_text(actor, services.organizations)
    await show(callback, text, keyboards.back_to_main())


async def cancel(
    event: Message | CallbackQuery, actor: Actor, state: FSMContext, services: Services
) -> None:
    """Whatever was under way stops; the answer always carries the menu (or, for someone
    without a role, how to join)."""
    had_state = await state.get_state() is not None
    await state.clear()
    text, markup = await menus.main_menu(actor, services.organizations)
    notice = tr("cancelled") if had_state else tr("nothing-to-cancel")
    await show(event, f"{notice}\n\n{text}", markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(main_menu, Command("menu"), flags=ANYONE)
    router.callback_query.register(main_menu, MenuCb.filter(F.screen == Screen.MAIN), flags=ANYONE)
    router.message.register(help_screen, Command("help"), flags=ANYONE)
    router.callback_query.register(
        help_screen, MenuCb.filter(F.screen == Screen.HELP), flags=ANYONE
    )
    router.callback_query.register(profile, MenuCb.filter(F.screen == Screen.PROFILE), flags=MEMBER)
    router.message.register(cancel, Command("cancel"), flags=ANYONE)
    router.callback_query.register(cancel, MenuCb.filter(F.screen == Screen.CANCEL), flags=ANYONE)
    return router
