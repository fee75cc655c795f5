"""A school's screen: curator invites (administrator, coordinator) and the teacher join link
(curator)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.permissions import Action, Actor
from bot.core.zones import timezone_label
from bot.organizations.invites import InviteService
from bot.organizations.service import OrganizationService
from bot.ui import keyboards, texts
from bot.ui.callbacks import SchoolAction, SchoolCb
from handlers.invite_links import send_invite
from handlers.render import show
from handlers.scope import school_in_scope
from storage.models import InviteKind, Organization, Role
from storage.people import PeopleRepo

MEMBER = {"action": Action.USE_MENU}
MANAGE_SCHOOLS = {"action": Action.MANAGE_SCHOOLS}
TEACHER_LINK = {"action": Action.MANAGE_TEACHER_LINK}


async def curator_schools(
    message: Message,
    actor: Actor,
    state: FSMContext,
    organizations: OrganizationService,
    people: PeopleRepo,
) -> None:
    await state.clear()
    for school_id in actor.school_ids(Role.CURATOR):
        school = await organizations.school(school_id)
        if school is not None:
            await _show_school(message, actor, school, organizations, people)


async def open_school(
    callback: CallbackQuery,
    callback_data: SchoolCb,
    actor: Actor,
    state: FSMContext,
    organizations: OrganizationService,
    people: PeopleRepo,
) -> None:
    school = await school_in_scope(
        callback,
        actor,
        callback_data.school_id,
        organizations,
        Action.MANAGE_SCHOOLS,
        Action.MANAGE_TEACHER_LINK,
    )
    if school is not None:
        await state.clear()
        await _show_school(callback, actor, school, organizations, people)


async def invite_curator(
    callback: CallbackQuery,
    callback_data: SchoolCb,
    actor: Actor,
    bot: Bot,
    invites: InviteService,
    organizations: OrganizationService,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, organizations, Action.MANAGE_SCHOOLS
    )
    if school is None:
        return
    issued = await invites.issue(InviteKind.CURATOR, actor.telegram_id, organization_id=school.id)
    await send_invite(
        callback, bot, issued, InviteKind.CURATOR, school.name, ZoneInfo(school.timezone)
    )


async def teacher_link(
    callback: CallbackQuery,
    callback_data: SchoolCb,
    actor: Actor,
    bot: Bot,
    invites: InviteService,
    organizations: OrganizationService,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, organizations, Action.MANAGE_TEACHER_LINK
    )
    if school is None:
        return
    issued = await invites.issue(InviteKind.TEACHER, actor.telegram_id, organization_id=school.id)
    await send_invite(
        callback, bot, issued, InviteKind.TEACHER, school.name, ZoneInfo(school.timezone)
    )


async def _show_school(
    event: Message | CallbackQuery,
    actor: Actor,
    school: Organization,
    organizations: OrganizationService,
    people: PeopleRepo,
) -> None:
    district = await organizations.district(school.district_id)
    counts = await people.count_in_school(school.id)
    text = texts.school_card(
        school.name, district.name if district else "", timezone_label(school.timezone), counts
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
