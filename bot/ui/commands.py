"""The command list each person sees in Telegram's menu, set per chat by role (commands.ftl)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.core.i18n import tr
from bot.core.permissions import Actor
from storage.models import Role

log = logging.getLogger(__name__)

_STRANGER = [
    BotCommand(command="start", description=tr.plain("command-start")),
    BotCommand(command="help", description=tr.plain("command-help")),
]
_MEMBER = [
    BotCommand(command="menu", description=tr.plain("command-menu")),
    BotCommand(command="help", description=tr.plain("command-help")),
    BotCommand(command="cancel", description=tr.plain("command-cancel")),
    BotCommand(command="privacy", description=tr.plain("command-privacy")),
    BotCommand(command="mydata", description=tr.plain("command-mydata")),
    BotCommand(command="revoke", description=tr.plain("command-revoke")),
]
_BY_ROLE: dict[Role, list[BotCommand]] = {
    Role.ADMIN: [
        BotCommand(command="schools", description=tr.plain("command-schools")),
        BotCommand(command="status", description=tr.plain("command-status")),
    ],
    Role.COORDINATOR: [
        BotCommand(command="schools", description=tr.plain("command-schools-district"))
    ],
    Role.CURATOR: [
        BotCommand(command="teacherlink", description=tr.plain("command-teacherlink")),
        BotCommand(command="broadcast", description=tr.plain("command-broadcast")),
    ],
}


def commands_for(actor: Actor) -> list[BotCommand]:
    if not actor.is_registered:
        return list(_STRANGER)
    commands = list(_MEMBER)
    for role in Role:
        if role in actor.roles:
            for command in _BY_ROLE.get(role, []):
                # An admin who is also a coordinator sees /schools once, not twice in the menu.
                if all(command.command != listed.command for listed in commands):
                    commands.append(command)
    return commands


async def publish_default(bot: Bot) -> None:
    await bot.set_my_commands(_STRANGER, scope=BotCommandScopeDefault())


async def publish_for(bot: Bot, actor: Actor) -> None:
    """Best effort: a failure here must not fail the action that changed the roles."""
    try:
        await bot.set_my_commands(
            commands_for(actor), scope=BotCommandScopeChat(chat_id=actor.telegram_id)
        )
    except TelegramAPIError as error:
        log.warning("set_my_commands failed user_id=%s error=%s", actor.telegram_id, error)
