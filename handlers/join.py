"""A teacher who opened the school's join link chooses to be a mentor or a mentee."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.organizations.invites import InviteProblem, InviteService, grant_for
from bot.organizations.service import OrganizationService
from bot.participation.service import ParticipationService
from bot.ui import commands, texts
from bot.ui.callbacks import JoinRoleCb
from bot.ui.states import JoinStates
from handlers.forms import present_next
from storage.models import Role
from storage.people import PeopleRepo

ANYONE = {"action": Action.ANYONE}


async def choose_role(
    callback: CallbackQuery,
    callback_data: JoinRoleCb,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    invites: InviteService,
    organizations: OrganizationService,
    people: PeopleRepo,
    participation: ParticipationService,
) -> None:
    if callback_data.role not in (Role.MENTOR.value, Role.MENTEE.value):
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    invite_id = (await state.get_data()).get("invite_id")
    checked = await invites.check_id(int(invite_id or 0))
    if isinstance(checked, InviteProblem):
        await state.clear()
        await callback.answer(tr("join-stale"), show_alert=True)
        return
    grant = grant_for(checked, Role(callback_data.role))
    await state.clear()
    if grant in actor.grants:
        await callback.answer(tr("invite-already-held"), show_alert=True)
        return
    if not await invites.redeem(checked, actor.telegram_id, grant):
        await callback.answer(tr("join-stale"), show_alert=True)
        return
    await callback.answer()
    person = await people.by_telegram_id(actor.telegram_id)
    assert person is not None  # just created by the redemption
    joined = Actor(actor.telegram_id, person, (*actor.grants, grant))
    await commands.publish_for(bot, joined)
    school = await organizations.school(grant.organization_id or 0)
    if isinstance(callback.message, Message) and school is not None:
        await callback.message.edit_text(texts.joined(grant.role, school.name))
        following = await participation.open_questionnaire(person.id, school.id, grant.role)
        await present_next(callback.message, following, state, joined, organizations)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        choose_role, StateFilter(JoinStates.choosing_role), JoinRoleCb.filter(), flags=ANYONE
    )
    return router
