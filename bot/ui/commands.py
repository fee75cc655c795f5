"""The command list each person sees in Telegram's menu, set per chat by role."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.core.permissions import Actor
from storage.models import Role

log = logging.getLogger(__name__)

_STRANGER = [
    BotCommand(command="start", description="Начать"),
    BotCommand(command="help", description="Что умеет бот"),
]
_MEMBER = [
    BotCommand(command="menu", description="Главное меню"),
    BotCommand(command="help", description="Что умеет бот"),
    BotCommand(command="cancel", description="Прервать текущий шаг"),
    BotCommand(command="privacy", description="Мои данные и согласие"),
    BotCommand(command="mydata", description="Получить мои данные файлом"),
    BotCommand(command="revoke", description="Отозвать согласие"),
]
_BY_ROLE: dict[Role, list[BotCommand]] = {
    Role.ADMIN: [
        BotCommand(command="schools", description="Округа и школы"),
        BotCommand(command="status", description="Состояние бота"),
    ],
    Role.COORDINATOR: [BotCommand(command="schools", description="Школы округа")],
    Role.CURATOR: [
        BotCommand(command="teacherlink", description="Ссылка для учителей"),
        BotCommand(command="broadcast", description="Рассылка участникам школы"),
    ],
}


def commands_for(actor: Actor) -> list[BotCommand]:
    if not actor.is_registered:
        return list(_STRANGER)
    commands = list(_MEMBER)
    for role in Role:
        if role in actor.roles:
            for command in _BY_ROLE.get(role, []):
                if command not in commands:
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
