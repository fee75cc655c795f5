"""Rendering a freshly issued invite as a t.me deep link."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.types import CallbackQuery
from aiogram.utils.deep_linking import create_start_link

from bot.core.i18n import tr
from bot.organizations.invites import IssuedInvite
from bot.ui import keyboards
from handlers.render import show
from storage.models import InviteKind


async def send_invite(
    callback: CallbackQuery,
    bot: Bot,
    issued: IssuedInvite,
    kind: InviteKind,
    place: str,
    zone: ZoneInfo,
) -> None:
    link = await create_start_link(bot, issued.token)
    valid_until = issued.expires_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
    text = tr(
        "invite-link",
        kind=kind,
        place=place,
        link=link,
        valid_until=valid_until,
        one_time=issued.one_time,
    )
    await show(callback, text, keyboards.back_to_main())
