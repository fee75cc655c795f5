"""/start, with or without an invite deep link."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.engine import FormState
from bot.organizations.invites import InviteProblem
from bot.participation.service import JoinRefusal, TeacherInvite
from bot.services import Services
from bot.ui import commands, keyboards, menus
from bot.ui.states import JoinStates
from handlers.forms import present

ANYONE = {"action": Action.ANYONE}


def refusal_text(refusal: InviteProblem | JoinRefusal) -> str:
    if refusal is InviteProblem.EXPIRED:
        return tr("invite-expired")
    if refusal is InviteProblem.USED:
        return tr("invite-used")
    if refusal is InviteProblem.REVOKED:
        return tr("invite-revoked")
    if refusal is JoinRefusal.ALREADY_HELD:
        return tr("invite-already-held")
    if refusal is JoinRefusal.STALE:
        return tr("join-stale")
    return tr("invite-invalid")


async def start_with_invite(
    message: Message,
    command: CommandObject,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    services: Services,
) -> None:
    opened = await services.participation.open_invite(actor, command.args or "")
    if isinstance(opened, (InviteProblem, JoinRefusal)):
        await message.answer(refusal_text(opened))
        return
    if isinstance(opened, FormState):  # a parent's consent form
        await present(message, opened, state, services.organizations)
        return
    if isinstance(opened, TeacherInvite):
        # The invite id waits in the persistent FSM, never in callback data a client could forge.
        await state.set_state(JoinStates.choosing_role)
        await state.set_data({"invite_id": opened.invite_id})
        await message.answer(
            tr("join-choose-role", school=opened.school.name), reply_markup=keyboards.join_roles()
        )
        return
    await state.clear()
    await commands.publish_for(bot, opened.actor)
    text, markup = await menus.main_menu(opened.actor, services.organizations)
    await message.answer(tr("joined", role=opened.grant.role, place=opened.place))
    await message.answer(text, reply_markup=markup)


async def start_plain(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    if not actor.is_registered:
        await message.answer(tr("stranger-welcome"))
        return
    await state.clear()
    text, markup = await menus.main_menu(actor, services.organizations)
    await message.answer(text, reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start_with_invite, CommandStart(deep_link=True), flags=ANYONE)
    router.message.register(start_plain, CommandStart(), flags=ANYONE)
    return router
