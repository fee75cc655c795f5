"""Whatever no other router took: explain briefly and offer the current menu."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot import menus, texts
from bot.permissions import Action, Actor
from storage.organizations import OrganizationsRepo

router = Router(name=__name__)

ANYONE = {"action": Action.ANYONE}


async def _reply_with_menu(
    message: Message, notice: str, actor: Actor, organizations: OrganizationsRepo
) -> None:
    if not actor.is_registered:
        await message.answer(texts.STRANGER_HINT)
        return
    text, markup = await menus.main_menu(actor, organizations)
    await message.answer(f"{notice}\n\n{text}", reply_markup=markup)


@router.edited_message(flags=ANYONE)
async def edited(message: Message) -> None:
    await message.answer(texts.EDITED_IGNORED)


@router.message(F.text.startswith("/"), flags=ANYONE)
async def unknown_command(message: Message, actor: Actor, organizations: OrganizationsRepo) -> None:
    await _reply_with_menu(message, texts.UNKNOWN_COMMAND, actor, organizations)


@router.message(F.text, flags=ANYONE)
async def unexpected_text(message: Message, actor: Actor, organizations: OrganizationsRepo) -> None:
    await _reply_with_menu(message, texts.UNEXPECTED_TEXT, actor, organizations)


@router.message(flags=ANYONE)
async def unsupported_content(
    message: Message, actor: Actor, organizations: OrganizationsRepo
) -> None:
    await _reply_with_menu(message, texts.UNSUPPORTED_CONTENT, actor, organizations)


@router.callback_query(flags=ANYONE)
async def stale_button(
    callback: CallbackQuery, actor: Actor, organizations: OrganizationsRepo
) -> None:
    await callback.answer(texts.STALE_BUTTON, show_alert=True)
    if isinstance(callback.message, Message):
        await _reply_with_menu(callback.message, texts.STALE_BUTTON, actor, organizations)
