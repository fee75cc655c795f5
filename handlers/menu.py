"""/menu, /help, /cancel and the main-menu buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import keyboards, menus, texts
from bot.callbacks import MenuCb, Screen
from bot.permissions import Action, Actor
from handlers.render import show
from storage.organizations import OrganizationsRepo

router = Router(name=__name__)

ANYONE = {"action": Action.ANYONE}
MEMBER = {"action": Action.USE_MENU}


@router.message(Command("menu"), flags=ANYONE)
@router.callback_query(MenuCb.filter(F.screen == Screen.MAIN), flags=ANYONE)
async def main_menu(
    event: Message | CallbackQuery,
    actor: Actor,
    state: FSMContext,
    organizations: OrganizationsRepo,
) -> None:
    await state.clear()
    text, markup = await menus.main_menu(actor, organizations)
    await show(event, text, markup)


@router.message(Command("help"), flags=ANYONE)
@router.callback_query(MenuCb.filter(F.screen == Screen.HELP), flags=ANYONE)
async def help_screen(event: Message | CallbackQuery, actor: Actor) -> None:
    markup = keyboards.back_to_main() if actor.is_registered else None
    await show(event, menus.help_text(actor), markup)


@router.callback_query(MenuCb.filter(F.screen == Screen.PROFILE), flags=MEMBER)
async def profile(callback: CallbackQuery, actor: Actor, organizations: OrganizationsRepo) -> None:
    await show(callback, await menus.profile_text(actor, organizations), keyboards.back_to_main())


@router.message(Command("cancel"), flags=ANYONE)
@router.callback_query(MenuCb.filter(F.screen == Screen.CANCEL), flags=ANYONE)
async def cancel(
    event: Message | CallbackQuery,
    actor: Actor,
    state: FSMContext,
    organizations: OrganizationsRepo,
) -> None:
    had_state = await state.get_state() is not None
    await state.clear()
    text, markup = await menus.main_menu(actor, organizations)
    notice = texts.CANCELLED if had_state else texts.NOTHING_TO_CANCEL
    await show(event, f"{notice}\n\n{text}", markup)
