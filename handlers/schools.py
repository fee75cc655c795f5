"""A school's screen: curator invites (administrator, coordinator) and the teacher join link
(curator)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.zones import timezone_label
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import SchoolAction, SchoolCb
from handlers.invite_links import send_invite
from handlers.render import show
from handlers.scope import school_in_scope
from storage.models import InviteKind, Organization, Role

MEMBER = {"action": Action.USE_MENU}
MANAGE_SCHOOLS = {"action": Action.MANAGE_SCHOOLS}
TEACHER_LINK = {"action": Action.MANAGE_TEACHER_LINK}


async def curator_schools(
    message: Message,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    await state.clear()
    for school_id in actor.school_ids(Role.CURATOR):
        school = await services.organizations.school(school_id)
        if school is not None:
            await _show_school(message, actor, school, services)


async def open_school(
    callback: CallbackQuery,
    callback_data: SchoolCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    school = await school_in_scope(
        callback,
        actor,
        callback_data.school_id,
        services.organizations,
        Action.MANAGE_SCHOOLS,
        Action.MANAGE_TEACHER_LINK,
    )
    if school is not None:
        await state.clear()
        await _show_school(callback, actor, school, services)


async def invite_curator(
    callback: CallbackQuery,
    callback_data: SchoolCb,
    actor: Actor,
    bot: Bot,
    services: Services,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_SCHOOLS
    )
    if school is None:
        return
    issued = await services.invites.issue(
        InviteKind.CURATOR, actor.telegram_id, organization_id=school.id
    )
    await send_invite(
        callback, bot, issued, InviteKind.CURATOR, school.name, ZoneInfo(school.timezone)
    )


async def teacher_link(
    callback: CallbackQuery,
    callback_data: SchoolCb,
    actor: Actor,
    bot: Bot,
    services: Services,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_TEACHER_LINK
    )
    if school is None:
        return
    issued = await services.invites.issue(
        InviteKind.TEACHER, actor.telegram_id, organization_id=school.id
    )
    await send_invite(
        callback, bot, issued, InviteKind.TEACHER, school.name, ZoneInfo(school.timezone)
    )


async def _show_school(
    event: Message | CallbackQuery,
    actor: Actor,
    school: Organization,
    services: Services,
) -> None:
    district = await services.organizations.district(school.district_id)
    counts = await services.organizations.member_counts(school.id)
    text = tr(
        "school-card",
        name=school.name,
        district=district.name if district else "",
        timezone=timezone_label(school.timezone),
        curators=counts.get(Role.CURATOR, 0),
        mentors=counts.get(Role.MENTOR, 0),
        mentees=counts.get(Role.MENTEE, 0),
    )
    await show(event, text, keyboards.school(school, actor))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(curator_schools, Command("teacherlink"), flags=TEACHER_LINK)
    router.callback_query.register(
        open_school, SchoolCb.filter(F.action == SchoolAction.OPEN), flags=MEMBER
    )
    router.callback_query.register(
        invite_curator,
        SchoolCb.filter(F.action == SchoolAction.INVITE_CURATOR),
        flags=MANAGE_SCHOOLS,
    )
    router.callback_query.register(
        teacher_link, SchoolCb.filter(F.action == SchoolAction.TEACHER_LINK), flags=TEACHER_LINK
    )
    return router
