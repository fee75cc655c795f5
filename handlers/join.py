"""A teacher who opened the school's join link chooses to be a mentor or a mentee."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.organizations.invites import InviteProblem
from bot.participation.service import JoinRefusal
from bot.privacy.consent import CONSENT_FORM_ID
from bot.services import Services
from bot.ui import commands
from bot.ui.callbacks import JoinRoleCb
from bot.ui.states import JoinStates
from handlers.forms import present_next
from handlers.start import refusal_text
from storage.models import Role

ANYONE = {"action": Action.ANYONE}


async def choose_role(
    callback: CallbackQuery,
    callback_data: JoinRoleCb,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    services: Services,
) -> None:
    roles = {role.value: role for role in (Role.MENTOR, Role.MENTEE)}
    role = roles.get(callback_data.role)
    if role is None:
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    invite_id = (await state.get_data()).get("invite_id")
    await state.clear()
    joined = await services.participation.join_teacher(actor, int(invite_id or 0), role)
    if isinstance(joined, (InviteProblem, JoinRefusal)):
        await callback.answer(refusal_text(joined), show_alert=True)
        return
    await callback.answer()
    await commands.publish_for(bot, joined.actor)
    following = joined.following
    if isinstance(callback.message, Message) and following is not None:
        # Say what comes next: the consent first when it is missing, else the questionnaire.
        consent = following.state is not None and following.state.form.id == CONSENT_FORM_ID
        await callback.message.edit_text(
            tr(
                "joined-teacher",
                role=role,
                place=joined.place,
                next="consent" if consent else "questionnaire",
            )
        )
        await present_next(callback.message, following, state, joined.actor, services.organizations)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        choose_role, StateFilter(JoinStates.choosing_role), JoinRoleCb.filter(), flags=ANYONE
    )
    return router
