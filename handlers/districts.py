"""Administrators and coordinators: districts, their schools, and invites for both."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor, can
from bot.core.refusals import Refusal
from bot.core.zones import SCHOOL_TIMEZONES
from bot.organizations.schools import (
    DISTRICT_NAME_LIMIT,
    SCHOOL_NAME_LIMIT,
    clean_name,
)
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import DistrictAction, DistrictCb, MenuCb, Screen, TimezoneCb
from bot.ui.states import DistrictStates, SchoolStates
from handlers.invite_links import send_invite
from handlers.render import show
from storage.models import InviteKind, Role

MANAGE_SCHOOLS = {"action": Action.MANAGE_SCHOOLS}
MANAGE_DISTRICTS = {"action": Action.MANAGE_DISTRICTS}
INVITE_COORDINATOR = {"action": Action.INVITE_COORDINATOR}


async def list_districts(
    event: Message | CallbackQuery,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    await state.clear()
    found = await services.organizations.visible_districts(actor)
    title = tr("districts-title") if found else tr("districts-empty")
    await show(event, title, keyboards.districts(found, can(actor, Action.MANAGE_DISTRICTS)))


async def ask_district_name(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(DistrictStates.entering_name)
    await show(callback, tr("ask-district-name"), keyboards.cancel())


async def create_district(
    message: Message,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    name = clean_name(message.text, DISTRICT_NAME_LIMIT)
    if name is None:
        await message.answer(
            tr("name-invalid", limit=DISTRICT_NAME_LIMIT), reply_markup=keyboards.cancel()
        )
        return
    district = await services.organizations.create_district(name)
    if district is None:
        await message.answer(tr("district-exists"), reply_markup=keyboards.cancel())
        return
    await state.clear()
    await message.answer(tr("district-created", name=name))
    await _show_district(message, actor, district.id, services)


async def open_district(
    callback: CallbackQuery,
    callback_data: DistrictCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    await state.clear()
    await _show_district(callback, actor, callback_data.district_id, services)


async def ask_school_name(
    callback: CallbackQuery,
    callback_data: DistrictCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    district = await services.organizations.district_for(actor, callback_data.district_id)
    if isinstance(district, Refusal):
        await callback.answer(tr("refusal", reason=district), show_alert=True)
        return
    await state.set_state(SchoolStates.entering_name)
    await state.set_data({"district_id": district.id})
    await show(callback, tr("ask-school-name"), keyboards.cancel())


async def take_school_name(message: Message, state: FSMContext) -> None:
    name = clean_name(message.text, SCHOOL_NAME_LIMIT)
    if name is None:
        await message.answer(
            tr("name-invalid", limit=SCHOOL_NAME_LIMIT), reply_markup=keyboards.cancel()
        )
        return
    await state.update_data(name=name)
    await state.set_state(SchoolStates.choosing_timezone)
    await message.answer(tr("ask-school-timezone", name=name), reply_markup=keyboards.timezones())


async def create_school(
    callback: CallbackQuery,
    callback_data: TimezoneCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    data = await state.get_data()
    district_id = int(data.get("district_id", 0))
    if not 0 <= callback_data.index < len(SCHOOL_TIMEZONES) or "name" not in data:
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    timezone = SCHOOL_TIMEZONES[callback_data.index]
    school = await services.organizations.create_school_for(
        actor, district_id, data["name"], timezone
    )
    if isinstance(school, Refusal):
        await callback.answer(tr("refusal", reason=school), show_alert=True)
        return
    if school is None:
        await state.set_state(SchoolStates.entering_name)
        await show(callback, tr("school-exists"), keyboards.cancel())
        return
    await state.clear()
    await show(callback, tr("school-created", name=school.name), keyboards.school(school, actor))


async def invite_coordinator(
    callback: CallbackQuery,
    callback_data: DistrictCb,
    actor: Actor,
    bot: Bot,
    services: Services,
) -> None:
    district = await services.organizations.district(callback_data.district_id)
    if district is None:
        await callback.answer(tr("not-found"), show_alert=True)
        return
    issued = await services.invites.issue(
        InviteKind.COORDINATOR, actor.telegram_id, district_id=district.id
    )
    await send_invite(
        callback, bot, issued, InviteKind.COORDINATOR, district.name, services.settings.timezone
    )


async def _show_district(
    event: Message | CallbackQuery,
    actor: Actor,
    district_id: int,
    services: Services,
) -> None:
    district = await services.organizations.district_for(actor, district_id)
    if isinstance(district, Refusal):
        refusal = tr("refusal", reason=district)
        if isinstance(event, CallbackQuery):
            await event.answer(refusal, show_alert=True)
        else:
            await event.answer(refusal)
        return
    schools = await services.organizations.schools(district_id)
    lines = [tr("district-card", name=district.name, count=len(schools))]
    if schools:
        lines.append("")
    for school in schools:
        mentors = await services.banks.counts(school.id, Role.MENTOR)
        mentees = await services.banks.counts(school.id, Role.MENTEE)
        lines.append(
            tr(
                "school-bank-counts",
                name=school.name,
                mentors=mentors.total,
                mentors_complete=mentors.complete,
                mentees=mentees.total,
                mentees_complete=mentees.complete,
            )
        )
    await show(
        event,
        "\n".join(lines),
        keyboards.district(
            district_id,
            schools,
            can(actor, Action.INVITE_COORDINATOR),
            district_id in actor.district_ids(Role.COORDINATOR),
            can(actor, Action.BROADCAST_DISTRICT, district_id=district_id),
        ),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(list_districts, Command("schools"), flags=MANAGE_SCHOOLS)
    router.callback_query.register(
        list_districts, MenuCb.filter(F.screen == Screen.DISTRICTS), flags=MANAGE_SCHOOLS
    )
    router.callback_query.register(
        ask_district_name, MenuCb.filter(F.screen == Screen.NEW_DISTRICT), flags=MANAGE_DISTRICTS
    )
    router.message.register(
        create_district, StateFilter(DistrictStates.entering_name), flags=MANAGE_DISTRICTS
    )
    router.callback_query.register(
        open_district, DistrictCb.filter(F.action == DistrictAction.OPEN), flags=MANAGE_SCHOOLS
    )
    router.callback_query.register(
        ask_school_name,
        DistrictCb.filter(F.action == DistrictAction.NEW_SCHOOL),
        flags=MANAGE_SCHOOLS,
    )
    router.message.register(
        take_school_name, StateFilter(SchoolStates.entering_name), flags=MANAGE_SCHOOLS
    )
    router.callback_query.register(
        create_school,
        StateFilter(SchoolStates.choosing_timezone),
        TimezoneCb.filter(),
        flags=MANAGE_SCHOOLS,
    )
    router.callback_query.register(
        invite_coordinator,
        DistrictCb.filter(F.action == DistrictAction.INVITE_COORDINATOR),
        flags=INVITE_COORDINATOR,
    )
    return router
